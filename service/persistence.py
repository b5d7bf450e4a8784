"""Helpers every domain's service uses to fetch and change rows."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from service.errors import InvalidInput, NotFound
from service.sqltypes import utcnow

Row = TypeVar("Row", bound=SQLModel)


async def fetch(
    session: AsyncSession, model: type[Row], key: str, *, what: str, field: str | None = None
) -> Row:
    """The row, or 404 for the record a path names / 422 naming ``field`` for a body reference."""
    row = await session.get(model, key)
    if row is None:
        if field:
            raise InvalidInput.field(field, f"{what} {key} does not exist")
        raise NotFound(f"{what} {key} does not exist")
    return row


async def apply_changes(session: AsyncSession, row: Row, changes: dict[str, Any]) -> Row:
    """Set the fields that differ, stamp ``updated_at`` and flush; an identical PATCH is a no-op."""
    changed = {key: value for key, value in changes.items() if getattr(row, key) != value}
    if not changed:
        return row
    for key, value in changed.items():
        setattr(row, key, value)
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(row)
    await session.flush()
    return row
