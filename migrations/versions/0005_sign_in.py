"""Signing in with the school's account and invitations: tokens that expire, sign-ins on their
way through an identity provider, one-time codes for the clients, and invitation links.

Tokens issued before this have no expiry and stay in force until revoked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", TIME, nullable=True))
    op.create_table(
        "sign_in_requests",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("client", sa.String(length=16), nullable=False),
        sa.Column("redirect_uri", sa.String(length=300), nullable=True),
        sa.Column("client_state", sa.String(length=200), nullable=True),
        sa.Column("code_challenge", sa.String(length=64), nullable=True),
        sa.Column("next_page", sa.String(length=2000), nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.CheckConstraint("client IN ('extension', 'addin', 'admin')", name=op.f("ck_sign_in_requests_client")),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_sign_in_requests")),
    )
    op.create_table(
        "sign_in_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=16), nullable=False),
        sa.Column("redirect_uri", sa.String(length=300), nullable=False),
        sa.Column("code_challenge", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.CheckConstraint("client IN ('extension', 'addin')", name=op.f("ck_sign_in_codes_client")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sign_in_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_sign_in_codes")),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.CheckConstraint("purpose IN ('device', 'password')", name=op.f("ck_invitations_purpose")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_invitations_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_user_id"), "invitations", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invitations_user_id"), table_name="invitations")
    for table in ("invitations", "sign_in_codes", "sign_in_requests"):
        op.drop_table(table)
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
