"""Cursor pagination over time-ordered ids (newest first)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select

from service.errors import InvalidInput

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput.field("cursor", "not a cursor returned by this API", "query") from None
    if not value.isalnum() or len(value) > 32:
        raise InvalidInput.field("cursor", "not a cursor returned by this API", "query")
    return value


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size (max 100).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def apply_cursor(statement: Select[Any], id_column: Any, params: PageParams) -> Select[Any]:
    if params.cursor:
        statement = statement.where(id_column < decode_cursor(params.cursor))
    return statement.order_by(id_column.desc()).limit(params.limit + 1)


def split_page(rows: Sequence[T], params: PageParams, key: Any) -> tuple[list[T], str | None]:
    """Rows were fetched with limit+1; the extra row only says whether there is a next page."""
    items = list(rows[: params.limit])
    has_more = len(rows) > params.limit
    return items, (encode_cursor(key(items[-1])) if has_more and items else None)
