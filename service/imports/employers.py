"""Whose posting a row is: the importing employer, or the employer the row names.

A row names its employer by unified social credit code (authoritative) or by exact name.
Unknown employers are registered on the way (API.md: "an unknown employer is created"), once
per batch however many rows name them; a second import finds them by code or name. They are
made here and handed back, not added to the session: the batch writes them with its other rows
as one multi-row insert.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.records import FieldError, PostingRecord
from service.caller import Caller, Role
from service.employers.models import Employer
from service.sqltypes import new_id, utcnow

NO_EMPLOYER = (
    "no employer: send employer_id with the file, or fill 单位名称 / 统一社会信用代码 in the row"
)


async def resolve_employers(
    session: AsyncSession,
    records: Sequence[PostingRecord],
    *,
    fixed: Employer | None,
    caller: Caller,
    created: list[Employer],
) -> list[Employer | FieldError]:
    """The employer of each record, in order, or why it has none. Employers registered for
    these records are appended to ``created`` (the caller stores them)."""
    if fixed is not None:
        return [_check_fixed(fixed, r) for r in records]
    codes = {r.credit_code for r in records if r.credit_code}
    names = {r.employer_name for r in records if r.employer_name and not r.credit_code}
    by_code: dict[str, Employer] = {}
    by_name: dict[str, list[Employer]] = {}
    if codes:
        found = await session.exec(select(Employer).where(col(Employer.credit_code).in_(codes)))
        by_code = {e.credit_code: e for e in found if e.credit_code}
    if names:
        for employer in await session.exec(select(Employer).where(col(Employer.name).in_(names))):
            by_name.setdefault(employer.name, []).append(employer)
    out: list[Employer | FieldError] = []
    for record in records:
        out.append(_named(record, by_code, by_name, caller, created))
    return out


def _check_fixed(employer: Employer, record: PostingRecord) -> Employer | FieldError:
    if record.credit_code and employer.credit_code and record.credit_code != employer.credit_code:
        return FieldError("credit_code", "names another employer than the one importing the file")
    return employer


def _named(
    record: PostingRecord,
    by_code: dict[str, Employer],
    by_name: dict[str, list[Employer]],
    caller: Caller,
    created: list[Employer],
) -> Employer | FieldError:
    if record.credit_code and record.credit_code in by_code:
        return by_code[record.credit_code]
    if not record.credit_code and record.employer_name:
        same = by_name.get(record.employer_name, [])
        if len(same) > 1:
            return FieldError(
                "employer", f"{len(same)} employers are called {record.employer_name!r}: add the "
                "统一社会信用代码 column"
            )  # fmt: skip
        if same:
            return same[0]
    if not record.employer_name:
        if record.credit_code:
            return FieldError(
                "employer", "unknown credit code and no employer name to register it under"
            )
        return FieldError("employer", NO_EMPLOYER)
    if caller.role not in (Role.staff, Role.admin):
        return FieldError("employer", "only staff register new employers through an import")
    now = utcnow()
    employer = Employer(  # every field given: pydantic's default factories are slow
        id=new_id(),
        name=record.employer_name,
        credit_code=record.credit_code,
        industry=None,
        adcode=record.adcode,
        address=None,
        contact_phone=record.contact_phone,
        credit_status="normal",
        created_at=now,
        updated_at=now,
    )
    created.append(employer)
    if record.credit_code:
        by_code[record.credit_code] = employer
    else:
        by_name[record.employer_name] = [employer]
    return employer
