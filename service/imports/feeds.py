"""A job fair's feed and a gig station's feed: find or make the event, find the station, then
import their postings like the rows of a file (same keys, screening and de-duplication).

The event of a fair feed is found again by its name and start time (fair systems re-send the
whole document as booths fill up), so re-sending a feed changes nothing; a changed posting
updates its posting, a new one is added and linked to the event at its booth.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.dates import parse_datetime
from ingest.feeds import FairEvent, FairFeed, StationFeed
from service.auth.errors import Forbidden
from service.caller import Caller
from service.enums import PostingSource
from service.errors import InvalidInput, NotFound
from service.events import service as events
from service.events.models import Event
from service.events.schemas import EventCreate
from service.imports.batch import ImportOptions
from service.imports.report import ImportReport
from service.imports.service import run_import
from service.reference.data import ReferenceData
from service.stations.models import Station


class FairFeedResult(BaseModel):
    event_id: str
    event_created: bool = Field(description="False when the feed's event was known already")
    notes: list[str] = Field(default_factory=list, description="What was read differently")
    report: ImportReport


class StationFeedResult(BaseModel):
    station_id: str
    report: ImportReport


def _group_codes(ref: ReferenceData, names: tuple[str, ...], notes: list[str]) -> list[str]:
    """Priority groups as codes; a feed may name them in Chinese (退役军人)."""
    by_name = {g.name: g.code for g in ref.policy.groups}
    codes: list[str] = []
    for name in names:
        code = name if ref.policy.has_group(name) else by_name.get(name)
        if code is None:
            raise InvalidInput.field("event.target_groups", f"unknown priority group {name}")
        if code not in codes:
            codes.append(code)
    return codes


async def _event(
    session: AsyncSession, ref: ReferenceData, header: FairEvent
) -> tuple[Event, bool, list[str]]:
    notes: list[str] = []
    starts_at = parse_datetime(header.starts_at)
    known = (
        await session.exec(
            select(Event).where(Event.name == header.name, col(Event.starts_at) == starts_at)
        )
    ).first()
    if known is not None:
        return known, False, notes
    station_id = header.station_id
    if station_id and await session.get(Station, station_id) is None:
        notes.append(f"event.station_id {station_id!r} is not a station here; the venue is kept")
        station_id = None
    try:
        data = EventCreate(
            name=header.name,
            kind=header.kind,
            campaign=header.campaign,
            starts_at=header.starts_at,
            ends_at=header.ends_at,
            station_id=station_id,
            venue=header.venue,
            online_url=header.online_url,
            target_groups=_group_codes(ref, header.target_groups, notes),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "event"
        raise InvalidInput.field(f"event.{field}", first["msg"]) from None
    return await events.create(session, ref, data), True, notes


async def import_fair_feed(
    sessionmaker: async_sessionmaker[AsyncSession],
    ref: ReferenceData,
    feed: FairFeed,
    caller: Caller,
    committed: Callable[[], None] | None = None,
) -> FairFeedResult:
    async with sessionmaker() as session:
        event, created, notes = await _event(session, ref, feed.event)
        await session.commit()
    options = ImportOptions(source=PostingSource.job_fair, caller=caller, event_id=event.id)
    report = await run_import(
        sessionmaker, ref, feed.rows, options, where=feed.where, committed=committed
    )
    return FairFeedResult(event_id=event.id, event_created=created, notes=notes, report=report)


async def _station(session: AsyncSession, feed: StationFeed) -> Station:
    header = feed.station
    if header.station_id:
        station = await session.get(Station, header.station_id)
        if station is not None:
            return station
    if header.name:
        found = (await session.exec(select(Station).where(Station.name == header.name))).all()
        if len(found) == 1:
            return found[0]
    named = header.station_id or header.name
    raise NotFound(f"station {named!r} is not registered here: register it first")


async def import_station_feed(
    sessionmaker: async_sessionmaker[AsyncSession],
    ref: ReferenceData,
    feed: StationFeed,
    caller: Caller,
    committed: Callable[[], None] | None = None,
) -> StationFeedResult:
    async with sessionmaker() as session:
        station = await _station(session, feed)
    if not caller.in_scope(adcode=station.adcode, station_id=station.id):
        raise Forbidden(f"station {station.id} is not one you serve")
    options = ImportOptions(
        source=PostingSource.gig_station,
        caller=caller,
        station_id=station.id,
        default_adcode=station.adcode,
    )
    report = await run_import(
        sessionmaker, ref, feed.rows, options, where=feed.where, committed=committed
    )
    return StationFeedResult(station_id=station.id, report=report)
