"""The Elasticsearch backend of :class:`~matching.index.base.SearchIndex` (official async client).

One index of postings and one of jobseekers, each behind a read alias (``{prefix}-postings``)
and a write alias (``{prefix}-postings-write``). ``bulk_load`` fills fresh timestamped indices,
swaps both kinds' aliases in one atomic ``update_aliases`` and deletes the old indices, so
readers never see a half-built index. The change-log position the content corresponds to is
kept in each index's mapping ``_meta`` (see :meth:`changelog_position`).

Results follow the embedded index: the hard filters are the same (``es_queries``); travel is
prefiltered with a circle on the server and decided on the client with the same travel-time
provider (``es_hits``); cosines are exact (``script_score``) and BM25 is Lucene's, fused on the
client by the embedded index's own ``fuse``. Ranked lists are paged with ``search_after`` until
enough documents survive the client's travel check, so a travel limit applies before the top k.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from elasticsearch import AsyncElasticsearch, BadRequestError, NotFoundError
from elasticsearch.helpers import async_bulk

from matching.documents import TRAVEL_MODES, JobseekerDoc, PostingDoc, unit_vector
from matching.index import es_queries as q
from matching.index import es_search
from matching.index.base import Candidate, Facets, JobseekerQuery, PostingQuery, SingleSearches
from matching.index.es_hits import Origin, people_in_reach, postings_in_reach
from matching.index.es_search import Accept
from matching.index.fusion import limits_per_query
from matching.travel import EstimatedTravel, TravelTimeProvider

KINDS = (q.POSTINGS, q.JOBSEEKERS)
_VALID_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class ElasticsearchQueryError(RuntimeError):
    """A search of a multi-search failed on the cluster."""


class ElasticsearchIndex(SingleSearches):
    """:class:`~matching.index.base.SearchIndex` on an Elasticsearch 8 cluster."""

    def __init__(
        self,
        client: AsyncElasticsearch | str,
        *,
        prefix: str = "jobcircle",
        travel: TravelTimeProvider | None = None,
        refresh: bool | str = False,
        shards: int = 1,
        replicas: int = 1,
    ) -> None:
        if not _VALID_PREFIX.match(prefix):
            raise ValueError(f"index prefix {prefix!r}: use lower-case letters, digits, - _ .")
        self._owns_client = isinstance(client, str)
        self._es = AsyncElasticsearch(client) if isinstance(client, str) else client
        self._prefix = prefix
        self._travel: TravelTimeProvider = travel or EstimatedTravel()
        self._refresh = ("true" if refresh else "false") if isinstance(refresh, bool) else refresh
        self._shards, self._replicas = shards, replicas
        self._dims: dict[str, int] = {}
        self._ready = False

    def alias(self, kind: str) -> str:
        return f"{self._prefix}-{kind}"

    def write_alias(self, kind: str) -> str:
        return f"{self._prefix}-{kind}-write"

    # --- indices -----------------------------------------------------------------------------

    async def close(self) -> None:
        if self._owns_client:
            await self._es.close()

    async def ensure(self) -> None:
        """Create empty indices behind the aliases unless they exist (a fresh cluster)."""
        if self._ready:
            return
        for kind in KINDS:
            if await self._es.indices.exists_alias(name=self.alias(kind)):
                continue
            try:
                await self._create(f"{self._prefix}-{kind}-initial", kind, None, None, True)
            except BadRequestError as exc:  # another process was first
                if exc.error != "resource_already_exists_exception":
                    raise
        self._ready = True

    async def _create(
        self, name: str, kind: str, dims: int | None, seq: int | None, aliased: bool
    ) -> None:
        """An index; ``aliased`` puts the aliases on it at once, otherwise it is set up for a
        bulk load (no replicas, no refresh) and gets them in the swap."""
        aliases = {self.alias(kind): {}, self.write_alias(kind): {"is_write_index": True}}
        settings = q.index_settings(self._shards, self._replicas if aliased else 0)
        await self._es.indices.create(
            index=name,
            mappings=q.index_mappings(kind, dims, seq),
            settings=settings if aliased else {**settings, "refresh_interval": "-1"},
            aliases=aliases if aliased else None,
        )

    async def _behind(self, alias: str) -> list[str]:
        try:
            return sorted((await self._es.indices.get_alias(name=alias)).body)
        except NotFoundError:
            return []

    async def drop(self) -> None:
        """Delete every index of this prefix (tests, decommissioning)."""
        pattern = ",".join(f"{self._prefix}-{kind}-*" for kind in KINDS)
        found = await self._es.indices.get(index=pattern, allow_no_indices=True)
        if found.body:
            await self._es.indices.delete(index=",".join(sorted(found.body)))
        self._ready, self._dims = False, {}

    async def bulk_load(
        self, docs: Iterable[PostingDoc | JobseekerDoc], *, changelog_seq: int | None = None
    ) -> None:
        """Build fresh indices, then swap the aliases to them atomically (zero downtime)."""
        by_kind: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        for doc in docs:  # the last version of an id wins, as with upserts
            by_kind[q.POSTINGS if isinstance(doc, PostingDoc) else q.JOBSEEKERS][doc.id] = doc
        dims: dict[str, int | None] = {}
        for kind, kept in by_kind.items():  # refuse before touching anything
            sizes = {len(d.vector) for d in kept.values() if d.vector is not None}
            if len(sizes) > 1:
                raise ValueError(f"vectors of different dimensions: {sorted(sizes)}")
            dims[kind] = next(iter(sizes), None)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        new = {kind: f"{self._prefix}-{kind}-{stamp}" for kind in KINDS}
        aliases = [a for kind in KINDS for a in (self.alias(kind), self.write_alias(kind))]
        old = {alias: await self._behind(alias) for alias in aliases}
        try:
            for kind in KINDS:
                await self._create(new[kind], kind, dims[kind], changelog_seq, False)
            actions = (
                {"_index": new[kind], "_id": doc.id, "_source": self._source(kind, doc)}
                for kind in KINDS
                for doc in by_kind[kind].values()
            )
            await async_bulk(self._es.options(request_timeout=120), actions, chunk_size=500)
            for kind in KINDS:
                restored = {"refresh_interval": None, "number_of_replicas": self._replicas}
                await self._es.indices.put_settings(index=new[kind], settings={"index": restored})
                await self._es.indices.refresh(index=new[kind])
        except BaseException:
            await self._es.indices.delete(index=",".join(new.values()), ignore_unavailable=True)
            raise
        swap: list[q.Json] = [
            {"remove": {"index": name, "alias": alias}}
            for alias, names in old.items()
            for name in names
        ]
        for kind in KINDS:
            swap.append({"add": {"index": new[kind], "alias": self.alias(kind)}})
            write = {"index": new[kind], "alias": self.write_alias(kind), "is_write_index": True}
            swap.append({"add": write})
        await self._es.indices.update_aliases(actions=swap)  # one atomic step for readers
        stale = sorted({name for names in old.values() for name in names} - set(new.values()))
        if stale:
            await self._es.indices.delete(index=",".join(stale), ignore_unavailable=True)
        self._ready, self._dims = True, {}

    async def changelog_position(self) -> tuple[int | None, tuple[str, ...]]:
        """(the change-log seq the indices are up to, the physical indices it was read from).
        None when unknown (indices created empty, never loaded)."""
        await self.ensure()
        names = ",".join(self.write_alias(kind) for kind in KINDS)
        mappings = (await self._es.indices.get_mapping(index=names)).body
        seqs = [m["mappings"].get("_meta", {}).get("changelog_seq") for m in mappings.values()]
        known = [s for s in seqs if s is not None]
        position = min(known) if len(known) == len(seqs) and known else None
        return position, tuple(sorted(mappings))

    async def save_changelog_position(self, seq: int, indices: Sequence[str]) -> bool:
        """Record ``seq`` on the indices it was read from; False if a rebuild replaced them."""
        try:
            await self._es.indices.put_mapping(index=",".join(indices), meta=q.meta(seq))
        except NotFoundError:
            return False
        return True

    async def _vector_dims(self, kind: str) -> int | None:
        if kind not in self._dims:
            mapping = (await self._es.indices.get_mapping(index=self.write_alias(kind))).body
            for index in mapping.values():
                vector = index["mappings"].get("properties", {}).get("vector")
                if vector is not None:
                    self._dims[kind] = int(vector["dims"])
        return self._dims.get(kind)

    # --- writes and reads --------------------------------------------------------------------

    @staticmethod
    def _source(kind: str, doc: Any) -> q.Json:
        return q.posting_source(doc) if kind == q.POSTINGS else q.jobseeker_source(doc)

    async def _upsert(self, kind: str, doc: PostingDoc | JobseekerDoc) -> None:
        await self.ensure()
        if doc.vector is not None:
            dims = await self._vector_dims(kind)
            if dims is None:  # the first vector sets the dimension
                vector = {"vector": q.vector_field(len(doc.vector))}
                await self._es.indices.put_mapping(index=self.write_alias(kind), properties=vector)
                self._dims[kind] = len(doc.vector)
            elif dims != len(doc.vector):
                raise ValueError(f"vector has {len(doc.vector)} dimensions, the index {dims}")
        await self._es.index(
            index=self.write_alias(kind),
            id=doc.id,
            document=self._source(kind, doc),
            refresh=self._refresh,
        )

    async def _delete(self, kind: str, doc_id: str) -> bool:
        await self.ensure()
        try:
            await self._es.delete(index=self.write_alias(kind), id=doc_id, refresh=self._refresh)
        except NotFoundError:
            return False
        return True

    async def upsert_posting(self, doc: PostingDoc) -> None:
        await self._upsert(q.POSTINGS, doc)

    async def delete_posting(self, posting_id: str) -> bool:
        return await self._delete(q.POSTINGS, posting_id)

    async def upsert_jobseeker(self, doc: JobseekerDoc) -> None:
        await self._upsert(q.JOBSEEKERS, doc)

    async def delete_jobseeker(self, jobseeker_id: str) -> bool:
        return await self._delete(q.JOBSEEKERS, jobseeker_id)

    async def _get(self, kind: str, ids: Sequence[str]) -> list[Any]:
        await self.ensure()
        if not ids:
            return []
        found = await self._es.mget(index=self.alias(kind), ids=list(ids), source_includes=["doc"])
        return [q.stored_doc(kind, d["_source"]["doc"]) for d in found["docs"] if d.get("found")]

    async def get_postings(self, ids: Sequence[str]) -> list[PostingDoc]:
        """Stored documents without their vectors, as the embedded index hands them back."""
        return await self._get(q.POSTINGS, ids)

    async def get_jobseekers(self, ids: Sequence[str]) -> list[JobseekerDoc]:
        return await self._get(q.JOBSEEKERS, ids)

    async def _count(self, kind: str) -> int:
        await self.ensure()
        return int((await self._es.count(index=self.alias(kind)))["count"])

    async def count_postings(self) -> int:
        return await self._count(q.POSTINGS)

    async def count_jobseekers(self) -> int:
        return await self._count(q.JOBSEEKERS)

    async def ping(self) -> bool:
        return bool(await self._es.ping())

    # --- searches ----------------------------------------------------------------------------

    async def search_postings_many(
        self, queries: Sequence[PostingQuery], *, limit: int | Sequence[int]
    ) -> list[list[Candidate]]:
        await self.ensure()
        plans = await self._plans(q.POSTINGS, queries, limit, self._posting_scope)
        return await es_search.run(self._msearch, plans)

    async def search_jobseekers_many(
        self, queries: Sequence[JobseekerQuery], *, limit: int | Sequence[int]
    ) -> list[list[Candidate]]:
        await self.ensure()
        widest = await self._widest_limit(queries)

        def scope(query: JobseekerQuery) -> tuple[q.Json, Accept | None, Origin | None]:
            return self._jobseeker_scope(query, widest)

        plans = await self._plans(q.JOBSEEKERS, queries, limit, scope)
        return await es_search.run(self._msearch, plans)

    def _posting_scope(self, query: PostingQuery) -> tuple[q.Json, Accept | None, Origin | None]:
        """The server filter, the client's travel check and the origin of a posting query."""
        base, travel = q.posting_filter(query.filters), query.filters.travel
        if travel is None:
            return base, None, None
        radius = None
        if travel.max_minutes is not None:
            reach = self._travel.reach_km(travel.mode, np.array([travel.max_minutes]))
            radius = float(np.max(reach))
        base = q.narrowed(base, *q.travel_clauses(travel, radius))
        provider = self._travel
        return (
            base,
            lambda hits: postings_in_reach(hits, travel, provider),
            (travel.lat, travel.lon, travel.origin_imprecise),
        )

    async def _widest_limit(self, queries: Sequence[JobseekerQuery]) -> float:
        """The longest limit any seeking person set (only asked when a reach needs it)."""
        reaches = [x.filters.reach for x in queries]
        if all(reach is None or reach.max_minutes is not None for reach in reaches):
            return 0.0
        widest = {"widest": {"max": {"field": "travel_max_minutes"}}}
        found = await self._es.search(
            index=self.alias(q.JOBSEEKERS),
            size=0,
            query={"term": {"status": "seeking"}},
            aggs=widest,
        )
        return float(found["aggregations"]["widest"]["value"] or 0.0)

    def _jobseeker_scope(
        self, query: JobseekerQuery, widest: float
    ) -> tuple[q.Json, Accept | None, Origin | None]:
        base, reach = q.jobseeker_filter(query.filters), query.filters.reach
        if reach is None:
            return base, None, None
        for mode in (reach.default_mode, reach.mode or reach.default_mode):
            TRAVEL_MODES.index(mode)  # an unknown mode is an error, as in the embedded index
        limit = reach.max_minutes
        if limit is None:
            limit = max(reach.default_max_minutes, widest)
        modes = (reach.mode,) if reach.mode is not None else TRAVEL_MODES
        radius = {m: float(np.max(self._travel.reach_km(m, np.array([limit])))) for m in modes}
        provider = self._travel
        return (
            q.narrowed(base, *q.reach_clauses(reach, radius)),
            lambda hits: people_in_reach(hits, reach, provider),
            (reach.lat, reach.lon, reach.origin_imprecise),
        )

    async def _plans(
        self,
        kind: str,
        queries: Sequence[PostingQuery | JobseekerQuery],
        limit: int | Sequence[int],
        scope: Callable[[Any], tuple[q.Json, Accept | None, Origin | None]],
    ) -> list[es_search.Plan]:
        plans = []
        for query, n in zip(queries, limits_per_query(limit, queries), strict=True):
            base, accept, origin = scope(query)
            vector = None if query.vector is None else unit_vector(query.vector)
            dims = None if vector is None else await self._vector_dims(kind)
            travel = getattr(query.filters, "travel", None)
            unlocated = (
                travel is not None and travel.max_minutes is None and travel.include_imprecise
            )
            plans.append(
                es_search.plan(kind, query, n, base, accept, origin, vector, dims, unlocated)
            )
        return plans

    async def _msearch(self, kind_and_bodies: list[tuple[str, q.Json]]) -> list[q.Json]:
        searches: list[q.Json] = []
        for kind, body in kind_and_bodies:  # one preference: the same shard copies, same scores
            searches += [{"index": self.alias(kind), "preference": self._prefix}, body]
        responses = (await self._es.msearch(searches=searches))["responses"]
        for response in responses:
            if "error" in response:
                raise ElasticsearchQueryError(str(response["error"]))
        return list(responses)

    async def facet_postings(self, query: PostingQuery) -> Facets:
        await self.ensure()
        if query.require_text and not query.tokens:
            return Facets(total=0)
        base, accept, _ = self._posting_scope(query)
        if query.require_text:
            base = q.narrowed(base, q.match_tokens(query.tokens))
        travel = query.filters.travel
        limited = travel is not None and travel.max_minutes is not None
        return await es_search.facets(self._msearch, base, accept, limited)
