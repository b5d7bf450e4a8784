"""``MatchWorkers`` answers a block exactly as ``Matcher.postings_for_many`` does on this
process's index, also after that index changed under the forked children; a child that dies or
fails gives a clear error without hanging, and no child outlives the context."""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import os
import random
import signal
import threading
import time
from typing import Any

import pytest

from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.parallel import MatchWorkerError, MatchWorkers, Worker, default_workers
from tests.matching.test_bounded_ranking import city
from tests.matching.test_match_many import crowd, varied_matcher, with_vectors
from tests.matching.test_matcher import NOW

TIMEOUT = 60  # seconds: a hang fails the test instead of the suite


def limits_for(block: list, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.choice((1, 3, 10, 25)) for _ in block]


def gone(pid: int) -> bool:
    """No such process, not even a zombie waiting for its parent."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return "zombie" in status.read()
    except FileNotFoundError:
        return True


def no_children_left(pids: list[int]) -> None:
    assert pids and all(gone(pid) for pid in pids)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("seed", [1, 2])
async def test_workers_answer_as_the_matcher(workers: int, seed: int) -> None:
    m = await varied_matcher(seed)
    block = crowd(seed, 60)
    limits = limits_for(block, seed)
    expected = await m.postings_for_many(block, limit=limits, now=NOW)
    assert sum(map(len, expected)) > 5 * len(block)  # something to compare
    async with MatchWorkers(m, workers) as shared:
        assert shared.count == workers
        pids = shared.pids
        for _ in range(3):  # the shares move with the measured speeds
            got = await asyncio.wait_for(
                shared.postings_for_many(block, limit=limits, now=NOW), TIMEOUT
            )
            assert got == expected
        assert all(w.cost is not None for w in shared.workers)  # every child had a share
        assert await shared.postings_for_many(block[:1], limit=limits[:1], now=NOW) == expected[:1]
        assert await shared.postings_for_many([], limit=5, now=NOW) == []
        with pytest.raises(ValueError):
            await shared.postings_for_many(block, limit=[1], now=NOW)
    no_children_left(pids)


async def test_no_workers_or_another_backend_match_in_process() -> None:
    m = await varied_matcher(3)
    block = crowd(3, 12)
    expected = await m.postings_for_many(block, limit=5, now=NOW)
    async with MatchWorkers(m, 0) as shared:
        assert shared.count == 0
        assert await shared.postings_for_many(block, limit=5, now=NOW) == expected
    other = Matcher(NotEmbedded(m.index), m.taxonomy, m.policy)
    other.pool = m.pool
    async with MatchWorkers(other, 1) as shared:
        assert shared.count == 0
        assert await shared.postings_for_many(block, limit=5, now=NOW) == expected
    assert default_workers() == max(0, (os.cpu_count() or 1) - 1)


class NotEmbedded:
    """Another backend (as Elasticsearch is): the index's searches, not its class."""

    def __init__(self, index: EmbeddedIndex) -> None:
        self.index = index

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index, name)


async def test_writes_after_the_fork_reach_the_children() -> None:
    seed = 4
    m = await varied_matcher(seed)
    postings = {p.id: p for p in with_vectors(city(seed), seed)}
    block = crowd(seed, 60)
    limits = limits_for(block, seed)
    async with MatchWorkers(m, 1) as shared:
        before = await shared.postings_for_many(block, limit=limits, now=NOW)
        assert before == await m.postings_for_many(block, limit=limits, now=NOW)
        # The first people are the child's share: change what they were offered.
        first, second = before[0][0].posting_id, before[1][0].posting_id
        third = before[2][0].posting_id
        await m.index.upsert_posting(dataclasses.replace(postings[first], status="closed"))
        assert await m.index.delete_posting(second)
        await m.index.upsert_posting(dataclasses.replace(postings[third], id="p-new"))
        moved = dataclasses.replace(block[3], lat=block[3].lat + 0.01)
        await m.index.upsert_jobseeker(moved)
        sent: list[list] = []
        take = shared._take_writes
        shared._take_writes = lambda: sent.append(take()) or sent[-1]  # type: ignore[method-assign]

        expected = await m.postings_for_many(block, limit=limits, now=NOW)
        assert expected != before
        ids = {m.posting_id for found in expected for m in found}
        assert first not in ids and second not in ids and "p-new" in ids
        got = await asyncio.wait_for(
            shared.postings_for_many(block, limit=limits, now=NOW), TIMEOUT
        )
        assert got == expected
        assert [op for op, _ in sent[0]] == [
            "upsert_posting",
            "delete_posting",
            "upsert_posting",
            "upsert_jobseeker",
        ]
        # and once sent, a write is not sent again
        assert await shared.postings_for_many(block, limit=limits, now=NOW) == expected
        assert sent[1] == []
    assert m.index._journals == []  # closed with the context


def in_child(parent: int, action: Any) -> Any:
    """``Matcher.postings_for_many`` that does ``action`` first in a forked child only."""

    async def postings_for_many(self: Matcher, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            action()
        return await Matcher.postings_for_many(self, *args, **kwargs)

    return postings_for_many


async def test_a_worker_killed_mid_block_raises_clearly_without_hanging() -> None:
    m = await varied_matcher(5)
    block = crowd(5, 20)
    m.postings_for_many = in_child(os.getpid(), lambda: time.sleep(5)).__get__(m)  # type: ignore[method-assign]
    async with MatchWorkers(m, 1) as shared:
        pids = shared.pids
        killer = threading.Timer(0.3, os.kill, (pids[0], signal.SIGKILL))
        killer.start()
        began = time.monotonic()
        with pytest.raises(MatchWorkerError, match=r"stopped answering.*exit code -9"):
            await asyncio.wait_for(shared.postings_for_many(block, limit=5, now=NOW), TIMEOUT)
        assert time.monotonic() - began < 4  # the death was noticed, not the sleep waited out
        with pytest.raises(MatchWorkerError, match="unusable"):
            await shared.postings_for_many(block, limit=5, now=NOW)
    no_children_left(pids)


async def test_a_worker_killed_between_blocks_raises_clearly() -> None:
    m = await varied_matcher(5)
    block = crowd(5, 20)
    async with MatchWorkers(m, 1) as shared:
        pids = shared.pids
        await shared.postings_for_many(block, limit=5, now=NOW)
        os.kill(pids[0], signal.SIGKILL)
        with pytest.raises(MatchWorkerError, match="stopped answering"):
            await asyncio.wait_for(shared.postings_for_many(block, limit=5, now=NOW), TIMEOUT)
    no_children_left(pids)


async def test_a_failure_in_a_worker_comes_back_with_its_traceback() -> None:
    m = await varied_matcher(5)

    def fail() -> None:
        raise RuntimeError("no such thing in the child")

    m.postings_for_many = in_child(os.getpid(), fail).__get__(m)  # type: ignore[method-assign]
    async with MatchWorkers(m, 1) as shared:
        pids = shared.pids
        with pytest.raises(MatchWorkerError, match=r"(?s)failed.*no such thing in the child"):
            await asyncio.wait_for(
                shared.postings_for_many(crowd(5, 10), limit=5, now=NOW), TIMEOUT
            )
    no_children_left(pids)


async def test_no_child_outlives_an_error_or_a_cancellation() -> None:
    m = await varied_matcher(6)
    block = crowd(6, 20)
    pids: list[int] = []
    with pytest.raises(KeyError):
        async with MatchWorkers(m, 2) as shared:
            pids += shared.pids
            await shared.postings_for_many(block, limit=5, now=NOW)
            raise KeyError("the run failed")
    no_children_left(pids)

    m.postings_for_many = in_child(os.getpid(), lambda: time.sleep(30)).__get__(m)  # type: ignore[method-assign]
    started = asyncio.Event()
    pids.clear()

    async def run() -> None:
        async with MatchWorkers(m, 1) as shared:
            pids.extend(shared.pids)
            started.set()
            await shared.postings_for_many(block, limit=5, now=NOW)

    task = asyncio.create_task(run())
    await asyncio.wait_for(started.wait(), TIMEOUT)
    await asyncio.sleep(0.2)  # the child is in its sleep
    task.cancel()
    began = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, TIMEOUT)
    assert time.monotonic() - began < 5  # terminated, not waited for
    no_children_left(pids)


async def test_a_block_begun_is_answered_after_other_work_here() -> None:
    """``begin`` then other work (a batch written) then ``result``: the same answer; the
    other work is measured and this process's next share shrinks by it."""
    m = await varied_matcher(7)
    block = crowd(7, 60)
    limits = limits_for(block, 7)
    expected = await m.postings_for_many(block, limit=limits, now=NOW)
    async with MatchWorkers(m, 1) as shared:
        assert shared._shares(len(block)) == [len(block) // 2]  # nothing measured yet: halves
        for _ in range(3):
            pending = await shared.begin(block, limit=limits, now=NOW)
            with pytest.raises(RuntimeError, match="not been awaited"):
                await shared.begin(block, limit=limits, now=NOW)
            await asyncio.sleep(0.3)  # this process writing the batch before
            assert await asyncio.wait_for(pending.result(), TIMEOUT) == expected
            with pytest.raises(RuntimeError, match="already taken"):
                await pending.result()
        assert shared.elsewhere > 0.1
        assert shared._shares(len(block))[0] > len(block) // 2  # the worker takes more
        assert await shared.postings_for_many(block, limit=limits, now=NOW) == expected


def test_shares_finish_together_counting_the_other_work() -> None:
    shared = MatchWorkers.__new__(MatchWorkers)
    shared.workers = [Worker(None, None, cost=0.01), Worker(None, None, cost=0.02)]  # type: ignore[arg-type]
    shared.own_cost, shared.elsewhere = 0.01, 0.2
    sizes = shared._shares(100)
    own = 100 - sum(sizes)
    assert sizes == [48, 24] and own == 28
    # each worker's time = this process's own share + its other work (to rounding)
    for size, worker in zip(sizes, shared.workers, strict=True):
        assert abs(size * (worker.cost or 0) - (0.2 + own * 0.01)) < 0.02
    shared.elsewhere = 5.0  # more other work than the whole block: all to the workers
    sizes = shared._shares(100)
    assert sizes == [66, 33] and sum(sizes) <= 100
    shared.elsewhere = 0.0
    assert shared._shares(100) == [40, 20]  # by speed alone
    assert shared._shares(1) == [0, 0]


async def test_a_worker_dying_while_this_process_works_elsewhere() -> None:
    """Noticed at ``result``, clearly; meanwhile the dead pipe does not keep the loop busy."""
    m = await varied_matcher(5)
    block = crowd(5, 20)
    m.postings_for_many = in_child(os.getpid(), lambda: time.sleep(5)).__get__(m)  # type: ignore[method-assign]
    async with MatchWorkers(m, 1) as shared:
        pids = shared.pids
        pending = await shared.begin(block, limit=5, now=NOW)
        os.kill(pids[0], signal.SIGKILL)
        cpu = time.process_time()
        await asyncio.sleep(0.5)  # the pipe is readable (at its end) all along
        assert time.process_time() - cpu < 0.2
        with pytest.raises(MatchWorkerError, match=r"stopped answering.*exit code -9"):
            await asyncio.wait_for(pending.result(), TIMEOUT)
        with pytest.raises(MatchWorkerError, match="unusable"):
            await shared.begin(block, limit=5, now=NOW)
    no_children_left(pids)


async def test_a_block_left_unanswered_ends_with_the_context() -> None:
    """A run that fails between ``begin`` and ``result`` (writing the batch before): the
    children are stopped and the pipes unwatched."""
    m = await varied_matcher(6)
    block = crowd(6, 20)
    pids: list[int] = []
    with pytest.raises(KeyError):
        async with MatchWorkers(m, 1) as shared:
            pids += shared.pids
            await shared.begin(block, limit=5, now=NOW)
            raise KeyError("the write failed")
    assert shared._pending is None
    no_children_left(pids)


async def test_blocks_sent_ahead_are_answered_as_the_matcher_with_the_writes_before() -> None:
    """The pipeline's order: block i begun, block i+1 sent while i is under way, i's result,
    then i+1 begun. Each answer is the matcher's; a write made before a block is sent reaches
    the worker's share of it."""
    seed = 9
    m = await varied_matcher(seed)
    postings = {p.id: p for p in with_vectors(city(seed), seed)}
    people = crowd(seed, 90)
    blocks = [people[:30], people[30:60], people[60:]]
    limits = [limits_for(b, seed + i) for i, b in enumerate(blocks)]
    async with MatchWorkers(m, 1) as shared:
        first = await m.postings_for_many(blocks[1], limit=limits[1], now=NOW)
        offered = first[0][0].posting_id  # the worker's share begins with the block's first
        before = await m.postings_for_many(blocks[0], limit=limits[0], now=NOW)
        pending = await shared.begin(blocks[0], limit=limits[0], now=NOW)  # matched as before
        await m.index.upsert_posting(dataclasses.replace(postings[offered], status="closed"))
        await shared.send(blocks[1], limit=limits[1], now=NOW)
        with pytest.raises(RuntimeError, match="already sent ahead"):
            await shared.send(blocks[2], limit=limits[2], now=NOW)
        expected = [
            await m.postings_for_many(b, limit=lim, now=NOW)
            for b, lim in zip(blocks, limits, strict=True)
        ]
        assert offered not in {found.posting_id for found in expected[1][0]}
        assert await asyncio.wait_for(pending.result(), TIMEOUT) == before
        assert shared._shares(30)[0] > 0  # the worker had a share of the block sent ahead
        pending = await shared.begin(blocks[1], limit=limits[1], now=NOW)
        await shared.send(blocks[2], limit=limits[2], now=NOW)
        assert await asyncio.wait_for(pending.result(), TIMEOUT) == expected[1]
        pending = await shared.begin(blocks[2], limit=limits[2], now=NOW)
        assert await asyncio.wait_for(pending.result(), TIMEOUT) == expected[2]
        assert await shared.postings_for_many(blocks[0], limit=limits[0], now=NOW) == expected[0]


async def test_beginning_another_block_than_the_one_sent_ahead_is_refused() -> None:
    m = await varied_matcher(10)
    people = crowd(10, 20)
    async with MatchWorkers(m, 1) as shared:
        await shared.send(people[:10], limit=3, now=NOW)
        with pytest.raises(RuntimeError, match="not the one sent ahead"):
            await shared.begin(people[10:], limit=3, now=NOW)
        with pytest.raises(MatchWorkerError, match="unusable"):  # the pipe's pairing is lost
            await shared.begin(people[:10], limit=3, now=NOW)
    async with MatchWorkers(m, 0) as alone:  # without workers there is nothing to send
        await alone.send(people[:10], limit=3, now=NOW)
        expected = await m.postings_for_many(people[10:], limit=3, now=NOW)
        assert await alone.postings_for_many(people[10:], limit=3, now=NOW) == expected
