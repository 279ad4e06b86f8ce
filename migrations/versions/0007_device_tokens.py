"""A device's token is no administrator's credential, and every token expires.

- `api_tokens.admin_api`: whether a token also works under /admin/api. A device that signs
  in (the extension, the add-in) as an administrator gets a token for the coach's API only;
  only the token an administrator issues for their scripts works there too. Tokens kept
  from before 0005 were all issued by hand, so an administrator's among them keep working
  for scripts.
- `api_tokens.expires_at` is required: tokens kept from before 0005, which had none,
  expire a year after this upgrade (COACH_TOKEN_DAYS's default), and then their device
  signs in again like any other.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Migrations keep their own column types: server/schema.py moves on, this file must not.
TIME = sa.DateTime(timezone=True)
UNEXPIRED_TOKENS_LAST = timedelta(days=365)


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("admin_api", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(sa.text("UPDATE api_tokens SET admin_api = :yes WHERE expires_at IS NULL "
                       "AND user_id IN (SELECT id FROM users WHERE role = 'admin')").bindparams(yes=True))
    until = datetime.now(UTC) + UNEXPIRED_TOKENS_LAST
    if op.get_bind().dialect.name == "sqlite":
        until = until.replace(tzinfo=None)  # SQLite keeps UTC times without their zone (server/schema.py)
    op.execute(sa.text("UPDATE api_tokens SET expires_at = :until WHERE expires_at IS NULL")
               .bindparams(sa.bindparam("until", until, type_=TIME)))
    # SQLite changes a column's NOT NULL by copying the table: nothing refers to api_tokens, so
    # dropping the old copy loses nothing.
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=TIME, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=TIME, nullable=True)
        batch.drop_column("admin_api")
