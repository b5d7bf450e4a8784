from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.errors import InvalidInput
from service.events.models import Event, EventPosting, EventRegistration
from service.events.schemas import EventCreate, EventPostingsLink, EventUpdate, RegistrationCreate
from service.locations import require_known_adcode
from service.persistence import apply_changes, fetch
from service.reference.data import ReferenceData, require_known_groups
from service.schemas import patch_changes


async def get_or_404(session: AsyncSession, event_id: str, *, field: str | None = None) -> Event:
    return await fetch(session, Event, event_id, what="event", field=field)


async def _place(session: AsyncSession, ref: ReferenceData, values: dict[str, Any]) -> None:
    from service.stations.service import get_or_404 as get_station

    if values.get("adcode"):
        require_known_adcode(ref, values["adcode"])
    if values.get("station_id"):
        station = await get_station(session, values["station_id"], field="station_id")
        if not values.get("adcode"):
            values["adcode"] = station.adcode


async def create(session: AsyncSession, ref: ReferenceData, data: EventCreate) -> Event:
    require_known_groups(ref, data.target_groups, "target_groups")
    values = data.model_dump(mode="json")
    values["starts_at"], values["ends_at"] = data.starts_at, data.ends_at
    await _place(session, ref, values)
    event = Event(**values)
    session.add(event)
    await session.flush()
    return event


async def update(
    session: AsyncSession, ref: ReferenceData, event: Event, data: EventUpdate
) -> Event:
    changes = patch_changes(
        data, not_null={"name", "kind", "starts_at", "ends_at", "target_groups"}
    )
    if "online_url" in changes and changes["online_url"] is not None:
        changes["online_url"] = str(changes["online_url"])
    starts = changes.get("starts_at", event.starts_at)
    if changes.get("ends_at", event.ends_at) <= starts:
        raise InvalidInput.field("ends_at", "ends_at must be later than starts_at")
    if "target_groups" in changes:
        require_known_groups(ref, changes["target_groups"], "target_groups")
    await _place(session, ref, changes)
    return await apply_changes(session, event, changes)


async def link_postings(
    session: AsyncSession, event: Event, data: EventPostingsLink
) -> list[EventPosting]:
    """Link postings (with booths); linking again only updates the booth."""
    from service.postings.models import Posting

    links = []
    for index, item in enumerate(data.postings):
        if await session.get(Posting, item.posting_id) is None:
            raise InvalidInput.field(
                f"postings.{index}.posting_id", f"posting {item.posting_id} does not exist"
            )
        link = await session.get(EventPosting, (event.id, item.posting_id))
        if link is None:
            link = EventPosting(event_id=event.id, posting_id=item.posting_id, booth=item.booth)
        elif item.booth is not None:
            link.booth = item.booth
        session.add(link)
        links.append(link)
    await session.flush()
    return links


async def register(
    session: AsyncSession, event: Event, data: RegistrationCreate, *, caller: Caller
) -> tuple[EventRegistration, bool]:
    """Register a jobseeker; registering again records a newer outcome and creates nothing.

    A jobseeker registers only themselves (outcomes are recorded by staff); staff register
    people in their scope.
    """
    from service.jobseekers.models import Jobseeker

    person = await session.get(Jobseeker, data.jobseeker_id)
    if person is None or person.deleted_at is not None:
        raise InvalidInput.field("jobseeker_id", f"jobseeker {data.jobseeker_id} does not exist")
    if caller.role == Role.jobseeker:
        if caller.jobseeker_id != person.id:
            raise Forbidden("a jobseeker registers only themselves")
        if "outcome" in data.model_fields_set and data.outcome != "registered":
            raise Forbidden("outcomes (意向, 录用) are recorded by staff")
    elif not caller.in_scope(adcode=person.adcode, station_id=person.station_id):
        raise Forbidden("this person is outside your districts")
    registration = await session.get(EventRegistration, (event.id, data.jobseeker_id))
    created = registration is None
    if registration is None:
        registration = EventRegistration(
            event_id=event.id, jobseeker_id=data.jobseeker_id, outcome=data.outcome
        )
    elif "outcome" in data.model_fields_set:
        registration.outcome = data.outcome
    session.add(registration)
    await session.flush()
    return registration, created
