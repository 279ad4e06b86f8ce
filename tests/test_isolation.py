"""A user sees and changes only their own ledger and tokens, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from .storage import INTENT, Client, sent


@pytest.fixture
def users(stored_api):
    """Two applicants, A with a first-choice letter to UW in her ledger, B with one thank-you note."""
    process, db = stored_api
    a = Client(process, db.new_user("anesthesiology"))
    b = Client(process, db.new_user("anesthesiology"))
    a_event = sent("pd@uw.edu", INTENT, at="2027-02-01T12:00:00Z")
    assert a.post("/ledger/events", a_event).status_code == 201
    assert b.post("/ledger/events", sent("pd@vumc.org", at="2027-01-05T12:00:00Z")).status_code == 201
    return a, b, a_event


def test_b_cannot_read_or_export_as_ledger(users):
    a, b, a_event = users
    listed = b.get("/ledger").json()["events"]
    assert [e["program"]["key"] for e in listed] == ["vumc.org"]
    assert a_event["event_id"] not in b.get("/ledger/export", params={"format": "csv"}).text
    assert [e["program"]["key"] for e in b.events()] == ["vumc.org"]
    # Paging from A's event is refused rather than answered with anything.
    assert b.get("/ledger", params={"before": a_event["event_id"]}).status_code == 400
    summary = b.get("/ledger/summary", params={"to": "pd@uw.edu", "track": "anesthesiology"}).json()
    assert summary["history"] == [] and summary["first_choice"] == []


def test_b_cannot_erase_as_ledger(users):
    a, b, _ = users
    assert b.delete("/ledger").json() == {"deleted": 1}
    assert [e["program"]["key"] for e in a.events()] == ["uw.edu"]
    assert b.events() == []


def test_the_same_event_id_is_separate_for_each_user(users):
    a, b, a_event = users
    mine = b.post("/ledger/events", {**a_event, "to": ["pd@ucsf.edu"]})
    assert mine.status_code == 201 and mine.json()["program"]["key"] == "ucsf.edu"
    assert [e["program"]["key"] for e in a.events()] == ["uw.edu"]


def test_checks_read_only_the_users_own_ledger(users):
    a, b, _ = users
    draft = {"text": INTENT, "to": ["pd@vumc.org"], "track": "anesthesiology", "at": "2027-02-05T12:00:00Z"}
    assert "honesty.multiple-first-choice" in {w["category"] for w in a.post("/check", draft).json()["warnings"]}
    assert "honesty.multiple-first-choice" not in {w["category"] for w in b.post("/check", draft).json()["warnings"]}


def test_b_cannot_see_or_revoke_as_tokens(users):
    a, b, _ = users
    a_tokens = a.get("/tokens").json()["tokens"]
    b_ids = {t["id"] for t in b.get("/tokens").json()["tokens"]}
    assert not b_ids & {t["id"] for t in a_tokens}
    for token in a_tokens:
        assert b.delete(f"/tokens/{token['id']}").status_code == 404
    assert a.get("/me").status_code == 200
