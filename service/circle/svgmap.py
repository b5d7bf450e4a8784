"""The circle as a map a planner can open in a browser: an SVG written directly, no plotting
library. Stations with their circles, communities inside (grey) and outside (red) by size of
population, the suggested sites (green, numbered, with the circle they would draw), district
names, a legend and a scale bar.

The projection is equirectangular around the middle latitude: over a city (tens of km) its
distortion is far below a pixel. Circles are drawn at the straight-line radius the travel
provider bounds (exact for the estimate; with a routing table the true reach is irregular and
the circle is its outer bound).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from xml.sax.saxutils import escape

import numpy as np

from matching.travel import MODE_LABELS
from service.circle.service import CircleResult

WIDTH = 1200
MARGIN = 40
LEGEND_WIDTH = 250
KM_PER_DEGREE = 111.195
FONTS = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
COLOURS = {
    "circle": "#4a90d9",
    "station": "#1f3b73",
    "covered": "#8c8c8c",
    "uncovered": "#d62728",
    "site": "#2ca02c",
}


class _Projection:
    def __init__(self, lats: np.ndarray, lons: np.ndarray, pad_km: float) -> None:
        self.lat0 = float(np.mean([lats.min(), lats.max()])) if len(lats) else 30.59
        self.cos0 = math.cos(math.radians(self.lat0))
        xs, ys = self._km(lats, lons)
        self.x_min, self.y_max = float(xs.min()) - pad_km, float(ys.max()) + pad_km
        span_x = float(xs.max()) - float(xs.min()) + 2 * pad_km
        span_y = float(ys.max()) - float(ys.min()) + 2 * pad_km
        room = WIDTH - 2 * MARGIN - LEGEND_WIDTH
        self.px_per_km = room / max(span_x, span_y * 0.75, 1e-3)
        self.height = int(span_y * self.px_per_km) + 2 * MARGIN + 40

    def _km(self, lats: np.ndarray, lons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return lons * self.cos0 * KM_PER_DEGREE, lats * KM_PER_DEGREE

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = lon * self.cos0 * KM_PER_DEGREE, lat * KM_PER_DEGREE
        left = LEGEND_WIDTH + MARGIN
        return left + (x - self.x_min) * self.px_per_km, MARGIN + 40 + (self.y_max - y) * (
            self.px_per_km
        )


def _points(result: CircleResult) -> tuple[np.ndarray, np.ndarray]:
    c, s = result.coverage.communities, result.coverage.stations
    lats = np.concatenate([c.lat[c.located], s.lat, [x.lat for x in result.suggestions]])
    lons = np.concatenate([c.lon[c.located], s.lon, [x.lon for x in result.suggestions]])
    return np.asarray(lats, dtype=np.float64), np.asarray(lons, dtype=np.float64)


def render(result: CircleResult, *, title: str) -> str:
    """The SVG document of the circle."""
    lats, lons = _points(result)
    if not len(lats):
        lats, lons = np.array([30.59]), np.array([114.30])
    proj = _Projection(lats, lons, pad_km=result.reach_km + 0.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{proj.height}" '
        f'viewBox="0 0 {WIDTH} {proj.height}" font-family="{FONTS}">',
        f'<rect width="{WIDTH}" height="{proj.height}" fill="#ffffff"/>',
        *_title(result, title),
        *_station_circles(result, proj),
        *_communities(result, proj),
        *_stations(result, proj),
        *_sites(result, proj),
        *_district_labels(result, proj),
        *_legend(result),
        *_scale_bar(proj),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _title(result: CircleResult, title: str) -> Iterator[str]:
    q, overall = result.query, result.coverage.overall
    share = f"{overall.share:.1%}" if overall.share is not None else "—"
    line = (
        f"{MODE_LABELS.get(q.mode, q.mode)} {q.minutes:g} 分钟 · 覆盖人口 {share} "
        f"({overall.covered_population:,} / {overall.population:,}) · "
        f"站点 {len(result.coverage.stations)} · 未覆盖社区 {overall.uncovered_communities}"
    )
    yield f'<text x="{MARGIN}" y="28" font-size="20" font-weight="bold">{escape(title)}</text>'
    yield f'<text x="{MARGIN + 2}" y="50" font-size="13" fill="#333">{escape(line)}</text>'


def _station_circles(result: CircleResult, proj: _Projection) -> Iterator[str]:
    s, r = result.coverage.stations, result.reach_km * proj.px_per_km
    yield f'<g id="circles" fill="{COLOURS["circle"]}" fill-opacity="0.15" stroke="{COLOURS["circle"]}" stroke-opacity="0.5" stroke-width="0.8">'  # noqa: E501
    for lat, lon in zip(s.lat, s.lon, strict=True):
        x, y = proj.xy(lat, lon)
        yield f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    yield "</g>"


def _dot_radius(population: int) -> float:
    return min(7.0, 1.5 + math.sqrt(max(population, 0)) / 25.0)


def _communities(result: CircleResult, proj: _Projection) -> Iterator[str]:
    cov = result.coverage
    c = cov.communities
    for layer, wanted in (("covered", True), ("uncovered", False)):
        yield f'<g id="{layer}-communities" fill="{COLOURS[layer]}" fill-opacity="0.85">'
        for row in np.flatnonzero((cov.covered == wanted) & c.located):
            x, y = proj.xy(c.lat[row], c.lon[row])
            label = escape(f"{c.names[row]} {int(c.population[row]):,}人")
            yield (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_dot_radius(int(c.population[row])):.1f}">'
                f"<title>{label}</title></circle>"
            )
        yield "</g>"


def _stations(result: CircleResult, proj: _Projection) -> Iterator[str]:
    s = result.coverage.stations
    yield f'<g id="stations" fill="{COLOURS["station"]}">'
    for lat, lon, name in zip(s.lat, s.lon, s.names, strict=True):
        x, y = proj.xy(lat, lon)
        yield (
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6">'
            f"<title>{escape(str(name))}</title></rect>"
        )
    yield "</g>"


def _sites(result: CircleResult, proj: _Projection) -> Iterator[str]:
    r = result.reach_km * proj.px_per_km
    green = COLOURS["site"]
    yield f'<g id="suggested-sites" stroke="{green}">'
    for site in result.suggestions:
        x, y = proj.xy(site.lat, site.lon)
        tip = escape(f"建议新站 {site.rank}: {site.label} +{site.added_population:,}人")
        yield (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{green}" fill-opacity="0.12" '
            'stroke-width="1.5" stroke-dasharray="5,3"/>'
        )
        yield (
            f'<path d="M{x:.1f},{y - 8:.1f} L{x + 8:.1f},{y:.1f} L{x:.1f},{y + 8:.1f} '
            f'L{x - 8:.1f},{y:.1f} Z" fill="{green}" stroke="#ffffff"><title>{tip}</title></path>'
        )
        yield (
            f'<text x="{x + 10:.1f}" y="{y - 8:.1f}" font-size="13" font-weight="bold" '
            f'fill="{green}" stroke="none">{site.rank}</text>'
        )
    yield "</g>"


def _district_labels(result: CircleResult, proj: _Projection) -> Iterator[str]:
    c = result.coverage.communities
    yield (
        '<g id="districts" font-size="14" fill="#222" text-anchor="middle" stroke="#ffffff" '
        'stroke-width="3" paint-order="stroke">'
    )
    for area in result.coverage.districts:
        rows = (c.adcodes == area.adcode) & c.located
        if not rows.any():
            continue
        x, y = proj.xy(float(np.mean(c.lat[rows])), float(np.mean(c.lon[rows])))
        name = result.district_names.get(area.adcode, area.adcode)
        share = f" {area.share:.0%}" if area.share is not None else ""
        yield f'<text x="{x:.1f}" y="{y:.1f}">{escape(name + share)}</text>'
    yield "</g>"


def _legend(result: CircleResult) -> Iterator[str]:
    q = result.query
    rows = [
        ("rect", COLOURS["station"], "服务站点 station"),
        ("ring", COLOURS["circle"], f"{q.minutes:g}分钟服务圈 circle ({result.reach_km:.2f} km)"),
        ("dot", COLOURS["covered"], "圈内社区 covered community"),
        ("dot", COLOURS["uncovered"], "圈外社区 uncovered community"),
        ("diamond", COLOURS["site"], "建议新站点 suggested site"),
    ]
    top = 80
    yield f'<g id="legend" font-size="12"><rect x="{MARGIN - 10}" y="{top - 20}" width="{LEGEND_WIDTH - 20}" height="{len(rows) * 24 + 48}" fill="#ffffff" stroke="#999"/>'  # noqa: E501
    yield f'<text x="{MARGIN}" y="{top - 2}" font-weight="bold">图例 Legend</text>'
    for number, (shape, colour, label) in enumerate(rows):
        y = top + 20 + number * 24
        x = MARGIN + 8
        if shape == "rect":
            yield f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
        elif shape == "ring":
            yield f'<circle cx="{x}" cy="{y}" r="7" fill="{colour}" fill-opacity="0.15" stroke="{colour}"/>'  # noqa: E501
        elif shape == "dot":
            yield f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'
        else:
            yield f'<path d="M{x},{y - 7} L{x + 7},{y} L{x},{y + 7} L{x - 7},{y} Z" fill="{colour}"/>'  # noqa: E501
        yield f'<text x="{x + 16}" y="{y + 4}">{escape(label)}</text>'
    yield f'<text x="{MARGIN}" y="{top + 20 + len(rows) * 24}" fill="#555">点的大小表示人口 dot size: population</text>'  # noqa: E501
    yield "</g>"


def _scale_bar(proj: _Projection) -> Iterator[str]:
    target = 150 / proj.px_per_km
    km = next((k for k in (0.5, 1, 2, 5, 10, 20, 50) if k >= target / 2), 50)
    length = km * proj.px_per_km
    x, y = LEGEND_WIDTH + MARGIN, proj.height - 15
    yield (
        f'<g id="scale"><line x1="{x}" y1="{y}" x2="{x + length:.1f}" y2="{y}" stroke="#000" '
        f'stroke-width="2"/><text x="{x}" y="{y - 5}" font-size="12">{km:g} km</text></g>'
    )
