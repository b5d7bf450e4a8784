"""Posting rules: known references, derived occupation and place, idempotent partner writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.screening import CREDIT_MESSAGES as SCREENING_CREDIT_MESSAGES
from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.employers import service as employers
from service.enums import (
    CreditStatus,
    OccupationDerivation,
    PostingStatus,
    ReviewDecision,
    ScreeningSeverity,
)
from service.errors import InvalidInput, NotFound
from service.events.models import EventPosting
from service.events.service import get_or_404 as get_event_or_404
from service.locations import Place, resolve_place
from service.persistence import apply_changes, fetch
from service.postings import access, repository
from service.postings.models import Posting, PostingReservation, PostingSourceRecord
from service.postings.schemas import PostingCreate, PostingPublic, PostingUpdate, posting_public
from service.postings.screening import screening_flags
from service.reference.data import ReferenceData, derive_occupation, require_known_groups
from service.schemas import patch_changes, require_coordinates
from service.sqltypes import utcnow
from service.stations.service import get_or_404 as get_station_or_404

BANNED_CREDIT = {CreditStatus.c_grade, CreditStatus.wage_arrears_list}
CREDIT_MESSAGES = SCREENING_CREDIT_MESSAGES  # one source: ingest.screening
# Statuses only screening and staff review give; a PATCH neither sets nor leaves them (but to
# withdraw the posting).
SET_BY_REVIEW = frozenset({PostingStatus.rejected, PostingStatus.pending_review})


@dataclass(frozen=True)
class SaveResult:
    posting: Posting
    created: bool


async def get_or_404(
    session: AsyncSession, posting_id: str, *, caller: Caller | None = None
) -> Posting:
    """The posting, or 404, also when the caller may not see it (rejected, closed, foreign)."""
    posting = await fetch(session, Posting, posting_id, what="posting")
    if caller is not None and not access.can_see(caller, posting):
        raise NotFound(f"posting {posting_id} does not exist")
    return posting


def _check_occupation(ref: ReferenceData, code: str | None) -> None:
    if code is not None and code not in ref.taxonomy:
        raise InvalidInput.field("occupation_code", f"unknown CSCO-2022 occupation code {code}")


def _occupation(ref: ReferenceData, code: str | None, title: str) -> tuple[str | None, str]:
    if code is not None:
        return code, OccupationDerivation.provided
    code = derive_occupation(ref, title)
    if code is None:
        return None, OccupationDerivation.unresolved
    return code, OccupationDerivation.title


def status_for(flags: Sequence[Mapping[str, Any]]) -> PostingStatus:
    """The status screening gives a posting: a reject flag rejects it, review flags hold it
    for staff (pending_review), no flag opens it. Every channel that stores postings uses it."""
    severities = {flag.get("severity") for flag in flags}
    if ScreeningSeverity.reject in severities:
        return PostingStatus.rejected
    if ScreeningSeverity.review in severities:
        return PostingStatus.pending_review
    return PostingStatus.open


async def create(
    session: AsyncSession, ref: ReferenceData, data: PostingCreate, *, caller: Caller
) -> SaveResult:
    """Create a posting; a repeated (source, external_id) updates the existing one instead."""
    if caller.role == Role.employer and data.employer_id != caller.employer_id:
        raise Forbidden("an employer posts only for itself: employer_id must be your own")
    if data.external_id is not None:
        existing = await repository.get_by_external_id(session, data.source, data.external_id)
        if existing is not None:
            fields = data.model_dump(
                exclude_unset=True, exclude={"source", "external_id", "employer_id", "event_id"}
            )
            update_data = PostingUpdate.model_validate(fields)
            posting = await update(session, ref, existing, update_data, caller=caller)
            if data.event_id:
                await link_event(session, posting, data.event_id)
            return SaveResult(posting, created=False)

    employer = await employers.get_or_404(session, data.employer_id, field="employer_id")
    if data.station_id:
        await get_station_or_404(session, data.station_id, field="station_id")
    _check_occupation(ref, data.occupation_code)
    require_known_groups(ref, data.reserved_for, "reserved_for")
    place: Place = resolve_place(
        ref, adcode=data.adcode, address=data.address, lat=data.lat, lon=data.lon
    )
    if not access.may_manage(
        caller, employer_id=employer.id, adcode=place.adcode, station_id=data.station_id
    ):
        raise Forbidden("staff post only inside their districts or through their station")
    code, derivation = _occupation(ref, data.occupation_code, data.title)
    values = data.model_dump(
        exclude={
            "reserved_for",
            "external_id",
            "event_id",
            "adcode",
            "lat",
            "lon",
            "requirements",
            "occupation_code",
        }
    )
    requirements = data.requirements.model_dump(mode="json")
    flags = screening_flags(
        {**values, "requirements": requirements, "occupation_code": code},
        employer,
        # posted by a signed-in account: applicants reach the employer through the service
        relayed=True,
    )
    posting = Posting(
        **values,
        requirements=requirements,
        occupation_code=code,
        occupation_derivation=derivation,
        adcode=place.adcode,
        lat=place.lat,
        lon=place.lon,
        location_precision=place.precision,
        screening=flags,
        status=status_for(flags),
    )
    posting.reservations = [
        PostingReservation(posting_id=posting.id, group_code=g) for g in data.reserved_for
    ]
    posting.sources = [
        PostingSourceRecord(posting_id=posting.id, source=data.source, external_id=data.external_id)
    ]
    session.add(posting)
    await session.flush()
    if data.event_id:
        await link_event(session, posting, data.event_id)
    return SaveResult(posting, created=True)


async def link_event(
    session: AsyncSession, posting: Posting, event_id: str, *, booth: str | None = None
) -> None:
    await get_event_or_404(session, event_id, field="event_id")
    if await session.get(EventPosting, (event_id, posting.id)) is None:
        session.add(EventPosting(event_id=event_id, posting_id=posting.id, booth=booth))
        await session.flush()


async def update(
    session: AsyncSession,
    ref: ReferenceData,
    posting: Posting,
    data: PostingUpdate,
    *,
    caller: Caller,
) -> Posting:
    access.require_manage(caller, posting)
    changes = patch_changes(
        data,
        not_null={
            "title",
            "employment_type",
            "salary_unit",
            "headcount",
            "requirements",
            "reserved_for",
            "status",
        },
    )
    _check_merged_rules(posting, changes)
    if changes.get("station_id"):
        await get_station_or_404(session, changes["station_id"], field="station_id")
    if "occupation_code" in changes:
        _check_occupation(ref, changes["occupation_code"])
        code, derivation = _occupation(
            ref, changes["occupation_code"], changes.get("title", posting.title)
        )
        changes["occupation_code"], changes["occupation_derivation"] = code, derivation
    reservations_changed = False
    if "reserved_for" in changes:
        groups = changes.pop("reserved_for")
        require_known_groups(ref, groups, "reserved_for")
        reservations_changed = sorted(set(groups)) != posting.reserved_for
        if reservations_changed:
            _replace_reservations(posting, groups)
    if {"adcode", "address", "lat", "lon"} & changes.keys():
        place = resolve_place(
            ref,
            adcode=changes.get("adcode"),
            address=changes.get("address", posting.address),
            lat=changes.get("lat", posting.lat if posting.location_precision == "point" else None),
            lon=changes.get("lon", posting.lon if posting.location_precision == "point" else None),
        )
        changes.update(
            adcode=place.adcode, lat=place.lat, lon=place.lon, location_precision=place.precision
        )
    if {"adcode", "station_id"} & changes.keys():
        _check_still_manageable(caller, posting, changes)
    await _check_status_change(session, posting, changes.get("status"))
    if SCREENED_FIELDS & changes.keys() and posting.status == PostingStatus.open:
        await _rescreen(session, posting, changes)
    if reservations_changed:
        changes["updated_at"] = utcnow()
    # an identical repeat writes nothing and so logs no change
    return await apply_changes(session, posting, changes)


async def _check_status_change(
    session: AsyncSession, posting: Posting, status: PostingStatus | None
) -> None:
    """Screening and staff review decide whether a flagged posting is published: an edit
    keeps a held or rejected posting where it is, and nobody reopens one by PATCH."""
    if status is None or status == posting.status:
        return
    if status in SET_BY_REVIEW:
        raise InvalidInput.field(
            "status", f"{status} is given by screening and staff review; withdraw with closed"
        )
    if posting.status in SET_BY_REVIEW and status != PostingStatus.closed:
        raise InvalidInput.field(
            "status",
            f"a posting that is {posting.status} is released by staff review "
            f"(POST /api/v1/postings/{posting.id}/review), not reopened here",
        )
    if status != PostingStatus.closed and await awaits_review(session, posting):
        raise InvalidInput.field(
            "status", "this posting was withdrawn before staff review released it"
        )


async def awaits_review(session: AsyncSession, posting: Posting) -> bool:
    """Screening holds or rejects the posting and no review has released it since."""
    if status_for(posting.screening) == PostingStatus.open:
        return False
    latest = (await repository.latest_reviews(session, [posting.id])).get(posting.id)
    return latest is None or latest.decision != ReviewDecision.release


SCREENED_FIELDS = frozenset(
    {"title", "description", "requirements", "employment_type", "salary_min", "salary_max",
     "salary_unit", "occupation_code", "contact_phone"}
)  # fmt: skip


async def _rescreen(session: AsyncSession, posting: Posting, changes: dict[str, Any]) -> None:
    """An edit of an open posting is judged by the same rules as a new posting: if it now
    breaks one, it is held or refused. (A held posting keeps its flags: staff review decides,
    and an edit cannot clear them.)"""
    employer = await employers.get_or_404(session, posting.employer_id)
    merged = {name: changes.get(name, getattr(posting, name)) for name in SCREENED_FIELDS}
    flags = screening_flags(merged, employer, relayed=True)
    if flags != posting.screening:
        changes["screening"] = flags
    status = changes.get("status", posting.status)
    if status == PostingStatus.open and status_for(flags) != PostingStatus.open:
        changes["status"] = status_for(flags)


def _check_still_manageable(caller: Caller, posting: Posting, changes: dict[str, Any]) -> None:
    """Staff may not move a posting out of their own scope."""
    if caller.role != Role.staff:
        return
    adcode = changes.get("adcode", posting.adcode)
    station_id = changes.get("station_id", posting.station_id)
    if not caller.in_scope(adcode=adcode, station_id=station_id):
        raise Forbidden("the change would move this posting outside your districts")


def _replace_reservations(posting: Posting, groups: Sequence[str]) -> None:
    """Keep rows that stay (deleting and re-adding one primary key in a flush collides)."""
    wanted = list(dict.fromkeys(groups))
    kept = [r for r in posting.reservations if r.group_code in wanted]
    have = {r.group_code for r in kept}
    added = [
        PostingReservation(posting_id=posting.id, group_code=g) for g in wanted if g not in have
    ]
    posting.reservations = kept + added


def _check_merged_rules(posting: Posting, changes: dict[str, Any]) -> None:
    """Rules that span fields must hold for the stored values merged with the change."""
    low = changes.get("salary_min", posting.salary_min)
    high = changes.get("salary_max", posting.salary_max)
    if low is not None and high is not None and low > high:
        field = "salary_min" if "salary_min" in changes else "salary_max"
        raise InvalidInput.field(field, "salary_min must not exceed salary_max")
    starts = changes.get("starts_at", posting.starts_at)
    ends = changes.get("ends_at", posting.ends_at)
    if starts is not None and ends is not None and ends <= starts:
        raise InvalidInput.field("ends_at", "ends_at must be later than starts_at")
    if {"lat", "lon"} & changes.keys():
        require_coordinates(changes.get("lat", posting.lat), changes.get("lon", posting.lon))


async def close(session: AsyncSession, posting: Posting, *, caller: Caller) -> Posting:
    """DELETE withdraws a posting; its history (sources, cases) is kept."""
    access.require_manage(caller, posting)
    if posting.status != PostingStatus.closed:
        posting.status = PostingStatus.closed
        posting.updated_at = utcnow()
        session.add(posting)
        await session.flush()
    return posting


async def to_public(
    session: AsyncSession,
    ref: ReferenceData,
    postings: Sequence[Posting],
    *,
    caller: Caller | None = None,
) -> list[PostingPublic]:
    """Postings as a caller sees them; without a caller, as the public does (no review)."""
    events = await repository.event_ids_for(session, [p.id for p in postings])
    managed = [p.id for p in postings if caller is not None and access.manages(caller, p)]
    reviews = await repository.latest_reviews(session, managed)
    out = []
    for posting in postings:
        occupation = ref.taxonomy.get(posting.occupation_code) if posting.occupation_code else None
        out.append(
            posting_public(
                posting,
                occupation_name=occupation.name if occupation else None,
                event_ids=sorted(events.get(posting.id, [])),
                review=reviews.get(posting.id),
            )
        )
    return out
