"""Distances on the globe and a coarse "is this point in China" test."""

from __future__ import annotations

from collections.abc import Sequence
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

Polygon = Sequence[tuple[float, float]]  # (longitude, latitude) vertices, not closed

# A simplified outline of mainland China, clockwise from the Argun–Amur confluence. Vertices are
# hand-placed on known border towns, passes, river bends and coastal capes, typically 100–300 km
# apart; coastal edges cut across bays and straits (the Bohai Sea counts as inside).
# fmt: off
_MAINLAND: tuple[tuple[float, float], ...] = (
    # Amur and Ussuri rivers (border with Russia)
    (121.5, 53.35), (123.3, 53.56), (125.6, 53.1), (126.7, 51.7), (127.6, 50.2),
    (128.5, 49.6), (130.6, 48.85), (132.5, 47.75), (133.7, 48.2), (134.4, 48.42),
    (135.0, 48.4), (134.7, 47.9), (134.2, 47.1),
    (133.1, 45.1), (131.9, 44.9), (131.3, 44.4), (131.2, 43.4), (131.0, 42.9),
    # Tumen and Yalu rivers (border with the DPRK)
    (130.6, 42.42), (129.9, 43.0), (129.0, 42.2), (128.1, 41.95), (128.3, 41.35),
    (127.0, 41.7), (126.2, 41.1), (125.0, 40.45), (124.5, 40.1), (124.3, 39.85),
    # Coast: Liaodong, Shandong, Jiangsu, Zhejiang, Fujian, Guangdong, Guangxi
    (121.2, 38.7), (122.7, 37.4), (122.6, 36.9), (120.7, 36.1), (119.4, 34.6),
    (120.3, 34.35), (120.6, 33.6), (121.0, 32.9), (121.4, 32.3), (122.0, 31.5),
    (122.8, 30.8), (122.6, 30.0), (122.0, 29.0), (121.7, 28.3), (120.9, 27.3), (120.3, 26.7),
    (119.9, 25.4), (118.7, 24.55), (117.5, 23.6), (116.6, 22.95), (115.4, 22.7),
    (114.4, 22.2), (113.6, 22.05), (112.0, 21.6), (110.6, 21.0), (110.5, 20.2),
    (109.9, 20.25), (109.7, 20.9), (109.1, 21.4), (108.3, 21.5), (107.95, 21.5),
    # Borders with Vietnam, Laos and Myanmar
    (106.7, 22.0), (106.3, 22.9), (105.8, 23.3), (105.3, 23.4), (104.8, 22.85),
    (103.95, 22.5), (102.2, 22.4), (101.7, 21.15), (101.15, 21.15), (100.1, 21.6),
    (99.5, 22.1), (99.0, 23.1), (98.6, 23.9), (97.7, 23.85), (97.5, 24.1), (97.5, 24.8),
    (98.1, 25.5), (98.6, 26.1), (98.6, 27.0), (98.1, 27.8), (97.6, 28.5),
    # Southern Tibet (藏南, along the southern foot of the hills), Bhutan, Chumbi valley, Sikkim
    (97.3, 28.2), (96.2, 27.3), (95.4, 27.7), (94.2, 27.4), (92.1, 26.85),
    (91.65, 27.95), (90.5, 28.3), (89.6, 28.2), (89.2, 27.9), (88.95, 27.3),
    (88.8, 27.6), (88.8, 28.1),
    # Nepal, India (western sector), Karakoram
    (88.1, 27.9), (86.9, 28.0), (86.0, 27.9), (85.3, 28.25), (83.9, 29.3),
    (81.4, 30.15), (81.05, 30.2), (80.2, 30.8), (79.4, 31.1), (78.75, 31.85),
    (78.4, 32.6), (78.9, 32.6), (78.7, 33.6), (78.3, 34.5), (77.8, 35.5),
    (76.5, 35.9), (75.4, 36.9),
    # Afghanistan, Tajikistan, Kyrgyzstan, Kazakhstan
    (74.5, 37.1), (74.9, 37.3), (74.85, 38.45), (73.6, 39.4), (73.9, 39.75),
    (75.4, 40.5), (77.0, 40.6), (78.4, 41.4), (80.2, 42.2), (80.4, 43.2),
    (80.3, 44.2), (80.8, 45.1), (82.5, 45.3), (82.3, 46.3), (82.6, 46.9),
    (83.0, 47.2), (85.5, 47.1), (86.2, 48.4), (87.3, 49.15),
    # Mongolia
    (88.2, 48.4), (90.3, 47.7), (91.0, 46.6), (90.9, 45.3), (93.5, 44.95),
    (95.3, 44.25), (96.4, 42.75), (100.0, 42.6), (101.8, 42.5), (105.0, 41.6),
    (107.0, 42.3), (110.5, 42.7), (111.9, 43.7), (114.5, 44.8), (116.0, 45.6),
    (117.4, 46.6), (119.9, 46.7), (119.6, 47.4), (118.4, 47.9), (116.0, 47.7),
    (115.6, 48.1), (116.1, 49.5), (116.7, 49.85),
    # Argun river (Russia)
    (117.9, 49.5), (119.2, 50.3), (120.1, 51.3), (120.8, 52.4),
)

_HAINAN: tuple[tuple[float, float], ...] = (
    (110.1, 20.15), (110.7, 20.15), (111.1, 19.65), (110.6, 18.85), (110.2, 18.4),
    (109.6, 18.1), (109.0, 18.35), (108.6, 19.2), (108.9, 19.6), (109.5, 19.95),
    (109.9, 20.1),
)

_TAIWAN: tuple[tuple[float, float], ...] = (  # with Penghu
    (121.55, 25.35), (122.05, 25.0), (121.85, 24.55), (121.65, 24.0), (121.2, 22.7),
    (120.85, 21.85), (120.2, 22.6), (119.4, 23.2), (119.4, 23.8), (120.5, 24.4),
    (120.9, 24.9), (121.2, 25.15),
)

_XISHA: tuple[tuple[float, float], ...] = (  # Paracel Islands, seat of Sansha city
    (111.1, 15.7), (112.9, 15.7), (112.9, 17.2), (111.1, 17.2),
)
# fmt: on

CHINA_OUTLINE: tuple[Polygon, ...] = (_MAINLAND, _HAINAN, _TAIWAN, _XISHA)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi, d_lambda = phi2 - phi1, radians(lon2 - lon1)
    h = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def point_in_polygon(lon: float, lat: float, polygon: Polygon) -> bool:
    """Even-odd ray casting on a plane of (longitude, latitude); fine away from the poles."""
    inside = False
    previous_lon, previous_lat = polygon[-1]
    for vertex_lon, vertex_lat in polygon:
        if (vertex_lat > lat) != (previous_lat > lat):
            crossing = vertex_lon + (lat - vertex_lat) * (previous_lon - vertex_lon) / (
                previous_lat - vertex_lat
            )
            if lon < crossing:
                inside = not inside
        previous_lon, previous_lat = vertex_lon, vertex_lat
    return inside


def in_china(lat: float, lon: float) -> bool:
    """Whether a point lies in a simplified outline of China.

    The outline covers the mainland (with Hong Kong and Macau), Hainan, Taiwan with Penghu and the
    Xisha (Paracel) islands; the smaller South China Sea island groups are not covered. It is a
    plausibility check for coordinates (swapped latitude and longitude, points abroad), not a map:
    points within a few tens of kilometres of a land border or the coast may be misclassified.
    """
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return False
    return any(point_in_polygon(lon, lat, polygon) for polygon in CHINA_OUTLINE)
