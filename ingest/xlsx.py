"""Rows out of Excel workbooks (.xlsx), with the same contract as :func:`ingest.readers.read_csv`.

What platforms' spreadsheets look like, and what the reader does about it:

- Only the first worksheet is read. A title row (often merged across the top, "2026年春风行动
  岗位信息表") may stand above the header: the header is the first of the first
  :data:`HEADER_SEARCH_ROWS` rows that has a title column; rows above it are skipped and every
  row keeps the sheet's own number, so a report points at the row the sender sees.
- Merged cells: every cell of a merged range reads the value of its top-left cell (an employer
  merged down over its postings, a pay merged across two columns). A row whose own cells are all
  empty is skipped even when a merged range from above covers it.
- Formulas are read as their cached (last computed) values. A formula without one — the file was
  written by a program that never calculated it — or an error value (``#DIV/0!``, ``#N/A``...)
  makes its row a :class:`~ingest.readers.RowProblem` that names the column; the other rows come
  through.
- Cell values become text as the sheet shows them: whole numbers without ".0", dates as ISO text
  ("2026-12-31", "2026-05-21T08:30:00" when the time is not midnight), booleans TRUE/FALSE.

Large files are streamed: openpyxl's read-only mode reads the rows one at a time, but it does not
expose merged ranges and, with cached values, cannot tell an uncalculated formula from an empty
cell. One streaming pass over the sheet's XML (``iterparse``, each row dropped once seen) collects
both first. What stays in memory besides the file's bytes: the shared-string table (Excel keeps
every text there; held packed, about its UTF-8 size), the merged ranges, and some 130 bytes a row
that openpyxl's read-only parser keeps (it empties each row's XML element but leaves it in the
tree). ``bench/read_xlsx.py`` measures a 50 MB export.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from xml.etree import ElementTree

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.xml.constants import SHARED_STRINGS

from ingest.readers import (
    REQUIRED,
    FileUnreadable,
    RawRow,
    RowProblem,
    build_row,
    columns_missing,
    map_headers,
    missing_columns,
    number_text,
)

HEADER_SEARCH_ROWS = 10

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}f"
_SHEET_DATA, _MERGE_CELL, _MERGE_CELLS = (
    f"{_MAIN}sheetData",
    f"{_MAIN}mergeCell",
    f"{_MAIN}mergeCells",
)
_SHEET = f"{_MAIN}sheet"
_SHARED_ITEM, _TEXT, _RUN = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r"
# OOXML escapes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_).
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"
# Cell types whose cached value may rightly be empty text (a formula giving "").
_TEXT_TYPES = ("str", "s", "inlineStr")
# An OLE2 compound file: an Excel 97-2003 .xls, or an .xlsx encrypted with a password.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NO_COMPUTED_VALUE = "the formula has no computed value (the file was saved without calculating it)"


@dataclass(frozen=True)
class _Broken:
    """A cell whose value cannot be known."""

    reason: str


_Cell = str | _Broken


@dataclass(frozen=True, slots=True)
class _Merge:
    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass
class _SheetLayout:
    """What read-only openpyxl does not tell: merged ranges and uncalculated formula cells."""

    merges: list[_Merge] = field(default_factory=list)
    uncalculated: dict[int, set[int]] = field(default_factory=dict)  # row → columns


def read_xlsx(data: bytes) -> Iterator[RawRow | RowProblem]:
    """Rows of the first worksheet of an .xlsx workbook; see the module's notes."""
    _check_container(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_name, sheet_path = _first_worksheet(archive)
            layout = _scan_sheet(archive, sheet_path)
    except zipfile.BadZipFile as exc:
        raise FileUnreadable(f"not a readable XLSX workbook: {exc}") from None
    try:
        reader = _PackedStringsReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise FileUnreadable(f"not a readable XLSX workbook: {exc}") from None
    try:
        sheet = workbook[sheet_name]
        sheet.reset_dimensions()  # some writers declare a wrong size; read what is there
        rows = _sheet_rows(sheet.iter_rows(), layout)
        headers, mapping = _find_header(rows)
        for number, cells, own in rows:
            if not own:
                continue  # blank rows (even under a merged range) are not rows
            if len(cells) > len(headers):
                headers.extend(_unnamed(i) for i in range(len(headers), len(cells)))
            broken = [(i, cell) for i, cell in enumerate(cells) if isinstance(cell, _Broken)]
            if broken:
                reasons = (f"{_column_name(i, headers)}: {cell.reason}" for i, cell in broken)
                yield RowProblem(number, "; ".join(reasons))
                continue
            yield build_row(number, cast(list[str], cells), headers, mapping)
    except FileUnreadable:
        raise
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        # Damage the first pass cannot see (a number that is not one, a shared string that is
        # not there) shows only while the rows are read.
        raise FileUnreadable(f"the first worksheet cannot be read: {exc}") from None
    finally:
        workbook.close()


def _check_container(data: bytes) -> None:
    if not data or data.isspace():
        raise FileUnreadable("the file is empty")
    if data.startswith(_OLE2_MAGIC):
        raise FileUnreadable(
            "an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx "
            "without a password"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileUnreadable("not an XLSX workbook (the file is not a ZIP archive)")


# --- shared strings, packed ------------------------------------------------------------------


class _SharedStrings:
    """The workbook's shared-string table as one UTF-8 buffer and the offsets into it.

    Excel keeps every text of a workbook in this table, so an export with an id, a phone number
    and a description on each row holds millions of them; as a list of ``str`` (what openpyxl
    builds) they take several times their encoded size.
    """

    def __init__(self, source: Any) -> None:
        self._text = bytearray()
        self._ends = array("I")  # 4 bytes an offset
        root: ElementTree.Element | None = None
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if root is None:
                root = element
            if event == "end" and element.tag == _SHARED_ITEM:
                self._text += _item_text(element).encode()
                if len(self._text) >= 1 << (8 * self._ends.itemsize):
                    raise ValueError("the shared strings take more than 4 GiB")
                self._ends.append(len(self._text))
                root.clear()  # the items read so far are not needed any more

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(f"no shared string {index}")
        start = self._ends[index - 1] if index > 0 else 0
        return self._text[start : self._ends[index]].decode()


def _item_text(item: ElementTree.Element) -> str:
    """The plain text of a shared-string item: its text or its rich-text runs, without the
    phonetic guide (``rPh``) some East Asian files carry."""
    parts: list[str] = []
    for child in item:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            run = child.find(_TEXT)
            if run is not None:
                parts.append(run.text or "")
    text = "".join(parts)
    if "_x" in text:
        text = _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), text)
    return text


class _PackedStringsReader(ExcelReader):
    """openpyxl's workbook reader, keeping the shared strings packed (:class:`_SharedStrings`)."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _SharedStrings(source)


# --- the package: which part is the first worksheet -----------------------------------------


def _read_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))
    except KeyError:
        raise FileUnreadable(f"not an XLSX workbook (no {name} in the archive)") from None
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError) as exc:
        raise FileUnreadable(f"not a readable XLSX workbook ({name}: {exc})") from None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, part name) of a part's relationships."""
    folder, name = posixpath.split(part)
    rels = _read_xml(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    out: dict[str, tuple[str, str]] = {}
    for rel in rels.iter(_RELATIONSHIP):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return out


def _first_worksheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The name and part name of the first worksheet (chart sheets do not count)."""
    documents = [
        path
        for kind, path in _relationships(archive, "").values()
        if kind.endswith(_OFFICE_DOCUMENT)
    ]
    if not documents:
        raise FileUnreadable("not an XLSX workbook (the package names no workbook)")
    workbook_part = documents[0]
    sheet_parts = _relationships(archive, workbook_part)
    for sheet in _read_xml(archive, workbook_part).iter(_SHEET):
        kind, path = sheet_parts.get(sheet.get(_RELATIONSHIP_ID, ""), ("", ""))
        if kind.endswith(_WORKSHEET):
            return sheet.get("name", ""), path
    raise FileUnreadable("the workbook has no worksheet")


# --- the sheet's XML: merged ranges and formulas without a value ------------------------------


def _scan_sheet(archive: zipfile.ZipFile, part: str) -> _SheetLayout:
    layout = _SheetLayout()
    try:
        with archive.open(part) as source:
            _scan_source(source, layout)
    except KeyError:
        raise FileUnreadable(f"not an XLSX workbook (no {part} in the archive)") from None
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileUnreadable(f"the first worksheet cannot be read: {exc}") from None
    return layout


def _scan_source(source: Any, layout: _SheetLayout) -> None:
    root: ElementTree.Element | None = None
    container: ElementTree.Element | None = None  # sheetData or mergeCells
    row_number = 0
    try:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if root is None:
                    root = element
                if tag == _ROW:
                    reference = element.get("r")
                    row_number = int(reference) if reference else row_number + 1
                elif tag in (_SHEET_DATA, _MERGE_CELLS):
                    container = element
                continue
            if tag == _ROW:
                if next(element.iter(_FORMULA), None) is not None:
                    _note_uncalculated(element, row_number, layout)
            elif tag == _MERGE_CELL:
                reference = element.get("ref", "")
                if ":" in reference:
                    first_column, first_row, last_column, last_row = range_boundaries(reference)
                    layout.merges.append(_Merge(first_row, first_column, last_row, last_column))
            elif tag == _MERGE_CELLS:
                return  # nothing after this part matters
            else:
                continue
            # Drop what has been read from the tree, so that memory does not grow with the sheet.
            (container if container is not None else element).clear()
    finally:
        if root is not None:
            root.clear()  # the parser's own references to the tree go only when it is collected


def _note_uncalculated(row: ElementTree.Element, row_number: int, layout: _SheetLayout) -> None:
    column = 0
    for cell in row.iter(_CELL):
        reference = cell.get("r")
        column = coordinate_to_tuple(reference)[1] if reference else column + 1
        if cell.find(_FORMULA) is None:
            continue
        value = cell.find(_VALUE)
        if value is None or (not value.text and cell.get("t") not in _TEXT_TYPES):
            layout.uncalculated.setdefault(row_number, set()).add(column)


# --- rows with merged ranges filled in ----------------------------------------------------


def _sheet_rows(
    rows: Iterator[Sequence[Any]], layout: _SheetLayout
) -> Iterator[tuple[int, list[_Cell], bool]]:
    """(row number, cells, whether the row has a value of its own) for each row of the sheet."""
    # Merged ranges by their first row; each is dropped once the rows have passed it.
    pending = deque(sorted(layout.merges, key=lambda merge: merge.first_row))
    layout.merges.clear()
    active: list[tuple[_Merge, _Cell]] = []
    # Read-only openpyxl yields every row from 1 on, an empty tuple for a missing one.
    for number, row in enumerate(rows, start=1):
        cells: list[_Cell] = [_cell(cell) for cell in row]
        for column in layout.uncalculated.pop(number, ()):
            _widen(cells, column)
            cells[column - 1] = _Broken(NO_COMPUTED_VALUE)
        own = any(cell.strip() if isinstance(cell, str) else True for cell in cells)
        if active or (pending and pending[0].first_row <= number):
            active = [(merge, value) for merge, value in active if merge.last_row >= number]
            while pending and pending[0].first_row <= number:
                merge = pending.popleft()
                _widen(cells, merge.first_column)
                active.append((merge, cells[merge.first_column - 1]))
            for merge, value in active:
                _widen(cells, merge.last_column)
                for column in range(merge.first_column, merge.last_column + 1):
                    cells[column - 1] = value
        yield number, cells, own


def _widen(cells: list[_Cell], columns: int) -> None:
    if len(cells) < columns:
        cells.extend([""] * (columns - len(cells)))


def _find_header(rows: Iterator[tuple[int, list[_Cell], bool]]) -> tuple[list[str], dict[int, str]]:
    seen_any = False
    for number, cells, own in rows:
        if own:
            seen_any = True
            headers = [
                cell.strip() if isinstance(cell, str) and cell.strip() else _unnamed(i)
                for i, cell in enumerate(cells)
            ]
            mapping, _ = map_headers(headers)
            if not missing_columns(mapping):
                return headers, mapping
        if number >= HEADER_SEARCH_ROWS:
            break
    if not seen_any and not any(own for _, _, own in rows):
        raise FileUnreadable("the first worksheet is empty")
    where = f" in the first {HEADER_SEARCH_ROWS} rows of the first worksheet"
    raise columns_missing(REQUIRED, where)


def _unnamed(index: int) -> str:
    return f"column {get_column_letter(index + 1)}"


def _column_name(index: int, headers: list[str]) -> str:
    letter = get_column_letter(index + 1)
    header = headers[index] if index < len(headers) else ""
    if not header or header == _unnamed(index):
        return f"column {letter}"
    return f"column {letter} ({header})"


# --- cell values as text --------------------------------------------------------------------


def _cell(cell: Any) -> _Cell:
    if cell.data_type == "e":
        return _Broken(f"the cell holds the error {cell.value}")
    return cell_text(cell.value)


def cell_text(value: object) -> str:
    """A cell's value as the sheet shows it: "5000" not "5000.0", dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        moment = _to_second(value)
        if moment.time() == time(0, 0):
            return moment.date().isoformat()
        return moment.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    return str(value)


def _to_second(moment: datetime) -> datetime:
    # Excel keeps times as fractions of a day; the float noise lands in the microseconds.
    rounded = moment.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if moment.microsecond >= 500_000 else rounded
