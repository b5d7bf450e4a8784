"""communities: population points of the 15-minute circle

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:00:00.000000

- ``communities``: residential communities (社区) and villages (村) with their population and
  coordinates, imported from CSV by planners; (adcode, name) identifies one, so importing the
  same file again updates rather than adds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import service.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("adcode", "name", name="uq_communities_adcode_name"),
    )
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communities_adcode"), ["adcode"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communities_adcode"))

    op.drop_table("communities")
