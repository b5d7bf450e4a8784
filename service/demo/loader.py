"""Loads the demo city through the service layer, idempotently.

Every row goes through the same service functions as the API (so every rule applies: known
districts and occupations, credit screening, encrypted ID numbers, the change log). Items whose
stable key is already in the database are skipped without being rewritten; the keys of each
kind are read in one query before its items are streamed. New items are written in batches,
each batch in its own session and transaction, so an interrupted load resumes where it stopped.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.caller import Caller, Role
from service.circle.importer import CommunityImportReport
from service.config import Environment, Settings
from service.crypto import PersonalDataCipher, cipher_for
from service.db import create_engine, create_sessionmaker, ensure_schema, refresh_statistics
from service.demo.accounts import DemoAccount, accounts_table, ensure_demo_accounts
from service.demo.communities import load_demo_communities
from service.demo.generator import (
    CITY_NAME,
    POSTING_KEY_PREFIX,
    BoothLink,
    DemoCity,
    Kind,
    Planned,
    Registration,
)
from service.employers import service as employers
from service.employers.models import Employer
from service.enums import PostingStatus
from service.errors import Conflict
from service.events import service as events
from service.events.models import Event
from service.events.schemas import BoothPosting, EventPostingsLink, RegistrationCreate
from service.jobseekers import service as jobseekers
from service.jobseekers.models import Jobseeker
from service.postings import service as postings
from service.postings.models import PostingSourceRecord
from service.progress import progress_bars
from service.reference.data import ReferenceData, load_reference
from service.stations import service as stations
from service.stations.models import Station

BATCH_SIZE = 200
ORDER = (Kind.station, Kind.employer, Kind.event, Kind.posting, Kind.jobseeker)
LABELS = {
    Kind.station: "服务站点 stations",
    Kind.employer: "用人单位 employers",
    Kind.event: "招聘活动 events",
    Kind.posting: "岗位 postings",
    Kind.jobseeker: "求职者 jobseekers",
}

# The loader writes as the system itself: every rule applies, no scope limits it.
LOADER = Caller(role=Role.admin, actor_id="demo-loader", via="cli")


@dataclass
class KindTally:
    created: int = 0
    existing: int = 0  # the key was already in the database: left as it is
    refused: int = 0  # a service rule said no (an ID number registered under another phone)
    rejected: int = 0  # postings created but refused by screening (barred employer, …)
    held: int = 0  # postings created but held for staff review by screening
    links: int = 0  # booths (postings) or registrations (jobseekers) made


@dataclass
class LoadSummary:
    city: str
    database: str
    seed: int
    seconds: float = 0.0
    tallies: dict[Kind, KindTally] = field(
        default_factory=lambda: {kind: KindTally() for kind in ORDER}
    )
    accounts: list[DemoAccount] = field(default_factory=list)
    communities: CommunityImportReport = field(default_factory=CommunityImportReport)

    @property
    def created(self) -> int:
        return sum(t.created + t.links for t in self.tallies.values()) + self.communities.created

    def report(self) -> str:
        lines = [
            f"Demo city {self.city}, seed {self.seed}, in {self.database} ({self.seconds:.1f} s)",
            f"  {'':<12}{'created':>9}{'already there':>15}",
        ]
        for kind in ORDER:
            tally = self.tallies[kind]
            lines.append(f"  {kind.value:<12}{tally.created:>9}{tally.existing:>15}")
        places = self.communities
        lines.append(f"  {'community':<12}{places.created:>9}{places.unchanged:>15}")
        lines.extend(
            f"  {kind.value}: {_notes(kind, t)}"
            for kind, t in self.tallies.items()
            if _notes(kind, t)
        )
        if self.created == 0:
            lines.append("Nothing new: everything was already there.")
        return "\n".join(lines)


def _notes(kind: Kind, tally: KindTally) -> str:
    notes = []
    if kind == Kind.posting and tally.links:
        notes.append(f"{tally.links} linked to job-fair booths")
    if kind == Kind.jobseeker and tally.links:
        notes.append(f"{tally.links} event registrations")
    if tally.rejected:
        notes.append(f"{tally.rejected} rejected by screening")
    if tally.held:
        notes.append(f"{tally.held} held for staff review by screening")
    if tally.refused:
        notes.append(f"{tally.refused} refused (ID number already registered)")
    return "; ".join(notes)


async def load_demo_city(
    settings: Settings,
    *,
    postings: int,
    jobseekers: int,
    employers: int,
    seed: int,
    today: date | None = None,
    show_progress: bool = True,
) -> str:
    """Load (or complete) the demo city; returns a short report of what was created."""
    summary = await load_demo_city_summary(
        settings,
        postings=postings,
        jobseekers=jobseekers,
        employers=employers,
        seed=seed,
        today=today,
        show_progress=show_progress,
    )
    report = summary.report()
    if summary.accounts:
        report += "\n" + accounts_table(summary.accounts)
    return report


async def load_demo_city_summary(
    settings: Settings,
    *,
    postings: int,
    jobseekers: int,
    employers: int,
    seed: int,
    today: date | None = None,
    show_progress: bool = True,
    batch_size: int = BATCH_SIZE,
) -> LoadSummary:
    started = time.perf_counter()
    ref = load_reference(settings)
    city = DemoCity(
        postings=postings,
        jobseekers=jobseekers,
        employers=employers,
        seed=seed,
        today=today,
        taxonomy=ref.taxonomy,
        regions=ref.regions,
        policy=ref.policy,
    )
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    summary = LoadSummary(city=CITY_NAME, database=database, seed=seed)
    engine = create_engine(settings)
    try:
        await ensure_schema(engine, settings)
        loader = _Loader(create_sessionmaker(engine), ref, cipher_for(settings.secret_key))
        with _progress(show_progress) as progress:
            for kind in ORDER:
                summary.tallies[kind] = await loader.load(city, kind, progress, batch_size)
        summary.communities = await load_demo_communities(loader.maker, city.districts, seed)
        if summary.created:
            await refresh_statistics(engine)
        if settings.environment != Environment.production:
            async with create_sessionmaker(engine)() as session:
                summary.accounts = await ensure_demo_accounts(session)
    finally:
        await engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _progress(show: bool) -> Iterator[Progress]:
    progress = progress_bars(Console(stderr=True), disable=not show)
    with progress:
        yield progress


# =============================================================================================


_KEY_QUERIES: dict[Kind, Any] = {
    Kind.station: select(Station.name, Station.id),
    Kind.employer: select(Employer.credit_code, Employer.id).where(
        col(Employer.credit_code).is_not(None)
    ),
    Kind.event: select(Event.name, Event.id),
    # (source, external_id) is the service's idempotency key; demo ids are unique across
    # sources, so the external id alone decides (another seed may pick another source)
    Kind.posting: select(PostingSourceRecord.external_id, PostingSourceRecord.posting_id).where(
        col(PostingSourceRecord.external_id).startswith(POSTING_KEY_PREFIX)
    ),
    Kind.jobseeker: select(Jobseeker.phone, Jobseeker.id),
}


class _Loader:
    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        ref: ReferenceData,
        cipher: PersonalDataCipher,
    ) -> None:
        self.maker = maker
        self.ref = ref
        self.cipher = cipher
        self.ids: dict[Kind, dict[str, str]] = {}  # stable key → database id, per kind

    async def load(
        self, city: DemoCity, kind: Kind, progress: Progress, batch_size: int
    ) -> KindTally:
        tally = KindTally()
        self.ids[kind] = await self._existing_keys(kind)
        task = progress.add_task(LABELS[kind], total=city.counts()[kind])
        batch: list[Planned[Any]] = []
        for item in city.of_kind(kind):
            if item.key in self.ids[kind]:
                tally.existing += 1
                progress.advance(task)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                await self._write(kind, batch, tally)
                progress.advance(task, len(batch))
                batch = []
        if batch:
            await self._write(kind, batch, tally)
            progress.advance(task, len(batch))
        return tally

    async def _existing_keys(self, kind: Kind) -> dict[str, str]:
        async with self.maker() as session:
            rows = (await session.exec(_KEY_QUERIES[kind])).all()
        return {key: row_id for key, row_id in rows}

    async def _write(self, kind: Kind, batch: list[Planned[Any]], tally: KindTally) -> None:
        """One batch, one transaction: the rows and their links commit together."""
        async with self.maker() as session:
            links: list[tuple[str, BoothLink | Registration]] = []
            for item in batch:
                row_id = await self._create(session, kind, item, tally)
                if row_id is None:
                    continue
                self.ids[kind][item.key] = row_id
                links.extend((row_id, link) for link in item.links)
            await self._link(session, links, tally)
            await session.commit()

    async def _create(
        self, session: AsyncSession, kind: Kind, item: Planned[Any], tally: KindTally
    ) -> str | None:
        data = self._resolved(item)
        if kind == Kind.station:
            row_id = (await stations.create(session, self.ref, data)).id
        elif kind == Kind.employer:
            row_id = (await employers.create(session, self.ref, data, caller=LOADER)).id
        elif kind == Kind.event:
            row_id = (await events.create(session, self.ref, data)).id
        elif kind == Kind.posting:
            result = await postings.create(session, self.ref, data, caller=LOADER)
            tally.rejected += result.posting.status == PostingStatus.rejected
            tally.held += result.posting.status == PostingStatus.pending_review
            row_id = result.posting.id
        else:
            try:
                row_id = (await jobseekers.create(session, self.ref, self.cipher, data)).id
            except Conflict:
                tally.refused += 1
                return None
        tally.created += 1
        return row_id

    def _resolved(self, item: Planned[Any]) -> Any:
        """The request body with references by key replaced by database ids."""
        if not item.refs:
            return item.data
        updates = {name: self._id_of(ref.kind, ref.key) for name, ref in item.refs.items()}
        return item.data.model_copy(update=updates)

    def _id_of(self, kind: Kind, key: str) -> str:
        try:
            return self.ids[kind][key]
        except KeyError:
            raise LookupError(f"demo {kind} {key!r} is not in the database") from None

    async def _link(
        self,
        session: AsyncSession,
        links: list[tuple[str, BoothLink | Registration]],
        tally: KindTally,
    ) -> None:
        booths: dict[str, list[BoothPosting]] = defaultdict(list)
        for row_id, link in links:
            event_id = self._id_of(Kind.event, link.event)
            if isinstance(link, BoothLink):
                booths[event_id].append(BoothPosting(posting_id=row_id, booth=link.booth))
                continue
            event = await events.get_or_404(session, event_id)
            body = RegistrationCreate(jobseeker_id=row_id, outcome=link.outcome)
            _, created = await events.register(session, event, body, caller=LOADER)
            tally.links += created
        for event_id, items in booths.items():
            event = await events.get_or_404(session, event_id)
            await events.link_postings(session, event, EventPostingsLink(postings=items))
            tally.links += len(items)
