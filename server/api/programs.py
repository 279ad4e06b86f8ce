"""GET /api/v1/programs/senders: which senders' mail is a program's, as the directory knows them.

A client that checks received mail asks this once in a while and decides on its own
machine which messages to send for checking, so mail from anyone else (and its
sender's address) never leaves the applicant's browser.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import db, directory_calendar, directory_store

bp = Blueprint("programs", __name__)


@bp.get("/programs/senders")
def program_senders():
    """The directory's mail domains (their subdomains count too) and its program
    addresses, which may sit outside those domains; needs no token, as /tracks."""
    directory = directory_calendar.directory()
    domains = sorted({d for i in directory.institutions.values() for d in i.domains}) if directory else []
    with db.read_only() as connection:
        addresses = directory_store.all_program_addresses(connection)
    return jsonify({"domains": domains, "addresses": addresses})
