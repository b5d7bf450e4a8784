"""Greedy new sites on layouts whose best answer is known by hand (walk 15 min = 1.0 km)."""

from __future__ import annotations

import numpy as np
import pytest

from matching.circle import (
    Candidates,
    CircleSpec,
    Communities,
    Stations,
    at_communities,
    measure,
    on_grid,
    suggest,
)
from matching.travel import EstimatedTravel
from tests.circle.geometry import ORIGIN, north

TRAVEL = EstimatedTravel()
WALK15 = CircleSpec("walk", 15)
FAR = north(20.0)  # a second cluster, far from the first

# West cluster on a meridian: W1 and W2 are 1.8 km apart (neither reaches the other), the small
# community M between them reaches both (0.9 km each). East: one community E of 700 people.
LAYOUT = [
    ("W1", north(-0.9), 400),
    ("M", ORIGIN, 10),
    ("W2", north(0.9), 400),
    ("E", FAR, 700),
]


def homes(rows: list[tuple[str, tuple[float, float], int]]) -> Communities:
    return Communities.of((n, n, "420102", *place, people) for n, place, people in rows)


def no_stations() -> Stations:
    return Stations.of([])


def test_the_site_between_two_clusters_comes_first() -> None:
    communities = homes(LAYOUT)
    coverage = measure(communities, no_stations(), TRAVEL, WALK15)
    sites = suggest(coverage, TRAVEL, at_communities(communities), 3)
    assert [(s.rank, s.label, s.added_population, s.added_communities) for s in sites] == [
        (1, "M", 810, 3),
        (2, "E", 700, 1),
    ]  # a third site would add nobody: none is proposed
    assert [s.covered_population_after for s in sites] == [810, 1510]


def test_existing_stations_change_the_order() -> None:
    communities = homes(LAYOUT)
    covering_w1 = Stations.of([("s", "站", "service_station", "420102", *north(-1.2))])
    coverage = measure(communities, covering_w1, TRAVEL, WALK15)
    assert coverage.covered.tolist() == [True, False, False, False]
    sites = suggest(coverage, TRAVEL, at_communities(communities), 2)
    # M now adds only W2 and itself (410): E (700) goes first
    assert [(s.label, s.added_population) for s in sites] == [("E", 700), ("M", 410)]
    assert sites[-1].covered_population_after == 400 + 700 + 410


def test_k_zero_and_everyone_covered_suggest_nothing() -> None:
    communities = homes(LAYOUT[:1])
    coverage = measure(communities, no_stations(), TRAVEL, WALK15)
    assert suggest(coverage, TRAVEL, at_communities(communities), 0) == []
    station = Stations.of([("s", "站", "service_station", "420102", *north(-0.9))])
    covered = measure(communities, station, TRAVEL, WALK15)
    assert suggest(covered, TRAVEL, at_communities(communities), 5) == []


def test_ties_go_to_the_earlier_candidate() -> None:
    communities = homes([("A", ORIGIN, 100), ("B", FAR, 100)])
    coverage = measure(communities, no_stations(), TRAVEL, WALK15)
    assert [s.label for s in suggest(coverage, TRAVEL, at_communities(communities), 2)] == [
        "A",
        "B",
    ]


def test_a_grid_site_is_chosen_when_no_community_will_do() -> None:
    layout = [("P", north(-0.95), 100), ("Q", north(0.95), 100)]
    communities = homes(layout)
    coverage = measure(communities, no_stations(), TRAVEL, WALK15)
    grid = on_grid(communities, 0.19)
    sites = suggest(coverage, TRAVEL, Candidates.join(at_communities(communities), grid), 1)
    assert (sites[0].source, sites[0].added_population) == ("grid", 200)
    assert sites[0].lat == pytest.approx(30.0, abs=0.002)
    only_communities = suggest(coverage, TRAVEL, at_communities(communities), 2)
    assert [s.added_population for s in only_communities] == [100, 100]


def test_greedy_matches_exhaustive_search_on_a_small_random_city() -> None:
    rng = np.random.default_rng(11)
    n = 40
    lat, lon = 30.0 + rng.random(n) * 0.04, 114.0 + rng.random(n) * 0.04
    people = rng.integers(100, 1000, n)
    communities = Communities.of(
        (f"c{i}", f"c{i}", "420102", lat[i], lon[i], int(people[i])) for i in range(n)
    )
    coverage = measure(communities, no_stations(), TRAVEL, WALK15)
    [first] = suggest(coverage, TRAVEL, at_communities(communities), 1)
    best = max(
        int(people[TRAVEL.minutes_from(lat[j], lon[j], lat, lon, "walk") <= 15 + 1e-5].sum())
        for j in range(n)
    )
    assert first.added_population == best
