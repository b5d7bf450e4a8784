"""The search side of the app: index, encoder, matcher and indexer, built in the lifespan."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated

import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import default_tokenize
from matching.embed import Encoder
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from service.config import SearchBackend, Settings
from service.reference.data import ReferenceData
from service.search.documents import Tokenize
from service.search.indexer import Indexer

log = structlog.get_logger("jobcircle.search")


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def search_tokens(text: str) -> list[str]:
    """jieba's search-mode words plus the character bigrams of every Chinese run.

    jieba cuts 氩弧焊工 into 氩弧焊 / 弧焊 / 工, so a query for 焊工 would miss it; the bigrams
    (氩弧, 弧焊, 焊工) let a short query word meet a longer title word.
    """
    words = default_tokenize(text)
    bigrams = [run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]
    return words + [b for b in bigrams if b not in words]


@dataclass
class SearchRuntime:
    encoder: Encoder
    matcher: Matcher
    indexer: Indexer
    tokenize: Tokenize


async def start_search(
    settings: Settings, ref: ReferenceData, sessionmaker: async_sessionmaker[AsyncSession]
) -> SearchRuntime:
    if settings.search_backend != SearchBackend.embedded:
        raise RuntimeError(
            f"search backend {settings.search_backend} is not available in this version; "
            "use JOBCIRCLE_SEARCH_BACKEND=embedded"
        )
    index = EmbeddedIndex()
    encoder = Encoder(settings.embedding_model)
    tokenize: Tokenize = search_tokens
    indexer = Indexer(
        index,
        sessionmaker,
        encoder,
        ref.taxonomy,
        ref.policy,
        tokenize,
        poll_seconds=settings.index_poll_seconds,
    )
    await indexer.build()
    indexer.start()
    # load the model off the request path; the first encode would otherwise pay for it
    asyncio.get_running_loop().run_in_executor(None, encoder.encode, ["预热"])
    matcher = Matcher(index, ref.taxonomy, ref.policy)
    return SearchRuntime(encoder=encoder, matcher=matcher, indexer=indexer, tokenize=tokenize)


def get_search(request: Request) -> SearchRuntime:
    return request.app.state.search


SearchDep = Annotated[SearchRuntime, Depends(get_search)]
