"""Failed sign-ins as one count per account and address, moved in a single statement.

A row per failure was counted before the password was checked and written after: forty
tries sent together all found room under the limit. Now an attempt adds to its count
first, in one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, and only those within the
limit are tried. The failures recorded so far last fifteen minutes at most and are dropped.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.drop_index("ix_sign_in_failures_email_address_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.create_table(
        "sign_in_failures",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("email", "address", name=op.f("pk_sign_in_failures")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    op.create_table(
        "sign_in_failures",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_email_address_at", "sign_in_failures", ["email", "address", "at"])
