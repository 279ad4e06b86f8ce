"""Accounts, tokens, the ledger, the program directory and the season calendar.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.CheckConstraint("role IN ('applicant', 'admin')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "user_tracks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("track", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_tracks_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "track", name=op.f("pk_user_tracks")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_used_at", TIME, nullable=True),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])
    op.create_table(
        "ledger_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("program", sa.String(length=255), nullable=True),
        sa.Column("program_name", sa.String(length=255), nullable=True),
        sa.Column("track", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.BigInteger(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.CheckConstraint("type IN ('sent', 'interview', 'received')", name=op.f("ck_ledger_events_type")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ledger_events_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_events")),
        sa.UniqueConstraint("user_id", "event_id", name=op.f("uq_ledger_events_user_id_event_id")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_ledger_events_user_id_id", "ledger_events", ["user_id", "id"])
    op.create_index("ix_ledger_events_user_id_at", "ledger_events", ["user_id", "at", "id"])

    op.create_table(
        "directory_tracks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_tracks")),
    )
    op.create_table(
        "institutions",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_institutions")),
    )
    op.create_table(
        "institution_domains",
        sa.Column("institution_key", sa.String(length=255), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_key"], ["institutions.key"],
                                name=op.f("fk_institution_domains_institution_key_institutions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_key", "domain", name=op.f("pk_institution_domains")),
    )
    op.create_table(
        "institution_names",
        sa.Column("institution_key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('name', 'abbreviation')", name=op.f("ck_institution_names_kind")),
        sa.ForeignKeyConstraint(["institution_key"], ["institutions.key"],
                                name=op.f("fk_institution_names_institution_key_institutions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_key", "kind", "value", name=op.f("pk_institution_names")),
    )
    op.create_table(
        "directory_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("institution_key", sa.String(length=255), nullable=True),
        sa.Column("track", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('specialty', 'program')", name=op.f("ck_directory_policies_scope")),
        sa.ForeignKeyConstraint(["institution_key"], ["institutions.key"],
                                name=op.f("fk_directory_policies_institution_key_institutions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_policies")),
    )
    op.create_table(
        "directory_programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_key", sa.String(length=255), nullable=False),
        sa.Column("track", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_key"], ["institutions.key"],
                                name=op.f("fk_directory_programs_institution_key_institutions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_programs")),
    )
    op.create_table(
        "program_addresses",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["directory_programs.id"],
                                name=op.f("fk_program_addresses_program_id_directory_programs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("program_id", "address", name=op.f("pk_program_addresses")),
    )

    op.create_table(
        "calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season", sa.String(length=32), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar")),
    )
    op.create_table(
        "calendar_dates",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_calendar_dates")),
    )
    op.create_table(
        "calendar_stages",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("starts", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_stages")),
    )
    versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(versions, [{"name": "directory", "version": 0}])


def downgrade() -> None:
    for table in ("data_versions", "calendar_stages", "calendar_dates", "calendar", "program_addresses",
                  "directory_programs", "directory_policies", "institution_names", "institution_domains",
                  "institutions", "directory_tracks", "ledger_events", "api_tokens", "user_tracks", "users"):
        op.drop_table(table)
