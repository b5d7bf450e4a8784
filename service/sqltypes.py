"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY.
AutoIncrementBigInt = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A 26-character, time-ordered opaque id: 12 hex digits of milliseconds + 14 random hex.

    Ordering by id is ordering by creation time, which lets cursor pagination use the
    primary key alone.
    """
    millis = time.time_ns() // 1_000_000
    return f"{millis:012x}{os.urandom(7).hex()}"


def new_ids(count: int) -> list[str]:
    """``count`` ids as ``new_id`` makes them, the random parts read in one call (a batch of
    a match run makes two thousand)."""
    millis = f"{time.time_ns() // 1_000_000:012x}"
    noise = os.urandom(7 * count).hex()
    return [millis + noise[start : start + 14] for start in range(0, 14 * count, 14)]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC; SQLite hands naive values back, we re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
