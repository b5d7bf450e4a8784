"""A routing engine's travel-time table answers for its pairs; the estimate for the rest."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from matching.travel import EstimatedTravel, ModeSpeed, TravelTimeProvider
from matching.travel_table import TableTravel, build_travel, read_travel_table
from service.config import Settings
from tests.circle.geometry import ORIGIN, north

HOME = north(0.5)  # 7.5 walking minutes by the estimate
STATION = ORIGIN
ESTIMATE = EstimatedTravel()


def write_csv(path: Path, rows: list[str], unit: str = "minutes") -> Path:
    path.write_text(f"mode,from_lat,from_lon,to_lat,to_lon,{unit}\n" + "\n".join(rows) + "\n")
    return path


def one(provider: TravelTimeProvider, a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(provider.minutes_from(a[0], a[1], np.array([b[0]]), np.array([b[1]]), "walk")[0])


@pytest.fixture
def table(tmp_path: Path) -> TableTravel:
    far = north(3.0)
    path = write_csv(
        tmp_path / "walk.csv",
        [
            f"walk,{HOME[0]},{HOME[1]},{STATION[0]},{STATION[1]},11.5",  # a river in between
            f"walk,{far[0]},{far[1]},{STATION[0]},{STATION[1]},",  # no route at all
        ],
    )
    return TableTravel(read_travel_table(path), ESTIMATE)


def test_pairs_in_the_table_are_answered_from_it(table: TableTravel) -> None:
    assert one(table, HOME, STATION) == pytest.approx(11.5)
    assert one(table, STATION, HOME) == pytest.approx(11.5)  # read the other way round
    assert one(table, north(3.0), STATION) == math.inf  # no route: never the estimate
    assert one(table, north(0.2), STATION) == pytest.approx(3.0)  # not in the table: estimate
    assert isinstance(table, TravelTimeProvider)


def test_one_way_tables_do_not_read_backwards(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv", [f"walk,{HOME[0]},{HOME[1]},{STATION[0]},{STATION[1]},11.5"]
    )
    one_way = TableTravel(read_travel_table(path), ESTIMATE, symmetric=False)
    assert one(one_way, HOME, STATION) == pytest.approx(11.5)
    assert one(one_way, STATION, HOME) == pytest.approx(7.5)


def test_coordinates_match_to_about_a_metre(table: TableTravel) -> None:
    assert one(table, (HOME[0] + 4e-6, HOME[1] - 4e-6), STATION) == pytest.approx(11.5)
    assert one(table, (HOME[0] + 2e-5, HOME[1]), STATION) == pytest.approx(7.5 + 0.0333, abs=0.01)


def test_reach_stays_conservative_with_fast_pairs(tmp_path: Path) -> None:
    fast = north(2.0)  # 2 km in 10 minutes: faster than the 15-minute, 1 km walking estimate
    path = write_csv(tmp_path / "t.csv", [f"walk,{fast[0]},{fast[1]},{STATION[0]},{STATION[1]},10"])
    provider = TableTravel(read_travel_table(path), ESTIMATE)
    assert provider.reach_km("walk", np.array([15.0]))[0] == pytest.approx(3.0)
    assert provider.reach_km("bike", np.array([15.0]))[0] == pytest.approx(2.5)  # no bike table


def test_seconds_and_osrm_and_valhalla_files(tmp_path: Path) -> None:
    csv_seconds = write_csv(
        tmp_path / "s.csv", [f"bike,{HOME[0]},{HOME[1]},{STATION[0]},{STATION[1]},300"], "seconds"
    )
    assert read_travel_table(csv_seconds)["bike"].minutes.tolist() == [5.0]
    osrm = {
        "mode": "walk",
        "code": "Ok",
        "durations": [[0.0, 690.0], [700.0, None]],
        "sources": [{"location": [HOME[1], HOME[0]]}, {"location": [114.1, 30.1]}],
        "destinations": [{"location": [HOME[1], HOME[0]]}, {"location": [STATION[1], STATION[0]]}],
    }
    valhalla = {
        "mode": "ebike",
        "sources_to_targets": [[{"time": 120, "distance": 0.5}, {"time": None}]],
        "sources": [[{"lat": HOME[0], "lon": HOME[1]}]],
        "targets": [[{"lat": STATION[0], "lon": STATION[1]}, {"lat": 30.2, "lon": 114.2}]],
    }
    path = tmp_path / "table.json"
    path.write_text(json.dumps([osrm, valhalla]))
    tables = read_travel_table(path)
    assert tables["walk"].minutes.tolist() == [0.0, 11.5, pytest.approx(700 / 60), math.inf]
    assert tables["ebike"].minutes.tolist() == [2.0, math.inf]
    provider = TableTravel(tables, ESTIMATE)
    assert one(provider, HOME, STATION) == pytest.approx(11.5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("mode,from_lat,from_lon,to_lat,to_lon\nwalk,1,2,3,4\n", "missing column"),
        ("mode,from_lat,from_lon,to_lat,to_lon,minutes\nwalk,x,2,3,4,5\n", "row 2"),
        ("mode,from_lat,from_lon,to_lat,to_lon,minutes\nwalk,1,2,3,4,-5\n", "row 2"),
    ],
)
def test_bad_csv_tables_name_the_fault(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        read_travel_table(path)


def test_bad_json_tables_and_modes(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"durations": [[1]], "sources": [], "destinations": []}))
    with pytest.raises(ValueError, match='table 1: each table needs a "mode"'):
        read_travel_table(path)
    rocket = {
        "mode": "rocket",
        "sources_to_targets": [[{"time": 60}]],
        "sources": [{"lat": 30.0, "lon": 114.0}],
        "targets": [{"lat": 30.1, "lon": 114.1}],
    }
    path.write_text(json.dumps(rocket))
    with pytest.raises(ValueError, match="unknown mode"):
        TableTravel(read_travel_table(path), ESTIMATE)


def test_build_travel_from_settings_values(tmp_path: Path) -> None:
    estimate = build_travel("estimate", speeds={"walk": 4.0}, detours={"walk": 1.0})
    assert isinstance(estimate, EstimatedTravel)
    assert estimate.speed("walk") == ModeSpeed(4.0, 1.0, 0.0)
    assert estimate.speed("drive") == ModeSpeed(25.0, 1.2, 5.0)
    with pytest.raises(ValueError, match="unknown mode"):
        build_travel("estimate", speeds={"horse": 10})
    with pytest.raises(ValueError, match="needs a table file"):
        build_travel("table")
    path = write_csv(tmp_path / "t.csv", [f"walk,{HOME[0]},{HOME[1]},{STATION[0]},{STATION[1]},9"])
    table = build_travel("table", table=path, fixed_minutes={"transit": 8})
    assert isinstance(table, TableTravel) and one(table, HOME, STATION) == 9.0


def test_settings_choose_the_provider(tmp_path: Path) -> None:
    from service.circle.travel import travel_from

    with pytest.raises(ValueError, match="JOBCIRCLE_TRAVEL_TABLE"):
        Settings(_env_file=None, travel_provider="table")  # type: ignore[call-arg]
    path = write_csv(tmp_path / "t.csv", [f"walk,{HOME[0]},{HOME[1]},{STATION[0]},{STATION[1]},9"])
    chosen = Settings(_env_file=None, travel_provider="table", travel_table=path)  # type: ignore[call-arg]
    assert one(travel_from(chosen), HOME, STATION) == 9.0
    walk4 = Settings(_env_file=None, travel_speeds={"walk": 4.0})  # type: ignore[call-arg]
    assert one(travel_from(walk4), HOME, STATION) == pytest.approx(9.0)  # 0.6 km at 4 km/h
