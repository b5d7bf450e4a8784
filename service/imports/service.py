"""Running an import: batches of rows, each stored in its own transaction.

A batch commits or not as a whole, and every row carries its idempotency key, so an import
killed midway can simply be run again: the committed batches are found as duplicates, the rest
is stored. Two imports racing on the same keys cannot both insert (the unique key on
``posting_sources``); the loser reads the batch again and finds the winner's rows.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from ingest.readers import RawRow, RowProblem
from service.changelog import outbox
from service.employers.models import Employer
from service.errors import InvalidInput
from service.imports.batch import Batch, ChannelPostings, ImportOptions
from service.imports.report import ImportReport
from service.reference.data import ReferenceData

BATCH_ROWS = 1000
T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


async def check_employer(session: AsyncSession, employer_id: str | None) -> Employer | None:
    if employer_id is None:
        return None
    employer = await session.get(Employer, employer_id)
    if employer is None:
        raise InvalidInput.field("employer_id", f"employer {employer_id} does not exist")
    return employer


async def run_import(
    sessionmaker: async_sessionmaker[AsyncSession],
    ref: ReferenceData,
    items: Iterable[RawRow | RowProblem],
    options: ImportOptions,
    *,
    where: dict[int, str] | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[int], None] | None = None,
    committed: Callable[[], None] | None = None,
) -> ImportReport:
    """Store every good row of ``items`` and report every bad one.

    ``progress`` hears how many rows each batch held; ``committed`` is called after each
    batch that wrote something (the service wakes its indexer)."""
    started = time.perf_counter()
    report = ImportReport()
    async with sessionmaker() as session:
        await check_employer(session, options.employer_id)
    channel = ChannelPostings()
    for chunk in _chunks(items, batch_rows):
        for attempt in (1, 2):
            async with sessionmaker() as session:
                fixed = await check_employer(session, options.employer_id)
                try:
                    batch = Batch(session, ref, options, fixed, where, channel)
                    part = await batch.run(chunk)
                    wrote = outbox.wrote_changes(session.sync_session)
                    await session.commit()
                except IntegrityError:
                    await session.rollback()
                    if attempt == 2:
                        raise
                    continue
            break
        channel.add(batch.channel_postings)
        report.add(part)
        if wrote and committed is not None:
            committed()
        if progress is not None:
            progress(len(chunk))
    report.seconds = round(time.perf_counter() - started, 3)
    return report
