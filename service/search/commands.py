"""``jobcircle reindex`` and ``jobcircle index-worker``: the search index outside the API process.

With Elasticsearch the API neither rebuilds the index at start-up nor follows the change log:
``reindex`` builds fresh indices from the database and swaps them in (readers never see a half
built one), ``index-worker`` applies the change log to them and resumes after a restart from the
position stored on the indices. With the embedded backend the API process does both itself;
``reindex`` then only checks that the database builds into an index, and says so.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from matching.policy import load_policy
from matching.taxonomy import load_taxonomy
from service.config import SearchBackend, Settings
from service.db import create_engine, create_sessionmaker
from service.progress import progress_bars
from service.search.indexer import Indexer, IndexNotBuilt
from service.search.runtime import build_index, build_indexer

LABELS = {"postings": "岗位 postings", "jobseekers": "求职者 jobseekers", "index": "索引 index"}
T = TypeVar("T")


async def _with_indexer(settings: Settings, work: Callable[[Indexer], Awaitable[T]]) -> T:
    """Run ``work(indexer)`` with an indexer over the configured backend, then clean up."""
    engine = create_engine(settings)
    index = build_index(settings)
    indexer = build_indexer(
        settings,
        index,
        create_sessionmaker(engine),
        load_taxonomy(),
        load_policy(settings.policy_file),
    )
    try:
        return await work(indexer)
    finally:
        close = getattr(index, "close", None)
        if close is not None:
            await close()
        await engine.dispose()


def reindex_command(settings: Settings, console: Console) -> dict[str, float]:
    """Rebuild the index from the database with a progress bar; returns the build's counts."""
    with progress_bars(console) as bar:
        tasks: dict[str, int] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(LABELS.get(what, what), total=max(total, 1))
            bar.update(tasks[what], completed=done if total else 1, total=max(total, 1))

        async def build(indexer: Indexer) -> dict[str, float]:
            return await indexer.build(progress)

        counts = asyncio.run(_with_indexer(settings, build))
    backend = settings.search_backend.value
    console.print(
        f"[green]indexed {int(counts['postings'])} postings and {int(counts['jobseekers'])} "
        f"jobseekers into the {backend} index in {counts['seconds']:.2f} seconds[/green]",
        soft_wrap=True,
    )
    if settings.search_backend == SearchBackend.embedded:
        console.print(
            "the embedded index lives in the API process, which builds its own at start-up; "
            "this run checked that the database builds into one"
        )
    return counts


def index_worker_command(settings: Settings, console: Console, *, once: bool) -> int:
    """Follow the change log into Elasticsearch until stopped (SIGTERM, Ctrl-C) or, with
    ``once``, until it is drained; returns the change records read."""
    if settings.search_backend != SearchBackend.elasticsearch:
        console.print(
            "[red]index-worker keeps an Elasticsearch index current; the embedded index is kept "
            "current inside the API process (JOBCIRCLE_SEARCH_BACKEND=embedded)[/red]"
        )
        raise typer.Exit(code=2)

    async def follow(indexer: Indexer) -> int:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        if task is not None:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, task.cancel)
        return await indexer.follow_durably(once=once)

    console.print(f"following the change log into {settings.elasticsearch_index_prefix}-*")
    try:
        read = asyncio.run(_with_indexer(settings, follow))
    except IndexNotBuilt as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=2) from None
    except asyncio.CancelledError:  # SIGTERM or Ctrl-C: the position of the last batch is saved
        console.print("stopped; the next start resumes from the saved position")
        return 0
    console.print(f"[green]read {read} change records; the index is up to date[/green]")
    return read
