"""posting reviews, change-log writer transaction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:10:00.000000

- ``posting_reviews``: staff decisions (release / reject) on postings held or rejected by
  screening.
- ``change_log.txid``: the writing transaction's id on PostgreSQL (0 on SQLite), so that the
  partner feed reads changes in an order that never skips a late commit. Rows already in the
  log get the migration's own transaction id: they stay in seq order, before every later row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import service.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _txid_default() -> sa.TextClause:
    if op.get_bind().dialect.name == "postgresql":
        return sa.text("(pg_current_xact_id()::text::bigint)")
    return sa.text("0")


def upgrade() -> None:
    op.create_table(
        "posting_reviews",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("posting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reviewer", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reviewer_role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reviewed_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("posting_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_reviews_posting_id"), ["posting_id"], unique=False
        )

    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("txid", sa.BigInteger(), server_default=_txid_default(), nullable=False)
        )
        batch_op.create_index("ix_change_log_txid_seq", ["txid", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_txid_seq")
        batch_op.drop_column("txid")

    with op.batch_alter_table("posting_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_reviews_posting_id"))

    op.drop_table("posting_reviews")
