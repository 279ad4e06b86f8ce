"""Alembic's entry point. The server passes in a connection that already holds the
migration lock (server/migrate.py); from the command line DATABASE_URL names the database."""

import os
from logging.config import fileConfig

from alembic import context

from server.schema import metadata

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    from server.db import make_engine
    from server.migrate import locked

    if config.config_file_name:
        fileConfig(config.config_file_name)
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Set DATABASE_URL to the database to migrate (or use `flask --app server migrate`).")
    engine = make_engine(url)
    try:
        with locked(engine) as connection:
            run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against the database.")
elif "connection" in config.attributes:
    run(config.attributes["connection"])
else:
    run_from_command_line()
