"""Administration from the command line: `flask --app server COMMAND`."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import accounts, audit, backup, config, db, directory_store, invitations, migrate
from .admin import passwords

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
        _, secret = accounts.issue_token(connection, user.id, label, accounts.token_lifetime())
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
        _, secret = accounts.issue_token(connection, user.id, "demo", accounts.token_lifetime())
    click.echo(f"API token for {DEMO_EMAIL}:")
    click.echo(secret)


# A token may start with "-" (tokens are URL-safe base64): it is still the token, not an option.
@click.command("revoke-token", context_settings={"ignore_unknown_options": True})
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


@click.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write (compressed when its name ends in .gz); standard output without it.")
@with_appcontext
def export_command(output: Path | None) -> None:
    """Back up everything (rule versions, directory, calendar, users, tokens, ledgers) to one file."""
    try:
        with backup.writing_to(output) as out:
            counts = backup.export(db.engine(), out)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"exported {sum(counts.values())} rows of {len(counts)} tables" + (f" to {output}" if output else ""),
               err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the contents of a database that already has users.")
@with_appcontext
def import_command(file: Path, replace: bool) -> None:
    """Restore a backup made by `export` (FILE, or - for standard input) in place of everything in the database."""
    try:
        with backup.reading_from(None if str(file) == "-" else file) as lines:
            counts = backup.import_(db.engine(), lines, replace=replace)
    except backup.BackupError as error:
        raise click.ClickException(f"nothing changed: {error}") from None
    click.echo(f"imported {sum(counts.values())} rows of {len(counts)} tables; restart the servers that use "
               "this database so that none keeps serving what it had cached")


@click.command("set-password")
@click.argument("email")
@with_appcontext
def set_password(email: str) -> None:
    """Set an administrator's password for the admin pages, creating the admin if EMAIL is new.

    Asks for it twice on a terminal; otherwise reads it from the first line of standard input
    (e.g. `printf '%s\\n' "$PASSWORD" | flask --app server set-password EMAIL`).
    """
    email = _email(email)
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        with db.writing() as connection:
            user, created = passwords.set_password(connection, email, password)
            audit.record(connection, "password.set", user.email, "set with the command line"
                         + ("; created the administrator" if created else "; their sessions ended"), actor=None)
    except passwords.PasswordError as error:
        raise click.ClickException(f"nothing changed: {error}") from None
    click.echo(f"{'Created the administrator' if created else 'Set the password of'} {user.email}; "
               "they sign in at /admin/sign-in")


@click.command("invite")
@click.argument("email")
@click.option("--url", help="The server's public address (default: COACH_PUBLIC_URL), e.g. https://coach.school.edu.")
@with_appcontext
def invite(email: str, url: str | None) -> None:
    """Print a one-time invitation link for an enrolled user: an applicant's connects one device,
    an administrator's sets their password. The link is the last line."""
    email = _email(email)
    public = (url or current_app.config["PUBLIC_URL"] or "").strip()
    try:
        public = config.origin("--url", public) if public else None
    except config.ConfigError as error:
        raise click.BadParameter(str(error), param_hint="--url") from None
    if public is None:
        raise click.UsageError("Give the server's public address with --url, or set COACH_PUBLIC_URL.")
    with db.writing() as connection:
        user = accounts.find_user(connection, email)
        if user is None:
            raise click.ClickException(f"no user {email}: enrol them first (create-user, or the admin page)")
        purpose = "password" if user.role == "admin" else "device"
        made = invitations.create(connection, user.id, purpose,
                                  timedelta(days=current_app.config["INVITATION_DAYS"]), created_by=None)
        audit.record(connection, "user.invite", user.email, f"made a {purpose} link with the command line", actor=None)
    click.echo(f"One-time link for {user.email}, valid until {made.expires_at:%Y-%m-%d %H:%M} UTC:")
    click.echo(made.link(public))


def init_app(app: Flask) -> None:
    for command in (create_user, create_demo_user, revoke_token, load_directory, migrate_command, export_command,
                    import_command, set_password, invite):
        app.cli.add_command(command)
