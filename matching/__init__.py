"""The matching engine as a plain library: reference data, geography, policy, scoring."""

from matching.geo import haversine_km, in_china
from matching.policy import (
    DEFAULT_POLICY_PATH,
    PostSelector,
    PriorityGroup,
    PriorityPolicy,
    Promise,
    ReservedPostRule,
    TravelDefaults,
    load_default_policy,
    load_policy,
    parse_policy,
)
from matching.regions import Region, RegionTable, load_regions
from matching.taxonomy import Occupation, Relation, Taxonomy, load_taxonomy

__all__ = [
    "DEFAULT_POLICY_PATH",
    "Occupation",
    "PostSelector",
    "PriorityGroup",
    "PriorityPolicy",
    "Promise",
    "Region",
    "RegionTable",
    "Relation",
    "ReservedPostRule",
    "Taxonomy",
    "TravelDefaults",
    "haversine_km",
    "in_china",
    "load_default_policy",
    "load_policy",
    "load_regions",
    "load_taxonomy",
    "parse_policy",
]
