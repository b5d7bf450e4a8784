"""Early warning (/stats/alerts): simple, documented signals with thresholds from the policy.

- **Registrations jump** in a district, or among people from one former employer (a possible
  layoff): the last ``window_days`` days (today included) hold at least ``min_count``
  registrations and more than ``ratio`` times the average of the ``baseline_windows`` windows
  of the same length before them (with no registrations before, ``min_count`` alone decides).
- **Supply–demand out of band**: an occupation group (中类) with at least ``min_people``
  jobseekers whose 求人倍率 (vacancies / jobseekers) is below ``low`` or above ``high``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.policy import RegistrationJump, SupplyDemandBand
from service.caller import Caller
from service.cases.clocks import CHINA, china_date
from service.cases.models import CaseBackground
from service.cases.repository import PeopleFilter, people_clause
from service.jobseekers.models import Jobseeker
from service.reference.data import ReferenceData
from service.stats import service as figures
from service.stats.schemas import Alert, SupplyDemand

WHOLE_DAYS = 1  # the first day of the look-back starts at midnight, China time


def jumps(
    days_ago: Iterable[tuple[str, int]], rule: RegistrationJump
) -> list[tuple[str, int, float]]:
    """(key, registrations in the window, baseline average) for each key that jumped.
    ``days_ago``: one (key, days before today) per registration."""
    recent: Counter[str] = Counter()
    before: dict[str, Counter[int]] = defaultdict(Counter)
    for key, ago in days_ago:
        window = ago // rule.window_days
        if window == 0:
            recent[key] += 1
        elif window <= rule.baseline_windows:
            before[key][window] += 1
    found = []
    for key, count in recent.items():
        baseline = sum(before[key].values()) / rule.baseline_windows
        if count >= rule.min_count and (baseline == 0 or count > rule.ratio * baseline):
            found.append((key, count, round(baseline, 2)))
    return sorted(found, key=lambda f: (-f[1], f[0]))


def _since(rule: RegistrationJump, today: date) -> date:
    return today - timedelta(days=rule.window_days * (rule.baseline_windows + 1) - WHOLE_DAYS)


async def district_jumps(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> list[Alert]:
    rule = ref.policy.alerts.district_registrations
    statement = select(Jobseeker.adcode, Jobseeker.created_at).where(
        people_clause(caller, PeopleFilter()),
        col(Jobseeker.created_at) >= _midnight(_since(rule, today)),
    )
    rows = (await session.exec(statement)).all()
    seen = ((adcode or "unknown", (today - china_date(at)).days) for adcode, at in rows)
    alerts = []
    for key, count, baseline in jumps(seen, rule):
        name = figures._name(ref, "district", key)
        alerts.append(
            Alert(
                kind="district_registrations",
                key=key,
                name=name,
                message=_jump_message(name or key, rule, count, baseline),
                value=count,
                baseline=baseline,
                threshold=rule.ratio,
            )
        )
    return alerts


async def employer_jumps(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> list[Alert]:
    rule = ref.policy.alerts.former_employer_registrations
    statement = (
        select(
            CaseBackground.former_employer,
            CaseBackground.former_employer_credit_code,
            CaseBackground.recorded_at,
        )
        .join(Jobseeker, col(Jobseeker.id) == col(CaseBackground.jobseeker_id))
        .where(
            people_clause(caller, PeopleFilter()),
            col(CaseBackground.recorded_at) >= _midnight(_since(rule, today)),
        )
    )
    names: dict[str, str] = {}
    seen = []
    for name, credit_code, at in (await session.exec(statement)).all():
        key = credit_code or name
        names.setdefault(key, name)
        seen.append((key, (today - china_date(at)).days))
    return [
        Alert(
            kind="former_employer_registrations",
            key=key,
            name=names[key],
            message=_jump_message(f"原工作单位“{names[key]}”", rule, count, baseline),
            value=count,
            baseline=baseline,
            threshold=rule.ratio,
        )
        for key, count, baseline in jumps(seen, rule)
    ]


def _jump_message(what: str, rule: RegistrationJump, count: int, baseline: float) -> str:
    if baseline == 0:
        return f"{what}近{rule.window_days}天登记{count}人，此前{rule.baseline_windows}个周期无登记"
    return (
        f"{what}近{rule.window_days}天登记{count}人，为此前{rule.baseline_windows}个周期"
        f"平均数({baseline:g})的{count / baseline:.1f}倍"
    )


def supply_demand_alerts(table: SupplyDemand, band: SupplyDemandBand) -> list[Alert]:
    alerts = []
    for row in table.rows:
        if row.key == figures.UNKNOWN or row.jobseekers < band.min_people or row.ratio is None:
            continue
        if row.ratio < band.low:
            threshold, what = band.low, "岗位不足"
        elif row.ratio > band.high:
            threshold, what = band.high, "招工难"
        else:
            continue
        alerts.append(
            Alert(
                kind="supply_demand",
                key=row.key,
                name=row.name,
                message=(
                    f"{row.name or row.key}求人倍率{row.ratio:g}（岗位{row.vacancies}个，"
                    f"求职{row.jobseekers}人），{what}"
                ),
                value=row.ratio,
                threshold=threshold,
            )
        )
    return alerts


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA)


async def all_alerts(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> list[Alert]:
    table = await figures.supply_demand(session, ref, caller, "occupation", today)
    return [
        *await district_jumps(session, ref, caller, today),
        *await employer_jumps(session, ref, caller, today),
        *supply_demand_alerts(table, ref.policy.alerts.supply_demand),
    ]
