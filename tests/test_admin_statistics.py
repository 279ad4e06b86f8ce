"""Statistics are aggregates of at least five applicants: on SQLite and PostgreSQL straight from
the ledger table, and end to end from real sends recorded through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from server import accounts, migrate
from server.admin import stats
from server.config import ROOT
from server.db import make_engine, writing
from server.ledger.events import Event
from server.schema import ledger_events

from .admin_support import AdminSession, make_admin
from .storage import BACKENDS, Client, database, sent, server

NOW = datetime(2027, 1, 20, 15, tzinfo=UTC)


def _send(user_id: int, at: datetime, program: str, categories: tuple[str, ...], errors: int | None) -> dict:
    event = Event(event_id=str(uuid.uuid4()), type="sent", at=at, recorded_at=at, program=program,
                  program_name=program.upper(), kind="other", categories=categories, errors=errors)
    return event.as_row(user_id)


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    with database(request.param, tmp_path) as db:
        engine = make_engine(db.url)
        migrate.prepare(engine, ROOT / "rules")
        yield engine
        engine.dispose()


def test_no_group_of_fewer_than_five_applicants_is_shown(engine):
    with writing(engine) as connection:
        people = [accounts.create_user(connection, f"s{n}@example.edu").id for n in range(9)]
        rows = []
        # Five applicants (one of them twice) wrote to uw.edu asking where they stand: an error.
        for user_id in people[:5] + people[:1]:
            rows.append(_send(user_id, NOW, "uw.edu", ("nrmp.ask-rank",), 1))
        # Four left a placeholder in mail to vumc.org: too few to show, though it is also an error.
        for user_id in people[5:9]:
            rows.append(_send(user_id, NOW, "vumc.org", ("hygiene.placeholder", "tone.casual"), 1))
        # All nine sent one clean message the week before; one event predates the errors column.
        for user_id in people:
            rows.append(_send(user_id, NOW - timedelta(days=7), "upenn.edu", (), 0))
        rows.append(_send(people[0], NOW - timedelta(days=7), "upenn.edu", ("tone.casual",), None))
        rows.append({**_send(people[0], NOW, "uw.edu", ("nrmp.ask-rank",), 1), "type": "interview"})
        connection.execute(insert(ledger_events), rows)
    with engine.connect() as connection:
        figures = stats.statistics(connection, NOW - timedelta(weeks=4))
        strict = stats.statistics(connection, NOW - timedelta(weeks=4), minimum=10)

    assert figures["minimum_applicants"] == 5
    # tone.casual: four applicants one week and a fifth the week before make five over the period,
    # but neither week alone is shown.
    assert figures["categories"] == [{"category": "nrmp.ask-rank", "sends": 6, "applicants": 5},
                                     {"category": "tone.casual", "sends": 5, "applicants": 5}]
    assert figures["categories_by_week"] == [
        {"category": "nrmp.ask-rank", "week": "2027-01-18", "sends": 6, "applicants": 5}]
    assert figures["weeks"] == [
        {"week": "2027-01-11", "sends": 10, "applicants": 9, "sent_with_errors": None},
        {"week": "2027-01-18", "sends": 10, "applicants": 9, "sent_with_errors": 10},
    ]
    assert figures["programs_with_errors"] == [{"program": "uw.edu", "name": "UW.EDU", "sends": 6, "applicants": 5}]
    assert strict["categories"] == strict["categories_by_week"] == strict["weeks"] == []
    assert strict["programs_with_errors"] == []
    assert "user" not in str(figures) and "s0@" not in str(figures)


def test_statistics_from_real_sends(tmp_path):
    with server("sqlite", tmp_path) as (process, db):
        make_admin(db, "stats.admin@example.edu")
        at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        asking = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nBest,\nAlex"
        placeholder = "Dear Dr. Lee,\n\nI would love to train at [Program Name].\n\nBest,\nAlex"
        for number in range(9):
            client = Client(process, db.new_user())
            to, text = ("Dr Jane Smith <jsmith@uw.edu>", asking) if number < 5 else \
                ("Dr Lee <klee@vumc.org>", placeholder)
            recorded = client.post("/ledger/events", sent(to, text, at=at))
            assert recorded.status_code == 201 and recorded.json()["errors"] >= 1, recorded.text
        admin = AdminSession.signed_in(process, "stats.admin@example.edu")
        figures = admin.request("GET", "/admin/api/statistics", params={"weeks": "2"}).json()
        categories = {row["category"]: row["applicants"] for row in figures["categories"]}
        assert categories.get("nrmp.ask-rank") == 5 and "hygiene.placeholder" not in categories
        assert [row["program"] for row in figures["programs_with_errors"]] == ["uw.edu"]
        assert figures["weeks"][-1]["sent_with_errors"] == 9
        page = admin.get("/admin/statistics")
        assert page.status_code == 200 and "nrmp.ask-rank" in page.text and "hygiene.placeholder" not in page.text
