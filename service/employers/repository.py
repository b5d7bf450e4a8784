from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.employers.models import Employer
from service.pagination import PageParams, apply_cursor, split_page


async def get(session: AsyncSession, employer_id: str) -> Employer | None:
    return await session.get(Employer, employer_id)


async def get_by_credit_code(session: AsyncSession, credit_code: str) -> Employer | None:
    result = await session.exec(select(Employer).where(Employer.credit_code == credit_code))
    return result.first()


async def list_page(
    session: AsyncSession,
    params: PageParams,
    *,
    credit_status: str | None = None,
    adcode: str | None = None,
    q: str | None = None,
) -> tuple[list[Employer], str | None]:
    statement = select(Employer)
    if credit_status:
        statement = statement.where(Employer.credit_status == credit_status)
    if adcode:
        statement = statement.where(col(Employer.adcode).startswith(adcode))
    if q:
        statement = statement.where(col(Employer.name).contains(q))
    statement = apply_cursor(statement, col(Employer.id), params)
    rows = (await session.exec(statement)).all()
    return split_page(rows, params, key=lambda e: e.id)
