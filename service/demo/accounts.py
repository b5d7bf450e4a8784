"""Demo accounts, one per role, so that the demo city can be driven as each kind of user.

Created only outside production, idempotently, with passwords that are printed: they are
for trying the service, never for real data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.accounts.models import Account
from service.auth.passwords import hash_password
from service.caller import Role
from service.employers.models import Employer
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.stations.models import Station


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    username: str
    password: str
    acts_for: str


async def _first_station(session: AsyncSession) -> Station | None:
    statement = (
        select(Station)
        .where(Station.kind == "service_station", Station.adcode == "420102")
        .order_by(col(Station.name))
    )
    return (await session.exec(statement.limit(1))).first()


async def _first_employer(session: AsyncSession) -> Employer | None:
    statement = select(Employer).where(Employer.credit_status == "normal")
    return (await session.exec(statement.order_by(col(Employer.credit_code)).limit(1))).first()


async def _first_priority_jobseeker(session: AsyncSession) -> Jobseeker | None:
    member = exists().where(col(JobseekerGroup.jobseeker_id) == col(Jobseeker.id))
    statement = select(Jobseeker).where(member, col(Jobseeker.deleted_at).is_(None))
    return (await session.exec(statement.order_by(col(Jobseeker.phone)).limit(1))).first()


async def ensure_demo_accounts(session: AsyncSession) -> list[DemoAccount]:
    station = await _first_station(session)
    employer = await _first_employer(session)
    person = await _first_priority_jobseeker(session)
    wanted: list[tuple[DemoAccount, dict[str, str | None]]] = [
        (DemoAccount(Role.admin, "demo.admin", "demo-admin-2026", "管理员 (everything)"), {}),
    ]
    if station is not None:
        wanted.append(
            (
                DemoAccount(Role.staff, "demo.staff", "demo-staff-2026", station.name),
                {"station_id": station.id},
            )
        )
    if employer is not None:
        wanted.append(
            (
                DemoAccount(Role.employer, "demo.employer", "demo-employer-2026", employer.name),
                {"employer_id": employer.id},
            )
        )
    if person is not None and person.phone:
        wanted.append(
            (
                DemoAccount(Role.jobseeker, person.phone, "demo-jobseeker-2026", person.name),
                {"jobseeker_id": person.id},
            )
        )
    for account, binding in wanted:
        taken = await session.exec(select(Account).where(Account.username == account.username))
        if taken.first() is None:
            session.add(
                Account(
                    username=account.username,
                    password_hash=hash_password(account.password),
                    role=account.role,
                    display_name=account.acts_for,
                    **binding,
                )
            )
    await session.commit()
    return [account for account, _ in wanted]


def accounts_table(accounts: list[DemoAccount]) -> str:
    lines = ["Demo accounts (log in at POST /api/v1/auth/token, or Authorize in /docs):"]
    lines += [f"  {a.role:<10} {a.username:<16} {a.password:<22} {a.acts_for}" for a in accounts]
    return "\n".join(lines)
