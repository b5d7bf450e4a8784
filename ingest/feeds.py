"""Job-fair and gig-station feeds: one JSON document → the event or station, and its postings.

Fair organisers' systems and gig-station terminals send one UTF-8 JSON document per event or per
station. The postings come out as :class:`~ingest.readers.RawRow` objects whose ``fields`` are
keyed like a file's columns, numbered 1, 2, 3... in document order, so that the service reads,
screens and de-duplicates them exactly like the rows of an uploaded file; items that cannot be
postings come out as :class:`~ingest.readers.RowProblem` objects with their number, and the
feed's ``where`` maps every number to the item's place in the document
(``"employers[2].postings[0]"``). Problems with the document as a whole raise
:class:`~ingest.readers.FileUnreadable`.

Job-fair feed (:func:`read_fair_feed`)::

    {
      "event": {
        "external_id": "WH-2026-CFXD-0217",
        "name": "2026年春风行动江岸区重点企业专场招聘会",
        "kind": "special_recruitment",
        "campaign": "春风行动",
        "starts_at": "2026-02-26T09:00:00+08:00",
        "ends_at": "2026-02-26T12:00:00+08:00",
        "station_id": "420102-HJ-01",
        "venue": "江岸区人力资源市场（后湖大道111号）",
        "online_url": null,
        "target_groups": ["migrant_worker", "poverty_alleviated"]
      },
      "employers": [
        {
          "name": "武汉汉江物流有限公司",
          "credit_code": "91420102MA4KHJWL1G",
          "contact_phone": "13871230416",
          "booth": "A-12",
          "postings": [
            {"external_id": "HJWL-F-001", "title": "招聘叉车司机（持证）", "pay": "6-8K",
             "headcount": 3, "education": "初中", "location": "武汉市江岸区后湖大道568号",
             "skills": ["叉车驾驶", "仓储"], "certificates": ["叉车证"]}
          ]
        }
      ]
    }

- ``event`` (required): ``name``, ``kind`` (``job_fair`` 招聘会, ``special_recruitment``
  专场招聘, ``livestream`` 直播带岗, ``campaign`` 招聘活动), ``starts_at`` and ``ends_at``
  (ISO 8601 date or date-time; without an offset it is China time, UTC+8; the end may not come
  before the start) are required. ``external_id``, ``campaign``, ``station_id``, ``venue``,
  ``online_url`` (texts) and ``target_groups`` (a list of texts: priority-group codes or names)
  are optional.
- ``employers`` (optional, a list): ``name``, ``credit_code``, ``contact_phone``, ``booth`` and
  ``postings`` (a list), all optional. The employer's name, credit code, contact phone and booth
  are copied into each of its postings (as ``employer``, ``credit_code``, ``contact_phone``,
  ``booth``) unless the posting gives its own.

Gig-station feed (:func:`read_station_feed`)::

    {
      "station": {
        "station_id": "420102-HJ-LG01", "name": "江岸区后湖街零工驿站", "adcode": "420102",
        "address": "武汉市江岸区后湖大道200号", "lat": 30.6455, "lon": 114.2953
      },
      "jobs": [
        {"external_id": "HJLG-0521-01", "title": "叉车工", "employer": "武汉汉江物流有限公司",
         "credit_code": "91420102MA4KHJWL1G", "pay": "260元/天",
         "starts_at": "2026-05-21T08:00:00+08:00", "ends_at": "2026-05-21T18:00:00+08:00",
         "headcount": 2, "location": "武汉市江岸区后湖大道568号", "contact_phone": "13871230416"}
      ]
    }

- ``station`` (required): ``station_id`` or ``name`` (at least one); ``adcode`` (6 digits),
  ``address``, ``lat`` and ``lon`` (numbers, both or neither) are optional.
- ``jobs`` (optional, a list): day jobs. A job that names no place of its own (no ``location``,
  ``adcode``, ``lat`` or ``lon``) is at the station: it takes the station's address, adcode and
  coordinates. A job that does not say its ``employment_type`` is a gig (零工).

Postings and jobs: keys are the service's field names (``title``, ``pay``, ``headcount``,
``education``, ``location``, ``external_id``, ``description``, ``skills``, ``certificates``,
``experience``, ``starts_at``, ``ends_at``, ``valid_until``...) or any header a file may use for
them (岗位名称, 薪资...); other keys are kept in ``extra``. Values are texts, numbers (whole
numbers without ".0"), booleans ("true"/"false"), null (empty) or lists of those (joined with
"、", as a file's cell would hold them). An item that is not an object, has an object as a value
or has no title is a problem; the others are kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ingest.readers import FileUnreadable, RawRow, RowProblem, build_row, map_headers, number_text

FAIR_KINDS = ("job_fair", "special_recruitment", "livestream", "campaign")
CHINA_TIME = timezone(timedelta(hours=8))
LIST_SEPARATOR = "、"
_ADCODE = re.compile(r"\d{6}")
_PLACE_FIELDS = ("location", "adcode", "lat", "lon")


@dataclass(frozen=True)
class FairEvent:
    name: str
    kind: str  # one of FAIR_KINDS
    starts_at: str  # ISO 8601 as sent
    ends_at: str
    external_id: str | None = None
    campaign: str | None = None
    station_id: str | None = None
    venue: str | None = None
    online_url: str | None = None
    target_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class FairEmployer:
    name: str | None
    credit_code: str | None = None
    contact_phone: str | None = None
    booth: str | None = None


@dataclass(frozen=True)
class FairFeed:
    event: FairEvent
    employers: tuple[FairEmployer, ...]
    rows: tuple[RawRow | RowProblem, ...]
    where: dict[int, str] = field(default_factory=dict)  # row number → place in the document


@dataclass(frozen=True)
class Station:
    station_id: str | None
    name: str | None
    adcode: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class StationFeed:
    station: Station
    rows: tuple[RawRow | RowProblem, ...]
    where: dict[int, str] = field(default_factory=dict)


class _NotText(ValueError):
    """A JSON value that a cell could not hold (an object, a list of lists)."""


# --- the document -------------------------------------------------------------------------


def _document(data: bytes, section: str) -> dict[str, Any]:
    if not data or data.isspace():
        raise FileUnreadable("the feed is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileUnreadable("the feed is not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileUnreadable(
            f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(document, dict):
        raise FileUnreadable("the feed is not a JSON object")
    if not isinstance(document.get(section), dict):
        raise FileUnreadable(f'no {section} section (an object under "{section}")')
    return document


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FileUnreadable(f'"{key}" must be a list')
    return value


def _text(value: object) -> str:
    """A JSON value as a file's cell would hold it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, list):
        parts = [_text(item) for item in value if not isinstance(item, list | dict)]
        if len(parts) != len(value):
            raise _NotText("a list of lists or objects")
        return LIST_SEPARATOR.join(part.strip() for part in parts if part.strip())
    raise _NotText("an object")


def _header_text(section: dict[str, Any], key: str, where: str) -> str | None:
    """An optional text of the event or station; None when absent or blank."""
    value = section.get(key)
    if isinstance(value, list | dict):
        raise FileUnreadable(f"{where}.{key} must be a text")
    return _text(value).strip() or None


def _moment(text: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FileUnreadable(f"{where} {text!r} is not an ISO 8601 date or date-time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA_TIME)


# --- postings -----------------------------------------------------------------------------


def _posting(number: int, item: object, fill: dict[str, str]) -> RawRow | RowProblem:
    """One posting object → a row; ``fill`` gives values for the fields the posting leaves
    empty."""
    if not isinstance(item, dict):
        return RowProblem(number, "not a JSON object")
    keys = [str(key) for key in item]
    cells: list[str] = []
    for key, value in zip(keys, item.values(), strict=True):
        try:
            cells.append(_text(value))
        except _NotText as exc:
            return RowProblem(number, f"the value of {key!r} is {exc}, not text")
    mapping, _ = map_headers(keys)
    row = build_row(number, cells, keys, mapping)
    fields = dict(row.fields)
    for name, value in fill.items():
        if value and not fields.get(name):
            fields[name] = value
    if not fields.get("title"):
        return RowProblem(number, "no title")
    return RawRow(number, fields, row.extra)


class _Numbering:
    """Hands out row numbers in document order and remembers where each item is."""

    def __init__(self) -> None:
        self.rows: list[RawRow | RowProblem] = []
        self.where: dict[int, str] = {}

    def take(self, place: str) -> int:
        number = len(self.where) + 1
        self.where[number] = place
        return number

    def problem(self, place: str, reason: str) -> None:
        self.rows.append(RowProblem(self.take(place), reason))


# --- job fairs ----------------------------------------------------------------------------


def read_fair_feed(data: bytes) -> FairFeed:
    """The event of a job-fair feed, its employers and their postings (schema above)."""
    document = _document(data, "event")
    event = _fair_event(document["event"])
    numbering = _Numbering()
    employers: list[FairEmployer] = []
    for index, item in enumerate(_list(document, "employers")):
        place = f"employers[{index}]"
        if not isinstance(item, dict):
            numbering.problem(place, "the employer is not a JSON object")
            continue
        try:
            employer = FairEmployer(
                name=_item_text(item, "name"),
                credit_code=_item_text(item, "credit_code"),
                contact_phone=_item_text(item, "contact_phone"),
                booth=_item_text(item, "booth"),
            )
        except _NotText as exc:
            numbering.problem(place, f"the employer's {exc.args[0]}")
            continue
        employers.append(employer)
        postings = item.get("postings")
        if postings is None:
            continue
        if not isinstance(postings, list):
            numbering.problem(f"{place}.postings", "the employer's postings are not a list")
            continue
        fill = {
            "employer": employer.name or "",
            "credit_code": employer.credit_code or "",
            "contact_phone": employer.contact_phone or "",
            "booth": employer.booth or "",
        }
        for posting_index, posting in enumerate(postings):
            number = numbering.take(f"{place}.postings[{posting_index}]")
            numbering.rows.append(_posting(number, posting, fill))
    return FairFeed(event, tuple(employers), tuple(numbering.rows), numbering.where)


def _item_text(item: dict[str, Any], key: str) -> str | None:
    try:
        return _text(item.get(key)).strip() or None
    except _NotText as exc:
        raise _NotText(f"{key} is {exc}, not text") from None


def _fair_event(section: dict[str, Any]) -> FairEvent:
    def text(key: str) -> str | None:
        return _header_text(section, key, "event")

    name = text("name")
    if name is None:
        raise FileUnreadable("the event has no name")
    kind = text("kind")
    if kind is None:
        raise FileUnreadable(f"the event has no kind ({', '.join(FAIR_KINDS)})")
    if kind not in FAIR_KINDS:
        raise FileUnreadable(f"unknown event kind {kind!r} (one of {', '.join(FAIR_KINDS)})")
    starts_at, ends_at = text("starts_at"), text("ends_at")
    if starts_at is None or ends_at is None:
        missing = "starts_at" if starts_at is None else "ends_at"
        raise FileUnreadable(f"the event has no {missing} (when it starts and ends)")
    if _moment(ends_at, "event.ends_at") < _moment(starts_at, "event.starts_at"):
        raise FileUnreadable("the event ends before it starts")
    groups = section.get("target_groups")
    if groups is None:
        groups = []
    if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
        raise FileUnreadable("event.target_groups must be a list of texts")
    return FairEvent(
        name=name,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        external_id=text("external_id"),
        campaign=text("campaign"),
        station_id=text("station_id"),
        venue=text("venue"),
        online_url=text("online_url"),
        target_groups=tuple(group.strip() for group in groups if group.strip()),
    )


# --- gig stations -------------------------------------------------------------------------


def read_station_feed(data: bytes) -> StationFeed:
    """The station of a gig-station feed and its day jobs (schema above)."""
    document = _document(data, "station")
    station = _station(document["station"])
    at_station = {
        "location": station.address or "",
        "adcode": station.adcode or "",
        "lat": "" if station.lat is None else number_text(station.lat),
        "lon": "" if station.lon is None else number_text(station.lon),
    }
    numbering = _Numbering()
    for index, item in enumerate(_list(document, "jobs")):
        row = _posting(numbering.take(f"jobs[{index}]"), item, {})
        numbering.rows.append(_at_station(row, at_station) if isinstance(row, RawRow) else row)
    return StationFeed(station, tuple(numbering.rows), numbering.where)


def _at_station(row: RawRow, at_station: dict[str, str]) -> RawRow:
    fields = dict(row.fields)
    if not any(fields.get(name) for name in _PLACE_FIELDS):
        fields.update({name: value for name, value in at_station.items() if value})
    if not fields.get("employment_type"):
        fields["employment_type"] = "零工"
    return RawRow(row.number, fields, row.extra)


def _station(section: dict[str, Any]) -> Station:
    def text(key: str) -> str | None:
        return _header_text(section, key, "station")

    station_id, name = text("station_id"), text("name")
    if station_id is None and name is None:
        raise FileUnreadable("the station has neither a station_id nor a name")
    adcode = text("adcode")
    if adcode is not None and not _ADCODE.fullmatch(adcode):
        raise FileUnreadable(f"station.adcode {adcode!r} is not a 6-digit division code")
    lat = _coordinate(section.get("lat"), "lat", 90.0)
    lon = _coordinate(section.get("lon"), "lon", 180.0)
    if (lat is None) != (lon is None):
        raise FileUnreadable("station.lat and station.lon come together")
    return Station(station_id, name, adcode, text("address"), lat, lon)


def _coordinate(value: object, key: str, limit: float) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FileUnreadable(f"station.{key} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise FileUnreadable(f"station.{key} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise FileUnreadable(f"station.{key} {number} is outside -{limit:g}…{limit:g}")
    return number
