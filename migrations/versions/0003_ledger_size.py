"""Each user's count of ledger events, kept with every change to the ledger.

Every check reads the ledger's version, a count and the highest row id, with the user's
token. Counting the rows on every check cost the database more the longer the season ran;
the count is now kept in the user's row, changed in the same transaction as the ledger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("ledger_size", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE users SET ledger_size = "
               "(SELECT count(*) FROM ledger_events WHERE ledger_events.user_id = users.id)")


def downgrade() -> None:
    # Not in batch mode: SQLite would copy the users table and drop the old one, and with
    # foreign keys on, dropping it deletes every user's tokens and ledger. SQLite 3.35 and
    # later drop a column in place.
    op.drop_column("users", "ledger_size")
