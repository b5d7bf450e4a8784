"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 07:29:50.096164
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.dialects import postgresql

import service.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("op", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("occurred_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "employers",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("credit_code", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("industry", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("credit_status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_code"),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_adcode"), ["adcode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_employers_credit_status"), ["credit_status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_employers_name"), ["name"], unique=False)

    op.create_table(
        "stations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column(
            "opening_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "services",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stations_adcode"), ["adcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_stations_kind"), ["kind"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=True),
        sa.Column("starts_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("online_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column(
            "target_groups",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_adcode"), ["adcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_station_id"), ["station_id"], unique=False)

    op.create_table(
        "jobseekers",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
        sa.Column(
            "id_number_encrypted", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True
        ),
        sa.Column("id_number_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("home_lat", sa.Float(), nullable=True),
        sa.Column("home_lon", sa.Float(), nullable=True),
        sa.Column(
            "location_precision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column(
            "desired_titles",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "desired_occupations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "skills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "certificates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("education", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("experience_years", sa.Integer(), nullable=True),
        sa.Column(
            "employment_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("salary_expectation", sa.Integer(), nullable=True),
        sa.Column(
            "salary_expectation_unit", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False
        ),
        sa.Column(
            "availability",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("travel_mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("travel_max_minutes", sa.Integer(), nullable=True),
        sa.Column("not_choosy", sa.Boolean(), nullable=False),
        sa.Column("consent_show_to_employers", sa.Boolean(), nullable=False),
        sa.Column("consent_recommendations", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("left_school_on", sa.Date(), nullable=True),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_number_hash"),
        sa.UniqueConstraint("phone"),
    )
    with op.batch_alter_table("jobseekers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobseekers_adcode"), ["adcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobseekers_station_id"), ["station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobseekers_status"), ["status"], unique=False)

    op.create_table(
        "postings",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("employer_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=True),
        sa.Column("occupation_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column(
            "occupation_derivation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("employment_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("salary_min", sa.Integer(), nullable=True),
        sa.Column("salary_max", sa.Integer(), nullable=True),
        sa.Column("salary_unit", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("adcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column(
            "location_precision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "requirements",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("starts_at", service.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", service.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "screening",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employers.id"],
        ),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postings_adcode"), ["adcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_postings_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_postings_employment_type"), ["employment_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_postings_occupation_code"), ["occupation_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_postings_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_postings_station_id"), ["station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_postings_status"), ["status"], unique=False)

    op.create_table(
        "event_postings",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("posting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("booth", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("linked_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "posting_id"),
    )
    with op.batch_alter_table("event_postings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_postings_posting_id"), ["posting_id"], unique=False
        )

    op.create_table(
        "event_registrations",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("registered_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "jobseeker_id"),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_registrations_jobseeker_id"), ["jobseeker_id"], unique=False
        )

    op.create_table(
        "jobseeker_groups",
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("group_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("certified_at", sa.Date(), nullable=True),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("jobseeker_id", "group_code"),
    )
    with op.batch_alter_table("jobseeker_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_jobseeker_groups_group_code"), ["group_code"], unique=False
        )

    op.create_table(
        "posting_reservations",
        sa.Column("posting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("group_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("posting_id", "group_code"),
    )
    with op.batch_alter_table("posting_reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_reservations_group_code"), ["group_code"], unique=False
        )

    op.create_table(
        "posting_sources",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("posting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("received_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "external_id", name="uq_posting_source_external"),
    )
    with op.batch_alter_table("posting_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_sources_posting_id"), ["posting_id"], unique=False
        )

    op.create_table(
        "recommendations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("jobseeker_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("posting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("match_run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendations_jobseeker_id"), ["jobseeker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendations_match_run_id"), ["match_run_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendations_posting_id"), ["posting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recommendations_status"), ["status"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_status"))
        batch_op.drop_index(batch_op.f("ix_recommendations_posting_id"))
        batch_op.drop_index(batch_op.f("ix_recommendations_match_run_id"))
        batch_op.drop_index(batch_op.f("ix_recommendations_jobseeker_id"))

    op.drop_table("recommendations")
    with op.batch_alter_table("posting_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_sources_posting_id"))

    op.drop_table("posting_sources")
    with op.batch_alter_table("posting_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_reservations_group_code"))

    op.drop_table("posting_reservations")
    with op.batch_alter_table("jobseeker_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobseeker_groups_group_code"))

    op.drop_table("jobseeker_groups")
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_registrations_jobseeker_id"))

    op.drop_table("event_registrations")
    with op.batch_alter_table("event_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_postings_posting_id"))

    op.drop_table("event_postings")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postings_status"))
        batch_op.drop_index(batch_op.f("ix_postings_station_id"))
        batch_op.drop_index(batch_op.f("ix_postings_source"))
        batch_op.drop_index(batch_op.f("ix_postings_occupation_code"))
        batch_op.drop_index(batch_op.f("ix_postings_employment_type"))
        batch_op.drop_index(batch_op.f("ix_postings_employer_id"))
        batch_op.drop_index(batch_op.f("ix_postings_adcode"))

    op.drop_table("postings")
    with op.batch_alter_table("jobseekers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobseekers_status"))
        batch_op.drop_index(batch_op.f("ix_jobseekers_station_id"))
        batch_op.drop_index(batch_op.f("ix_jobseekers_adcode"))

    op.drop_table("jobseekers")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_station_id"))
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_kind"))
        batch_op.drop_index(batch_op.f("ix_events_campaign"))
        batch_op.drop_index(batch_op.f("ix_events_adcode"))

    op.drop_table("events")
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stations_kind"))
        batch_op.drop_index(batch_op.f("ix_stations_adcode"))

    op.drop_table("stations")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employers_name"))
        batch_op.drop_index(batch_op.f("ix_employers_credit_status"))
        batch_op.drop_index(batch_op.f("ix_employers_adcode"))

    op.drop_table("employers")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_entity_id"))
        batch_op.drop_index(batch_op.f("ix_change_log_entity"))

    op.drop_table("change_log")
