from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.caller import Caller, Role
from service.events.models import EventRegistration
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.pagination import PageParams, apply_cursor, split_page


@dataclass(frozen=True)
class JobseekerFilters:
    adcode: str | None = None
    station_id: str | None = None
    priority_group: str | None = None
    event_id: str | None = None
    status: str | None = None


async def get(session: AsyncSession, jobseeker_id: str) -> Jobseeker | None:
    return await session.get(Jobseeker, jobseeker_id)


async def get_by_phone(session: AsyncSession, phone: str) -> Jobseeker | None:
    return (await session.exec(select(Jobseeker).where(Jobseeker.phone == phone))).first()


async def get_by_id_hash(session: AsyncSession, id_hash: str) -> Jobseeker | None:
    statement = select(Jobseeker).where(Jobseeker.id_number_hash == id_hash)
    return (await session.exec(statement)).first()


def scope_clause(caller: Caller) -> Any:
    """Staff see the people of their districts and those registered at their station."""
    if caller.role == Role.admin:
        return None
    clauses: list[Any] = [col(Jobseeker.adcode).startswith(p) for p in caller.adcodes]
    if caller.station_id:
        clauses.append(col(Jobseeker.station_id) == caller.station_id)
    return or_(*clauses) if clauses else false()


async def list_page(
    session: AsyncSession, params: PageParams, filters: JobseekerFilters, *, scope: Any = None
) -> tuple[list[Jobseeker], str | None]:
    statement = select(Jobseeker).where(col(Jobseeker.deleted_at).is_(None))
    if scope is not None:
        statement = statement.where(scope)
    if filters.adcode:
        statement = statement.where(col(Jobseeker.adcode).startswith(filters.adcode))
    if filters.station_id:
        statement = statement.where(Jobseeker.station_id == filters.station_id)
    if filters.status:
        statement = statement.where(Jobseeker.status == filters.status)
    if filters.priority_group:
        members = select(JobseekerGroup.jobseeker_id).where(
            JobseekerGroup.group_code == filters.priority_group
        )
        statement = statement.where(col(Jobseeker.id).in_(members))
    if filters.event_id:
        registered = select(EventRegistration.jobseeker_id).where(
            EventRegistration.event_id == filters.event_id
        )
        statement = statement.where(col(Jobseeker.id).in_(registered))
    rows = (await session.exec(apply_cursor(statement, col(Jobseeker.id), params))).all()
    return split_page(rows, params, key=lambda j: j.id)
