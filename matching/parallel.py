"""A match run on every core: each block of people is shared between this process and worker
processes forked from it, which match their share on their own copy of the embedded index.

Why fork: the embedded index lives in this process's memory (about 1.3 GB at city scale), and
a forked child gets it at once, its pages shared copy-on-write, where a spawned one would have to
rebuild it. The fork happens with the index's lock held (no write half done in the copy) and a
journal opened at the same moment: every write made here afterwards (a posting closed, a person
changed) is sent with the next request and replayed by the child before it matches, so the child
answers exactly as this process's index would.

A block is ``begin``-ed (the children's shares sent, this process's share matched) and its
``result()`` collected later, so that this process can do other work meanwhile (a match run
writes its previous batch): the shares are set so that all sides finish together, counting that
other work. ``postings_for_many`` does both at once. The workers' shares of the next block may be
``send``-ed while a block is under way, so that no worker waits for this process between blocks;
such a share sees the index as it was when it was sent.

Children only compute: requests (journal entries, people, limits, time) come in through a pipe
and matches go back. They never touch this process's database connections or sockets, end when
their pipe closes, and are joined (or killed) when the ``MatchWorkers`` context ends, whether
it ends well, with an error or by cancellation. A child that dies makes the next call raise
``MatchWorkerError``.

Only the embedded backend forks; over Elasticsearch, with no workers asked for, or where the
``fork`` start method does not exist, the wrapper simply calls the matcher.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import time
import traceback
import warnings
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

from matching.documents import JobseekerDoc
from matching.index.embedded import EmbeddedIndex, Write
from matching.matcher import Matcher, PostingMatch, per_person

JOIN_SECONDS = 5.0  # for a child to end by itself once its pipe is closed
SMOOTHING = 0.3  # weight of the last block in the per-person costs that set the shares
MAX_ELSEWHERE = 60.0  # seconds: a longer pause between blocks is not work to plan for


class MatchWorkerError(RuntimeError):
    """A worker process died or failed: its share of the block has no answer."""


def default_workers() -> int:
    """One worker per core beyond the first (this process matches a share too)."""
    return max(0, (os.cpu_count() or 1) - 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Request:
    writes: list[Write]  # made to the parent's index since the last request, in order
    seekers: list[JobseekerDoc]
    limits: list[int]
    now: datetime


Block = tuple[list[str], list[int], datetime]  # who, their limits, the moment


def _block(seekers: Sequence[JobseekerDoc], limits: list[int], now: datetime) -> Block:
    return [seeker.id for seeker in seekers], limits, now


@dataclass(frozen=True)
class Ahead:
    """A block sent to the workers before it was begun, and each worker's share (the first
    people of the block, in the workers' order)."""

    block: Block
    sizes: list[int]


@dataclass
class Worker:
    process: BaseProcess
    conn: Connection  # the parent's end
    cost: float | None = None  # seconds per person, smoothed


class MatchWorkers:
    """``Matcher.postings_for_many`` shared with ``workers`` forked processes; use it as an
    async context manager around a match run (the children live as long as the block)."""

    def __init__(self, matcher: Matcher, workers: int | None = None) -> None:
        self.matcher = matcher
        self.wanted = default_workers() if workers is None else max(0, workers)
        self.workers: list[Worker] = []
        self.own_cost: float | None = None
        self._journal: deque[Write] | None = None
        self.elsewhere = 0.0  # seconds a block spent on other work here (smoothed): see _shares
        self._cycle: tuple[float, Pending] | None = None  # when the last block began, and it
        self._ahead: Ahead | None = None  # a block whose workers' shares are sent, not begun
        self._busy = asyncio.Lock()
        self._broken: str | None = None
        self._pending: Pending | None = None

    @property
    def count(self) -> int:
        """Worker processes running (0: everything is matched in this process)."""
        return len(self.workers)

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process.pid is not None]

    async def __aenter__(self) -> MatchWorkers:
        index = self.matcher.index
        if self.wanted and isinstance(index, EmbeddedIndex) and can_fork():
            self._start(index)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(at_once=exc_type is not None)

    # --- the children's lives --------------------------------------------------------------

    def _start(self, index: EmbeddedIndex) -> None:
        context = multiprocessing.get_context("fork")
        # Frozen objects are left alone by the children's collector, which would otherwise
        # write to every inherited object's page and so copy the parent's heap.
        gc.freeze()
        try:
            with index.paused():
                self._journal = index.open_journal()
                for _ in range(self.wanted):
                    ours, theirs = context.Pipe()
                    inherited = [w.conn for w in self.workers] + [ours]
                    process = context.Process(
                        target=_serve,
                        args=(theirs, inherited, self.matcher, index),
                        name="jobcircle-match-worker",
                        daemon=True,  # killed by multiprocessing's exit handler at worst
                    )
                    with warnings.catch_warnings():
                        # Python 3.12+ warns that forking a threaded process may deadlock the
                        # child: this child takes no lock but the index's, which it replaces.
                        warnings.simplefilter("ignore", DeprecationWarning)
                        process.start()
                    theirs.close()
                    self.workers.append(Worker(process, ours))
        except BaseException:
            self.stop(at_once=True)
            raise
        finally:
            gc.unfreeze()

    def stop(self, *, at_once: bool = False) -> None:
        """Closes the pipes (a child then ends by itself) and joins every child; a child that
        does not end in time, or every child when ``at_once``, is terminated, then killed."""
        if self._pending is not None:  # its replies are not watched on closed pipes
            self._pending.unwatch()
            self._pending = None
        index = self.matcher.index
        if self._journal is not None and isinstance(index, EmbeddedIndex):
            index.close_journal(self._journal)
        self._journal = None
        workers, self.workers = self.workers, []
        if at_once:
            for worker in workers:
                worker.process.terminate()
        for worker in workers:
            worker.conn.close()
        deadline = time.monotonic() + JOIN_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(1.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.process.close()

    # --- matching --------------------------------------------------------------------------

    async def postings_for_many(
        self, seekers: Sequence[JobseekerDoc], *, limit: int | Sequence[int], now: datetime
    ) -> list[list[PostingMatch]]:
        """What ``Matcher.postings_for_many`` returns for the block, in its order."""
        async with self._busy:
            pending = await self.begin(seekers, limit=limit, now=now)
            return await pending.result()

    async def begin(
        self, seekers: Sequence[JobseekerDoc], *, limit: int | Sequence[int], now: datetime
    ) -> Pending:
        """Sends the workers their shares of the block (unless ``send`` did) and matches this
        process's share; the caller may then do other work (write the previous block) while the
        workers finish, and collects the whole answer with ``Pending.result()``. One block
        begun at a time, and at most one more sent ahead: the pipes pair each request with its
        reply, in order."""
        limits = per_person(limit, seekers)
        if not self.workers:
            found = await self.matcher.postings_for_many(seekers, limit=limits, now=now)
            return Pending(self, [], [], found)
        self._check_usable()
        if self._pending is not None:
            raise RuntimeError("the previous block's result() has not been awaited")
        try:
            self._pending = await self._begin_shared(list(seekers), limits, now)
        except BaseException as exc:
            self._fail(exc)
            raise
        return self._pending

    async def send(
        self, seekers: Sequence[JobseekerDoc], *, limit: int | Sequence[int], now: datetime
    ) -> None:
        """Sends the workers their shares of the block to be begun next, while the current one
        is still under way: each worker goes on to its share as soon as it has answered the
        current block, instead of waiting for this process to begin the next. ``begin`` must
        then be called with the same block. Without workers it does nothing."""
        limits = per_person(limit, seekers)
        if not self.workers:
            return
        self._check_usable()
        if self._ahead is not None:
            raise RuntimeError("a block was already sent ahead and not begun")
        try:
            sizes = self._shares(len(seekers))
            self._send_shares(list(seekers), limits, now, sizes)
        except BaseException as exc:
            self._fail(exc)
            raise
        self._ahead = Ahead(_block(seekers, limits, now), sizes)

    def _check_usable(self) -> None:
        if self._broken is not None:
            raise MatchWorkerError(f"the match workers are unusable: {self._broken}")

    def _send_shares(
        self, seekers: list[JobseekerDoc], limits: list[int], now: datetime, sizes: list[int]
    ) -> None:
        writes = self._take_writes()
        start = 0
        for worker, size in zip(self.workers, sizes, strict=False):
            request = Request(
                writes, seekers[start : start + size], limits[start : start + size], now
            )
            _send(worker, request)
            start += size

    async def _begin_shared(
        self, seekers: list[JobseekerDoc], limits: list[int], now: datetime
    ) -> Pending:
        self._measure_elsewhere()
        began = time.perf_counter()
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            sizes = self._shares(len(seekers))
            self._send_shares(seekers, limits, now, sizes)
        elif ahead.block != _block(seekers, limits, now):
            raise RuntimeError("the block begun is not the one sent ahead")
        else:
            sizes = ahead.sizes
        start = sum(sizes)
        sent = time.perf_counter()
        pending = Pending(self, sizes, [Reply(worker) for worker in self.workers], [])
        self._pending = pending  # so that stop() unwatches the pipes if matching fails
        self._cycle = (began, pending)
        pending.own = await self.matcher.postings_for_many(
            seekers[start:], limit=limits[start:], now=now
        )
        pending.own_seconds = time.perf_counter() - sent
        self.own_cost = _smoothed(self.own_cost, pending.own_seconds, len(pending.own))
        return pending

    def _measure_elsewhere(self) -> None:
        """This process's other work in the last cycle (from the last block's start to this
        one's): everything but matching its own share and waiting for the workers' replies,
        that is writing and reading batches, taking the replies, the loop's own turns."""
        if self._cycle is None:
            return
        began, last = self._cycle
        self._cycle = None
        if last.idle is None:  # its result was never taken
            return
        other = time.perf_counter() - began - last.own_seconds - last.idle
        other = min(max(other, 0.0), MAX_ELSEWHERE)
        self.elsewhere = (1 - SMOOTHING) * self.elsewhere + SMOOTHING * other

    def _fail(self, exc: BaseException) -> None:
        # A reply may still be on its way: the pipes no longer pair requests and replies.
        self._broken = f"{type(exc).__name__}: {exc}"
        self._ahead = None
        if self._pending is not None:
            self._pending.unwatch()
            self._pending = None

    def _shares(self, n: int) -> list[int]:
        """People for each worker (the rest are this process's), so that all sides finish
        together: in proportion to how fast each side matched lately, this process's share
        smaller by the time it spends on other work in a block's cycle (its ``elsewhere``, see
        ``_measure_elsewhere``: writing and reading batches); equal shares to begin with."""
        if n < 2:
            return [0] * len(self.workers)
        own = self.own_cost or 1.0
        speeds = [1.0 / (w.cost or own) for w in self.workers]  # people per second
        # Each worker k takes n_k = (elsewhere + n_own * own) * speed_k; the shares sum to n.
        n_own = (n - self.elsewhere * sum(speeds)) / (1.0 + own * sum(speeds))
        n_own = min(max(n_own, 0.0), float(n))
        sizes = [int((self.elsewhere + n_own * own) * speed) for speed in speeds]
        if sum(sizes) > n:  # this process has no share left: the workers' by their speeds
            sizes = [int(n * speed / sum(speeds)) for speed in speeds]
        return sizes

    def _take_writes(self) -> list[Write]:
        writes: list[Write] = []
        journal = self._journal
        while journal:  # the index appends on its own thread: a deque pops safely meanwhile
            writes.append(journal.popleft())
        return writes


class Pending:
    """A block under way: this process's share matched, the workers' replies awaited."""

    def __init__(
        self,
        owner: MatchWorkers,
        sizes: list[int],
        replies: list[Reply],
        own: list[list[PostingMatch]],
    ) -> None:
        self.owner, self.sizes, self.replies, self.own = owner, sizes, replies, own
        self.own_seconds = 0.0
        self.idle: float | None = None  # seconds waited for the replies, once they are taken

    async def result(self) -> list[list[PostingMatch]]:
        """The block's matches, in its order."""
        if not self.replies:
            return self.own
        owner = self.owner
        if owner._pending is not self:
            raise RuntimeError("this block's result was already taken, or the workers stopped")
        try:
            waited = time.perf_counter()
            for reply in self.replies:
                await reply.readable
            self.idle = time.perf_counter() - waited
            theirs = [await reply.take() for reply in self.replies]
        except BaseException as exc:
            owner._fail(exc)
            raise
        owner._pending = None
        self.unwatch()
        found: list[list[PostingMatch]] = []
        for worker, size, (matches, seconds) in zip(owner.workers, self.sizes, theirs, strict=True):
            worker.cost = _smoothed(worker.cost, seconds, size)
            found.extend(matches)
        return found + self.own

    def unwatch(self) -> None:
        for reply in self.replies:
            reply.unwatch()


def _smoothed(cost: float | None, seconds: float, people: int) -> float | None:
    if people == 0:
        return cost
    last = seconds / people
    return last if cost is None else (1 - SMOOTHING) * cost + SMOOTHING * last


def _send(worker: Worker, request: Request) -> None:
    # Blocks only while the child reads it (it waits for nothing else).
    try:
        worker.conn.send(request)
    except OSError as exc:
        raise _died(worker) from exc


class Reply:
    """A worker's coming reply, watched on the event loop from the moment its request is sent
    (readable: a reply or the end of a dead child's pipe), so that it is noticed while this
    process does other work."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.loop = asyncio.get_running_loop()
        self.readable: asyncio.Future[None] = self.loop.create_future()
        self.fd: int | None = worker.conn.fileno()
        self.loop.add_reader(self.fd, self._ready)

    def _ready(self) -> None:
        # Once: the pipe stays readable until the reply is read, which would wake the loop on
        # every turn while this process writes the previous block.
        self.unwatch()
        if not self.readable.done():
            self.readable.set_result(None)

    def unwatch(self) -> None:
        if self.fd is not None:
            self.loop.remove_reader(self.fd)
            self.fd = None

    async def take(self) -> tuple[list[list[PostingMatch]], float]:
        worker = self.worker
        await self.readable
        self.unwatch()
        try:
            status, payload, seconds = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise _died(worker) from exc
        if status != "ok":
            raise MatchWorkerError(f"match worker {worker.process.pid} failed:\n{payload}")
        return payload, seconds


def _died(worker: Worker) -> MatchWorkerError:
    worker.process.join(1.0)
    code = worker.process.exitcode
    how = "is still running" if code is None else f"ended with exit code {code}"
    return MatchWorkerError(
        f"match worker {worker.process.pid} stopped answering (it {how}); the run cannot go on"
    )


# --- in the child ------------------------------------------------------------------------------


def _serve(
    conn: Connection, inherited: list[Connection], matcher: Matcher, index: EmbeddedIndex
) -> None:
    """A worker's life: requests in, matches out, until the parent closes its end."""
    for other in inherited:  # else the parent's closing would not reach a child as an end
        other.close()
    _leave_parent_signals()
    index.forked()
    loop = asyncio.new_event_loop()
    while True:
        try:
            request: Request = conn.recv()
        except (EOFError, OSError):
            return
        began = time.perf_counter()
        try:
            index.replay(request.writes)
            found = loop.run_until_complete(
                matcher.postings_for_many(request.seekers, limit=request.limits, now=request.now)
            )
            reply: tuple[str, Any, float] = ("ok", found, time.perf_counter() - began)
        except Exception:
            reply = ("error", traceback.format_exc(), 0.0)
        try:
            conn.send(reply)
        except OSError:
            return


def _leave_parent_signals() -> None:
    """The parent's handlers (a server's graceful shutdown) and its event loop's wake-up pipe
    are not the child's: a signal here would otherwise be handled as the parent's."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
