"""Every query of the circle: communities in a scope, stations in and around it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from service.circle.models import Community
from service.stations.models import Station

KEY_BATCH = 500  # (adcode, name) pairs per look-up query


def _within(column: Any, prefixes: Sequence[str]) -> Any:
    """Rows whose adcode starts with one of the prefixes; everything when there are none."""
    if not prefixes:
        return True
    return or_(*(col(column).startswith(prefix) for prefix in prefixes))


async def communities_in(session: AsyncSession, prefixes: Sequence[str]) -> list[Community]:
    """By district, then name (code-point order, the same on every database): the order
    decides ties between equally good new sites, so it must not depend on the backend."""
    statement = select(Community).where(_within(Community.adcode, prefixes))
    rows = (await session.exec(statement)).all()
    return sorted(rows, key=lambda c: (c.adcode, c.name))


async def by_keys(
    session: AsyncSession, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Community]:
    found: dict[tuple[str, str], Community] = {}
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        statement = select(Community).where(
            tuple_(col(Community.adcode), col(Community.name)).in_(batch)
        )
        found.update({(c.adcode, c.name): c for c in (await session.exec(statement)).all()})
    return found


async def stations_around(
    session: AsyncSession,
    prefixes: Sequence[str],
    box: tuple[float, float, float, float] | None,
) -> list[Station]:
    """The scope's own stations (located or not: those without coordinates are counted as
    skipped), and located stations inside ``box`` (south, west, north, east) wherever they are
    registered: a station across a district border serves the people near it."""
    clauses = [_within(Station.adcode, prefixes)]
    if box is not None and prefixes:
        south, west, north, east = box
        clauses.append(
            and_(
                col(Station.lat).between(south, north),
                col(Station.lon).between(west, east),
            )
        )
    statement = select(Station).where(or_(*clauses)).order_by(col(Station.id))
    return list((await session.exec(statement)).all())
