import pytest

from matching.geo import haversine_km, in_china, point_in_polygon
from matching.package_data import read_csv_rows

INSIDE = {
    "Wuhan": (30.59, 114.30),
    "Urumqi": (43.8, 87.6),
    "Harbin": (45.8, 126.5),
    "Haikou": (20.0, 110.3),
    "Kashgar": (39.47, 75.99),
    "Lhasa": (29.65, 91.1),
    "Sanya": (18.25, 109.5),
    "Taipei": (25.03, 121.56),
    "Kaohsiung": (22.63, 120.3),
    "Beijing": (39.9, 116.4),
    "Shanghai": (31.23, 121.47),
    "Hong Kong": (22.3, 114.17),
    "Macau": (22.19, 113.54),
    "Mohe": (52.97, 122.54),
    "Hotan": (37.1, 79.9),
    "Yongxing Island (Sansha)": (16.83, 112.34),
}

OUTSIDE = {
    "Tokyo": (35.68, 139.69),
    "Seoul": (37.57, 126.98),
    "Busan": (35.18, 129.08),
    "Pyongyang": (39.03, 125.75),
    "Vladivostok": (43.12, 131.89),
    "Khabarovsk": (48.48, 135.07),
    "Ulaanbaatar": (47.9, 106.9),
    "Irkutsk": (52.29, 104.3),
    "Almaty": (43.24, 76.9),
    "Bishkek": (42.87, 74.59),
    "Dushanbe": (38.56, 68.77),
    "Islamabad": (33.7, 73.05),
    "Delhi": (28.61, 77.21),
    "Kathmandu": (27.7, 85.32),
    "Thimphu": (27.47, 89.64),
    "Dhaka": (23.81, 90.41),
    "Mandalay": (21.97, 96.08),
    "Vientiane": (17.97, 102.6),
    "Hanoi": (21.03, 105.85),
    "Manila": (14.6, 120.98),
    "Naha": (26.21, 127.68),
    "null island": (0.0, 0.0),
    "Wuhan with lat and lon swapped": (114.30, 30.59),
}


@pytest.mark.parametrize("name", INSIDE)
def test_inside_china(name: str) -> None:
    assert in_china(*INSIDE[name])


@pytest.mark.parametrize("name", OUTSIDE)
def test_outside_china(name: str) -> None:
    assert not in_china(*OUTSIDE[name])


def test_every_region_centroid_is_inside() -> None:
    """The outline holds every district centroid cpca ships, except the Nansha and Zhongsha
    island groups, which the outline leaves out."""
    rows = read_csv_rows("cpca", "resources", "adcodes.csv")
    outside = {
        row["adcode"][:6]
        for row in rows
        if row["latitude"] and not in_china(float(row["latitude"]), float(row["longitude"]))
    }
    assert outside == {"460322", "460323"}


def test_out_of_range_coordinates() -> None:
    assert not in_china(130.0, 114.3)
    assert not in_china(30.6, 414.3)


def test_point_in_polygon_square() -> None:
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert point_in_polygon(1.0, 1.0, square)
    assert not point_in_polygon(3.0, 1.0, square)
    assert not point_in_polygon(1.0, -0.5, square)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((30.59, 114.30), (30.59, 114.30), 0.0),
        ((0.0, 0.0), (0.0, 1.0), 111.195),  # one degree on the equator
        ((0.0, 0.0), (1.0, 0.0), 111.195),  # one degree of latitude
        ((39.9042, 116.4074), (31.2304, 121.4737), 1067.3),  # Beijing – Shanghai
        ((30.5928, 114.3055), (28.2282, 112.9388), 294.4),  # Wuhan – Changsha
    ],
)
def test_haversine_km(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert haversine_km(*a, *b) == pytest.approx(km, abs=0.5)
    assert haversine_km(*b, *a) == pytest.approx(haversine_km(*a, *b))


def test_haversine_antipodes() -> None:
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(20015.1, abs=0.5)
