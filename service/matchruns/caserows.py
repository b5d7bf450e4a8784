"""A batch's new cases as two bulk inserts (one statement run for all rows of each table).

Building an ORM object per case and per event was most of a batch's writing; then, with plain
row dicts, SQLAlchemy's per-row work: each row's parameters assembled and every value passed
through its column type (three timestamps per case and event: the service's UTC type, then
SQLite's DATETIME text; the reasons as JSON). So the values every row of a batch shares (its
moment, status, run, actor) are converted once, the rest per row by the very converters the
columns' types give for the connection's dialect (what is stored does not change), and the rows
go to the driver as tuples, in the order of the statement SQLAlchemy compiled for the table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from service.matchruns.models import MatchRun
from service.recommendations.models import Recommendation, RecommendationEvent
from service.sqltypes import new_ids

IDS_AT_ONCE = 512
CASES: Table = Recommendation.__table__  # type: ignore[attr-defined]
EVENTS: Table = RecommendationEvent.__table__  # type: ignore[attr-defined]


class CaseRows:
    """The cases a batch recommends, each with its first event; the rows carry what the models
    would fill in themselves (ids, status, timestamps)."""

    def __init__(self, run: MatchRun, now: datetime) -> None:
        self.run, self.now = run, now
        self.recommendations: list[dict[str, Any]] = []  # per row: what differs between cases
        self.events: list[dict[str, Any]] = []
        self.status = _default(Recommendation, "status")
        self._ids: list[str] = []

    def add(self, person_id: str, posting_id: str, score: float, reasons: Sequence[str]) -> None:
        case_id = self._new_id()
        self.recommendations.append(
            {
                "id": case_id,
                "jobseeker_id": person_id,
                "posting_id": posting_id,
                "score": score,
                "reasons": list(reasons),
            }
        )
        event = {"id": self._new_id(), "recommendation_id": case_id, "jobseeker_id": person_id}
        self.events.append(event)

    def _new_id(self) -> str:
        if not self._ids:  # made a few hundred at a time: one system call for their randomness
            self._ids = new_ids(IDS_AT_ONCE)[::-1]
        return self._ids.pop()

    def shared_case(self) -> dict[str, Any]:
        """The values every case of the batch has."""
        return {
            "status": self.status,
            "note": None,
            "created_by": self.run.created_by,
            "match_run_id": self.run.id,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def shared_event(self) -> dict[str, Any]:
        return {
            "from_status": None,
            "to_status": self.status,
            "note": f"匹配批次 {self.run.id}",
            "actor": self.run.created_by,
            "actor_role": self.run.created_by_role,
            "at": self.now,
        }

    async def insert(self, session: AsyncSession) -> None:
        """Cases first, then their events (which refer to them), in the session's transaction;
        a pair recommended meanwhile by another run raises ``IntegrityError`` here."""
        if not self.recommendations:
            return
        connection = await session.connection()
        for table, rows, shared in (
            (CASES, self.recommendations, self.shared_case()),
            (EVENTS, self.events, self.shared_event()),
        ):
            statement = _statement(table, connection.dialect)
            await connection.exec_driver_sql(statement.sql, statement.rows(rows, shared))


@dataclass(frozen=True)
class Statement:
    """``INSERT`` of every column of a table as compiled for a dialect, and its parameters'
    converters (None: the value goes as it is)."""

    sql: str
    names: tuple[str, ...]  # in the parameters' order
    positional: bool
    converters: tuple[Callable[[Any], Any] | None, ...]

    def rows(self, rows: list[dict[str, Any]], shared: Mapping[str, Any]) -> list[Any]:
        """Driver parameters for each row: ``shared`` converted once, the rest per row."""
        template: list[Any] = [None] * len(self.names)
        per_row = []
        for i, (name, convert) in enumerate(zip(self.names, self.converters, strict=True)):
            if name in shared:
                template[i] = shared[name] if convert is None else convert(shared[name])
            else:
                per_row.append((i, name, convert))
        params: list[Any] = []
        for row in rows:
            values = template.copy()
            for i, name, convert in per_row:
                values[i] = row[name] if convert is None else convert(row[name])
            named = not self.positional
            params.append(dict(zip(self.names, values, strict=True)) if named else tuple(values))
        return params


@functools.cache
def _statement(table: Table, dialect: Dialect) -> Statement:
    compiled = insert(table).compile(dialect=dialect)
    positional = compiled.positiontup is not None
    names = tuple(compiled.positiontup or compiled.binds)
    converters = tuple(
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    return Statement(str(compiled), names, positional, converters)


def _default(model: type[SQLModel], name: str) -> Any:
    default = model.model_fields[name].default
    assert default is not PydanticUndefined, f"{model.__name__}.{name} has no default"
    return default
