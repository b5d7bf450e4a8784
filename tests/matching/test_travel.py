import math

import numpy as np
import pytest

from matching.geo import EARTH_RADIUS_KM, haversine_km
from matching.travel import (
    DEFAULT_SPEEDS,
    EstimatedTravel,
    ModeSpeed,
    TravelTimeProvider,
    bounding_box_mask,
    haversine_many,
    imprecise_mask,
    imprecise_phrase,
    travel_phrase,
)

TRAVEL = EstimatedTravel()
WUHAN = (30.59, 114.30)


def north_of(lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point ``km`` due north: along a meridian the great-circle distance is R·Δφ exactly."""
    return lat + math.degrees(km / EARTH_RADIUS_KM), lon


# Hand-checked: minutes = fixed + km × 1.2 (detour) ÷ speed × 60.
@pytest.mark.parametrize(
    ("mode", "km", "minutes"),
    [
        ("walk", 1.0, 15.0),  # 1.2 km at 4.8 km/h
        ("walk", 0.5, 7.5),
        ("walk", 0.8, 12.0),
        ("bike", 1.0, 6.0),  # 1.2 km at 12 km/h
        ("ebike", 1.0, 4.8),  # 1.2 km at 15 km/h
        ("ebike", 2.0, 9.6),
        ("transit", 5.0, 34.0),  # 10 fixed + 6 km at 15 km/h
        ("drive", 10.0, 33.8),  # 5 fixed + 12 km at 25 km/h
        ("walk", 0.0, 0.0),
        ("transit", 0.0, 10.0),
    ],
)
def test_minutes_for_km(mode: str, km: float, minutes: float) -> None:
    assert TRAVEL.minutes_for_km(km, mode) == pytest.approx(minutes)


@pytest.mark.parametrize(("mode", "km"), [("walk", 1.0), ("ebike", 3.0), ("drive", 12.0)])
def test_minutes_between_points_match_the_distance(mode: str, km: float) -> None:
    there = north_of(*WUHAN, km)
    expected = TRAVEL.minutes_for_km(km, mode)
    assert TRAVEL.minutes(*WUHAN, *there, mode) == pytest.approx(expected, abs=1e-9)
    many = TRAVEL.minutes_from(*WUHAN, np.array([there[0]]), np.array([there[1]]), mode)
    assert many[0] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("mode", "minutes", "km"),
    [("walk", 15, 1.0), ("ebike", 8, 8 / 60 * 15 / 1.2), ("transit", 5, 0.0), ("drive", 5, 0.0)],
)
def test_km_for_minutes_inverts_the_estimate(mode: str, minutes: float, km: float) -> None:
    assert TRAVEL.km_for_minutes(minutes, mode) == pytest.approx(km)
    assert TRAVEL.reach_km(mode, np.array([minutes]))[0] == pytest.approx(km)


def test_speeds_are_configurable() -> None:
    travel = EstimatedTravel({"walk": ModeSpeed(5.0, detour=1.0)})
    assert travel.minutes_for_km(1.0, "walk") == pytest.approx(12.0)
    with pytest.raises(ValueError, match="unknown travel mode"):
        travel.minutes_for_km(1.0, "ebike")


@pytest.mark.parametrize(
    "speed", [dict(speed_kmh=0), dict(speed_kmh=5, detour=0.9), dict(speed_kmh=5, fixed_minutes=-1)]
)
def test_invalid_speed_rejected(speed: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ModeSpeed(**speed)


def test_defaults_cover_every_mode_and_provider_protocol() -> None:
    assert set(DEFAULT_SPEEDS) == {"walk", "bike", "ebike", "transit", "drive"}
    assert isinstance(TRAVEL, TravelTimeProvider)


def test_vectorised_distance_equals_scalar() -> None:
    rng = np.random.default_rng(3)
    lats, lons = rng.uniform(30.35, 30.85, 500), rng.uniform(113.95, 114.65, 500)
    expected = [haversine_km(*WUHAN, la, lo) for la, lo in zip(lats, lons, strict=True)]
    np.testing.assert_allclose(haversine_many(*WUHAN, lats, lons), expected, rtol=1e-9)


def test_bounding_box_never_drops_a_point_within_the_radius() -> None:
    rng = np.random.default_rng(5)
    lats, lons = rng.uniform(30.0, 31.2, 20000), rng.uniform(113.5, 115.1, 20000)
    for radius in (0.5, 1.0, 7.5, 30.0):
        inside = haversine_many(*WUHAN, lats, lons) <= radius
        box = bounding_box_mask(*WUHAN, lats, lons, radius)
        assert not np.any(inside & ~box)
    on_edge = north_of(*WUHAN, 1.0)
    assert bounding_box_mask(*WUHAN, np.array([on_edge[0]]), np.array([on_edge[1]]), 1.0)[0]


@pytest.mark.parametrize(
    ("mode", "minutes", "text"),
    [
        ("walk", 12.0, "步行约12分钟"),
        ("walk", 11.2, "步行约12分钟"),
        ("walk", 15.000001, "步行约15分钟"),  # a point on the limit is not shown as 16
        ("walk", 0.2, "步行约1分钟"),
        ("ebike", 8.0, "电动车约8分钟"),
        ("transit", 34.0, "公交约34分钟"),
        ("drive", 20.5, "驾车约21分钟"),
        ("bike", 6.0, "骑行约6分钟"),
    ],
)
def test_travel_phrase(mode: str, minutes: float, text: str) -> None:
    assert travel_phrase(mode, minutes) == text


@pytest.mark.parametrize(
    ("precision", "text"),
    [
        ("district", "位置仅精确到区县，通勤时间为估算"),
        ("city", "位置仅精确到城市，通勤时间为估算"),
    ],
)
def test_imprecise_phrase(precision: str, text: str) -> None:
    assert imprecise_phrase(precision) == text


def test_imprecise_mask() -> None:
    marked = imprecise_mask(np.array(["point", "district", "city", "unknown"]))
    assert marked.tolist() == [False, True, True, True]
