"""``run_batches``: every batch prepared, matched and recorded in order; a batch's earlier pairs
never read before every batch that could create them (a batch sharing a person with it) is
recorded; a batch colliding with another run prepared, matched and recorded again. No
database: the steps are logged."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from matching.parallel import MatchWorkers
from service.matchruns.pipeline import run_batches

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@dataclass
class Batch:
    ids: Sequence[str]
    docs: Sequence[Any]
    limits: Sequence[int]
    now: datetime


class Steps:
    """A fake matcher (answers each person with their own id) and the pipeline's steps."""

    def __init__(self, batches: list[list[str]], collide: dict[int, int] | None = None) -> None:
        self.number = {tuple(batch): i for i, batch in enumerate(batches)}
        assert len(self.number) == len(batches)
        self.index = None  # not an embedded index: MatchWorkers forks nothing
        self.log: list[tuple[str, int]] = []
        self.collide = dict(collide or {})  # batch -> times its record fails
        self.done: list[list[str]] = []

    async def postings_for_many(self, docs: Sequence[Any], **_: Any) -> list[list[Any]]:
        self.log.append(("match", docs[0][0]))
        return [[doc[1]] for doc in docs]

    async def prepare(self, ids: Sequence[str]) -> Batch:
        number = self.number[tuple(ids)]
        self.log.append(("prepare", number))
        return Batch(ids, [(number, member) for member in ids], [1] * len(ids), NOW)

    async def record(self, batch: Batch, found: list[list[str]]) -> list[str]:
        number = batch.docs[0][0]
        self.log.append(("record", number))
        if self.collide.get(number, 0) > 0:
            self.collide[number] -= 1
            raise IntegrityError("INSERT", {}, Exception("uq_recommendations_pair"))
        assert [f[0] for f in found] == list(batch.ids)
        return [f[0] for f in found]

    async def recorded(self, people: list[str]) -> None:
        self.done.append(people)


def batches_of(seed: int, count: int) -> list[list[str]]:
    """Batches of people's ids; some share a person with the batch before (or another)."""
    rng = random.Random(seed)
    batches: list[list[str]] = []
    while len(batches) < count:
        people = list(dict.fromkeys(f"p{rng.randrange(30)}" for _ in range(rng.randrange(1, 5))))
        if people not in batches:
            batches.append(people)
    return batches


async def run(steps: Steps, batches: list[list[str]]) -> None:
    async with MatchWorkers(steps, 0) as workers:  # type: ignore[arg-type]
        await run_batches(batches, workers, steps.prepare, steps.record, steps.recorded)


@pytest.mark.parametrize("seed", range(6))
async def test_earlier_pairs_are_read_after_every_batch_that_could_create_them(seed: int) -> None:
    batches = batches_of(seed, 12)
    steps = Steps(batches)
    await run(steps, batches)
    assert steps.done == batches  # each batch recorded once, in order, with its own matches
    position = {step: i for i, step in enumerate(steps.log)}
    for j, batch in enumerate(batches):
        read = position[("prepare", j)]
        assert position[("match", j)] > read
        for k in range(j):
            if set(batch) & set(batches[k]):
                assert position[("record", k)] < read, (k, j, steps.log)
    # and the pipeline did overlap: some batch was read before the one before it was recorded
    assert any(
        position[("prepare", j)] < position[("record", j - 1)] for j in range(1, len(batches))
    )


async def test_overlapping_batches_wait_for_the_record() -> None:
    batches = [["a", "b"], ["b", "c"], ["d"], ["e"]]
    steps = Steps(batches)
    await run(steps, batches)
    assert steps.log == [
        ("prepare", 0),
        ("match", 0),
        ("record", 0),  # batch 1 shares b with batch 0: batch 0 recorded before reading it
        ("prepare", 1),
        ("prepare", 2),  # disjoint from 1: read (and sent ahead) before batch 1 is matched
        ("match", 1),
        ("prepare", 3),  # disjoint from 1 and 2, neither recorded yet
        ("match", 2),
        ("record", 1),
        ("match", 3),
        ("record", 2),
        ("record", 3),
    ]


async def test_a_batch_colliding_with_another_run_is_done_again() -> None:
    batches = [["a"], ["b", "c"], ["d"]]
    steps = Steps(batches, collide={1: 2})
    await run(steps, batches)
    assert steps.done == batches
    after = steps.log[steps.log.index(("record", 1)) :]
    assert after[:7] == [
        ("record", 1),
        ("prepare", 1),  # read again: the pairs committed meanwhile are skipped
        ("match", 1),
        ("record", 1),
        ("prepare", 1),
        ("match", 1),
        ("record", 1),
    ]

    steps = Steps(batches, collide={1: 3})
    with pytest.raises(IntegrityError):
        await run(steps, batches)
    assert steps.done == batches[:1]  # the batches before were recorded and counted
