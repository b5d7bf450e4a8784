"""``jobcircle embed``: store the missing vectors of a database in one go, with a progress bar."""

from __future__ import annotations

import asyncio
import time

from rich.console import Console

from matching.embed import Encoder
from matching.taxonomy import load_taxonomy
from service.config import Settings
from service.db import create_engine, create_sessionmaker, ensure_schema, refresh_statistics
from service.embeddings.backfill import count_missing, embed_missing
from service.progress import progress_bars

LABELS = {"posting": "岗位 postings", "jobseeker": "求职者 jobseekers"}


async def run_embed(settings: Settings, console: Console) -> dict[str, int]:
    engine = create_engine(settings)
    try:
        await ensure_schema(engine, settings)
        maker = create_sessionmaker(engine)
        encoder = Encoder(settings.embedding_model)
        async with maker() as session:
            missing = await count_missing(session, encoder.model_id)
        bars = progress_bars(console)
        tasks = {e: bars.add_task(LABELS[e], total=n) for e, n in missing.items()}

        def advance(entity: str, done: int, total: int) -> None:
            # rows added while it runs are encoded too: the total grows
            bars.update(tasks[entity], completed=done, total=max(total, done))

        with bars:
            done = await embed_missing(maker, encoder, load_taxonomy(), progress=advance)
        if any(done.values()):
            await refresh_statistics(engine)
        return done
    finally:
        await engine.dispose()


def embed_command(settings: Settings, console: Console) -> None:
    started = time.perf_counter()
    done = asyncio.run(run_embed(settings, console))
    seconds = time.perf_counter() - started
    console.print(
        f"encoded {done['posting']} postings and {done['jobseeker']} jobseekers "
        f"in {seconds:.1f} s" + ("" if any(done.values()) else " (nothing was missing)")
    )
