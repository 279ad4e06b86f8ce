"""The admin page: rule versions, shipped rule releases, admin passwords and sessions,
failed sign-ins, the audit log, and whether a sent message still had errors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.CheckConstraint("origin IN ('shipped', 'edit', 'rollback', 'import')",
                           name=op.f("ck_rule_versions_origin")),
        sa.ForeignKeyConstraint(["parent_id"], ["rule_versions.id"],
                                name=op.f("fk_rule_versions_parent_id_rule_versions")),
        sa.ForeignKeyConstraint(["restored_from"], ["rule_versions.id"],
                                name=op.f("fk_rule_versions_restored_from_rule_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_versions")),
        sa.UniqueConstraint("parent_id", name=op.f("uq_rule_versions_parent_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "shipped_rules",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("seen_at", TIME, nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["version_id"], ["rule_versions.id"],
                                name=op.f("fk_shipped_rules_version_id_rule_versions")),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_shipped_rules")),
    )
    op.create_table(
        "admin_passwords",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("set_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_admin_passwords_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_admin_passwords")),
    )
    op.create_table(
        "admin_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("seen_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_admin_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_admin_sessions")),
    )
    op.create_index(op.f("ix_admin_sessions_user_id"), "admin_sessions", ["user_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_email_address_at", "sign_in_failures", ["email", "address", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,
    )
    # Events recorded before this column existed have no value: the statistics leave them out.
    op.add_column("ledger_events", sa.Column("errors", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_events") as batch:
        batch.drop_column("errors")
    for table in ("audit_log", "sign_in_failures", "admin_sessions", "admin_passwords", "shipped_rules",
                  "rule_versions"):
        op.drop_table(table)
