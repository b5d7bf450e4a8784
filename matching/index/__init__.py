"""Search indexes: one protocol (``base``), an in-process exact backend (``embedded``) and an
Elasticsearch backend (``matching.index.elasticsearch``, imported only where it is chosen)."""

from matching.index.base import (
    Candidate,
    FacetCount,
    Facets,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    SearchIndex,
    TravelFilter,
)
from matching.index.embedded import EmbeddedIndex

__all__ = [
    "Candidate",
    "EmbeddedIndex",
    "FacetCount",
    "Facets",
    "JobseekerFilters",
    "JobseekerQuery",
    "JobseekerReach",
    "PostingFilters",
    "PostingQuery",
    "SearchIndex",
    "TravelFilter",
]
