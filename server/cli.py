"""Administration from the command line: `flask --app server COMMAND`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import accounts, db, directory_store, migrate

DEMO_EMAIL = "demo@example.edu"
DEMO_TRACKS = ("anesthesiology", "internal-medicine-prelim")


def _tracks(connection, tracks: tuple[str, ...]) -> tuple[str, ...]:
    spec = directory_store.directory_spec(connection)
    known = {t["id"] for t in spec["tracks"]}
    unknown = [t for t in tracks if t not in known]
    if unknown:
        raise click.BadParameter(f"not in the program directory: {', '.join(unknown)} "
                                 f"(known: {', '.join(sorted(known)) or 'none'})", param_hint="--track")
    return tracks


def _email(email: str) -> str:
    try:
        return accounts.normal_email(email)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None


@click.command("create-user")
@click.argument("email")
@click.option("--admin", is_flag=True, help="An advising-office administrator rather than an applicant.")
@click.option("--track", "tracks", multiple=True, metavar="ID", help="A track the applicant applies in (repeatable).")
@click.option("--label", default="cli", show_default=True, help="A name for the token, e.g. the device.")
@with_appcontext
def create_user(email: str, admin: bool, tracks: tuple[str, ...], label: str) -> None:
    """Create a user (or, if EMAIL exists, give them a new token); the token is the last line."""
    email = _email(email)
    with db.writing() as connection:
        tracks = _tracks(connection, tracks)
        user = accounts.find_user(connection, email)
        if user is None:
            user = accounts.create_user(connection, email, "admin" if admin else "applicant", tracks)
            click.echo(f"Created {user.role} {user.email}" + (f" (tracks: {', '.join(tracks)})" if tracks else ""))
        else:
            click.echo(f"{user.email} exists ({user.role}; role and tracks unchanged): issuing another token")
        _, secret = accounts.issue_token(connection, user.id, label)
    click.echo("API token (shown once; keep it secret):")
    click.echo(secret)


@click.command("create-demo-user")
@with_appcontext
def create_demo_user() -> None:
    """Make sure the demo applicant exists and print a fresh token for it as the last line."""
    with db.writing() as connection:
        known = {t["id"] for t in directory_store.directory_spec(connection)["tracks"]}
        user = accounts.find_user(connection, DEMO_EMAIL)
        if user is None:
            user = accounts.create_user(connection, DEMO_EMAIL, "applicant", [t for t in DEMO_TRACKS if t in known])
            click.echo(f"Created the demo applicant {user.email} (tracks: {', '.join(user.tracks) or 'none'})")
        _, secret = accounts.issue_token(connection, user.id, "demo")
    click.echo(f"API token for {DEMO_EMAIL}:")
    click.echo(secret)


@click.command("revoke-token")
@click.argument("token", required=False)
@click.option("--email", help="Revoke every token of this user instead.")
@with_appcontext
def revoke_token(token: str | None, email: str | None) -> None:
    """Revoke one API token (give the token), or all of a user's (--email)."""
    if (token is None) == (email is None):
        raise click.UsageError("Give either a TOKEN or --email.")
    with db.writing() as connection:
        if email is not None:
            user = accounts.find_user(connection, _email(email))
            if user is None:
                raise click.ClickException(f"no user {email}")
            count = accounts.revoke_token(connection, user_id=user.id)
        else:
            count = accounts.revoke_token(connection, secret=token)
    if not count:
        raise click.ClickException("no token in force matched")
    click.echo(f"revoked {count} token(s)")


@click.command("load-directory")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Where programs.yaml and calendar.yaml are (default: the server's rules folder).")
@with_appcontext
def load_directory(rules_dir: Path | None) -> None:
    """Replace the program directory and season calendar in the database with the YAML files."""
    rules_dir = rules_dir or Path(current_app.config["RULES_DIR"])
    try:
        with db.writing() as connection:
            loaded = directory_store.load_files(connection, rules_dir)
    except directory_store.InvalidData as error:
        raise click.ClickException(f"nothing changed: {error}") from None
    click.echo(f"loaded {', '.join(loaded)}" if loaded else f"no programs.yaml or calendar.yaml in {rules_dir}")


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database to the latest schema (the release step when COACH_AUTO_MIGRATE=0)."""
    migrate.prepare(db.engine(), current_app.config["RULES_DIR"])
    click.echo("database is up to date")


def init_app(app: Flask) -> None:
    for command in (create_user, create_demo_user, revoke_token, load_directory, migrate_command):
        app.cli.add_command(command)
