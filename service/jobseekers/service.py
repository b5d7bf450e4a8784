"""Jobseeker rules: one person per phone and per ID number, encrypted ID, masked output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.identifiers import mask_citizen_id, mask_phone
from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.crypto import PersonalDataCipher
from service.errors import Conflict, InvalidInput, NotFound
from service.jobseekers import repository
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.jobseekers.schemas import (
    Availability,
    GroupMembership,
    JobseekerCreate,
    JobseekerPublic,
    JobseekerUpdate,
    Travel,
)
from service.locations import resolve_place
from service.persistence import fetch
from service.reference.data import ReferenceData, derive_occupation, require_known_groups
from service.schemas import patch_changes, require_coordinates
from service.sqltypes import utcnow

_LOCATION = {"adcode", "address", "lat", "lon"}
_NOT_STORED_AS_IS = _LOCATION | {"id_number", "priority_groups", "travel", "availability"}


async def get_or_404(session: AsyncSession, jobseeker_id: str) -> Jobseeker:
    jobseeker = await fetch(session, Jobseeker, jobseeker_id, what="jobseeker")
    if jobseeker.deleted_at is not None:
        raise NotFound(f"jobseeker {jobseeker_id} does not exist")
    return jobseeker


def require_access(caller: Caller, jobseeker: Jobseeker) -> None:
    """The person themselves, staff in scope, admins."""
    if caller.role == Role.jobseeker and caller.jobseeker_id == jobseeker.id:
        return
    if caller.in_scope(adcode=jobseeker.adcode, station_id=jobseeker.station_id):
        return
    raise Forbidden("this record belongs to someone outside your scope")


def _check_references(ref: ReferenceData, values: dict[str, Any]) -> None:
    for index, code in enumerate(values.get("desired_occupations") or []):
        if code not in ref.taxonomy:
            raise InvalidInput.field(
                f"desired_occupations.{index}", f"unknown CSCO-2022 occupation code {code}"
            )
    groups = [m["group"] for m in values.get("priority_groups") or []]
    require_known_groups(ref, groups, "priority_groups", item=".group")


async def _check_unique(
    session: AsyncSession,
    cipher: PersonalDataCipher,
    *,
    phone: str | None,
    id_number: str | None,
    own_id: str | None = None,
) -> None:
    if phone is not None:
        other = await repository.get_by_phone(session, phone)
        if other is not None and other.id != own_id:
            raise Conflict("a jobseeker with this phone number is already registered")
    if id_number is not None:
        other = await repository.get_by_id_hash(session, cipher.lookup_hash(id_number))
        if other is not None and other.id != own_id:
            raise Conflict("a jobseeker with this ID number is already registered")


async def _station_exists(session: AsyncSession, station_id: str | None) -> None:
    if station_id:
        from service.stations.service import get_or_404 as get_station

        await get_station(session, station_id, field="station_id")


def _derive_wishes(ref: ReferenceData, values: dict[str, Any], current: list[str]) -> None:
    """A person who named only job titles gets occupation codes derived from them."""
    titles = values.get("desired_titles")
    codes = values.get("desired_occupations", current)
    if titles and not codes:
        derived = [code for title in titles if (code := derive_occupation(ref, title))]
        values["desired_occupations"] = list(dict.fromkeys(derived))


def _set_groups(jobseeker: Jobseeker, memberships: Sequence[dict[str, Any]]) -> None:
    current = {g.group_code: g for g in jobseeker.groups}
    rows = []
    for membership in memberships:
        row = current.get(membership["group"]) or JobseekerGroup(
            jobseeker_id=jobseeker.id, group_code=membership["group"]
        )
        row.certified_at = membership.get("certified_at")
        row.evidence = membership.get("evidence")
        rows.append(row)
    jobseeker.groups = rows


def _apply(jobseeker: Jobseeker, values: dict[str, Any], cipher: PersonalDataCipher) -> None:
    if "id_number" in values:
        id_number = values["id_number"]
        jobseeker.id_number_encrypted = cipher.encrypt(id_number) if id_number else None
        jobseeker.id_number_hash = cipher.lookup_hash(id_number) if id_number else None
    if "travel" in values:
        travel = values["travel"]
        jobseeker.travel_mode = travel["mode"] if travel else None
        jobseeker.travel_max_minutes = travel["max_minutes"] if travel else None
    if "availability" in values:
        jobseeker.availability = Availability.model_validate(
            values["availability"] or {}
        ).model_dump(mode="json")
    if "priority_groups" in values:
        _set_groups(jobseeker, values["priority_groups"] or [])
    for key, value in values.items():
        if key not in _NOT_STORED_AS_IS:
            setattr(jobseeker, key, value)


async def create(
    session: AsyncSession, ref: ReferenceData, cipher: PersonalDataCipher, data: JobseekerCreate
) -> Jobseeker:
    values = data.model_dump()
    _check_references(ref, values)
    _derive_wishes(ref, values, [])
    await _check_unique(session, cipher, phone=data.phone, id_number=data.id_number)
    await _station_exists(session, data.station_id)
    place = resolve_place(ref, adcode=data.adcode, address=data.address, lat=data.lat, lon=data.lon)
    jobseeker = Jobseeker(
        name=data.name,
        phone=data.phone,
        adcode=place.adcode,
        address=data.address,
        home_lat=place.lat,
        home_lon=place.lon,
        location_precision=place.precision,
    )
    _apply(jobseeker, values, cipher)
    session.add(jobseeker)
    await session.flush()
    return jobseeker


async def update(
    session: AsyncSession,
    ref: ReferenceData,
    cipher: PersonalDataCipher,
    jobseeker: Jobseeker,
    data: JobseekerUpdate,
) -> Jobseeker:
    values = patch_changes(
        data,
        not_null={
            "name",
            "phone",
            "desired_titles",
            "desired_occupations",
            "skills",
            "certificates",
            "employment_types",
            "salary_expectation_unit",
            "priority_groups",
            "not_choosy",
            "consent_show_to_employers",
            "consent_recommendations",
            "status",
        },
    )
    _check_references(ref, values)
    _derive_wishes(ref, values, jobseeker.desired_occupations)
    await _check_unique(
        session,
        cipher,
        phone=values.get("phone"),
        id_number=values.get("id_number"),
        own_id=jobseeker.id,
    )
    await _station_exists(session, values.get("station_id"))
    if _LOCATION & values.keys():
        exact = jobseeker.location_precision == "point"
        lat = values.get("lat", jobseeker.home_lat if exact else None)
        lon = values.get("lon", jobseeker.home_lon if exact else None)
        require_coordinates(lat, lon)
        place = resolve_place(
            ref,
            adcode=values.get("adcode"),
            address=values.get("address", jobseeker.address),
            lat=lat,
            lon=lon,
        )
        jobseeker.adcode, jobseeker.home_lat, jobseeker.home_lon = (
            place.adcode,
            place.lat,
            place.lon,
        )
        jobseeker.location_precision = place.precision
        if "address" in values:
            jobseeker.address = values["address"]
    _apply(jobseeker, values, cipher)
    jobseeker.updated_at = utcnow()
    session.add(jobseeker)
    await session.flush()
    return jobseeker


ANONYMOUS_NAME = "已注销"


async def delete_personal_data(session: AsyncSession, jobseeker: Jobseeker) -> None:
    """Erase everything that identifies the person; keep what statistics need.

    Kept: the district, priority-group memberships (without evidence), registration and
    certification dates, status, the station. Erased: name, phone, ID number, address, home
    coordinates, free-text wishes, skills, certificates, availability, the stored vector made
    from them. Their login goes too.
    """
    from sqlmodel import delete

    from service.accounts.models import Account
    from service.embeddings.models import StoredEmbedding

    await session.exec(delete(Account).where(Account.jobseeker_id == jobseeker.id))  # type: ignore[call-overload]
    jobseeker.name = ANONYMOUS_NAME
    jobseeker.phone = None
    jobseeker.id_number_encrypted = None
    jobseeker.id_number_hash = None
    jobseeker.address = None
    jobseeker.home_lat = jobseeker.home_lon = None
    jobseeker.location_precision = "district" if jobseeker.adcode else "unknown"
    jobseeker.desired_titles = []
    jobseeker.skills = []
    jobseeker.certificates = []
    jobseeker.availability = {}
    jobseeker.consent_show_to_employers = False
    jobseeker.consent_recommendations = False
    for membership in jobseeker.groups:
        membership.evidence = None
    jobseeker.status = "inactive"
    jobseeker.deleted_at = jobseeker.updated_at = utcnow()
    session.add(jobseeker)
    # the row first: its lock makes a concurrent vector write finish (or give up) before the
    # vector is removed, so that none survives the person
    await session.flush()
    await session.exec(
        delete(StoredEmbedding).where(  # type: ignore[call-overload]
            StoredEmbedding.entity == "jobseeker", StoredEmbedding.entity_id == jobseeker.id
        )
    )


def to_public(
    jobseeker: Jobseeker, *, caller: Caller, ref: ReferenceData, cipher: PersonalDataCipher
) -> JobseekerPublic:
    full = caller.sees_personal_data_of(
        jobseeker_id=jobseeker.id, adcode=jobseeker.adcode, station_id=jobseeker.station_id
    )
    id_number = (
        cipher.decrypt(jobseeker.id_number_encrypted) if jobseeker.id_number_encrypted else None
    )
    if id_number is not None and not full:
        id_number = mask_citizen_id(id_number)
    region = ref.regions.get(jobseeker.adcode) if jobseeker.adcode else None
    travel = (
        Travel(mode=jobseeker.travel_mode, max_minutes=jobseeker.travel_max_minutes)
        if jobseeker.travel_mode and jobseeker.travel_max_minutes
        else None
    )
    # Membership itself may reveal disability or hardship (PIPL sensitive data): employers do
    # not see it, nor any evidence; the evidence only for those who see personal data.
    groups = [
        GroupMembership(
            group=g.group_code,
            certified_at=g.certified_at,
            evidence=g.evidence if full else None,
        )
        for g in sorted(jobseeker.groups, key=lambda g: g.group_code)
        if caller.role != Role.employer
    ]
    return JobseekerPublic(
        id=jobseeker.id,
        name=jobseeker.name,
        phone=jobseeker.phone if full or not jobseeker.phone else mask_phone(jobseeker.phone),
        id_number=id_number,
        personal_data_masked=not full,
        adcode=jobseeker.adcode,
        district_name=region.full_name if region else None,
        location_precision=jobseeker.location_precision,
        desired_titles=jobseeker.desired_titles,
        desired_occupations=jobseeker.desired_occupations,
        skills=jobseeker.skills,
        certificates=jobseeker.certificates,
        education=jobseeker.education,
        experience_years=jobseeker.experience_years,
        employment_types=jobseeker.employment_types,
        salary_expectation=jobseeker.salary_expectation,
        salary_expectation_unit=jobseeker.salary_expectation_unit,
        availability=Availability.model_validate(jobseeker.availability or {}),
        travel=travel,
        priority_groups=groups,
        not_choosy=jobseeker.not_choosy,
        consent_show_to_employers=jobseeker.consent_show_to_employers,
        consent_recommendations=jobseeker.consent_recommendations,
        status=jobseeker.status,
        station_id=jobseeker.station_id,
        left_school_on=jobseeker.left_school_on,
        created_at=jobseeker.created_at,
        updated_at=jobseeker.updated_at,
    )
