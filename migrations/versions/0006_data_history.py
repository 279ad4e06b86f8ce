"""Every version of the program directory and of the season calendar, for their history and rollback.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "data_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('directory', 'calendar')", name=op.f("ck_data_history_kind")),
        sa.ForeignKeyConstraint(["restored_from"], ["data_history.id"],
                                name=op.f("fk_data_history_restored_from_data_history")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_history")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_data_history_kind_id", "data_history", ["kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_data_history_kind_id", table_name="data_history")
    op.drop_table("data_history")
