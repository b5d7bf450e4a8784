"""Draws the candidate (jobseeker, posting) pairs of ``matching/eval/data/ranking_pairs.jsonl``.

Not a test, and it grades nothing: the grades in the file are a person's judgement of each pair
(rubric in ``matching/eval/data/README.md``). This script only chooses which pairs to judge and
stores what the ranker needs to recompute their features offline.

1. Loads the demo city (Wuhan; ``--postings``/``--jobseekers``/``--employers``, seed, a fixed
   ``today``) into a fresh SQLite database through the service layer, as ``jobcircle demo`` does.
2. Builds the documents as the service's indexer does (``posting_docs``/``jobseeker_doc``, the
   service's tokenizer, vectors from the configured encoder), with stable ids: ``demo-p-…`` (the
   posting's external id), ``demo-j-NNNN`` (the jobseeker's index in the demo stream), the
   employer's credit code. The demo loads every posting at one moment, so each posting's
   ``created_at`` is drawn, seeded per posting: 0–4 days before the reference time for gigs,
   0–60 days for the rest — otherwise freshness would be the same for every pair.
3. Picks people of varied profiles (priority groups, travel modes, employment types, occupation
   groups, incomplete profiles) greedily from a seeded shuffle.
4. For each person, up to ``--per-person`` postings: the matcher's first four, one of its ranks
   5–20, then from every posting the person may be offered (with the index's BM25, cosine and
   travel minutes from home by the person's mode): one in the person's occupation medium group
   within 4× their travel limit, two anywhere within 2.5× the limit, one anywhere in the city;
   shortfalls are filled from within 2.5× the limit.
5. Writes one JSON line per pair, shuffled within each person so the file's order does not say
   where a pair came from (``drawn`` does). Grades and reasons already in the output file are
   kept for pairs that are drawn again; new pairs get ``grade: null``.

``--review`` prints the ungraded pairs (``--all``: every pair) as text to judge from: the two
records only, without scores, features or where the pair was drawn from.

    python bench/make_ranking_pairs.py [--workdir DIR] [--out PATH]
    python bench/make_ranking_pairs.py --review [--all] [--out PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import random
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.documents import (
    EDUCATION_LABEL,
    PRECISE,
    JobseekerDoc,
    PostingDoc,
    occupation_prefix,
)
from matching.eval.ranking import (
    DATA_PATH,
    context_to_json,
    doc_to_json,
    jobseeker_from_json,
    posting_from_json,
)
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.policy import PriorityPolicy
from matching.priority import may_offer
from matching.rank import EMPLOYMENT_LABEL, PairContext
from matching.taxonomy import Taxonomy
from matching.travel import MODE_LABELS

SEED = 2026
TODAY = date(2026, 3, 2)  # a Monday
CHINA = timezone(timedelta(hours=8))
NOW = datetime.combine(TODAY, time(9, 0), tzinfo=CHINA)
PEOPLE = 44
PER_PERSON = 9
WIDE = 2.5  # "within a wider radius": this many times the person's travel limit
GROUP_WIDE = 4.0


async def _load_documents(
    workdir: Path, *, postings: int, jobseekers: int, employers: int
) -> tuple[list[PostingDoc], list[JobseekerDoc], Taxonomy, PriorityPolicy]:
    from sqlmodel import col, select

    from matching.embed import Encoder
    from service.config import Settings
    from service.db import create_engine, create_sessionmaker
    from service.demo.generator import jobseeker_phone
    from service.demo.loader import load_demo_city_summary
    from service.embeddings.service import jobseeker_text, posting_text
    from service.employers.models import Employer
    from service.jobseekers.models import Jobseeker
    from service.postings.models import Posting, PostingSourceRecord
    from service.reference.data import load_reference
    from service.search.documents import jobseeker_doc, posting_docs
    from service.search.runtime import search_tokens

    database = workdir / "demo.db"
    database.unlink(missing_ok=True)
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    await load_demo_city_summary(
        settings,
        postings=postings,
        jobseekers=jobseekers,
        employers=employers,
        seed=SEED,
        today=TODAY,
        show_progress=False,
    )
    ref = load_reference(settings)
    encoder = Encoder(settings.embedding_model)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = list((await session.exec(select(Posting).where(Posting.status == "open"))).all())
            people = list(
                (
                    await session.exec(select(Jobseeker).where(col(Jobseeker.deleted_at).is_(None)))
                ).all()
            )
            external = dict(
                (
                    await session.exec(
                        select(PostingSourceRecord.posting_id, PostingSourceRecord.external_id)
                    )
                ).all()
            )
            credit = dict((await session.exec(select(Employer.id, Employer.credit_code))).all())
            texts = [posting_text(p, ref.taxonomy) for p in rows]
            vectors = dict(zip([p.id for p in rows], encoder.encode(texts), strict=True))
            docs = await posting_docs(session, rows, vectors, search_tokens, ref.policy)
            texts = [jobseeker_text(p, ref.taxonomy) for p in people]
            people_vectors = encoder.encode(texts)
            person_docs = [
                jobseeker_doc(p, v, search_tokens)
                for p, v in zip(people, people_vectors, strict=True)
            ]
    finally:
        await engine.dispose()
    index_of = {jobseeker_phone(i): i for i in range(jobseekers)}
    phone = {p.id: p.phone for p in people}
    stable_postings = [
        dataclasses.replace(
            doc,
            id=external[doc.id],
            employer_id=credit.get(doc.employer_id) or doc.employer_id,
            event_ids=(),
            station_id=None,
            created_at=_drawn_created_at(external[doc.id], doc.employment_type),
        )
        for doc in docs
    ]
    stable_people = [
        dataclasses.replace(doc, id=f"demo-j-{index_of[phone[doc.id]]:04d}", registered_at=None)
        for doc in person_docs
    ]
    return stable_postings, stable_people, ref.taxonomy, ref.policy


def _drawn_created_at(key: str, employment_type: str) -> datetime:
    rng = random.Random(f"{SEED}-created-{key}")
    days = rng.uniform(0, 4) if employment_type == "gig" else rng.uniform(0, 60)
    return NOW - timedelta(days=round(days, 2))


# --- choosing people -------------------------------------------------------------------------


def _traits(person: JobseekerDoc, policy: PriorityPolicy) -> set[str]:
    """What a person adds to the variety of the chosen set."""
    mode = person.travel_mode or "default"
    traits = {f"mode:{mode}", f"district:{person.adcode}"}
    traits |= {f"group:{g}" for g in person.group_codes} or {"group:none"}
    traits |= {f"type:{t}" for t in person.employment_types} or {"type:any"}
    traits |= {f"medium:{occupation_prefix(c, 2)}" for c in person.desired_occupations}
    if not person.desired_occupations:
        traits.add("incomplete:no_occupation")
    if person.location_precision != PRECISE:
        traits.add("incomplete:no_exact_home")
    if not person.salary_expectation:
        traits.add("incomplete:no_pay")
    if not person.skills and not person.certificates:
        traits.add("incomplete:no_skills")
    if person.salary_expectation_unit != "month":
        traits.add(f"pay_unit:{person.salary_expectation_unit}")
    if person.available_weekdays or person.available_day_parts:
        traits.add("availability")
    return traits


QUOTAS = {"group": 2, "mode": 4, "type": 3, "incomplete": 4, "medium": 1, "district": 1}


def choose_people(people: list[JobseekerDoc], policy: PriorityPolicy) -> list[JobseekerDoc]:
    pool = sorted(people, key=lambda p: p.id)
    random.Random(f"{SEED}-people").shuffle(pool)
    traits = {p.id: _traits(p, policy) for p in pool}
    counts: Counter[str] = Counter()
    chosen: dict[str, JobseekerDoc] = {}

    def gain(person: JobseekerDoc) -> int:
        return sum(counts[t] < QUOTAS.get(t.split(":")[0], 0) for t in traits[person.id])

    for _ in range(min(PEOPLE, len(pool))):
        best = max((p for p in pool if p.id not in chosen), key=gain)
        chosen[best.id] = best
        counts.update(traits[best.id])
    return list(chosen.values())


# --- drawing postings ------------------------------------------------------------------------


async def draw_pairs(
    postings: list[PostingDoc],
    people: list[JobseekerDoc],
    taxonomy: Taxonomy,
    policy: PriorityPolicy,
) -> list[dict[str, Any]]:
    index = EmbeddedIndex()
    await index.bulk_load([*postings, *people])
    matcher = Matcher(index, taxonomy, policy)
    by_id = {p.id: p for p in postings}
    out: list[dict[str, Any]] = []
    for person in choose_people(people, policy):
        rng = random.Random(f"{SEED}-draw-{person.id}")
        # the matcher's own first query, with the travel limit lifted: minutes only annotate
        query, mode, reach = matcher.posting_query(person, now=NOW)
        limit = float(reach)
        groups = person.group_codes
        if query.filters.travel is not None:
            travel = dataclasses.replace(query.filters.travel, max_minutes=None)
            query = dataclasses.replace(
                query, filters=dataclasses.replace(query.filters, travel=travel)
            )
        every = {
            c.id: c
            for c in await index.search_postings(query, limit=len(postings))
            if may_offer(policy, by_id[c.id], groups)
        }
        matches = [m.posting_id for m in await matcher.postings_for(person, limit=20, now=NOW)]
        drawn: dict[str, str] = {}
        for rank, posting_id in enumerate(matches[:4], start=1):
            drawn[posting_id] = f"matcher_{rank}"
        deeper = matches[4:20]
        if deeper:
            pick = rng.choice(deeper)
            drawn[pick] = f"matcher_{matches.index(pick) + 1}"

        minutes = {
            i: float("inf") if c.travel_minutes is None else c.travel_minutes
            for i, c in every.items()
        }
        free = sorted(set(every) - set(drawn))
        wide = [i for i in free if minutes[i] <= WIDE * limit]
        mediums = {occupation_prefix(c, 2) for c in person.desired_occupations}
        same_group = [
            i
            for i in free
            if minutes[i] <= GROUP_WIDE * limit
            and by_id[i].occupation_code
            and occupation_prefix(by_id[i].occupation_code or "", 2) in mediums
        ]
        for source, label, count in (
            (same_group, "same_group_wide", 1),
            (wide, "random_wide", 2),
            (free, "random_city", 1),
            (wide, "random_wide", PER_PERSON),
            (free, "random_city", PER_PERSON),
        ):
            options = [i for i in source if i not in drawn]
            for posting_id in rng.sample(options, min(count, len(options))):
                if len(drawn) >= PER_PERSON:
                    break
                drawn[posting_id] = label
        pairs = []
        for posting_id, label in drawn.items():
            candidate = every[posting_id]
            posting = by_id[posting_id]
            context = PairContext(
                lexical=candidate.lexical,
                vector=candidate.vector,
                travel_minutes=candidate.travel_minutes,
                travel_mode=mode if candidate.travel_minutes is not None else None,
                travel_limit=limit,
                imprecise=candidate.imprecise,
            )
            pairs.append(
                {
                    "pair_id": f"{person.id}|{posting_id}",
                    "now": NOW.isoformat(),
                    "drawn": label,
                    "jobseeker": doc_to_json(person),
                    "posting": doc_to_json(posting),
                    "retrieval": _rounded(context_to_json(context)),
                    "grade": None,
                    "reason": None,
                }
            )
        rng.shuffle(pairs)
        out += pairs
    return out


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


def _write(pairs: list[dict[str, Any]], out: Path) -> None:
    kept: dict[str, dict[str, Any]] = {}
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                kept[row["pair_id"]] = row
    for pair in pairs:
        old = kept.get(pair["pair_id"])
        if old is not None and old.get("grade") is not None:
            pair["grade"], pair["reason"] = old["grade"], old["reason"]
    lost = sum(1 for p in kept.values() if p.get("grade") is not None) - sum(
        1 for p in pairs if p["grade"] is not None
    )
    if lost > 0:
        print(f"warning: {lost} graded pairs of {out} are not drawn again", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(pair, ensure_ascii=False, separators=(",", ":")) + "\n")


# --- review ----------------------------------------------------------------------------------

UNIT = {"month": "元/月", "day": "元/天", "hour": "元/时", "piece": "元/件"}
PARTS = {"morning": "上午", "afternoon": "下午", "evening": "晚上", "night": "夜间"}


def _names(taxonomy: Taxonomy, codes: tuple[str, ...]) -> str:
    found = []
    for code in codes:
        occupation = taxonomy.get(code)
        found.append(f"{code} {occupation.name if occupation else '?'}")
    return "、".join(found) or "—"


def _person_text(person: JobseekerDoc, taxonomy: Taxonomy, regions: Any) -> str:
    region = regions.get(person.adcode) if person.adcode else None
    pay = (
        f"{person.salary_expectation}{UNIT[person.salary_expectation_unit]}"
        if person.salary_expectation
        else "—"
    )
    types = "、".join(EMPLOYMENT_LABEL.get(t, t) for t in person.employment_types) or "不限"
    days = ",".join(str(d) for d in person.available_weekdays)
    parts = ",".join(PARTS.get(p, p) for p in person.available_day_parts)
    mode = MODE_LABELS.get(person.travel_mode or "", "默认(步行)")
    limit = person.travel_max_minutes or 15
    return "\n".join(
        [
            f"== {person.id}  {region.name if region else person.adcode}"
            f" ({'住址精确' if person.location_precision == PRECISE else '仅知区县'})"
            f"  重点群体: {'、'.join(person.group_codes) or '—'}"
            f"{'  不挑工作' if person.not_choosy else ''}",
            f"   想做: {'、'.join(person.desired_titles) or '—'} | 职业: "
            f"{_names(taxonomy, person.desired_occupations)}",
            f"   技能: {'、'.join(person.skills) or '—'} | 证书: "
            f"{'、'.join(person.certificates) or '—'} | 学历: "
            f"{EDUCATION_LABEL.get(person.education or '', '—')} | 经验: "
            f"{'—' if person.experience_years is None else person.experience_years}年",
            f"   用工形式: {types} | 期望: {pay} | 通勤: {mode} {limit}分钟"
            f"{' | 空闲: 周' + days if days else ''}{' ' + parts if parts else ''}",
        ]
    )


def _posting_text(
    letter: str, posting: PostingDoc, context: dict[str, Any], now: datetime, taxonomy: Taxonomy
) -> str:
    low, high = posting.salary_min, posting.salary_max
    pay = "—" if low is None and high is None else f"{low or ''}-{high or ''}"
    pay += UNIT.get(posting.salary_unit, "")
    monthly = posting.monthly_pay_max
    if monthly is not None and posting.salary_unit != "month":
        pay += f" (≈{posting.monthly_pay_min or 0:.0f}-{monthly:.0f}元/月)"
    minutes = context.get("travel_minutes")
    travel = (
        "—"
        if minutes is None
        else f"{MODE_LABELS.get(context.get('travel_mode') or '', '?')}{minutes:.0f}分钟"
        f"{'(估)' if context.get('imprecise') else ''}"
    )
    created = posting.created_at
    age = "" if created is None else f"{(now - created).total_seconds() / 86400:.0f}天前发布"
    starts = posting.starts_at.astimezone(CHINA) if posting.starts_at else None
    extra = []
    if starts is not None:
        extra.append(f"开工 {starts:%m-%d %a %H:%M}")
    if posting.education:
        extra.append(f"学历≥{EDUCATION_LABEL.get(posting.education, posting.education)}")
    if posting.experience_years:
        extra.append(f"经验≥{posting.experience_years}年")
    if posting.reserved_for:
        extra.append("专岗: " + "、".join(posting.reserved_for))
    if posting.event_target_groups:
        extra.append("专场面向: " + "、".join(posting.event_target_groups))
    code = posting.occupation_code
    occupation = _names(taxonomy, (code,)) if code else "无职业代码"
    return "\n".join(
        [
            f"  {letter}) {posting.title} [{occupation}]",
            f"     {EMPLOYMENT_LABEL.get(posting.employment_type, posting.employment_type)}"
            f" | {pay} | {travel} | {age}",
            f"     技能: {'、'.join(posting.skills) or '—'} | 证书: "
            f"{'、'.join(posting.certificates) or '—'}"
            f"{' | ' + ' | '.join(extra) if extra else ''}",
        ]
    )


def review(out: Path, *, everything: bool) -> None:
    from matching.regions import load_regions
    from matching.taxonomy import load_taxonomy

    taxonomy, regions = load_taxonomy(), load_regions()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]
    current = None
    letters = "abcdefghijklmnop"
    n = 0
    for row in rows:
        if row.get("grade") is not None and not everything:
            continue
        person = jobseeker_from_json(row["jobseeker"])
        if person.id != current:
            current, n = person.id, 0
            print()
            print(_person_text(person, taxonomy, regions))
        posting = posting_from_json(row["posting"])
        now = datetime.fromisoformat(row["now"])
        print(_posting_text(letters[n], posting, row["retrieval"], now, taxonomy))
        print(f"     id {row['pair_id']}")
        n += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("var/ranking-pairs"))
    parser.add_argument("--out", type=Path, default=DATA_PATH)
    parser.add_argument("--postings", type=int, default=2500)
    parser.add_argument("--jobseekers", type=int, default=600)
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--review", action="store_true", help="print pairs to judge")
    parser.add_argument("--all", action="store_true", help="with --review: graded ones too")
    args = parser.parse_args()
    if args.review:
        review(args.out, everything=args.all)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    postings, people, taxonomy, policy = asyncio.run(
        _load_documents(
            args.workdir,
            postings=args.postings,
            jobseekers=args.jobseekers,
            employers=args.employers,
        )
    )
    pairs = asyncio.run(draw_pairs(postings, people, taxonomy, policy))
    _write(pairs, args.out)
    drawn = Counter(p["drawn"].split("_")[0] for p in pairs)
    print(
        f"{len(pairs)} pairs of {len({p['jobseeker']['id'] for p in pairs})} people "
        f"written to {args.out} ({dict(drawn)})"
    )


if __name__ == "__main__":
    main()
