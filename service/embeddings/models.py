from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from service.sqltypes import UTCDateTime, utcnow


class StoredEmbedding(SQLModel, table=True):
    """A vector computed once for a posting or a jobseeker, with the model that made it and a
    hash of the text it came from; the index is built from these without re-encoding."""

    __tablename__ = "embeddings"

    entity: str = Field(primary_key=True, max_length=16)  # "posting" | "jobseeker"
    entity_id: str = Field(primary_key=True, max_length=32)
    model_id: str = Field(primary_key=True, max_length=100)
    text_hash: str = Field(max_length=32)
    dimension: int
    vector: bytes = Field(sa_type=LargeBinary)
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
