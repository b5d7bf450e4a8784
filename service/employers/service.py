"""Employer rules: one employer per credit code, known districts."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.employers import repository
from service.employers.models import Employer
from service.employers.schemas import EmployerCreate, EmployerUpdate
from service.enums import CreditStatus
from service.errors import Conflict
from service.locations import require_known_adcode
from service.persistence import apply_changes, fetch
from service.reference.data import ReferenceData
from service.schemas import patch_changes


async def get_or_404(
    session: AsyncSession, employer_id: str, *, field: str | None = None
) -> Employer:
    return await fetch(session, Employer, employer_id, what="employer", field=field)


async def _ensure_unique_credit_code(
    session: AsyncSession, credit_code: str | None, *, own_id: str | None = None
) -> None:
    if credit_code is None:
        return
    existing = await repository.get_by_credit_code(session, credit_code)
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"an employer with credit code {credit_code} already exists: {existing.id}",
            errors=[],
        )


def _only_admins_set_credit(caller: Caller, credit_status: object) -> None:
    if (
        credit_status is not None
        and credit_status != CreditStatus.normal
        and caller.role != Role.admin
    ):
        raise Forbidden("only an admin records credit status (red list, C grade, arrears list)")


async def create(
    session: AsyncSession, ref: ReferenceData, data: EmployerCreate, *, caller: Caller
) -> Employer:
    _only_admins_set_credit(caller, data.credit_status)
    if data.adcode:
        require_known_adcode(ref, data.adcode)
    await _ensure_unique_credit_code(session, data.credit_code)
    employer = Employer(**data.model_dump())
    session.add(employer)
    await session.flush()
    return employer


async def update(
    session: AsyncSession,
    ref: ReferenceData,
    employer: Employer,
    data: EmployerUpdate,
    *,
    caller: Caller,
) -> Employer:
    if caller.role == Role.employer and caller.employer_id != employer.id:
        raise Forbidden("an employer changes only its own details")
    if "credit_status" in data.model_fields_set and caller.role != Role.admin:
        raise Forbidden("only an admin records credit status")
    changes = patch_changes(data, not_null={"name", "credit_status"})
    if changes.get("adcode"):
        require_known_adcode(ref, changes["adcode"])
    if "credit_code" in changes:
        await _ensure_unique_credit_code(session, changes["credit_code"], own_id=employer.id)
    return await apply_changes(session, employer, changes)
