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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert
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
    channels: set[str]


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
    ) -> None:
        self.session = session
        self.ref = ref
        self.options = options
        self.fixed = fixed_employer
        self.where = where or {}
        self.report = ImportReport()
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

    async def _resolve(self, records: list[PostingRecord]) -> list[_Row]:
        employers = await resolve_employers(
            self.session, records, fixed=self.fixed, caller=self.options.caller
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
        self.report.employers_created = sum(1 for e in self.session.new if isinstance(e, Employer))
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
        candidates = await self._candidates({r.employer.id for r in rows if r.key not in known})
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
            same = self._same_vacancy(row, values, candidates.get(row.employer.id, []))
            if same is not None:
                self._add_source(same.id, row.key)
                await self._link_event(same.id, row.record.booth)
                self.report.duplicate += 1
                self.report.merged.append(MergedRow(row=row.number, posting_id=same.id))
                stored_now[row.key] = same.id
                continue
            made = self._create(row, values, flags)
            stored_now[row.key] = made.id
            candidates[row.employer.id].append(made)
        await self.session.flush()  # employers and updates first: new rows refer to them
        await self._insert()

    async def _insert(self) -> None:
        """New postings, their sources and event links, and their change records, as
        multi-row inserts: building ORM objects was most of an import's time. The change
        records are the ones the outbox would write."""
        connection = await self.session.connection()  # the session's own transaction
        for model, rows in (
            (Posting, self.new_postings),
            (PostingSourceRecord, self.new_sources),
            (EventPosting, self.links),
            (ChangeRecord, self.changes),
        ):
            if rows:
                await connection.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        if self.changes:
            self.session.sync_session.info[outbox.CHANGED] = True

    async def _postings(self, ids: Sequence[str]) -> dict[str, Posting]:
        if not ids:
            return {}
        found = await self.session.exec(select(Posting).where(col(Posting.id).in_(list(ids))))
        return {p.id: p for p in found}

    async def _candidates(self, employer_ids: set[str]) -> defaultdict[str, list[_Candidate]]:
        """Live postings of these employers, each with the channels it arrived through."""
        out: defaultdict[str, list[_Candidate]] = defaultdict(list)
        if not employer_ids:
            return out
        columns = [getattr(Posting, name) for name in ("id", "created_at", *_FACTS)]
        statement = select(*columns).where(
            col(Posting.employer_id).in_(list(employer_ids)),
            col(Posting.status).in_([s.value for s in _REVIEWABLE]),
        )
        found = (await self.session.exec(statement)).all()  # type: ignore[call-overload]
        channels: defaultdict[str, set[str]] = defaultdict(set)
        ids = [row.id for row in found]
        for start in range(0, len(ids), 1000):
            pairs = await self.session.exec(
                select(PostingSourceRecord.posting_id, PostingSourceRecord.source).where(
                    col(PostingSourceRecord.posting_id).in_(ids[start : start + 1000])
                )
            )
            for posting_id, channel in pairs:
                channels[posting_id].add(channel)
        for row in found:
            values = {name: getattr(row, name) for name in _FACTS}
            facts = _facts(row.employer_id, values, row.created_at.date())
            out[row.employer_id].append(_Candidate(row.id, facts, channels[row.id]))
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
        self, row: _Row, values: dict[str, Any], candidates: list[_Candidate]
    ) -> _Candidate | None:
        """An open posting of the employer that is this vacancy, received through another
        channel. Rows of one channel are the sender's own business: two of its ids are two
        postings, even when they read alike."""
        others = [c for c in candidates if self.options.source not in c.channels]
        if not others:
            return None
        facts = _facts(row.employer.id, values, self.options.today)
        found = best_duplicate(facts, [c.facts for c in others])
        return None if found is None else others[found]

    def _create(self, row: _Row, values: dict[str, Any], flags: list[dict[str, str]]) -> _Candidate:
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
        if self.options.event_id:
            self.links.append(self._link(posting_id, row.record.booth))
        self.report.accepted += 1
        if status != PostingStatus.open:
            self._note_screened(row.number, posting_id, status, flags)
        facts = _facts(row.employer.id, values, self.options.today)
        return _Candidate(posting_id, facts, {self.options.source})

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
