"""``jobcircle circle report``: the coverage table, the uncovered list, the suggested sites (CSV,
UTF-8 with BOM so that Excel shows the Chinese) and the map (SVG), in one directory."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from service.circle.schemas import AreaCoveragePublic, CircleStats
from service.circle.service import CircleResult
from service.circle.svgmap import render

DISTRICTS_CSV = "circle_districts.csv"
UNCOVERED_CSV = "circle_uncovered.csv"
SITES_CSV = "circle_sites.csv"
MAP_SVG = "circle_map.svg"


@dataclass(frozen=True)
class WrittenReport:
    districts: Path
    uncovered: Path
    sites: Path
    map: Path

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.districts, self.uncovered, self.sites, self.map)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _district_rows(stats: CircleStats) -> tuple[list[str], list[list[object]]]:
    header = [
        "adcode",
        "district",
        "population",
        "covered_population",
        "share",
        "communities",
        "uncovered_communities",
        "stations",
    ]
    tiers = {t.code: {d.adcode: d for d in t.districts} for t in stats.tiers}
    for tier in stats.tiers:
        header.append(f"{tier.code}_{tier.minutes:g}min_share")

    def row(
        area: AreaCoveragePublic, name: str, tier_areas: list[AreaCoveragePublic | None]
    ) -> list[object]:
        return [
            area.adcode or "",
            name,
            area.population,
            area.covered_population,
            _share(area.share),
            area.communities,
            area.uncovered_communities,
            area.stations,
            *(_share(t.share if t else None) for t in tier_areas),
        ]

    rows = [
        row(d, d.name or "", [tiers[t.code].get(d.adcode) for t in stats.tiers])
        for d in stats.districts
    ]
    rows.append(row(stats.overall, "合计 total", [t.overall for t in stats.tiers]))
    return header, rows


def write_report(
    result: CircleResult, stats: CircleStats, out: Path, *, title: str
) -> WrittenReport:
    out.mkdir(parents=True, exist_ok=True)
    names = result.district_names
    header, rows = _district_rows(stats)
    districts = _write(out / DISTRICTS_CSV, header, rows)
    uncovered = _write(
        out / UNCOVERED_CSV,
        ["id", "name", "adcode", "district", "population", "lat", "lon", "nearest_minutes",
         "nearest_station"],
        [
            [c.id, c.name, c.adcode, names.get(c.adcode, ""), c.population, c.lat, c.lon,
             "" if c.nearest_minutes is None else c.nearest_minutes, c.nearest_station_name or ""]
            for c in stats.uncovered
        ],
    )  # fmt: skip
    sites = _write(
        out / SITES_CSV,
        ["rank", "label", "source", "adcode", "district", "lat", "lon", "added_population",
         "added_communities", "share_after"],
        [
            [s.rank, s.label, s.source, s.adcode or "", names.get(s.adcode or "", ""), s.lat,
             s.lon, s.added_population, s.added_communities, _share(s.share_after)]
            for s in stats.suggestions
        ],
    )  # fmt: skip
    svg = out / MAP_SVG
    svg.write_text(render(result, title=title), encoding="utf-8")
    return WrittenReport(districts, uncovered, sites, svg)
