from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.pagination import PageParams, apply_cursor, split_page
from service.stations.models import Station


async def get(session: AsyncSession, station_id: str) -> Station | None:
    return await session.get(Station, station_id)


async def list_page(
    session: AsyncSession,
    params: PageParams,
    *,
    kind: str | None = None,
    adcode: str | None = None,
    q: str | None = None,
) -> tuple[list[Station], str | None]:
    statement = select(Station)
    if kind:
        statement = statement.where(Station.kind == kind)
    if adcode:
        statement = statement.where(col(Station.adcode).startswith(adcode))
    if q:
        statement = statement.where(col(Station.name).contains(q))
    rows = (await session.exec(apply_cursor(statement, col(Station.id), params))).all()
    return split_page(rows, params, key=lambda s: s.id)


async def located_in_box(
    session: AsyncSession, box: tuple[float, float, float, float], kind: str | None = None
) -> list[Station]:
    """Stations whose coordinates lie in the box (south, west, north, east)."""
    south, west, north, east = box
    statement = select(Station).where(
        col(Station.lat).between(south, north), col(Station.lon).between(west, east)
    )
    if kind:
        statement = statement.where(Station.kind == kind)
    return list((await session.exec(statement)).all())
