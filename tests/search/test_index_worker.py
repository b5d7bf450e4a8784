"""Following the change log into an index that keeps its own position (``index-worker``).

The index here is the embedded one with a position kept on it, as Elasticsearch keeps it in its
mapping ``_meta``: the worker's logic is the same, and it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import httpx
import pytest
from fastapi import FastAPI

from matching.documents import JobseekerDoc, PostingDoc
from matching.index import EmbeddedIndex
from service.search.indexer import DurablePosition, Indexer, IndexNotBuilt
from service.search.runtime import search_tokens
from tests.factories import create_jobseeker, create_posting


class PositionedIndex(EmbeddedIndex):
    """Each bulk load is a new generation of indices carrying the position it was built at."""

    def __init__(self) -> None:
        super().__init__(offload=False)
        self.position: int | None = None
        self.generation = 0

    async def bulk_load(
        self, docs: Iterable[PostingDoc | JobseekerDoc], *, changelog_seq: int | None = None
    ) -> None:
        await super().bulk_load(docs)
        self.position, self.generation = changelog_seq, self.generation + 1

    async def changelog_position(self) -> tuple[int | None, tuple[str, ...]]:
        return self.position, (f"generation-{self.generation}",)

    async def save_changelog_position(self, seq: int, indices: Sequence[str]) -> bool:
        if tuple(indices) != (f"generation-{self.generation}",):
            return False  # a rebuild replaced the indices meanwhile
        self.position = seq
        return True


def worker(app: FastAPI, index: PositionedIndex) -> Indexer:
    ref = app.state.reference
    search = app.state.search
    return Indexer(
        index, app.state.sessionmaker, search.encoder, ref.taxonomy, ref.policy, search_tokens
    )


async def test_worker_follows_from_the_position_on_the_index(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    index = PositionedIndex()
    assert isinstance(index, DurablePosition)
    with pytest.raises(IndexNotBuilt, match="jobcircle reindex"):
        await worker(app, index).follow_durably(once=True)
    first = await create_posting(client)
    await worker(app, index).build()
    built_at = index.position
    assert built_at is not None and await index.count_postings() == 1

    second = await create_posting(client, title="电焊工")
    person = await create_jobseeker(client)
    assert await worker(app, index).follow_durably(once=True) >= 2
    assert {d.id for d in await index.get_postings([first["id"], second["id"]])} == {
        first["id"],
        second["id"],
    }
    assert [d.id for d in await index.get_jobseekers([person["id"]])] == [person["id"]]
    assert index.position is not None and index.position > built_at

    # a restart resumes where the last batch ended: nothing is read twice
    assert await worker(app, index).follow_durably(once=True) == 0


async def test_a_rebuild_behind_the_worker_is_taken_up(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    index = PositionedIndex()
    await create_posting(client)
    follower = worker(app, index)
    await follower.build()
    snapshot = index.position
    assert snapshot is not None
    late = await create_posting(client, title="叉车司机")
    # a rebuild from an older snapshot replaces the indices (as `jobcircle reindex` would
    # when it read the rows before the worker's last batch): the change since must come back
    await follower.follow_durably(once=True)
    await index.bulk_load([], changelog_seq=snapshot)
    assert await index.get_postings([late["id"]]) == []
    assert await follower.follow_durably(once=True) >= 1
    assert [d.id for d in await index.get_postings([late["id"]])] == [late["id"]]
