"""The person of a case as each caller may see them."""

from __future__ import annotations

from collections.abc import Iterable

from ingest.identifiers import mask_phone
from service.caller import Caller, Role
from service.recommendations.schemas import CasePerson
from service.reference.data import ReferenceData


def mask_name(name: str) -> str:
    """张伟 → 张*, 欧阳小明 → 欧***: the family name stays, so a call can still be placed."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def case_person(
    caller: Caller,
    ref: ReferenceData,
    *,
    id: str,
    name: str,
    phone: str | None,
    adcode: str | None,
    station_id: str | None,
    status: str,
    groups: Iterable[str],
    shown_to_employers: bool = False,
) -> CasePerson:
    full = caller.sees_personal_data_of(jobseeker_id=id, adcode=adcode, station_id=station_id)
    if not full and caller.role == Role.employer and not shown_to_employers:
        name = mask_name(name)
    region = ref.regions.get(adcode) if adcode else None
    return CasePerson(
        id=id,
        name=name,
        phone=phone if full or not phone else mask_phone(phone),
        personal_data_masked=not full,
        adcode=adcode,
        district_name=region.full_name if region else None,
        station_id=station_id,
        status=status,
        # membership may reveal disability or hardship: only for those who see personal data
        priority_groups=sorted(groups) if full else [],
    )
