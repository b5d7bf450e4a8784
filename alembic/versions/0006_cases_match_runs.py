"""cases, promises and match runs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:00:00.000000

- ``recommendation_events``: the history of each recommendation (case): created, each change of
  status, follow-up notes; who and when.
- ``recommendations``: one row per (person, posting) pair, so that a match run can be repeated
  without recommending the same job twice. No code wrote this table before this revision.
- ``case_services``: services recorded for a person (career guidance, skills training, a job
  recommendation made outside the system): the "311" promise and contacts.
- ``case_backgrounds``: a person's former employer, for the layoff early warning.
- ``match_runs``: staff match runs with their selection and progress.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.dialects import postgresql

import service.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_runs",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "selection",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("top_k", sa.Integer(), nullable=False),
        sa.Column("min_score", sa.Float(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("people_total", sa.Integer(), nullable=False),
        sa.Column("people_done", sa.Integer(), nullable=False),
        sa.Column("people_skipped", sa.Integer(), nullable=False),
        sa.Column("recommendations_created", sa.Integer(), nullable=False),
        sa.Column("pairs_already_recommended", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", service.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", service.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_runs_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_runs_status"), ["status"], unique=False)

    op.create_table(
        "case_backgrounds",
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("former_employer", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "former_employer_credit_code",
            sqlmodel.sql.sqltypes.AutoString(length=18),
            nullable=True,
        ),
        sa.Column("left_job_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("jobseeker_id"),
    )
    with op.batch_alter_table("case_backgrounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_backgrounds_former_employer"), ["former_employer"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_backgrounds_former_employer_credit_code"),
            ["former_employer_credit_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_case_backgrounds_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "case_services",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("actor_role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_services_jobseeker_id"), ["jobseeker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_services_kind"), ["kind"], unique=False)

    op.create_table(
        "recommendation_events",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recommendation_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("actor_role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recommendation_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_events_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recommendation_events_jobseeker_id"), ["jobseeker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_events_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_events_to_status"), ["to_status"], unique=False
        )

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_recommendations_pair", ["jobseeker_id", "posting_id"])


def downgrade() -> None:
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_recommendations_pair", type_="unique")

    with op.batch_alter_table("recommendation_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_events_to_status"))
        batch_op.drop_index(batch_op.f("ix_recommendation_events_recommendation_id"))
        batch_op.drop_index(batch_op.f("ix_recommendation_events_jobseeker_id"))
        batch_op.drop_index(batch_op.f("ix_recommendation_events_at"))

    op.drop_table("recommendation_events")
    with op.batch_alter_table("case_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_services_kind"))
        batch_op.drop_index(batch_op.f("ix_case_services_jobseeker_id"))

    op.drop_table("case_services")
    with op.batch_alter_table("case_backgrounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_backgrounds_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_case_backgrounds_former_employer_credit_code"))
        batch_op.drop_index(batch_op.f("ix_case_backgrounds_former_employer"))

    op.drop_table("case_backgrounds")
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_runs_status"))
        batch_op.drop_index(batch_op.f("ix_match_runs_created_by"))

    op.drop_table("match_runs")
