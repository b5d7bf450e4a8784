"""Rows out of the files partners send: CSV (UTF-8 or GBK/GB18030) and JSON lines.

Each reader yields :class:`RawRow` objects — the file's own row number and the cells under the
service's field names — and :class:`RowProblem` objects for rows it could not read, so that an
import stores every good row and reports every bad one by number. Problems with the whole file
(empty, no header, no title column) raise :class:`FileUnreadable` before any row is read.

Encodings are decided per line: UTF-8 (with or without a byte-order mark) first, then
GB18030 (a superset of GBK and GB2312, what Excel on a Chinese Windows saves). A file whose
lines come in both encodings is read line by line; a line that is neither is reported.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

# The service's field → the headers platforms use for it (Chinese and English), compared
# after folding case, width and spaces.
HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("岗位名称", "职位名称", "招聘岗位", "岗位", "职位", "工种", "job title", "title",
              "position", "job"),
    "pay": ("薪资", "月薪", "薪资待遇", "工资", "工资待遇", "薪酬", "待遇", "salary", "pay",
            "wage"),
    "location": ("工作地点", "工作地址", "地址", "地点", "work location", "location", "address"),
    "headcount": ("招聘人数", "人数", "需求人数", "招聘数量", "headcount", "openings",
                  "vacancies"),
    "contact_phone": ("联系电话", "电话", "手机", "联系方式", "contact phone", "phone",
                      "contact"),
    "education": ("学历要求", "学历", "最低学历", "education", "degree"),
    "employer": ("单位名称", "公司名称", "企业名称", "招聘单位", "用人单位", "employer",
                 "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit code", "uscc"),
    "description": ("岗位描述", "职位描述", "工作内容", "岗位职责", "description", "duties"),
    "employment_type": ("用工形式", "工作性质", "用工类型", "employment type", "job type"),
    "external_id": ("岗位编号", "职位编号", "编号", "external id", "id"),
    "valid_until": ("有效期", "截止日期", "有效期至", "valid until", "deadline", "expires"),
    "occupation_code": ("职业编码", "职业代码", "occupation code"),
    "starts_at": ("开始时间", "上工时间", "到岗时间", "start time", "starts at"),
    "ends_at": ("结束时间", "收工时间", "end time", "ends at"),
    "lat": ("纬度", "latitude", "lat"),
    "lon": ("经度", "longitude", "lon", "lng"),
    "skills": ("技能要求", "技能", "skills"),
    "experience": ("工作经验", "经验要求", "经验", "experience"),
    "certificates": ("证书要求", "资格证书", "certificates"),
    "booth": ("展位号", "摊位号", "展位", "booth"),
    "adcode": ("行政区划代码", "区划代码", "adcode"),
    "salary_unit": ("计薪方式", "薪资单位", "pay unit", "salary unit"),
}  # fmt: skip
REQUIRED = ("title",)


class FileUnreadable(ValueError):
    """The file as a whole cannot be imported; the message says why."""


@dataclass(frozen=True)
class RawRow:
    number: int  # the row's number as a spreadsheet shows it: the header is row 1
    fields: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)  # columns the service does not know


@dataclass(frozen=True)
class RowProblem:
    number: int
    reason: str


def _fold(header: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", header).casefold().replace("_", " ").split())


_LOOKUP = {_fold(name): key for key, names in HEADERS.items() for name in names}


def map_headers(headers: Iterable[str]) -> tuple[dict[int, str], list[str]]:
    """Column position → field name for the known headers, and the unknown headers as given.
    The first column that maps to a field wins; a repeated one counts as unknown."""
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        key = _LOOKUP.get(_fold(header))
        if key is None or key in mapping.values():
            unknown.append(header)
        else:
            mapping[position] = key
    return mapping, unknown


def missing_columns(mapping: dict[int, str]) -> list[str]:
    """The required fields (:data:`REQUIRED`) that no column maps to."""
    return [key for key in REQUIRED if key not in mapping.values()]


def require_columns(mapping: dict[int, str], where: str = "") -> None:
    """Raise :class:`FileUnreadable` when a required column is missing; ``where`` (e.g. " in the
    first 10 rows") is added to the reason."""
    missing = missing_columns(mapping)
    if missing:
        raise columns_missing(missing, where)


def columns_missing(missing: Sequence[str], where: str = "") -> FileUnreadable:
    """The error for a file without the ``missing`` fields' columns."""
    names = "、".join(HEADERS[key][0] for key in missing)
    return FileUnreadable(f"no {', '.join(missing)} column{where} (a header such as {names})")


def number_text(value: float) -> str:
    """A float as people write it: whole numbers without ".0", at most 15 significant digits
    (what a spreadsheet shows, and no binary noise such as 0.30000000000000004)."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return format(value, ".15g")


def decode_line(raw: bytes) -> str | None:
    """The text of one line in UTF-8 or GB18030; None when it is in neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decoded_lines(data: bytes) -> Iterator[tuple[int, str | None]]:
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        yield number, decode_line(raw)


def read_csv(data: bytes) -> Iterator[RawRow | RowProblem]:
    """Rows of a CSV file; quoted cells may span lines (they keep the first line's number)."""
    if not data.strip():
        raise FileUnreadable("the file is empty")
    lines = list(_decoded_lines(data))
    header_text = lines[0][1]
    if header_text is None:
        raise FileUnreadable("the header row is neither UTF-8 nor GBK/GB18030 text")
    headers = next(csv.reader([header_text]), [])
    mapping, _ = map_headers(headers)
    require_columns(mapping)
    buffered: list[str] = []
    first_number = 0
    for number, text in lines[1:]:
        if text is None:
            yield RowProblem(number, "the row is neither UTF-8 nor GBK/GB18030 text")
            continue
        if not buffered:
            first_number = number
            if '"' not in text and "\x00" not in text and len(text) < csv.field_size_limit():
                # no quote: the csv module would only split at the commas
                cells = text.rstrip("\r\n").split(",")
                if any(cell.strip() for cell in cells):  # blank lines are not rows
                    yield build_row(number, cells, headers, mapping)
                continue
        buffered.append(text)
        try:
            cells = next(csv.reader(io.StringIO("".join(buffered), newline="")), None)
        except csv.Error as exc:
            yield RowProblem(first_number, f"not a CSV row: {exc}")
            buffered = []
            continue
        if _open_quote("".join(buffered)):
            continue  # a quoted cell goes on in the next line
        buffered = []
        if not cells or not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows
        yield build_row(first_number, cells, headers, mapping)
    if buffered:
        yield RowProblem(first_number, "a quoted cell is never closed")


def _open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1


def build_row(
    number: int, cells: Sequence[str], headers: Sequence[str], mapping: dict[int, str]
) -> RawRow:
    """A row from its cells: mapped columns into ``fields`` (empty cells kept as ""), the other
    non-empty cells into ``extra`` under their header (or "column N" past the header)."""
    fields = {mapping[p]: cell.strip() for p, cell in enumerate(cells) if p in mapping}
    extra: dict[str, str] = {}
    if len(fields) < len(cells):  # some cells are not mapped (or two map to one field)
        for position, cell in enumerate(cells):
            value = cell.strip()
            if position not in mapping and value:
                name = headers[position] if position < len(headers) else f"column {position + 1}"
                extra[name] = value
    return RawRow(number, fields, extra)


def read_jsonl(data: bytes) -> Iterator[RawRow | RowProblem]:
    """Rows of a JSON-lines file: one object a line, keys named like CSV headers."""
    if not data.strip():
        raise FileUnreadable("the file is empty")
    for number, text in _decoded_lines(data):
        if text is None:
            yield RowProblem(number, "the line is neither UTF-8 nor GBK/GB18030 text")
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RowProblem(number, f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield RowProblem(number, "not a JSON object")
            continue
        keys = list(record)
        mapping, _ = map_headers(keys)
        cells = ["" if record[k] is None else str(record[k]) for k in keys]
        row = build_row(number, cells, keys, mapping)
        if "title" not in row.fields or not row.fields["title"]:
            yield RowProblem(number, "no title")
            continue
        yield row
