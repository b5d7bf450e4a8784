"""Communities from CSV: every good row stored, every bad row reported by its number.

Columns (English or Chinese headers, any order; extra columns are ignored):
name / 社区名称, adcode / 区划代码, lat / 纬度, lon / 经度, population / 人口.
(adcode, name) identifies a community: a row sent again changes nothing, a row with a new
population or position updates it, so re-importing a file is safe. The file is read as UTF-8
(with or without BOM) and, failing that, as GBK (spreadsheets saved by Excel in China).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from matching.geo import in_china
from matching.regions import RegionTable, level_of, normalise_adcode

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "community", "社区", "社区名称", "名称", "社区（村）名称", "村社区"),
    "adcode": ("adcode", "district", "区划代码", "行政区划代码", "区县代码"),
    "lat": ("lat", "latitude", "纬度"),
    "lon": ("lon", "lng", "longitude", "经度"),
    "population": ("population", "people", "人口", "常住人口", "户籍人口"),
}
HEADER_HINT = "name/社区名称, adcode/区划代码, lat/纬度, lon/经度, population/人口"
Fail = Callable[[str, str], None]
MAX_POPULATION = 2_000_000  # the largest 社区 are around 100,000; more is a typo


class CommunityRowError(BaseModel):
    field: str | None = Field(None, description="The column at fault", examples=["population"])
    message: str = Field(examples=["not a whole number: '约三千'"])


class RejectedCommunityRow(BaseModel):
    row: int = Field(description="Row number as the file shows it (the header is row 1)")
    errors: list[CommunityRowError]


class CommunityImportReport(BaseModel):
    rows: int = Field(0, description="Data rows read (good and bad)")
    created: int = Field(0, description="New communities")
    updated: int = Field(0, description="Known communities whose population or place changed")
    unchanged: int = Field(0, description="Rows equal to what is stored")
    rejected: list[RejectedCommunityRow] = Field(default_factory=list)


@dataclass(frozen=True)
class CommunityRow:
    row: int
    name: str
    adcode: str
    lat: float
    lon: float
    population: int

    @property
    def key(self) -> tuple[str, str]:
        return self.adcode, self.name


class FileRefused(ValueError):
    """The whole file is unusable (not text, no header, a required column missing)."""


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("the file is neither UTF-8 nor GBK text")


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, title in enumerate(header):
        label = title.strip().lower()
        for field, aliases in COLUMNS.items():
            if label in aliases and field not in found:
                found[field] = position
    missing = [field for field in COLUMNS if field not in found]
    if missing:
        raise FileRefused(f"missing column(s) {', '.join(missing)}; expected {HEADER_HINT}")
    return found


def read_rows(
    text: str, regions: RegionTable
) -> tuple[list[CommunityRow], list[RejectedCommunityRow], int]:
    """(good rows, rejected rows, rows read). A repeated community keeps its first row."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FileRefused("the file has no header row")
    columns = _header_map(header)
    good: list[CommunityRow] = []
    rejected: list[RejectedCommunityRow] = []
    first_row: dict[tuple[str, str], int] = {}
    read = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows
        read += 1
        row, errors = _parse(number, cells, columns, regions)
        if row is not None and row.key in first_row:
            errors.append(CommunityRowError(message=f"same community as row {first_row[row.key]}"))
        if errors or row is None:
            rejected.append(RejectedCommunityRow(row=number, errors=errors))
            continue
        first_row[row.key] = number
        good.append(row)
    return good, rejected, read


def _cell(cells: list[str], columns: dict[str, int], field: str) -> str:
    position = columns[field]
    return cells[position].strip() if position < len(cells) else ""


def _parse(
    number: int, cells: list[str], columns: dict[str, int], regions: RegionTable
) -> tuple[CommunityRow | None, list[CommunityRowError]]:
    errors: list[CommunityRowError] = []

    def fail(field: str, message: str) -> None:
        errors.append(CommunityRowError(field=field, message=message))

    name = _cell(cells, columns, "name")
    if not name or len(name) > 100:
        fail("name", "a name of 1 to 100 characters is needed")
    adcode = normalise_adcode(_cell(cells, columns, "adcode"))
    if not (len(adcode) == 6 and adcode.isdigit()) or regions.get(adcode) is None:
        fail("adcode", f"not a known 6-digit division code: {adcode!r}")
    elif level_of(adcode) != "district":
        fail("adcode", f"{adcode} is a province or city; give the district (区/县)")
    lat, lon = _number(cells, columns, "lat", fail), _number(cells, columns, "lon", fail)
    if lat is not None and lon is not None and not in_china(lat, lon):
        fail("lat", f"({lat}, {lon}) is not in China; are latitude and longitude swapped?")
    population = _population(_cell(cells, columns, "population"), fail)
    if errors or lat is None or lon is None or population is None:
        return None, errors
    return CommunityRow(number, name, adcode, lat, lon, population), errors


def _number(cells: list[str], columns: dict[str, int], field: str, fail: Fail) -> float | None:
    text = _cell(cells, columns, field)
    try:
        value = float(text)
    except ValueError:
        fail(field, f"not a number: {text!r}")
        return None
    if not math.isfinite(value):
        fail(field, f"not a number: {text!r}")
        return None
    return value


def _population(text: str, fail: Fail) -> int | None:
    cleaned = text.replace(",", "").replace("，", "").replace("人", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        fail("population", f"not a whole number: {text!r}")
        return None
    if not value.is_integer() or not 0 <= value <= MAX_POPULATION:
        fail("population", f"a whole number from 0 to {MAX_POPULATION:,} is needed, not {text!r}")
        return None
    return int(value)
