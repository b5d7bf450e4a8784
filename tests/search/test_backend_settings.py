"""Choosing the search backend by configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from matching.index import EmbeddedIndex
from service.config import Settings
from service.search.runtime import build_index


def test_an_unknown_backend_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError, match="must be one of embedded, elasticsearch, not 'solr'"):
        Settings(_env_file=None, search_backend="solr")


def test_elasticsearch_needs_an_address_and_a_lower_case_prefix() -> None:
    with pytest.raises(ValidationError, match="JOBCIRCLE_ELASTICSEARCH_URL must be set"):
        Settings(_env_file=None, search_backend="elasticsearch")
    with pytest.raises(ValidationError, match="elasticsearch_index_prefix"):
        Settings(
            _env_file=None,
            search_backend="elasticsearch",
            elasticsearch_url="http://localhost:9200",
            elasticsearch_index_prefix="JobCircle",
        )


async def test_the_backend_is_built_from_the_settings() -> None:
    assert isinstance(build_index(Settings(_env_file=None)), EmbeddedIndex)
    settings = Settings(
        _env_file=None,
        search_backend="Elasticsearch",
        elasticsearch_url="http://localhost:9200",
        elasticsearch_index_prefix="wuhan",
    )
    index = build_index(settings)  # no connection yet: the client connects on first use
    try:
        assert type(index).__name__ == "ElasticsearchIndex"
        assert index.alias("postings") == "wuhan-postings"  # type: ignore[attr-defined]
        assert index.write_alias("jobseekers") == "wuhan-jobseekers-write"  # type: ignore[attr-defined]
    finally:
        await index.close()  # type: ignore[attr-defined]
