"""A seeded, streaming generator of a demo city: Wuhan (武汉市, 420100).

Pure: no database and no network. It reads only the package reference data (regions, the
occupation taxonomy, the priority policy) and draws from ``random.Random`` streams derived from
the seed, so the same seed and the same ``today`` give the same city.

Every item is a ``Planned`` request body of the service, with a stable key:

    station    its name                 (unique)
    employer   its credit code          (derived from the employer's index)
    event      its name                 (unique)
    posting    its external_id          ("demo-p-000123", source as chosen for it)
    jobseeker  its mobile number        (derived from the jobseeker's index)

Keys never depend on the seed (only on the index, the district lists and ``today``'s year), so
a database holds one demo city and loading it again, with any seed, finds the same keys.
References to other items (the posting's employer, a gig's station, an event's venue station,
the station that registered a jobseeker) are given by key in ``Planned.refs``: the generator
cannot know database ids. Such fields hold ``None`` in the schema, except the required
``PostingCreate.employer_id``, which holds the employer's key until the loader replaces it.
Booths (posting → event) and registrations (jobseeker → event) travel with their posting or
jobseeker in ``Planned.links``.

Stations, employers and events are small rosters kept in memory; postings and jobseekers are
streamed, so city-scale sizes (100,000 postings, 50,000 jobseekers) need little memory.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cached_property
from itertools import accumulate
from typing import Any, Generic, TypeVar

from ingest.identifiers import make_citizen_id, make_credit_code
from matching.policy import PriorityPolicy, load_default_policy
from matching.regions import RegionTable, load_regions
from matching.taxonomy import Taxonomy, load_taxonomy
from service.demo.catalogue import (
    _BENEFITS,
    _BIG_VENUES,
    _BRAND_FIRST,
    _BRAND_SECOND,
    _COMMUNITIES,
    _COMPANIONS,
    _COMPANY_FORMS,
    _COMPANY_SUFFIXES,
    _DISABILITY_KINDS,
    _DISTRICTS,
    _FEMALE_CHARS,
    _FISHER_DISTRICTS,
    _GENERAL,
    _GIG_PERKS,
    _GROUP_SHARE,
    _HUBEI_SURNAMES,
    _INDUSTRY_DISTRICTS,
    _INDUSTRY_WEIGHTS,
    _MALE_CHARS,
    _OLDER_FEMALE,
    _OLDER_MALE,
    _SECTORS,
    _SURNAMES,
    _UNIVERSITIES,
    _WORKSHOP_PRODUCTS,
    _YOUNG_FEMALE,
    _YOUNG_MALE,
    AUTO,
    CAMPAIGNS,
    FT,
    GIG,
    INDUSTRIES,
    INTERN,
    IT,
    JOBS,
    JOBS_BY_CODE,
    LIVESTREAM_BASE_URL,
    LOGI,
    MFG,
    MOBILE_PREFIXES,
    PROFILES,
    PT,
    WELFARE,
    E,
    Job,
    _Campaign,
    _DistrictSpec,
    _Profile,
)
from service.employers.schemas import EmployerCreate
from service.enums import (
    CreditStatus,
    EmploymentType,
    EventKind,
    PostingSource,
    RegistrationOutcome,
    SalaryUnit,
    StationKind,
    TravelMode,
)
from service.events.schemas import EventCreate
from service.jobseekers.schemas import JobseekerCreate
from service.postings.schemas import PostingCreate
from service.stations.schemas import StationCreate

T = TypeVar("T")

CITY_ADCODE = "420100"
CITY_NAME = "武汉市"
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
CENTRAL_RADIUS_KM = 3.8  # points stay this close to a central district's centroid
OUTER_RADIUS_KM = 9.5  # and this close for the large outer districts
POSTING_KEY_PREFIX = "demo-p-"
MAX_EVENTS = 260  # "Wuhan alone runs 250+ dedicated events a year"
ORG_SPACE = 31**4  # distinct employer codes the generator can issue


# =============================================================================================
# Items
# =============================================================================================


class Kind(StrEnum):
    station = "station"
    employer = "employer"
    event = "event"
    posting = "posting"
    jobseeker = "jobseeker"


@dataclass(frozen=True, slots=True)
class Ref:
    """Another planned item, by kind and stable key."""

    kind: Kind
    key: str


@dataclass(frozen=True, slots=True)
class BoothLink:
    """The posting is offered at this event, at this booth."""

    event: str  # event key
    booth: str


@dataclass(frozen=True, slots=True)
class Registration:
    """The jobseeker registered for this event, with this outcome."""

    event: str  # event key
    outcome: RegistrationOutcome


@dataclass(frozen=True, slots=True)
class Planned(Generic[T]):
    """A request body with its stable key and its references to other items by key."""

    kind: Kind
    key: str
    data: T
    refs: Mapping[str, Ref] = field(default_factory=dict)  # schema field → referenced item
    links: tuple[BoothLink | Registration, ...] = ()


# =============================================================================================
# Wuhan: districts, streets, roads, parks, venues
# =============================================================================================


_PHONE_STEP = 7_919_113  # coprime with 10**8: index → 8 digits is one-to-one
_PHONE_OFFSET = 31_415_926
_ORG_STEP = 7_919  # coprime with 31: index → org-code body is one-to-one
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check


def jobseeker_phone(index: int) -> str:
    """The demo jobseeker's mobile number: unique for every index below 10**8."""
    suffix = (index * _PHONE_STEP + _PHONE_OFFSET) % 10**8
    return f"{MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]}{suffix:08d}"


def _org_code(index: int) -> str:
    """A 9-character organisation code (GB 11714) unique per index below 31**4."""
    number = (index * _ORG_STEP + 12_345) % ORG_SPACE
    digits = []
    for _ in range(4):
        number, remainder = divmod(number, 31)
        digits.append(_CREDIT_CHARS[remainder])
    body = "MA4K" + "".join(reversed(digits))
    total = sum(_org_value(char) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def employer_credit_code(index: int, adcode: str) -> str:
    """统一社会信用代码: authority 9 (market regulation), type 1 (enterprise), adcode, org code."""
    return make_credit_code(f"91{adcode}{_org_code(index)}")


def posting_external_id(index: int) -> str:
    return f"{POSTING_KEY_PREFIX}{index:06d}"


# =============================================================================================
# Small helpers
# =============================================================================================


@dataclass(frozen=True)
class District:
    adcode: str
    name: str  # "江岸区"
    lat: float
    lon: float
    radius_km: float
    spec: _DistrictSpec


def _weighted(rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    return rng.choices(items, cum_weights=cum, k=1)[0]


def _scatter(rng: random.Random, district: District) -> tuple[float, float]:
    """A point uniformly inside the district's disc around its centroid."""
    distance = district.radius_km * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    lat = district.lat + distance * math.cos(bearing) / 110.574
    lon = district.lon + distance * math.sin(bearing) / (111.320 * math.cos(math.radians(lat)))
    return round(lat, 6), round(lon, 6)


def _landline(rng: random.Random) -> str:
    return f"027-{rng.choice('5688')}{rng.randrange(10**7):07d}"


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def _street_address(rng: random.Random, district: District, unit: str | None = None) -> str:
    road = rng.choice(district.spec.roads)
    return f"武汉市{district.name}{unit or ''}{road}{rng.randint(1, 399)}号"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA_TZ)


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _sample(rng: random.Random, items: Sequence[str], low: int, high: int) -> list[str]:
    count = min(len(items), rng.randint(low, high))
    return rng.sample(list(items), count)


def _stream(seed: int, section: str) -> random.Random:
    """An independent random stream per section, so sizes of one kind do not shift another."""
    return random.Random(f"jobcircle-demo/{seed}/{section}")


# =============================================================================================
# Rosters: the small, referenced kinds
# =============================================================================================


@dataclass(frozen=True)
class _Station:
    key: str
    kind: StationKind
    district: District
    unit: str | None
    data: StationCreate


@dataclass(frozen=True)
class _Employer:
    index: int
    key: str  # credit code
    industry: str
    district: District
    short: str  # "鼎盛物流"
    name: str
    address: str
    credit_status: CreditStatus
    weight: float  # how many postings it tends to publish

    @property
    def may_post(self) -> bool:
        return self.credit_status not in (CreditStatus.c_grade, CreditStatus.wage_arrears_list)


@dataclass(frozen=True)
class _Event:
    key: str
    campaign: _Campaign
    starts_at: datetime
    station: str | None
    data: EventCreate


# fmt: off
_OPENING_HOURS: dict[StationKind, list[dict[str, Any]]] = {
    StationKind.service_station: [
        {"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "12:00"},
        {"weekdays": [1, 2, 3, 4, 5], "opens": "14:00", "closes": "17:30"},
    ],
    StationKind.gig_station: [
        {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "06:00", "closes": "18:00"},
    ],
    StationKind.talent_station: [
        {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:30"},
        {"weekdays": [6], "opens": "09:00", "closes": "12:00"},
    ],
    StationKind.veteran_station: [
        {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"},
    ],
    StationKind.assistance_workshop: [
        {"weekdays": [1, 2, 3, 4, 5, 6], "opens": "08:00", "closes": "17:30"},
    ],
    StationKind.training_base: [
        {"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "20:30"},
        {"weekdays": [6, 7], "opens": "09:00", "closes": "17:00"},
    ],
    StationKind.e_station: [
        {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"},
    ],
}
_SERVICES: dict[StationKind, tuple[str, ...]] = {
    StationKind.service_station: ("求职登记", "失业登记", "岗位推荐", "职业指导",
                                  "就业困难人员认定", "政策咨询", "社保补贴申领", "创业服务"),
    StationKind.gig_station: ("零工登记", "岗位发布", "日结岗位对接", "技能培训报名",
                              "劳动维权咨询", "临时休息", "饮水充电"),
    StationKind.talent_station: ("高校毕业生求职登记", "简历指导", "职业测评", "见习岗位推荐",
                                 "人才公寓申请咨询", "创业孵化"),
    StationKind.veteran_station: ("退役军人就业登记", "适应性培训", "岗位推荐", "优待证办理咨询",
                                  "创业扶持"),
    StationKind.assistance_workshop: ("就近就业", "计件用工", "技能培训", "脱贫劳动力帮扶",
                                      "残疾人就业"),
    StationKind.training_base: ("职业技能培训", "技能等级认定", "以工代训", "补贴性培训报名",
                                "特种作业培训"),
    StationKind.e_station: ("自助求职登记", "岗位查询", "社保查询", "政策查询", "证明打印"),
}
# fmt: on


def _station_names(
    district: District, community_slots: Sequence[tuple[str, str]]
) -> Iterator[tuple[StationKind, str, str | None]]:
    """(kind, name, street) of the stations of one district, in a fixed order."""
    name, units = district.name, district.spec.units
    yield StationKind.service_station, f"{name}公共就业服务中心", None
    for unit in units:
        yield StationKind.service_station, f"{name}{unit}就业服务站", unit
    for unit, community in community_slots:
        yield StationKind.service_station, f"{name}{unit}{community}社区家门口就业服务站", unit
    yield StationKind.gig_station, f"{name}零工驿站", None
    if district.spec.outer:
        yield StationKind.gig_station, f"{name}零工市场", None
    for unit in units[1::4]:
        yield StationKind.gig_station, f"{name}{unit}零工驿站", unit
    yield StationKind.talent_station, f"{name}青年就业驿站", None
    for university in _UNIVERSITIES.get(district.adcode, ()):
        yield StationKind.talent_station, f"{name}大学生就业创业驿站（{university}）", None
    yield StationKind.veteran_station, f"{name}退役军人服务中心", None
    for unit in units[1::5]:
        yield StationKind.veteran_station, f"{name}{unit}退役军人服务站", unit
    for number, unit in enumerate(units[2::5]):
        product = _WORKSHOP_PRODUCTS[(int(district.adcode) + number) % len(_WORKSHOP_PRODUCTS)]
        yield StationKind.assistance_workshop, f"{name}{unit}就业帮扶车间（{product}）", unit
    yield StationKind.training_base, f"{name}职业技能培训基地", None
    for unit in units[3::6]:
        yield StationKind.training_base, f"{name}{unit}30分钟职业技能加油站", unit
    for unit in units[::3]:
        yield StationKind.e_station, f"{name}{unit}24小时便民e站", unit


# =============================================================================================
# The city
# =============================================================================================


class DemoCity:
    """Wuhan at a chosen size. Iterating is repeatable: each call starts its streams afresh."""

    def __init__(
        self,
        *,
        postings: int,
        jobseekers: int,
        employers: int,
        seed: int = 2026,
        today: date | None = None,
        taxonomy: Taxonomy | None = None,
        regions: RegionTable | None = None,
        policy: PriorityPolicy | None = None,
    ) -> None:
        for label, value in (
            ("postings", postings),
            ("jobseekers", jobseekers),
            ("employers", employers),
        ):
            if value < 0:
                raise ValueError(f"{label} must not be negative")
        if postings and not employers:
            raise ValueError("postings need at least one employer")
        if employers > ORG_SPACE:
            raise ValueError(f"at most {ORG_SPACE} employers")
        self.sizes = {Kind.posting: postings, Kind.jobseeker: jobseekers, Kind.employer: employers}
        self.seed = seed
        self.today = today or datetime.now(CHINA_TZ).date()
        self.taxonomy = taxonomy or load_taxonomy()
        self.regions = regions or load_regions()
        self.policy = policy or load_default_policy()
        check_occupations(self.taxonomy)

    # --- the public stream ------------------------------------------------------------------

    def counts(self) -> dict[Kind, int]:
        """How many items of each kind the city has."""
        return {
            Kind.station: len(self._stations),
            Kind.employer: len(self._employers),
            Kind.event: len(self._events),
            Kind.posting: self.sizes[Kind.posting],
            Kind.jobseeker: self.sizes[Kind.jobseeker],
        }

    def items(self) -> Iterator[Planned[Any]]:
        """Everything, in dependency order (a reference always points to an earlier item)."""
        yield from self.stations()
        yield from self.employers()
        yield from self.events()
        yield from self.postings()
        yield from self.jobseekers()

    def of_kind(self, kind: Kind) -> Iterator[Planned[Any]]:
        streams = {
            Kind.station: self.stations,
            Kind.employer: self.employers,
            Kind.event: self.events,
            Kind.posting: self.postings,
            Kind.jobseeker: self.jobseekers,
        }
        return streams[kind]()

    def stations(self) -> Iterator[Planned[StationCreate]]:
        for station in self._stations:
            yield Planned(Kind.station, station.key, station.data)

    def employers(self) -> Iterator[Planned[EmployerCreate]]:
        rng = _stream(self.seed, "employer-contacts")
        for employer in self._employers:
            data = EmployerCreate(
                name=employer.name,
                credit_code=employer.key,
                industry=_SECTORS[employer.industry],
                adcode=employer.district.adcode,
                address=employer.address,
                contact_phone=_mobile(rng) if rng.random() < 0.8 else None,
                credit_status=employer.credit_status,
            )
            yield Planned(Kind.employer, employer.key, data)

    def events(self) -> Iterator[Planned[EventCreate]]:
        for event in self._events:
            refs = {"station_id": Ref(Kind.station, event.station)} if event.station else {}
            yield Planned(Kind.event, event.key, event.data, refs)

    def postings(self) -> Iterator[Planned[PostingCreate]]:
        rng = _stream(self.seed, "postings")
        booths: dict[str, int] = {}
        for index in range(self.sizes[Kind.posting]):
            yield self._posting(rng, index, booths)

    def jobseekers(self) -> Iterator[Planned[JobseekerCreate]]:
        rng = _stream(self.seed, "jobseekers")
        issued: set[str] = set()
        for index in range(self.sizes[Kind.jobseeker]):
            yield self._jobseeker(rng, index, issued)

    # --- districts --------------------------------------------------------------------------

    @cached_property
    def districts(self) -> tuple[District, ...]:
        out = []
        for spec in _DISTRICTS:
            region = self.regions.get(spec.adcode)
            if region is None or region.lat is None or region.lon is None:
                raise ValueError(f"region table lacks district {spec.adcode} or its centroid")
            radius = OUTER_RADIUS_KM if spec.outer else CENTRAL_RADIUS_KM
            out.append(District(spec.adcode, region.name, region.lat, region.lon, radius, spec))
        return tuple(out)

    @cached_property
    def _by_adcode(self) -> dict[str, District]:
        return {district.adcode: district for district in self.districts}

    @cached_property
    def _resident_cum(self) -> list[float]:
        return list(accumulate(d.spec.residents for d in self.districts))

    def _district_by(self, rng: random.Random, weights: Mapping[str, int] | None) -> District:
        if not weights:
            return _weighted(rng, self.districts, self._resident_cum)
        codes = list(weights)
        return self._by_adcode[rng.choices(codes, weights=[weights[c] for c in codes])[0]]

    # --- stations ---------------------------------------------------------------------------

    @cached_property
    def _stations(self) -> tuple[_Station, ...]:
        rng = _stream(self.seed, "stations")
        slots = self._community_slots()
        stations = []
        for district in self.districts:
            for kind, name, unit in _station_names(district, slots.get(district.adcode, ())):
                stations.append(self._station(rng, district, kind, name, unit))
        return tuple(stations)

    def _community_slots(self) -> dict[str, list[tuple[str, str]]]:
        """家门口就业服务站 in communities: more of them for a larger population."""
        wanted = self.sizes[Kind.jobseeker] // 40
        slots: dict[str, list[tuple[str, str]]] = {}
        pairs = [
            (district, unit, community)
            for community in _COMMUNITIES
            for district in self.districts
            for unit in district.spec.units
        ]
        # a fixed interleaving (no seed) so that names, the station keys, never depend on it
        step = next(n for n in range(7919, 7919 + len(pairs) + 1) if math.gcd(n, len(pairs)) == 1)
        for number in range(min(wanted, len(pairs))):
            district, unit, community = pairs[(number * step) % len(pairs)]
            slots.setdefault(district.adcode, []).append((unit, community))
        return slots

    def _station(
        self,
        rng: random.Random,
        district: District,
        kind: StationKind,
        name: str,
        unit: str | None,
    ) -> _Station:
        lat, lon = _scatter(rng, district)
        data = StationCreate(
            name=name,
            kind=kind,
            adcode=district.adcode,
            lat=lat,
            lon=lon,
            address=_street_address(rng, district, unit),
            phone=_landline(rng),
            opening_hours=_OPENING_HOURS[kind],
            services=list(_SERVICES[kind]),
        )
        return _Station(name, kind, district, unit, data)

    @cached_property
    def _stations_by(self) -> dict[tuple[str, StationKind], list[_Station]]:
        index: dict[tuple[str, StationKind], list[_Station]] = {}
        for station in self._stations:
            index.setdefault((station.district.adcode, station.kind), []).append(station)
        return index

    def _station_in(self, rng: random.Random, district: District, kind: StationKind) -> _Station:
        return rng.choice(self._stations_by[(district.adcode, kind)])

    # --- employers --------------------------------------------------------------------------

    @cached_property
    def _employers(self) -> tuple[_Employer, ...]:
        rng = _stream(self.seed, "employers")
        names: set[str] = set()
        return tuple(
            self._employer(rng, index, names) for index in range(self.sizes[Kind.employer])
        )

    def _employer_frame(self, index: int) -> tuple[str, District]:
        """Industry and district: they make the credit code, so they depend on the index only."""
        frame = random.Random(f"jobcircle-demo/employer/{index}")
        if index < len(INDUSTRIES):
            industry = INDUSTRIES[index]
        else:
            industry = frame.choices(INDUSTRIES, weights=_INDUSTRY_WEIGHTS)[0]
        return industry, self._district_by(frame, _INDUSTRY_DISTRICTS.get(industry))

    def _employer(self, rng: random.Random, index: int, names: set[str]) -> _Employer:
        industry, district = self._employer_frame(index)
        short, name = self._company_name(rng, industry, district, names)
        parks = district.spec.parks
        in_park = parks and industry in (MFG, AUTO, LOGI, IT) and rng.random() < 0.7
        unit = rng.choice(parks) if in_park else None
        status = _credit_status(rng, index)
        weight = min(rng.paretovariate(1.4), 25.0)  # a few employers publish a lot
        if status in (CreditStatus.c_grade, CreditStatus.wage_arrears_list):
            weight = min(weight, 1.0)  # barred employers try, now and then
        return _Employer(
            index=index,
            key=employer_credit_code(index, district.adcode),
            industry=industry,
            district=district,
            short=short,
            name=name,
            address=_street_address(rng, district, unit),
            credit_status=status,
            weight=weight,
        )

    def _company_name(
        self, rng: random.Random, industry: str, district: District, names: set[str]
    ) -> tuple[str, str]:
        for attempt in range(40):
            brand = rng.choice(_BRAND_FIRST) + rng.choice(_BRAND_SECOND)
            form = rng.choice(_COMPANY_FORMS[industry])
            if attempt >= 20:
                brand = district.name[:-1] + brand  # "江夏鼎盛..."
            region = "湖北" if rng.random() < 0.15 else "武汉"
            suffix = rng.choice(_COMPANY_SUFFIXES)
            name = f"{region}{brand}{form}{suffix}"
            if name not in names:
                names.add(name)
                return brand + form[:2], name
        name = f"武汉{district.name}{len(names):05d}号{_COMPANY_FORMS[industry][0]}有限公司"
        names.add(name)
        return _COMPANY_FORMS[industry][0], name

    @cached_property
    def _employer_pools(self) -> dict[EmploymentType, tuple[list[_Employer], list[float]]]:
        """Per employment type: the employers that offer it, with cumulative posting weights."""
        pools = {}
        for etype in EmploymentType:
            members = [e for e in self._employers if _jobs_for(e.industry, etype)]
            pools[etype] = (members, list(accumulate(e.weight for e in members)))
        return pools

    # --- events -----------------------------------------------------------------------------

    @cached_property
    def _events(self) -> tuple[_Event, ...]:
        rng = _stream(self.seed, "events")
        wanted = max(len(CAMPAIGNS), min(MAX_EVENTS, self.sizes[Kind.posting] // 60))
        names: set[str] = set()
        events = [self._main_event(rng, campaign, names) for campaign in CAMPAIGNS]
        rounds = [0] * len(CAMPAIGNS)
        while len(events) < wanted:
            slot = (len(events) - len(CAMPAIGNS)) % len(CAMPAIGNS)
            rounds[slot] += 1
            events.append(self._local_event(rng, CAMPAIGNS[slot], rounds[slot], names))
        return tuple(events)

    def _campaign_day(self, campaign: _Campaign, number: int) -> date:
        """The yearly date nearest to today (within 4 months back, 8 ahead); rolling: weekly."""
        if campaign.when is None:
            return self.today + timedelta(days=7 * ((number * 5) % 13) - 28 + number % 7)
        month, day = campaign.when
        for year in (self.today.year - 1, self.today.year, self.today.year + 1):
            anchor = date(year, month, day)
            if -120 <= (anchor - self.today).days <= 245:
                return anchor + timedelta(days=2 * number)
        return date(self.today.year, month, day) + timedelta(days=2 * number)  # pragma: no cover

    def _main_event(self, rng: random.Random, campaign: _Campaign, names: set[str]) -> _Event:
        day = self._campaign_day(campaign, 0)
        name = _unique(f"{day.year}年{campaign.title}", names)
        if campaign.venue:
            return self._event(
                rng, campaign, name, day, None, campaign.venue, _BIG_VENUES[campaign.venue]
            )
        district = self._by_adcode["420103"]  # the city centre hosts the opening
        station = self._venue_station(district, campaign, 0)
        return self._event(rng, campaign, name, day, station, None, district.adcode)

    def _local_event(
        self, rng: random.Random, campaign: _Campaign, number: int, names: set[str]
    ) -> _Event:
        day = self._campaign_day(campaign, number)
        district = self.districts[(number - 1 + CAMPAIGNS.index(campaign) * 5) % 13]
        station = self._venue_station(district, campaign, number)
        if campaign.kind == EventKind.livestream:
            place = str(number)
        elif campaign.when is None and station.unit:
            place = station.unit
        else:
            place = district.name
        name = _unique(f"{day.year}年{campaign.local.format(place=place)}", names)
        return self._event(rng, campaign, name, day, station, None, district.adcode)

    def _venue_station(self, district: District, campaign: _Campaign, number: int) -> _Station:
        """Chosen without the seed: the station may name the event, and names are keys."""
        kind = campaign.station_kind or StationKind.service_station
        stations = self._stations_by[(district.adcode, kind)]
        return stations[(number * 7) % len(stations)]

    def _event(
        self,
        rng: random.Random,
        campaign: _Campaign,
        name: str,
        day: date,
        station: _Station | None,
        venue: str | None,
        adcode: str,
    ) -> _Event:
        livestream = campaign.kind == EventKind.livestream
        starts = _at(day, 19, 30) if livestream else _at(day, 9)
        hours = 1.5 if livestream else (7 if venue else 3)
        if station is not None and not livestream:
            venue = f"{station.key}（{station.data.address}）"
        url = (
            f"{LIVESTREAM_BASE_URL}/{day:%Y%m%d}-{rng.randrange(10**6):06d}" if livestream else None
        )
        targets = [g for g in campaign.targets if self.policy.has_group(g)]
        booths = rng.randint(20, 300) if venue else rng.randint(8, 30)
        data = EventCreate(
            name=name,
            kind=campaign.kind,
            campaign=campaign.name,
            description=f"{campaign.description}计划设招聘展位{booths}个。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            venue=venue[:300] if venue else None,
            adcode=adcode if not livestream else CITY_ADCODE,
            online_url=url,  # type: ignore[arg-type]  # pydantic parses the URL
            target_groups=targets,
        )
        return _Event(name, campaign, starts, station.key if station else None, data)

    @cached_property
    def _events_by_industry(self) -> dict[str, list[_Event]]:
        return {
            industry: [
                e
                for e in self._events
                if not e.campaign.industries or industry in e.campaign.industries
            ]
            for industry in INDUSTRIES
        }

    @cached_property
    def _events_by_group(self) -> dict[str, list[_Event]]:
        index: dict[str, list[_Event]] = {}
        for event in self._events:
            for group in event.data.target_groups:
                index.setdefault(group, []).append(event)
        return index

    @cached_property
    def _open_events(self) -> list[_Event]:
        return [e for e in self._events if not e.data.target_groups]

    # --- postings ---------------------------------------------------------------------------

    def _posting(
        self, rng: random.Random, index: int, booths: dict[str, int]
    ) -> Planned[PostingCreate]:
        etype, at_fair = _posting_type(rng, index)
        employer, job = self._employer_and_job(rng, etype)
        event = (
            self._fair_for(rng, employer)
            if at_fair or (etype in (FT, INTERN) and rng.random() < 0.2)
            else None
        )
        district = employer.district if rng.random() < 0.85 else self._district_by(rng, None)
        station = self._station_in(rng, district, StationKind.gig_station) if etype == GIG else None
        data = self._posting_data(rng, index, etype, employer, job, district, event)
        refs: dict[str, Ref] = {"employer_id": Ref(Kind.employer, employer.key)}
        if station is not None:
            refs["station_id"] = Ref(Kind.station, station.key)
        links: tuple[BoothLink, ...] = ()
        if event is not None:
            booths[event.key] = booths.get(event.key, 0) + 1
            number = booths[event.key]
            links = (BoothLink(event.key, _booth(event, number)),)
        return Planned(Kind.posting, data.external_id or "", data, refs, links)

    def _employer_and_job(self, rng: random.Random, etype: EmploymentType) -> tuple[_Employer, Job]:
        members, cum = self._employer_pools[etype]
        if members:
            employer = _weighted(rng, members, cum)
            return employer, rng.choice(_jobs_for(employer.industry, etype))
        # no employer of a fitting industry: any employer, any job of the type
        employer = rng.choice(self._employers)
        return employer, rng.choice(_jobs_of_type(etype))

    def _fair_for(self, rng: random.Random, employer: _Employer) -> _Event | None:
        if not employer.may_post:
            return None  # a refused employer gets no booth
        candidates = self._events_by_industry[employer.industry]
        return rng.choice(candidates) if candidates else None

    def _posting_data(
        self,
        rng: random.Random,
        index: int,
        etype: EmploymentType,
        employer: _Employer,
        job: Job,
        district: District,
        event: _Event | None,
    ) -> PostingCreate:
        unit, low, high = _salary(rng, etype, job)
        title = _title(rng, etype, job, employer, district, unit, low)
        lat, lon = _scatter(rng, district)
        same_place = district is employer.district and rng.random() < 0.6
        address = employer.address if same_place else _street_address(rng, district)
        starts, ends = self._gig_window(rng) if etype == GIG else (None, None)
        headcount = _headcount(rng, etype, employer.industry)
        return PostingCreate(
            employer_id=employer.key,
            title=title,
            description=self._description(rng, etype, job, employer, headcount, address, starts),
            occupation_code=job.code if rng.random() < 0.8 else None,
            employment_type=etype,
            salary_min=low,
            salary_max=high,
            salary_unit=unit,
            headcount=headcount,
            adcode=district.adcode,
            address=address,
            lat=lat,
            lon=lon,
            source=_posting_source(rng, etype, event),
            external_id=posting_external_id(index),
            requirements=_requirements(rng, etype, job),
            reserved_for=self._reserved_groups if etype == WELFARE else [],
            starts_at=starts,
            ends_at=ends,
            valid_until=ends.date() if ends else self.today + timedelta(days=rng.randint(20, 120)),
            contact_phone=_landline(rng) if rng.random() < 0.5 else _mobile(rng),
        )

    @cached_property
    def _reserved_groups(self) -> list[str]:
        """Who public-welfare posts are for, as the policy says (就业困难人员 by default)."""
        groups = self.policy.reserved_for(employment_type=WELFARE.value)
        if groups:
            return sorted(groups)
        fallback = "employment_difficulty"
        return [fallback] if self.policy.has_group(fallback) else []

    def _gig_window(self, rng: random.Random) -> tuple[datetime, datetime]:
        """Starts tomorrow or within the week, early; one day, sometimes a few."""
        day = self.today + timedelta(days=rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6)))
        starts = _at(day, rng.choice((6, 7, 7, 8, 8, 9)), rng.choice((0, 0, 30)))
        days = 1 if rng.random() < 0.75 else rng.randint(2, 5)
        return starts, starts + timedelta(days=days - 1, hours=rng.choice((8, 9, 10)))

    def _description(
        self,
        rng: random.Random,
        etype: EmploymentType,
        job: Job,
        employer: _Employer,
        headcount: int,
        address: str,
        starts: datetime | None,
    ) -> str:
        occupation = self.taxonomy.get(job.code)
        duty = (occupation.definition if occupation else "")[:120]
        parts = [f"{employer.name}招聘{rng.choice(job.titles)}{headcount}名。"]
        if duty:
            parts.append(f"岗位职责：{duty.rstrip('。')}。")
        if starts is not None:
            parts.append(f"用工时间：{starts:%m月%d日 %H:%M}开始，当天结算工资。")
        parts.append(f"工作地点：{address}。")
        perks = _sample(rng, _BENEFITS, 2, 4) if etype in (FT, INTERN) else []
        if etype == INTERN:
            perks.append("提供见习补贴，表现优秀可留用")
        if etype == WELFARE:
            perks = ["按规定缴纳社会保险", "就近安排"]
        if perks:
            parts.append(f"待遇：{'、'.join(perks)}。")
        parts.append("欢迎符合条件的求职者报名，本岗位不收取任何费用。")
        return "".join(parts)

    # --- jobseekers -------------------------------------------------------------------------

    def _jobseeker(
        self, rng: random.Random, index: int, issued: set[str]
    ) -> Planned[JobseekerCreate]:
        groups = self._groups_for(rng, index)
        profile = _merged_profile(groups)
        male = rng.random() < 0.5
        age = _age(rng, profile, groups, male)
        birth = self.today - timedelta(days=age * 365 + rng.randint(1, 360))
        home = self._home(rng, profile)
        jobs = [JOBS_BY_CODE[code] for code in _sample(rng, profile.jobs, 1, 3)]
        types = sorted(set(_sample(rng, profile.types, 1, 2)), key=list(EmploymentType).index)
        station = self._registering_station(rng, home, groups) if rng.random() < 0.45 else None
        left_school = self._left_school(rng) if "graduate" in groups else None
        lat, lon = _scatter(rng, home) if rng.random() < 0.85 else (None, None)
        salary, unit = _salary_expectation(rng, jobs[0], types)
        data = JobseekerCreate(
            name=_person_name(rng, male, age),
            phone=jobseeker_phone(index),
            id_number=self._citizen_id(rng, home, birth, male, groups, issued),
            adcode=home.adcode,
            address=_home_address(rng, home) if rng.random() < 0.7 else None,
            lat=lat,
            lon=lon,
            desired_titles=_desired_titles(rng, jobs),
            desired_occupations=[j.code for j in jobs] if rng.random() < 0.8 else [],
            skills=_sample(rng, [s for j in jobs for s in j.skills], 0, 4),
            certificates=_sample(rng, [c for j in jobs for c in j.certificates], 0, 2),
            education=rng.choice(profile.education),
            experience_years=_experience(rng, age, groups),
            employment_types=types,
            salary_expectation=salary,
            salary_expectation_unit=unit,
            availability=self._availability(rng, types),
            travel=_travel(rng),
            priority_groups=self._memberships(rng, groups, left_school),
            not_choosy=rng.random() < profile.not_choosy,
            consent_show_to_employers=rng.random() < 0.55,
            consent_recommendations=rng.random() < 0.9,
            left_school_on=left_school,
        )
        refs = {"station_id": Ref(Kind.station, station.key)} if station else {}
        return Planned(Kind.jobseeker, data.phone, data, refs, self._registrations(rng, groups))

    def _groups_for(self, rng: random.Random, index: int) -> list[str]:
        """Every policy group a handful of times first (round robin), then realistic shares."""
        codes = self.policy.group_codes
        if index < 3 * len(codes):
            primary = codes[index % len(codes)]
        elif rng.random() < 0.45:
            return []
        else:
            primary = rng.choices(codes, weights=[_GROUP_SHARE.get(c, 2) for c in codes])[0]
        groups = [primary]
        companions = [c for c in _COMPANIONS.get(primary, ()) if self.policy.has_group(c)]
        if companions and rng.random() < 0.35:
            companion = rng.choice(companions)
            if _ages_overlap(primary, companion):
                groups.append(companion)
        return groups

    def _home(self, rng: random.Random, profile: _Profile) -> District:
        if profile.homes == "river":
            return self._district_by(rng, _FISHER_DISTRICTS)
        if profile.homes == "outer" and rng.random() < 0.7:
            outer = {d.adcode: d.spec.residents for d in self.districts if d.spec.outer}
            return self._district_by(rng, outer)
        return self._district_by(rng, None)

    def _registering_station(
        self, rng: random.Random, home: District, groups: Sequence[str]
    ) -> _Station:
        kind = StationKind.service_station
        if "graduate" in groups or "urban_youth" in groups:
            kind = StationKind.talent_station
        elif "veteran" in groups:
            kind = StationKind.veteran_station
        elif "flexible_worker" in groups or "migrant_worker" in groups:
            kind = StationKind.gig_station
        return self._station_in(rng, home, kind)

    def _citizen_id(
        self,
        rng: random.Random,
        home: District,
        birth: date,
        male: bool,
        groups: Sequence[str],
        issued: set[str],
    ) -> str | None:
        if rng.random() >= 0.55:
            return None
        from_elsewhere = 0.7 if {"migrant_worker", "poverty_alleviated"} & set(groups) else 0.25
        region = rng.choice(self._hubei_counties) if rng.random() < from_elsewhere else home.adcode
        for _ in range(200):
            number = make_citizen_id(region, birth, rng.randrange(500) * 2 + (1 if male else 0))
            if number not in issued:
                issued.add(number)
                return number
        return None  # every sequence number of that day and place is taken: leave it out

    @cached_property
    def _hubei_counties(self) -> list[str]:
        return [
            r.adcode for r in self.regions.districts_of("420000") if not r.adcode.startswith("4201")
        ]

    def _memberships(
        self, rng: random.Random, groups: Sequence[str], left_school: date | None
    ) -> list[dict[str, Any]]:
        out = []
        for group in groups:
            profile = PROFILES.get(group, _GENERAL)
            certified = self._certified_on(rng, profile)
            if group == "graduate" and left_school is not None:  # registered after leaving
                certified = min(self.today, left_school + timedelta(days=rng.randint(3, 60)))
            evidence = _evidence(rng, profile, group, self.policy, certified)
            out.append({"group": group, "certified_at": certified, "evidence": evidence})
        return out

    def _certified_on(self, rng: random.Random, profile: _Profile) -> date | None:
        if profile.certified_between:
            first, last = profile.certified_between
            return first + timedelta(days=rng.randint(0, (last - first).days))
        if profile.certified_days:
            return self.today - timedelta(days=rng.randint(*profile.certified_days))
        return None

    def _left_school(self, rng: random.Random) -> date:
        """Graduation in June/July of this year (once it has passed) or one of the two before."""
        latest = (
            self.today.year if self.today >= date(self.today.year, 7, 1) else (self.today.year - 1)
        )
        year = latest - rng.choice((0, 0, 1))
        return date(year, rng.choice((6, 6, 7)), rng.randint(15, 30))

    def _availability(self, rng: random.Random, types: Sequence[EmploymentType]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if rng.random() < 0.4:
            out["available_from"] = self.today + timedelta(days=rng.randint(0, 30))
        if GIG in types or PT in types:
            out["weekdays"] = sorted(rng.sample(range(1, 8), rng.randint(2, 7)))
            out["day_parts"] = sorted(_sample(rng, ("morning", "afternoon", "evening"), 1, 3))
        return out

    def _registrations(self, rng: random.Random, groups: Sequence[str]) -> tuple[Registration, ...]:
        if not self._events or rng.random() >= 0.25:
            return ()
        pool = [e for g in groups for e in self._events_by_group.get(g, ())] or self._open_events
        chosen = {e.key: e for e in rng.sample(pool, min(len(pool), rng.randint(1, 2)))}
        now = _at(self.today, 12)
        return tuple(
            Registration(key, _outcome(rng, event.starts_at < now)) for key, event in chosen.items()
        )


# =============================================================================================
# Pure pieces of postings and jobseekers
# =============================================================================================


def check_occupations(taxonomy: Taxonomy) -> None:
    """Every code of the demo must be a detailed occupation of the taxonomy, with our name."""
    for job in JOBS:
        occupation = taxonomy.get(job.code)
        if occupation is None or occupation.level != 4 or occupation.name != job.name:
            found = f"{occupation.name} (level {occupation.level})" if occupation else "nothing"
            raise ValueError(f"demo occupation {job.code} {job.name}: the taxonomy has {found}")


def _unique(name: str, names: set[str]) -> str:
    candidate, number = name, 1
    while candidate in names:
        number += 1
        candidate = f"{name}（第{number}场）"
    names.add(candidate)
    return candidate


def _booth(event: _Event, number: int) -> str:
    if event.campaign.kind == EventKind.livestream:
        return f"直播间第{number}位"
    return f"{'ABCD'[number % 4]}-{number:02d}"


def _credit_status(rng: random.Random, index: int) -> CreditStatus:
    """A few trusted and a few barred employers, present even in a small city."""
    fixed = {
        3: CreditStatus.red_list,
        6: CreditStatus.c_grade,
        9: CreditStatus.wage_arrears_list,
        12: CreditStatus.red_list,
    }
    if index < 15:
        return fixed.get(index, CreditStatus.normal)
    draw = rng.random()
    if draw < 0.05:
        return CreditStatus.red_list
    if draw < 0.07:
        return CreditStatus.c_grade
    if draw < 0.09:
        return CreditStatus.wage_arrears_list
    return CreditStatus.normal


def _supports(job: Job, etype: EmploymentType) -> bool:
    if etype == GIG:
        return job.day is not None
    if etype == PT:
        return job.hour is not None
    if etype == INTERN:
        return job.intern
    if etype == WELFARE:
        return job.welfare
    return True


_JOBS_BY_INDUSTRY_TYPE: dict[tuple[str, EmploymentType], tuple[Job, ...]] = {
    (industry, etype): tuple(j for j in JOBS if industry in j.industries and _supports(j, etype))
    for industry in INDUSTRIES
    for etype in EmploymentType
}


def _jobs_for(industry: str, etype: EmploymentType) -> tuple[Job, ...]:
    return _JOBS_BY_INDUSTRY_TYPE[(industry, etype)]


def _jobs_of_type(etype: EmploymentType) -> tuple[Job, ...]:
    return tuple(j for j in JOBS if _supports(j, etype))


# The first postings cover every kind, so that even a tiny city shows them all.
_EARLY_PLAN: tuple[tuple[EmploymentType, bool], ...] = (
    (FT, False),
    (GIG, False),
    (WELFARE, False),
    (INTERN, False),
    (FT, True),
    (PT, False),
    (GIG, False),
    (FT, True),
    (WELFARE, False),
    (INTERN, True),
    (FT, False),
    (GIG, False),
)


def _posting_type(rng: random.Random, index: int) -> tuple[EmploymentType, bool]:
    """(employment type, forced to a job fair): mostly full time, a real share of gigs."""
    if index < len(_EARLY_PLAN):
        return _EARLY_PLAN[index]
    draw = rng.random()
    if draw < 0.16:
        return GIG, False
    if draw < 0.24:
        return PT, False
    if draw < 0.31:
        return INTERN, False
    if draw < 0.35:
        return WELFARE, False
    return FT, False


def _posting_source(
    rng: random.Random, etype: EmploymentType, event: _Event | None
) -> PostingSource:
    if etype == GIG:
        return PostingSource.gig_station
    if event is not None:
        return PostingSource.job_fair
    return PostingSource.import_ if rng.random() < 0.08 else PostingSource.employer


def _salary(
    rng: random.Random, etype: EmploymentType, job: Job
) -> tuple[SalaryUnit, int | None, int | None]:
    """(unit, min, max) in yuan, at Wuhan 2025 levels."""
    if etype == GIG:
        if job.day is None or (job.hour and rng.random() < 0.25):
            return _range(rng, SalaryUnit.hour, job.hour or (18, 30), 1, (0, 2, 5))
        return _range(rng, SalaryUnit.day, job.day, 10, (0, 0, 20, 50))
    if etype == PT:
        return _range(rng, SalaryUnit.hour, job.hour or (18, 30), 1, (0, 2, 5))
    if etype == WELFARE:
        amount = _round_to(rng.uniform(2300, 2800), 50)  # at or just above the minimum wage
        return SalaryUnit.month, amount, amount
    if etype == INTERN:
        return _range(rng, SalaryUnit.month, (3000, 4500), 100, (0, 500, 1000))
    if job.piece and rng.random() < 0.5:
        return _range(rng, SalaryUnit.piece, job.piece, 1, (0, 1, 2))
    if rng.random() < 0.04:
        return SalaryUnit.month, None, None  # 薪资面议
    return _range(rng, SalaryUnit.month, job.month, 100, (500, 1000, 1500, 2000, 3000))


def _range(
    rng: random.Random,
    unit: SalaryUnit,
    bounds: tuple[int, int],
    step: int,
    spreads: Sequence[int],
) -> tuple[SalaryUnit, int, int]:
    low_end, high_end = bounds
    low = _round_to(rng.uniform(low_end, low_end + (high_end - low_end) * 0.6), step)
    high = min(high_end, low + rng.choice(spreads))
    return unit, low, max(low, high)


def _title(
    rng: random.Random,
    etype: EmploymentType,
    job: Job,
    employer: _Employer,
    district: District,
    unit: SalaryUnit,
    low: int | None,
) -> str:
    """What employers and stations actually write: often the bare title, often decorated."""
    title = rng.choice(job.titles)
    draw = rng.random()
    if etype == GIG:
        if unit == SalaryUnit.hour:
            return f"{title}小时工{low}元/时"
        choices = (
            f"{title}{low}/天{rng.choice(_GIG_PERKS)}",
            f"明天{title}日结{low}元",
            f"{district.name}{title}（日结）",
            title,
        )
        return choices[min(int(draw * 4), 3)]
    if etype == PT:
        return (f"兼职{title}", f"{title}（兼职{low}元/小时）", f"周末兼职{title}")[int(draw * 3)]
    if etype == INTERN:
        return (f"{title}实习生", f"就业见习岗·{title}", f"{title}（实习）")[int(draw * 3)]
    if etype == WELFARE:
        return (f"公益性岗位·{title}", f"{district.name}公益性岗位（{title}）")[int(draw * 2)]
    if draw < 0.4:
        return title
    if draw < 0.6:
        return f"{employer.short}招聘{title}"
    if draw < 0.8:
        return f"{title}（{'+'.join(_sample(rng, _BENEFITS, 1, 2))}）"
    if draw < 0.9:
        return f"急招{title}{rng.randint(2, 10)}名"
    return f"{title}月入{low}+" if low and unit == SalaryUnit.month else title


def _headcount(rng: random.Random, etype: EmploymentType, industry: str) -> int:
    if etype == GIG:
        return rng.randint(2, 20)
    if etype == WELFARE:
        return rng.randint(1, 5)
    if industry in (MFG, AUTO, LOGI) and rng.random() < 0.4:
        return rng.randint(5, 50)
    return rng.randint(1, 6)


def _requirements(rng: random.Random, etype: EmploymentType, job: Job) -> dict[str, Any]:
    education = job.education
    if etype == INTERN and education is None:
        education = E.associate
    return {
        "education": education if rng.random() < 0.8 else None,
        "experience_years": None
        if etype in (GIG, INTERN, WELFARE) or rng.random() < 0.4
        else rng.choice((0, 1, 1, 2, 3, 5)),
        "certificates": _sample(rng, job.certificates, 0, 2),
        "skills": _sample(rng, job.skills, 1, 3),
    }


def _merged_profile(groups: Sequence[str]) -> _Profile:
    """The first group's profile, with ages narrowed to fit every group."""
    if not groups:
        return _GENERAL
    profiles = [PROFILES.get(g, _GENERAL) for g in groups]
    low = max(p.ages[0] for p in profiles)
    high = min(p.ages[1] for p in profiles)
    first = profiles[0]
    jobs = tuple(dict.fromkeys(code for p in profiles for code in p.jobs))
    return _Profile(
        (low, high),
        jobs,
        first.types,
        first.education,
        first.evidence,
        first.certified_days,
        first.certified_between,
        first.homes,
        max(p.not_choosy for p in profiles),
    )


def _ages_overlap(first: str, second: str) -> bool:
    a, b = PROFILES.get(first, _GENERAL).ages, PROFILES.get(second, _GENERAL).ages
    return max(a[0], b[0]) <= min(a[1], b[1])


def _age(rng: random.Random, profile: _Profile, groups: Sequence[str], male: bool) -> int:
    low, high = profile.ages
    if "older_worker" in groups:  # "4050": women from 40, men from 50
        low = max(low, 50 if male else 40)
        high = max(high, low)
    return rng.randint(low, high)


def _person_name(rng: random.Random, male: bool, age: int) -> str:
    surname = _pick_surname(rng)
    draw = rng.random()
    if age < 30 and draw < 0.4:
        return surname + rng.choice(_YOUNG_MALE if male else _YOUNG_FEMALE)
    if age >= 45 and draw < 0.4:
        return surname + rng.choice(_OLDER_MALE if male else _OLDER_FEMALE)
    chars = _MALE_CHARS if male else _FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return surname + given


_SURNAME_CUM = list(
    accumulate(
        (2.0 if s in _HUBEI_SURNAMES else 1.0) / (rank + 6) for rank, s in enumerate(_SURNAMES)
    )
)


def _pick_surname(rng: random.Random) -> str:
    return _weighted(rng, _SURNAMES, _SURNAME_CUM)


def _home_address(rng: random.Random, district: District) -> str:
    unit = rng.choice(district.spec.units)
    community = rng.choice(_COMMUNITIES)
    return f"武汉市{district.name}{unit}{community}社区{rng.randint(1, 30)}栋"


def _desired_titles(rng: random.Random, jobs: Sequence[Job]) -> list[str]:
    """What a person types: a plain title, without a posting's decorations."""
    plain = [[t for t in job.titles if "（" not in t] or [job.name] for job in jobs]
    return list(dict.fromkeys(rng.choice(titles) for titles in plain))


def _experience(rng: random.Random, age: int, groups: Sequence[str]) -> int | None:
    if rng.random() < 0.2:
        return None
    if "graduate" in groups:
        return 0
    return max(0, min(40, age - 20 - rng.randint(0, 8)))


def _travel(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.3:
        return None  # the policy's default circle applies
    mode = rng.choice(
        (
            TravelMode.walk,
            TravelMode.ebike,
            TravelMode.ebike,
            TravelMode.bike,
            TravelMode.transit,
            TravelMode.transit,
            TravelMode.drive,
        )
    )
    minutes = {
        TravelMode.walk: (10, 15, 20),
        TravelMode.bike: (15, 20, 30),
        TravelMode.ebike: (15, 20, 30),
        TravelMode.transit: (30, 45, 60),
        TravelMode.drive: (20, 30, 45),
    }[mode]
    return {"mode": mode, "max_minutes": rng.choice(minutes)}


def _evidence(
    rng: random.Random,
    profile: _Profile,
    group: str,
    policy: PriorityPolicy,
    certified: date | None,
) -> str:
    month = f"{certified:%Y-%m}" if certified else ""
    name = policy.group(group).name if policy.has_group(group) else group
    text = profile.evidence.format(ym=month, name=name).strip()
    if group == "disabled":
        text = text.replace("残疾人证", f"残疾人证（{rng.choice(_DISABILITY_KINDS)}）")
    return text


def _salary_expectation(
    rng: random.Random, job: Job, types: Sequence[EmploymentType]
) -> tuple[int | None, SalaryUnit]:
    """What the person hopes to earn, in the unit of the work they look for first."""
    if rng.random() < 0.25:
        return None, SalaryUnit.month
    if types and types[0] == GIG and job.day:
        return _round_to(rng.uniform(*job.day), 10), SalaryUnit.day
    if types and types[0] in (GIG, PT) and job.hour:
        return rng.randint(*job.hour), SalaryUnit.hour
    return _round_to(rng.uniform(*job.month), 500), SalaryUnit.month


def _outcome(rng: random.Random, past: bool) -> RegistrationOutcome:
    if not past:
        return RegistrationOutcome.registered
    outcomes = (
        RegistrationOutcome.registered,
        RegistrationOutcome.attended,
        RegistrationOutcome.intent,
        RegistrationOutcome.hired,
    )
    return rng.choices(outcomes, weights=(25, 40, 25, 10))[0]
