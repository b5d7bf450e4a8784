from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.events.models import Event, EventPosting, EventRegistration
from service.pagination import PageParams, apply_cursor, split_page


@dataclass(frozen=True)
class EventFilters:
    kind: str | None = None
    campaign: str | None = None
    station_id: str | None = None
    adcode: str | None = None
    target_group: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None


async def list_page(
    session: AsyncSession, params: PageParams, filters: EventFilters
) -> tuple[list[Event], str | None]:
    statement = select(Event)
    for name in ("kind", "campaign", "station_id"):
        value = getattr(filters, name)
        if value:
            statement = statement.where(getattr(Event, name) == value)
    if filters.adcode:
        statement = statement.where(col(Event.adcode).startswith(filters.adcode))
    if filters.starts_after:
        statement = statement.where(col(Event.starts_at) >= filters.starts_after)
    if filters.starts_before:
        statement = statement.where(col(Event.starts_at) < filters.starts_before)
    if filters.target_group:
        # JSON containment differs between dialects; a quoted-substring match on the JSON text
        # is exact for our group codes (lower-case identifiers, no quotes inside).
        from sqlalchemy import String, cast

        statement = statement.where(
            cast(Event.target_groups, String).contains(f'"{filters.target_group}"')
        )
    rows = (await session.exec(apply_cursor(statement, col(Event.id), params))).all()
    return split_page(rows, params, key=lambda e: e.id)


async def postings_of(
    session: AsyncSession, event_id: str, params: PageParams
) -> tuple[list[EventPosting], str | None]:
    statement = select(EventPosting).where(EventPosting.event_id == event_id)
    statement = apply_cursor(statement, col(EventPosting.posting_id), params)
    rows = (await session.exec(statement)).all()
    return split_page(rows, params, key=lambda link: link.posting_id)


async def registrations_of(
    session: AsyncSession, event_id: str, params: PageParams
) -> tuple[list[EventRegistration], str | None]:
    statement = select(EventRegistration).where(EventRegistration.event_id == event_id)
    statement = apply_cursor(statement, col(EventRegistration.jobseeker_id), params)
    rows = (await session.exec(statement)).all()
    return split_page(rows, params, key=lambda r: r.jobseeker_id)
