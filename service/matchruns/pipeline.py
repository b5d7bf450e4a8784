"""A match run's batches in a pipeline: while the match workers match batch i, this process
reads batch i+1, matches its own share of batch i, sends the workers their shares of batch i+1
and records batch i-1, so that neither the workers nor this process wait for the database or
for each other.

Per batch, ``prepare`` reads what matching needs (the people, the pairs recommended before)
and ``record`` writes the cases and commits. The order, for batch i:

1. ``prepare(i+1)``;
2. ``MatchWorkers.begin(i)``: this process's share of batch i matched (the workers' shares were
   sent during the batch before, or now);
3. ``MatchWorkers.send(i+1)``: the workers find their shares of batch i+1 queued behind batch i;
4. ``record(i-1)``: its cases written and committed (``done`` then saves the progress);
5. the workers' answers for batch i collected.

Why reading batch i+1's earlier pairs before batches i-1 and i are committed is safe: a batch
creates pairs for its own people only, and every batch before i-1 is committed by then. So
batch i+1 is read early only when it shares nobody with batches i-1 and i; otherwise the
batches before it are recorded first, as a run without a pipeline does. A pair recommended
meanwhile by *another* run is caught by the table's unique pair, as before: the batch is then
prepared, matched (in this process) and recorded again, its pairs committed meanwhile skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from matching.documents import JobseekerDoc
from matching.matcher import PostingMatch
from matching.parallel import MatchWorkers

ATTEMPTS = 3  # recording a batch that collides with another run's pairs


class Prepared(Protocol):
    """A batch read and ready to match."""

    @property
    def ids(self) -> Sequence[str]: ...  # the people asked for (those skipped included)
    @property
    def docs(self) -> Sequence[JobseekerDoc]: ...
    @property
    def limits(self) -> Sequence[int]: ...
    @property
    def now(self) -> datetime: ...


P = TypeVar("P", bound=Prepared)
R = TypeVar("R")
Found = list[list[PostingMatch]]


async def run_batches(
    batches: Sequence[Sequence[str]],
    workers: MatchWorkers,
    prepare: Callable[[Sequence[str]], Awaitable[P]],
    record: Callable[[P, Found], Awaitable[R]],
    done: Callable[[R], Awaitable[None]],
) -> None:
    """Every batch prepared, matched and recorded, in order; ``done`` after each record."""

    async def record_with_retry(prepared: P, found: Found) -> None:
        for attempt in range(ATTEMPTS):
            try:
                result = await record(prepared, found)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
                # The workers may hold the next batch: match this one again here.
                prepared = await prepare(prepared.ids)
                found = await workers.matcher.postings_for_many(
                    prepared.docs, limit=list(prepared.limits), now=prepared.now
                )
            else:
                await done(result)
                return

    if not batches:
        return
    ahead: P | None = await prepare(batches[0])
    matched: tuple[P, Found] | None = None  # matched, not yet recorded
    for i in range(len(batches)):
        assert ahead is not None
        current, ahead = ahead, None
        following = batches[i + 1] if i + 1 < len(batches) else None
        unrecorded = set(current.ids) | (set(matched[0].ids) if matched is not None else set())
        if following is not None and unrecorded.isdisjoint(following):
            ahead = await prepare(following)
        pending = await workers.begin(current.docs, limit=list(current.limits), now=current.now)
        if ahead is not None:  # the workers go on to it as soon as they are done with batch i
            await workers.send(ahead.docs, limit=list(ahead.limits), now=ahead.now)
        if matched is not None:
            await record_with_retry(*matched)
            matched = None
        matched = (current, await pending.result())
        if following is not None and ahead is None:  # it shares people with a batch unrecorded
            await record_with_retry(*matched)
            matched = None
            ahead = await prepare(following)
    if matched is not None:
        await record_with_retry(*matched)
