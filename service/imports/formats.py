"""Which reader a file needs: by its name when it has one, else by its first bytes."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from ingest.readers import FileUnreadable, RawRow, RowProblem, read_csv, read_jsonl
from ingest.xlsx import read_xlsx


class FileFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    jsonl = "jsonl"


_SUFFIXES = {
    ".csv": FileFormat.csv,
    ".txt": FileFormat.csv,
    ".xlsx": FileFormat.xlsx,
    ".jsonl": FileFormat.jsonl,
    ".ndjson": FileFormat.jsonl,
    ".json": FileFormat.jsonl,
}
_ZIP = b"PK\x03\x04"
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # an .xls (OLE2) file


def detect(data: bytes, filename: str | None = None) -> FileFormat:
    if data.startswith(_OLD_EXCEL) or (filename or "").lower().endswith(".xls"):
        raise FileUnreadable("an old Excel .xls file: save it as .xlsx or CSV and send it again")
    name = (filename or "").lower()
    for suffix, kind in _SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    if data.startswith(_ZIP):
        return FileFormat.xlsx
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return FileFormat.jsonl
    return FileFormat.csv


def read_rows(
    data: bytes, filename: str | None = None, kind: FileFormat | None = None
) -> Iterator[RawRow | RowProblem]:
    kind = kind or detect(data, filename)
    reader = {FileFormat.csv: read_csv, FileFormat.xlsx: read_xlsx, FileFormat.jsonl: read_jsonl}
    return reader[kind](data)
