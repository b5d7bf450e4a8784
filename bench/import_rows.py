"""Bulk import at city scale: rows per second, and embedding beside the bare model.

Not a test. Writes a partner export of ``--rows`` postings (the demo generator's Wuhan: real
titles, pay texts such as "4500-6000元/月" and "180元/天", street addresses, employers named by
name and credit code, so unknown employers are registered on the way), then into a fresh
database (``--database-url``, migrated here; default a temporary SQLite file):

1. import it as ``jobcircle import`` does — read, normalise, place, derive occupations, screen,
   de-duplicate, store in batches — and print rows/s end to end with embedding deferred
   (target ≥ 2,000 rows/s);
2. encode and store the vectors of the first ``--embed-rows`` imported postings as
   ``jobcircle import --embed`` / ``jobcircle embed`` does, and encode the very same texts with
   the bare model (``Encoder.encode``, same batch size), and print both rates and their ratio
   (target: within 10 %); then the import with embedding, end to end. The stored path encodes
   each distinct text once (as it does in service), so the bare model is also timed on the
   distinct texts alone: that ratio is the cost of reading and storing.

Every figure depends on what else the machine runs: the 1-minute load average is printed
beside each (``os.getloadavg``); compare figures taken at similar loads.

    python bench/import_rows.py [--rows 100000] [--embed-rows 10000] [--embed-rounds 1]
                                [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, func, update
from sqlmodel import col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import service.models  # noqa: F401  (every table)
from ingest.readers import read_csv
from matching.embed import Encoder
from service.caller import Caller, Role
from service.config import Settings
from service.db import create_engine, create_sessionmaker, upgrade
from service.demo.generator import DemoCity
from service.embeddings.backfill import embed_missing
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import posting_text
from service.imports.batch import ImportOptions
from service.imports.service import run_import
from service.postings.models import Posting
from service.reference.data import load_reference

HEADER = ["岗位编号", "岗位名称", "单位名称", "统一社会信用代码", "薪资", "工作地点", "招聘人数",
          "学历要求", "联系电话", "用工形式", "岗位描述", "技能要求", "开始时间", "结束时间",
          "有效期至"]  # fmt: skip
UNIT = {"month": "月", "day": "天", "hour": "小时", "piece": "件"}
TYPE = {"full_time": "全职", "part_time": "兼职", "gig": "零工", "internship": "实习",
        "public_welfare": "公益性岗位"}  # fmt: skip
EDUCATION = {None: "", "none": "不限", "primary": "小学", "junior_high": "初中",
             "senior_high": "高中", "vocational": "中专", "associate": "大专", "bachelor": "本科",
             "master": "硕士", "doctorate": "博士"}  # fmt: skip
BENCH = Caller(role=Role.admin, actor_id="bench", via="cli")


def write_export(path: Path, rows: int) -> None:
    city = DemoCity(postings=rows, jobseekers=0, employers=max(50, rows // 12))
    names = {e.data.credit_code: e.data.name for e in city.employers()}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for planned in city.postings():
            p = planned.data
            if p.salary_min is None:
                pay = "面议"
            elif p.salary_unit == "piece":
                pay = "计件"
            else:
                pay = f"{p.salary_min}-{p.salary_max}元/{UNIT[p.salary_unit]}"
            writer.writerow(
                [
                    p.external_id, p.title, names[p.employer_id], p.employer_id, pay, p.address,
                    p.headcount, EDUCATION[p.requirements.education], p.contact_phone,
                    TYPE[p.employment_type], p.description, "、".join(p.requirements.skills),
                    p.starts_at.isoformat() if p.starts_at else "",
                    p.ends_at.isoformat() if p.ends_at else "",
                    p.valid_until.isoformat() if p.valid_until else "",
                ]
            )  # fmt: skip


async def run(url: str, path: Path, embed_rows: int, rounds: int) -> None:
    settings = Settings(_env_file=None, database_url=url, log_level="WARNING")
    ref = load_reference(settings)
    engine = create_engine(settings)
    await upgrade(engine, url)
    maker = create_sessionmaker(engine)
    data = path.read_bytes()
    options = ImportOptions(source="import", caller=BENCH)

    load = _load()
    started, cpu = time.perf_counter(), time.process_time()
    report = await run_import(maker, ref, read_csv(data), options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"import, embedding deferred: {report.rows:,} rows in {seconds:.1f} s = "
        f"{report.rows / seconds:,.0f} rows/s (target ≥ 2,000; load {load} → {_load()})\n"
        f"  CPU {cpu:.1f} s (this process, all threads) = {report.rows / cpu:,.0f} rows per "
        f"CPU-second\n"
        f"  accepted {report.accepted:,}, duplicate {report.duplicate:,} (merged "
        f"{len(report.merged):,}), rejected {len(report.rejected):,}, screened "
        f"{len(report.screened):,}, employers created {report.employers_created:,}"
    )

    # keep only the first embed_rows open postings missing a vector: close the rest for the run
    encoder = Encoder(settings.embedding_model)
    async with maker() as session:
        ids = (
            await session.exec(
                select(Posting.id).where(Posting.status == "open").order_by(col(Posting.id))
            )
        ).all()
        keep, rest = ids[:embed_rows], ids[embed_rows:]
        for start in range(0, len(rest), 5000):  # no change records: nothing here reads them
            chunk = rest[start : start + 5000]
            closing = update(Posting).where(col(Posting.id).in_(chunk)).values(status="closed")
            await session.exec(closing)  # type: ignore[call-overload]
        await session.commit()
        postings = (await session.exec(select(Posting).where(col(Posting.id).in_(keep)))).all()
        texts = [posting_text(p, ref.taxonomy) for p in postings]
    encoder.encode(["预热"])  # load the model outside the timing

    distinct = list(dict.fromkeys(texts))
    per_row_import = seconds / report.rows
    for round_ in range(1, rounds + 1):
        if round_ > 1:  # the same work again: forget the vectors just stored
            async with maker() as session:
                await session.exec(delete(StoredEmbedding))  # type: ignore[call-overload]
                await session.commit()
        load = _load()
        started = time.perf_counter()
        done = await embed_missing(maker, encoder, ref.taxonomy)
        stored_seconds = time.perf_counter() - started
        started = time.perf_counter()
        encoder.encode(texts)
        bare_seconds = time.perf_counter() - started
        started = time.perf_counter()
        encoder.encode(distinct)
        distinct_seconds = time.perf_counter() - started
        n = done["posting"]
        stored_rate, bare_rate = n / stored_seconds, len(texts) / bare_seconds
        distinct_rate = len(texts) / distinct_seconds  # per text of the page, as stored_rate
        print(
            f"\nembedding, round {round_} of {rounds} (load {load} → {_load()}):\n"
            f"  {n:,} imported postings stored as jobcircle embed does: "
            f"{stored_rate:,.0f} texts/s\n"
            f"  bare model, the same {len(texts):,} texts (Encoder.encode, batch "
            f"{encoder.batch_size}): {bare_rate:,.0f} texts/s\n"
            f"  stored / bare = {stored_rate / bare_rate:.1%} (target ≥ 90 %)\n"
            f"  bare model, only the {len(distinct):,} distinct texts (the stored path encodes "
            f"each once): {distinct_seconds:.1f} s = {distinct_rate:,.0f} texts/s of the "
            f"{len(texts):,}\n"
            f"  stored / bare on the distinct texts = {stored_rate / distinct_rate:.1%} (the "
            f"cost of reading and storing)\n"
            f"  import, then embedding, per row (sum of the two measured times): "
            f"{1 / (per_row_import + 1 / stored_rate):,.0f} rows/s"
        )
    async with maker() as session:
        total = (await session.exec(select(func.count()).select_from(Posting))).one()
    print(f"postings in the database: {total:,}")
    await engine.dispose()


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--embed-rows", type=int, default=10_000)
    parser.add_argument(
        "--embed-rounds", type=int, default=1, help="measure the embedding rates this many times"
    )
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        started = time.perf_counter()
        write_export(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"wrote {args.rows:,} rows ({size:.1f} MiB) in {time.perf_counter() - started:.0f} s")
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(run(url, path, args.embed_rows, args.embed_rounds))


if __name__ == "__main__":
    main()
