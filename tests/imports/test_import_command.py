"""``jobcircle import`` as an operator runs it: twice over, and killed midway then run again."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from ingest.identifiers import make_credit_code
from tests.conftest import (
    JOBCIRCLE,
    _create_postgres_database,
    _drop_postgres_database,
    cli_env,
)

TITLES = ("普工", "仓库管理员", "快递分拣员", "保洁员", "电工", "焊工", "收银员", "厨师", "保安")
DISTRICTS = ("江岸区", "江汉区", "硚口区", "武昌区", "洪山区", "江夏区", "东西湖区")
BAD_ROWS = (7, 500, 1001)  # file row numbers (header = row 1) whose pay cannot be read


def _env(database_url: str) -> dict[str, str]:
    return cli_env(
        database_url,
        JOBCIRCLE_SECRET_KEY="cli-test-secret-key-0123456789",
        JOBCIRCLE_LOG_LEVEL="WARNING",
    )


def write_file(path: Path, rows: int) -> int:
    """A partner export of ``rows`` postings from 50 employers; returns the good rows."""
    lines = ["岗位编号,岗位名称,单位名称,统一社会信用代码,薪资,工作地点,招聘人数,联系电话"]
    for i in range(rows):
        number = i + 2
        employer = i % 50
        code = make_credit_code(f"91420100MA{employer:07d}")
        pay = "很多" if number in BAD_ROWS else f"{4000 + i % 7 * 300}-{6500 + i % 5 * 500}"
        lines.append(
            f"K{i:06d},{TITLES[i % len(TITLES)]},武汉测试企业{employer}号有限公司,{code},{pay},"
            f"武汉市{DISTRICTS[i % len(DISTRICTS)]}建设大道{i % 300 + 1}号,{1 + i % 5},"
            f"139{i:08d}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows - len([n for n in BAD_ROWS if n <= rows + 1])


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'import.db'}"
    else:
        url = asyncio.run(_create_postgres_database())
    subprocess.run([*JOBCIRCLE, "migrate"], env=_env(url), check=True, capture_output=True)
    yield url
    if request.param == "postgresql":
        asyncio.run(_drop_postgres_database(url))


def counts(url: str) -> dict[str, int]:
    async def read() -> dict[str, int]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                out = {}
                for table in ("postings", "posting_sources", "employers", "change_log"):
                    result = await conn.execute(text(f"SELECT count(*) FROM {table}"))
                    out[table] = result.scalar_one()
                keys = await conn.execute(
                    text("SELECT count(DISTINCT external_id) FROM posting_sources")
                )
                out["distinct keys"] = keys.scalar_one()
                return out
        finally:
            await engine.dispose()

    return asyncio.run(read())


def run_import(url: str, path: Path, report: Path) -> subprocess.CompletedProcess[str]:
    command = [*JOBCIRCLE, "import", str(path), "--report", str(report)]
    return subprocess.run(command, env=_env(url), capture_output=True, text=True, timeout=300)


def test_importing_twice_stores_once_and_reports_the_bad_rows(
    database: str, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    good = write_file(path, 1200)
    first = run_import(database, path, tmp_path / "first.json")
    assert first.returncode == 1, first.stderr  # some rows were rejected
    report = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    assert report["accepted"] == good and report["employers_created"] == 50
    assert sorted(bad["row"] for bad in report["rejected"]) == list(BAD_ROWS)
    assert "row 7: pay" in first.stderr  # printed too
    stored = counts(database)
    assert stored["postings"] == stored["distinct keys"] == good

    second = run_import(database, path, tmp_path / "second.json")
    assert second.returncode == 1, second.stderr
    again = json.loads((tmp_path / "second.json").read_text(encoding="utf-8"))
    assert (again["accepted"], again["updated"], again["duplicate"]) == (0, 0, good)
    assert counts(database) == stored


def test_an_import_killed_midway_and_run_again_loses_and_doubles_nothing(
    database: str, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    good = write_file(path, 12_000)
    process = subprocess.Popen(
        [*JOBCIRCLE, "import", str(path)],
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while counts(database)["postings"] == 0:  # until the first batch has committed
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    partial = counts(database)["postings"]
    assert 0 < partial < good, "killed too late to prove anything"

    rerun = run_import(database, path, tmp_path / "rerun.json")
    assert rerun.returncode == 1, rerun.stderr
    report = json.loads((tmp_path / "rerun.json").read_text(encoding="utf-8"))
    assert report["duplicate"] == partial and report["accepted"] == good - partial
    final = counts(database)
    assert final["postings"] == final["distinct keys"] == final["posting_sources"] == good
    assert final["employers"] == 50


def test_import_with_embed_stores_a_vector_for_every_open_posting(
    database: str, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    good = write_file(path, 40)  # nine titles: texts repeat
    command = [*JOBCIRCLE, "import", str(path), "--embed"]
    done = subprocess.run(command, env=_env(database), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # row 7 is rejected
    assert f"vectors encoded: {good}" in done.stdout + done.stderr

    async def vectors() -> tuple[int, int]:
        engine = create_async_engine(database)
        try:
            async with engine.connect() as conn:
                stored = await conn.execute(
                    text("SELECT count(*) FROM embeddings WHERE entity = 'posting'")
                )
                missing = await conn.execute(
                    text(
                        "SELECT count(*) FROM postings WHERE status = 'open' AND id NOT IN "
                        "(SELECT entity_id FROM embeddings WHERE entity = 'posting')"
                    )
                )
                return stored.scalar_one(), missing.scalar_one()
        finally:
            await engine.dispose()

    assert asyncio.run(vectors()) == (good, 0)
    again = subprocess.run(
        [*JOBCIRCLE, "embed"], env=_env(database), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert "nothing was missing" in again.stdout + again.stderr
