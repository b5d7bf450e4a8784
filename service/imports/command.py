"""``jobcircle import FILE``: the HTTP import's pipeline from a shell, with a progress bar."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

import service.models  # noqa: F401  (every table, for the foreign keys between them)
from ingest.readers import FileUnreadable, RawRow, RowProblem
from matching.embed import Encoder
from matching.taxonomy import load_taxonomy
from service.caller import Caller, Role
from service.config import Settings
from service.db import create_engine, create_sessionmaker, ensure_schema, refresh_statistics
from service.embeddings.backfill import embed_missing
from service.errors import InvalidInput
from service.imports.batch import ImportOptions
from service.imports.formats import FileFormat, read_rows
from service.imports.report import ImportReport
from service.imports.service import run_import
from service.progress import progress_bars
from service.reference.data import load_reference

IMPORTER = Caller(role=Role.admin, actor_id="import-command", via="cli")
SHOWN_PROBLEMS = 20


class ImportFailed(Exception):
    """The file or the options cannot be imported at all; the message says why."""


async def import_file(
    settings: Settings,
    path: Path,
    *,
    source: str,
    employer_id: str | None,
    kind: FileFormat | None,
    embed: bool,
    console: Console,
) -> tuple[ImportReport, int]:
    """The report, and how many vectors were encoded afterwards (with ``embed``)."""
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailed(f"{path} is empty")
    ref = load_reference(settings)
    engine = create_engine(settings)
    try:
        await ensure_schema(engine, settings)
        maker = create_sessionmaker(engine)
        try:
            items: list[RawRow | RowProblem] = list(read_rows(data, path.name, kind))
        except FileUnreadable as exc:
            raise ImportFailed(str(exc)) from None
        options = ImportOptions(source=source, caller=IMPORTER, employer_id=employer_id)
        bars = progress_bars(console)
        with bars:
            task = bars.add_task("岗位 rows", total=len(items))
            try:
                report = await run_import(
                    maker, ref, items, options, progress=lambda n: bars.advance(task, n)
                )
            except InvalidInput as exc:
                raise ImportFailed(exc.detail or str(exc)) from None
            encoded = 0
            if embed:
                vectors = bars.add_task("向量 vectors", total=None)

                def advance(entity: str, done: int, total: int) -> None:
                    bars.update(vectors, completed=done, total=max(total, done))

                done = await embed_missing(
                    maker, Encoder(settings.embedding_model), load_taxonomy(), progress=advance
                )
                encoded = done["posting"] + done["jobseeker"]
        if report.accepted or report.updated:
            await refresh_statistics(engine)
        return report, encoded
    finally:
        await engine.dispose()


def print_report(report: ImportReport, console: Console) -> None:
    table = Table(title="import", show_header=False)
    rows_per_second = report.rows / report.seconds if report.seconds else 0.0
    for label, value in (
        ("rows read", report.rows),
        ("accepted 新增", report.accepted),
        ("updated 更新", report.updated),
        ("duplicate 重复", report.duplicate),
        ("  of which merged across channels", len(report.merged)),
        ("rejected 拒收 rows", len(report.rejected)),
        ("screened 审核/拒绝 postings", len(report.screened)),
        ("employers created", report.employers_created),
        ("seconds", f"{report.seconds:.1f} ({rows_per_second:,.0f} rows/s)"),
    ):
        table.add_row(label, str(value))
    console.print(table)
    for bad in report.rejected[:SHOWN_PROBLEMS]:
        reasons = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in bad.errors)
        console.print(f"  row {bad.row}: {reasons}")
    if len(report.rejected) > SHOWN_PROBLEMS:
        console.print(f"  … {len(report.rejected) - SHOWN_PROBLEMS} more (see --report)")


def import_command(
    settings: Settings,
    console: Console,
    path: Path,
    *,
    source: str,
    employer_id: str | None,
    kind: FileFormat | None,
    embed: bool,
    report_path: Path | None,
) -> int:
    """Exit status: 0 when every row was stored, 1 when some were rejected, 2 when none could
    be read."""
    try:
        report, encoded = asyncio.run(
            import_file(
                settings,
                path,
                source=source,
                employer_id=employer_id,
                kind=kind,
                embed=embed,
                console=console,
            )
        )
    except ImportFailed as exc:
        console.print(f"[red]cannot import {path}: {exc}[/red]")
        return 2
    print_report(report, console)
    if embed:
        console.print(f"vectors encoded: {encoded}")
    if report_path is not None:
        report_path.write_text(
            json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    return 1 if report.rejected else 0
