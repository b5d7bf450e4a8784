"""Coverage with known geometry: walking 15 minutes is exactly 1.0 km in a straight line
(1.2 km on foot at 4.8 km/h), so a community 1.0 km due north of a station is on the edge."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.circle import CircleSpec, Communities, Stations, measure, reach
from matching.travel import EstimatedTravel, ModeSpeed
from tests.circle.geometry import ORIGIN, east, north

WALK15 = CircleSpec("walk", 15)
TRAVEL = EstimatedTravel()


def communities(*rows: tuple[str, str, tuple[float, float] | None, int]) -> Communities:
    return Communities.of(
        (name, name, adcode, *(place or (None, None)), people)
        for name, adcode, place, people in rows
    )


def stations(*rows: tuple[str, str, str, tuple[float, float] | None]) -> Stations:
    return Stations.of(
        (name, name, kind, adcode, *(place or (None, None))) for name, kind, adcode, place in rows
    )


ONE_STATION = stations(("站", "service_station", "420102", ORIGIN))


@pytest.mark.parametrize(
    ("km", "inside", "minutes"),
    [
        (0.0, True, 0.0),
        (0.5, True, 7.5),  # 0.6 km on foot at 4.8 km/h
        (0.8, True, 12.0),
        (1.0, True, 15.0),  # exactly on the edge: inside
        (1.0001, False, 15.0015),  # 10 cm beyond it: outside
        (1.2, False, 18.0),
    ],
)
def test_a_community_is_inside_up_to_the_edge(km: float, inside: bool, minutes: float) -> None:
    result = measure(communities(("a", "420102", north(km), 100)), ONE_STATION, TRAVEL, WALK15)
    assert bool(result.covered[0]) is inside
    assert result.nearest_minutes[0] == pytest.approx(minutes, abs=1e-6)
    assert result.overall.covered_population == (100 if inside else 0)


def test_hand_checked_shares_per_district_and_overall() -> None:
    homes = communities(
        ("a1", "420102", north(0.3), 1000),  # covered
        ("a2", "420102", north(2.0), 2000),  # 2 km: 30 minutes, outside
        ("b1", "420103", north(-0.9), 500),  # another district, reached across the border
        ("c1", "420104", north(10.0), 1500),  # no station anywhere near
    )
    result = measure(homes, ONE_STATION, TRAVEL, WALK15)
    assert result.covered.tolist() == [True, False, True, False]
    assert (result.overall.population, result.overall.covered_population) == (5000, 1500)
    assert result.overall.share == pytest.approx(0.3)
    by = {d.adcode: d for d in result.districts}
    assert by["420102"].share == pytest.approx(1 / 3)
    assert (by["420102"].stations, by["420102"].uncovered_communities) == (1, 1)
    assert by["420103"].share == 1.0 and by["420103"].stations == 0
    # a district without any station is listed, at 0 %
    assert (by["420104"].share, by["420104"].stations, by["420104"].communities) == (0.0, 0, 1)
    # the uncovered, most populous first, with the minutes to the nearest station
    assert [result.communities.names[i] for i in result.uncovered] == ["a2", "c1"]
    assert result.nearest_minutes[1] == pytest.approx(30.0)
    assert result.nearest_minutes[3] == pytest.approx(150.0)


def test_named_districts_without_communities_have_no_share() -> None:
    result = measure(
        communities(("a", "420102", north(0.2), 10)),
        ONE_STATION,
        TRAVEL,
        WALK15,
        districts=["420111"],
    )
    empty = next(d for d in result.districts if d.adcode == "420111")
    assert (empty.population, empty.share) == (0, None)


def test_stations_without_coordinates_are_skipped_and_counted() -> None:
    mixed = stations(
        ("有坐标", "service_station", "420102", north(5.0)),
        ("无坐标1", "service_station", "420102", None),
        ("无坐标2", "gig_station", "420102", None),
    )
    homes = communities(("a", "420102", ORIGIN, 100))
    result = measure(homes, mixed, TRAVEL, WALK15)
    assert result.stations_without_coordinates == 2
    assert len(result.stations) == 1
    assert not result.covered[0]
    only_gig = measure(homes, mixed, TRAVEL, CircleSpec("walk", 15, frozenset({"gig_station"})))
    assert only_gig.stations_without_coordinates == 1 and len(only_gig.stations) == 0
    assert only_gig.overall.share == 0.0
    assert math.isnan(only_gig.nearest_minutes[0]) and only_gig.nearest_station[0] == -1


def test_only_the_chosen_kinds_count() -> None:
    both = stations(
        ("培训", "training_base", "420102", north(0.1)),
        ("服务站", "service_station", "420102", north(3.0)),
    )
    homes = communities(("a", "420102", ORIGIN, 100))
    assert measure(homes, both, TRAVEL, WALK15).covered[0]
    service_only = CircleSpec("walk", 15, frozenset({"service_station"}))
    assert not measure(homes, both, TRAVEL, service_only).covered[0]


def test_communities_without_coordinates_count_as_uncovered() -> None:
    homes = communities(("a", "420102", None, 300), ("b", "420102", ORIGIN, 100))
    result = measure(homes, ONE_STATION, TRAVEL, WALK15)
    assert result.covered.tolist() == [False, True]
    assert result.overall.share == pytest.approx(0.25)


@pytest.mark.parametrize(("mode", "minutes"), [("walk", 15), ("ebike", 10), ("transit", 30)])
def test_the_prefilter_finds_every_pair_a_brute_force_finds(mode: str, minutes: float) -> None:
    rng = np.random.default_rng(7)
    a_lat, a_lon = 30.5 + rng.random(300) * 0.1, 114.2 + rng.random(300) * 0.1
    b_lat, b_lon = 30.5 + rng.random(60) * 0.1, 114.2 + rng.random(60) * 0.1
    found = reach(TRAVEL, (a_lat, a_lon), (b_lat, b_lon), mode=mode, minutes=minutes)
    brute = np.array(
        [
            TRAVEL.minutes_from(lat, lon, b_lat, b_lon, mode) <= minutes + 1e-5
            for lat, lon in zip(a_lat, a_lon, strict=True)
        ]
    )
    assert found.inside.any() and not found.inside.all()
    assert np.array_equal(found.inside, brute)


class OneToManyOnly:
    """A provider with only the protocol's one-to-many call (no pairwise shortcut)."""

    def __init__(self, inner: EstimatedTravel) -> None:
        self.inner = inner

    def reach_km(self, mode: str, minutes: np.ndarray) -> np.ndarray:
        return self.inner.reach_km(mode, minutes)

    def minutes_from(self, lat, lon, lats, lons, mode):  # type: ignore[no-untyped-def]
        return self.inner.minutes_from(lat, lon, lats, lons, mode)


def test_a_provider_without_pairwise_minutes_gives_the_same_coverage() -> None:
    homes = communities(*((f"c{i}", "420102", north(0.25 * i), 100) for i in range(8)))
    plain = measure(homes, ONE_STATION, TRAVEL, WALK15)
    other = measure(homes, ONE_STATION, OneToManyOnly(TRAVEL), WALK15)
    assert plain.covered.tolist() == other.covered.tolist() == [True] * 5 + [False] * 3


def test_speeds_change_the_circle() -> None:
    slow = EstimatedTravel({"walk": ModeSpeed(4.0, detour=1.0)})  # 15 min = 1.0 km
    homes = communities(("a", "420102", north(1.0), 1), ("b", "420102", east(1.1), 1))
    assert measure(homes, ONE_STATION, slow, WALK15).covered.tolist() == [True, False]
