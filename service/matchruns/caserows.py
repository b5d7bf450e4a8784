"""A batch's new cases as two bulk inserts (one statement run for all rows of each table).

Building an ORM object per case and per event was most of a batch's writing, and then, with
plain row dicts, SQLAlchemy's per-row work on values every row shares: three timestamps per
case and event (the service's UTC type, then SQLite's DATETIME text), status, run and actor.
So the rows carry only what differs per row, and the shared values are processed once per batch
by the columns' own types for the connection's dialect (so what is stored does not change)
and bound as ready-made values: the statement names the table through a twin whose shared
columns have no type of their own, which leaves those values as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import Column, Insert, MetaData, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.types import NullType
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from service.matchruns.models import MatchRun
from service.recommendations.models import Recommendation, RecommendationEvent
from service.sqltypes import new_id

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

    def add(self, person_id: str, posting_id: str, score: float, reasons: Sequence[str]) -> None:
        case_id = new_id()
        self.recommendations.append(
            {
                "id": case_id,
                "jobseeker_id": person_id,
                "posting_id": posting_id,
                "score": score,
                "reasons": list(reasons),
            }
        )
        event = {"id": new_id(), "recommendation_id": case_id, "jobseeker_id": person_id}
        self.events.append(event)

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
        dialect = connection.dialect
        cases = _insert_sharing(CASES, self.shared_case(), dialect)
        await connection.execute(cases, self.recommendations)
        await connection.execute(_insert_sharing(EVENTS, self.shared_event(), dialect), self.events)


def _insert_sharing(table: Table, shared: Mapping[str, Any], dialect: Dialect) -> Insert:
    """``INSERT`` into ``table`` with ``shared`` in every row, each converted once as its
    column's type converts it on ``dialect``."""
    values = {}
    for name, value in shared.items():
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        values[name] = value if processor is None else processor(value)
    return insert(_twin(table, tuple(sorted(shared)))).values(values)


@functools.cache
def _twin(table: Table, untyped: tuple[str, ...]) -> Table:
    """``table``'s name and columns, those named ``untyped`` without a type (their values are
    bound as given: no conversion, and no cast in the SQL where a driver renders casts)."""
    columns = [Column(c.name, NullType() if c.name in untyped else c.type) for c in table.c]
    return Table(table.name, MetaData(), *columns)


def _default(model: type[SQLModel], name: str) -> Any:
    default = model.model_fields[name].default
    assert default is not PydanticUndefined, f"{model.__name__}.{name} has no default"
    return default
