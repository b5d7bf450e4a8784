"""One batch of an import, inside one transaction: rows → stored postings and a report.

For each row, in order: read its cells (``ingest.records``), find its employer and place,
derive its occupation, screen it (``ingest.screening``), then
- a row whose key — (source, external_id), or a fingerprint of its content when it has no id —
  was stored before updates that posting if anything changed, else it is a duplicate;
- a new row that is the same vacancy as an open posting of the same employer received through
  another channel (``ingest.dedupe``) becomes one more source of that posting;
- anything else is a new posting, open, held for review or refused by the posting rules.
Keys are stored with every posting (``posting_sources``), so a batch committed before an import
was killed is found again when the file is sent again: nothing doubles, nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, func, insert, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.dedupe import VacancyFacts, best_duplicate
from ingest.readers import RawRow, RowProblem
from ingest.records import FieldError, PostingRecord, RowErrors, posting_record
from service.caller import Caller
from service.changelog import outbox
from service.changelog.models import ChangeRecord
from service.employers.models import Employer
from service.enums import ChangeOp, LocationPrecision, PostingStatus
from service.events.models import EventPosting
from service.imports.employers import resolve_employers
from service.imports.places import place_records
from service.imports.report import ImportReport, MergedRow, RejectedRow, RowError, ScreenedRow
from service.locations import Place
from service.postings import access
from service.postings.models import Posting, PostingSourceRecord
from service.postings.screening import screening_flags
from service.postings.service import status_for
from service.reference.data import ReferenceData, derive_occupations
from service.sqltypes import new_id, utcnow

_REVIEWABLE = {PostingStatus.open, PostingStatus.pending_review}


# What the de-duplication rules compare, read from stored postings.
_FACTS = (
    "employer_id", "title", "occupation_code", "adcode", "lat", "lon", "location_precision",
    "valid_until", "starts_at", "ends_at", "employment_type",
)  # fmt: skip


@dataclass(frozen=True)
class _Candidate:
    id: str
    facts: VacancyFacts


class ChannelPostings:
    """Postings known to have arrived through an import's channel, by employer, gathered over
    the batches of one run (the postings it created or merged into, and those it read).

    A source is never taken off a posting and a posting never changes employer, so an employer
    with no more postings than are known here has none from another channel: nothing its new
    rows could be merged into. A batch then counts the postings of its employers (the employer
    index alone) and reads only the employers that have others — not, batch after batch, every
    posting of every employer, most of them the channel's own."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str]] = {}

    def count(self, employer_id: str) -> int:
        return len(self._ids.get(employer_id, ()))

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Note (employer id, posting id) pairs: only postings committed with the channel."""
        for employer_id, posting_id in pairs:
            self._ids.setdefault(employer_id, set()).add(posting_id)


@dataclass(frozen=True)
class ImportOptions:
    source: str
    caller: Caller
    employer_id: str | None = None  # every row is this employer's
    event_id: str | None = None  # a fair feed: link each posting to the event, at its booth
    station_id: str | None = None  # a station feed: the station that posts them
    default_adcode: str | None = None  # where rows that say nothing are (the station's district)
    today: date = field(default_factory=date.today)


@dataclass
class _Row:
    number: int
    where: str | None
    record: PostingRecord
    employer: Employer
    place: Place
    key: str
    occupation: str | None = None
    derivation: str = "unresolved"


class Batch:
    def __init__(
        self,
        session: AsyncSession,
        ref: ReferenceData,
        options: ImportOptions,
        fixed_employer: Employer | None,
        where: dict[int, str] | None = None,
        channel: ChannelPostings | None = None,
    ) -> None:
        self.session = session
        self.ref = ref
        self.options = options
        self.fixed = fixed_employer
        self.where = where or {}
        self.channel = channel or ChannelPostings()
        # (employer id, posting id) that have the channel once this batch commits
        self.channel_postings: list[tuple[str, str]] = []
        self.report = ImportReport()
        self.new_employers: list[Employer] = []
        self.new_postings: list[dict[str, Any]] = []
        self.new_sources: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []

    def _reject(self, number: int, errors: Sequence[FieldError]) -> None:
        self.report.rejected.append(
            RejectedRow(
                row=number,
                where=self.where.get(number),
                errors=[RowError(field=e.field, message=e.message) for e in errors],
            )
        )

    async def run(self, items: Sequence[RawRow | RowProblem]) -> ImportReport:
        await self._plan_every_query()
        self.report.rows = len(items)
        records: list[PostingRecord] = []
        for item in items:
            if isinstance(item, RowProblem):
                self._reject(item.number, [FieldError("row", item.reason)])
                continue
            read = posting_record(item, today=self.options.today)
            if isinstance(read, RowErrors):
                self._reject(read.number, read.errors)
            else:
                records.append(read)
        rows = await self._resolve(records)
        await self._store(rows)
        return self.report

    async def _plan_every_query(self) -> None:
        """On PostgreSQL, plan each of this transaction's queries for its own values. The
        driver prepares a statement once per connection, and after five runs PostgreSQL may
        keep a generic plan, in which ``key IN (1,000 parameters)`` is a list compared value by
        value against every row the index gives: on a table still without statistics (a first
        import) half a second per batch at 20,000 postings, growing with the table. A plan made
        for the values hashes the list (or probes the index)."""
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    async def _resolve(self, records: list[PostingRecord]) -> list[_Row]:
        employers = await resolve_employers(
            self.session,
            records,
            fixed=self.fixed,
            caller=self.options.caller,
            created=self.new_employers,
        )
        places = place_records(self.ref, records, default_adcode=self.options.default_adcode)
        rows: list[_Row] = []
        for record, employer, place in zip(records, employers, places, strict=True):
            problems = [x for x in (employer, place) if isinstance(x, FieldError)]
            if record.occupation_code and record.occupation_code not in self.ref.taxonomy:
                unknown = f"unknown CSCO-2022 code {record.occupation_code}"
                problems.append(FieldError("occupation_code", unknown))
            if not problems:
                assert isinstance(employer, Employer) and isinstance(place, Place)
                if not access.may_manage(
                    self.options.caller,
                    employer_id=employer.id,
                    adcode=place.adcode,
                    station_id=self.options.station_id,
                ):
                    problems.append(FieldError("location", "outside the districts you serve"))
            if problems:
                self._reject(record.number, problems)
                continue
            key = record.external_id or record.fingerprint(employer.id)  # type: ignore[union-attr]
            rows.append(
                _Row(record.number, self.where.get(record.number), record, employer, place, key)  # type: ignore[arg-type]
            )
        self.report.employers_created = len(self.new_employers)
        untitled = [r for r in rows if r.record.occupation_code is None]
        derived = derive_occupations(self.ref, [r.record.title for r in untitled])
        for row, code in zip(untitled, derived, strict=True):
            row.occupation, row.derivation = code, "title" if code else "unresolved"
        for row in rows:
            if row.record.occupation_code:
                row.occupation, row.derivation = row.record.occupation_code, "provided"
        return rows

    async def _store(self, rows: list[_Row]) -> None:
        source = self.options.source
        keys = list({r.key for r in rows})
        known: dict[str, Posting] = {}
        if keys:
            pairs = (
                await self.session.exec(
                    select(PostingSourceRecord.external_id, PostingSourceRecord.posting_id).where(
                        PostingSourceRecord.source == source,
                        col(PostingSourceRecord.external_id).in_(keys),
                    )
                )
            ).all()
            postings = await self._postings([p for _, p in pairs])
            known = {key: postings[pid] for key, pid in pairs if pid in postings}
        created = {e.id for e in self.new_employers}  # no postings yet
        candidates = await self._candidates(
            {r.employer.id for r in rows if r.key not in known and r.employer.id not in created}
        )
        stored_now: dict[str, str] = {}  # key → posting id, for keys repeated inside the batch
        for row in rows:
            values = self._values(row)
            flags = screening_flags(
                values,
                row.employer,
                extra_texts=tuple(row.record.extra.values()),
                relayed=self.options.event_id is not None or self.options.station_id is not None,
            )
            posting = known.get(row.key)
            if posting is not None:
                self._update(row, posting, values, flags)
                continue
            if row.key in stored_now:
                self.report.duplicate += 1
                continue
            same = self._same_vacancy(row, values, candidates.get(row.employer.id))
            if same is not None:
                self._add_source(same.id, row.key)
                self.channel_postings.append((row.employer.id, same.id))
                await self._link_event(same.id, row.record.booth)
                self.report.duplicate += 1
                self.report.merged.append(MergedRow(row=row.number, posting_id=same.id))
                stored_now[row.key] = same.id
                continue
            stored_now[row.key] = self._create(row, values, flags)
        # new employers, then updates (the outbox writes their change records in this flush),
        # then new rows, which refer to both: change records in the order the ORM wrote them
        await self._insert_employers()
        await self.session.flush()
        await self._insert(
            (Posting, self.new_postings),
            (PostingSourceRecord, self.new_sources),
            (EventPosting, self.links),
            (ChangeRecord, self.changes),
        )

    async def _insert_employers(self) -> None:
        if not self.new_employers:
            return
        now = utcnow()
        columns = [column.name for column in Employer.__table__.columns]  # type: ignore[attr-defined]
        await self._insert(
            (Employer, [{name: getattr(e, name) for name in columns} for e in self.new_employers]),
            (
                ChangeRecord,
                [
                    {"entity": "employer", "entity_id": e.id, "op": "created", "occurred_at": now}
                    for e in self.new_employers
                ],
            ),
        )

    async def _insert(self, *tables: tuple[type, list[dict[str, Any]]]) -> None:
        """Rows as multi-row inserts: building ORM objects was most of an import's time. The
        change records among them are the ones the outbox would write."""
        connection = await self.session.connection()  # the session's own transaction
        for model, rows in tables:
            if rows:
                await connection.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
                if model is ChangeRecord:
                    self.session.sync_session.info[outbox.CHANGED] = True

    async def _postings(self, ids: Sequence[str]) -> dict[str, Posting]:
        if not ids:
            return {}
        found = await self.session.exec(select(Posting).where(col(Posting.id).in_(list(ids))))
        return {p.id: p for p in found}

    async def _candidates(self, employer_ids: set[str]) -> dict[str, list[_Candidate]]:
        """Live postings of these employers that never arrived through this import's channel:
        the postings a new row may be one more source of. Rows of one channel are the sender's
        own business (two of its ids are two postings), so the channel's own postings — most
        of them, when a sender imports again — are left in the database."""
        out: dict[str, list[_Candidate]] = {}
        if not employer_ids:
            return out
        counts = await self.session.exec(
            select(Posting.employer_id, func.count())  # type: ignore[call-overload]
            .where(col(Posting.employer_id).in_(list(employer_ids)))
            .group_by(col(Posting.employer_id))
        )
        others = [e for e, n in counts.all() if n > self.channel.count(e)]
        if not others:
            return out
        columns = [getattr(Posting, name) for name in ("id", "status", "created_at", *_FACTS)]
        ours = exists().where(
            col(PostingSourceRecord.posting_id) == col(Posting.id),
            PostingSourceRecord.source == self.options.source,
        )
        # The status is tested here, not in SQL: given both, SQLite walks the status index
        # (every open posting, for every batch) instead of the employers' postings.
        statement = select(*columns, ours.label("ours")).where(col(Posting.employer_id).in_(others))
        for row in (await self.session.exec(statement)).all():  # type: ignore[call-overload]
            if row.ours:
                self.channel_postings.append((row.employer_id, row.id))
                continue
            if row.status not in _REVIEWABLE:
                continue
            values = {name: getattr(row, name) for name in _FACTS}
            facts = _facts(row.employer_id, values, row.created_at.date())
            out.setdefault(row.employer_id, []).append(_Candidate(row.id, facts))
        return out

    def _values(self, row: _Row) -> dict[str, Any]:
        r = row.record
        requirements: dict[str, Any] = {
            "education": r.education,
            "experience_years": r.experience_years,
            "certificates": list(r.certificates),
            "skills": list(r.skills),
        }
        return {
            "title": r.title,
            "description": r.description,
            "occupation_code": row.occupation,
            "occupation_derivation": row.derivation,
            "employment_type": r.employment_type,
            "salary_min": r.salary_min,
            "salary_max": r.salary_max,
            "salary_unit": r.salary_unit,
            "headcount": r.headcount,
            "adcode": row.place.adcode,
            "address": r.address,
            "lat": row.place.lat,
            "lon": row.place.lon,
            "location_precision": LocationPrecision(row.place.precision).value,
            "requirements": requirements,
            "starts_at": r.starts_at,
            "ends_at": r.ends_at,
            "valid_until": r.valid_until,
            "contact_phone": r.contact_phone or row.employer.contact_phone,
        }

    def _same_vacancy(
        self, row: _Row, values: dict[str, Any], candidates: list[_Candidate] | None
    ) -> _Candidate | None:
        """An open posting of the employer that is this vacancy, received through another
        channel (``candidates``, read when the batch began). Postings this batch creates are
        this channel's, so they are never candidates."""
        if not candidates:
            return None
        facts = _facts(row.employer.id, values, self.options.today)
        found = best_duplicate(facts, [c.facts for c in candidates])
        return None if found is None else candidates[found]

    def _create(self, row: _Row, values: dict[str, Any], flags: list[dict[str, str]]) -> str:
        now = utcnow()
        posting_id = new_id()
        status = status_for(flags)
        self.new_postings.append(
            {
                **values,
                "id": posting_id,
                "employer_id": row.employer.id,
                "station_id": self.options.station_id,
                "source": self.options.source,
                "screening": flags,
                "status": status.value,
                "created_at": now,
                "updated_at": now,
            }
        )
        self._add_source(posting_id, row.key, op=ChangeOp.created)
        self.channel_postings.append((row.employer.id, posting_id))
        if self.options.event_id:
            self.links.append(self._link(posting_id, row.record.booth))
        self.report.accepted += 1
        if status != PostingStatus.open:
            self._note_screened(row.number, posting_id, status, flags)
        return posting_id

    def _update(
        self, row: _Row, posting: Posting, values: dict[str, Any], flags: list[dict[str, str]]
    ) -> None:
        changed = {k: v for k, v in values.items() if getattr(posting, k) != v}
        if not changed or posting.source != self.options.source:
            # the channel that first sent a vacancy owns its text; a copy that arrived
            # through another channel (merged) changes nothing, so imports can alternate
            self.report.duplicate += 1
            return
        for name, value in changed.items():
            setattr(posting, name, value)
        if posting.status in _REVIEWABLE:  # a closed or reviewed posting keeps its state
            posting.screening = flags
            posting.status = status_for(flags)
        posting.updated_at = utcnow()
        self.session.add(posting)
        self.report.updated += 1
        if posting.status != PostingStatus.open:
            self._note_screened(row.number, posting.id, posting.status, posting.screening)

    def _note_screened(
        self, number: int, posting_id: str, status: str, flags: list[dict[str, Any]]
    ) -> None:
        self.report.screened.append(
            ScreenedRow(
                row=number,
                posting_id=posting_id,
                status=status,
                flags=[{k: str(v) for k, v in f.items()} for f in flags],
            )
        )

    def _add_source(self, posting_id: str, key: str, op: ChangeOp = ChangeOp.updated) -> None:
        now = utcnow()
        self.new_sources.append(
            {
                "id": new_id(),
                "posting_id": posting_id,
                "source": self.options.source,
                "external_id": key,
                "received_at": now,
            }
        )
        self.changes.append(
            {"entity": "posting", "entity_id": posting_id, "op": op.value, "occurred_at": now}
        )

    def _link(self, posting_id: str, booth: str | None) -> dict[str, Any]:
        return {
            "event_id": self.options.event_id,
            "posting_id": posting_id,
            "booth": booth,
            "linked_at": utcnow(),
        }

    async def _link_event(self, posting_id: str, booth: str | None) -> None:
        event_id = self.options.event_id
        if not event_id or any(link["posting_id"] == posting_id for link in self.links):
            return
        if await self.session.get(EventPosting, (event_id, posting_id)) is None:
            self.links.append(self._link(posting_id, booth))


def _facts(employer_id: str, values: dict[str, Any], since: date) -> VacancyFacts:
    return VacancyFacts(
        employer_id=employer_id,
        title=values["title"],
        occupation_code=values["occupation_code"],
        adcode=values["adcode"],
        lat=values["lat"],
        lon=values["lon"],
        location_precision=values["location_precision"],
        valid_from=since,
        valid_until=values["valid_until"],
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        employment_type=values["employment_type"],
    )
