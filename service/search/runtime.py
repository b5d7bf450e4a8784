"""The search side of the app: index, encoder, matcher and indexer, built in the lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import search_tokens
from matching.embed import Encoder
from matching.index.base import SearchIndex
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.policy import PriorityPolicy
from matching.taxonomy import Taxonomy
from matching.travel import TravelTimeProvider
from service.circle.travel import travel_from
from service.config import SearchBackend, Settings
from service.reference.data import ReferenceData
from service.search.documents import Tokenize
from service.search.indexer import DurablePosition, Indexer

log = structlog.get_logger("jobcircle.search")

__all__ = ["SearchRuntime", "build_index", "build_indexer", "search_tokens", "start_search"]


@dataclass
class SearchRuntime:
    encoder: Encoder
    matcher: Matcher
    indexer: Indexer
    tokenize: Tokenize


def build_index(settings: Settings, travel: TravelTimeProvider | None = None) -> SearchIndex:
    """The configured backend, empty (the Elasticsearch client connects on first use), timing
    travel with the configured provider (``JOBCIRCLE_TRAVEL_*``) unless one is given."""
    travel = travel or travel_from(settings)
    if settings.search_backend == SearchBackend.elasticsearch:
        from matching.index.elasticsearch import ElasticsearchIndex

        assert settings.elasticsearch_url is not None  # the settings refuse it otherwise
        return ElasticsearchIndex(
            settings.elasticsearch_url, prefix=settings.elasticsearch_index_prefix, travel=travel
        )
    return EmbeddedIndex(travel)


def build_indexer(
    settings: Settings,
    index: SearchIndex,
    sessionmaker: async_sessionmaker[AsyncSession],
    taxonomy: Taxonomy,
    policy: PriorityPolicy,
    encoder: Encoder | None = None,
) -> Indexer:
    return Indexer(
        index,
        sessionmaker,
        encoder or Encoder(settings.embedding_model),
        taxonomy,
        policy,
        search_tokens,
        poll_seconds=settings.index_poll_seconds,
        close_index=settings.search_backend == SearchBackend.elasticsearch,
    )


async def start_search(
    settings: Settings, ref: ReferenceData, sessionmaker: async_sessionmaker[AsyncSession]
) -> SearchRuntime:
    travel = travel_from(settings)
    index = build_index(settings, travel)
    encoder = Encoder(settings.embedding_model)
    tokenize: Tokenize = search_tokens
    indexer = build_indexer(settings, index, sessionmaker, ref.taxonomy, ref.policy, encoder)
    if isinstance(index, DurablePosition):
        # Built by `jobcircle reindex` and kept current by `jobcircle index-worker`: the API
        # neither rebuilds it at every start nor follows the change log itself.
        position, _ = await index.changelog_position()
        if position is None:
            log.warning(
                "search_index_never_built",
                hint="run `jobcircle reindex`, then keep `jobcircle index-worker` running",
            )
        indexer.ready = True
    else:
        await indexer.build()
        indexer.start()
    # load the model off the request path; the first encode would otherwise pay for it
    asyncio.get_running_loop().run_in_executor(None, encoder.encode, ["预热"])
    matcher = Matcher(index, ref.taxonomy, ref.policy, travel=travel)
    return SearchRuntime(encoder=encoder, matcher=matcher, indexer=indexer, tokenize=tokenize)


def get_search(request: Request) -> SearchRuntime:
    return request.app.state.search


SearchDep = Annotated[SearchRuntime, Depends(get_search)]
