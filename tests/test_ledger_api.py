"""The ledger API over real HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from .storage import BACKENDS, INTENT, Client, sent, server

UW = "Dr Jane Smith <jsmith@uw.edu>"
VANDERBILT = "Dr Omar Haddad <omar.haddad@vumc.org>"


@pytest.fixture
def client(stored_api):
    """A new applicant in anesthesiology and a preliminary medicine year."""
    process, db = stored_api
    return Client(process, db.new_user("anesthesiology", "internal-medicine-prelim"))


def test_record_list_and_idempotency(client):
    event = sent(UW, INTENT, track="anesthesiology", subject="Letter of intent")
    first = client.post("/ledger/events", event)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert stored["event_id"] == event["event_id"] and stored["type"] == "sent"
    assert stored["at"] == "2027-01-20T15:00:00Z"
    assert stored["program"] == {"key": "uw.edu", "name": "University of Washington"}
    assert stored["track"] == "anesthesiology"
    assert stored["kind"] == "letter_of_intent" and stored["claims"] == ["first_choice"]
    assert stored["word_count"] > 10 and len(stored["fingerprint"]) == 16
    assert isinstance(stored["categories"], list)
    assert "text" not in stored and "subject" not in stored

    again = client.post("/ledger/events", event)
    assert again.status_code == 200 and again.json() == stored
    changed = client.post("/ledger/events", {**event, "text": "Something else entirely."})
    assert changed.status_code == 200 and changed.json() == stored  # the event_id decides, not the content

    listed = client.get("/ledger").json()
    assert listed == {"events": [stored], "next": None}


def test_interview_and_received_events(client):
    interview = client.post("/ledger/events", {"event_id": str(uuid.uuid4()), "type": "interview",
                                               "program": "uw.edu", "at": "2026-11-02", "track": "anesthesiology"})
    assert interview.status_code == 201, interview.text
    assert interview.json()["program"]["key"] == "uw.edu" and interview.json()["kind"] is None
    assert interview.json()["at"] == "2026-11-02T00:00:00Z"

    by_address = client.post("/ledger/events", {"event_id": str(uuid.uuid4()), "type": "interview",
                                                "to": [VANDERBILT], "at": "2026-11-09"})
    assert by_address.status_code == 201 and by_address.json()["program"]["key"] == "vumc.org"

    pressure = "Dear Ana,\n\nWe enjoyed meeting you. Please let us know how you plan to rank us.\n\nBest,\nDr. Park"
    received = client.post("/ledger/events", {"event_id": str(uuid.uuid4()), "type": "received",
                                              "from": "Dr Park <park@uw.edu>", "text": pressure,
                                              "at": "2026-11-20T10:00:00Z"})
    assert received.status_code == 201, received.text
    assert received.json()["program"]["key"] == "uw.edu" and received.json()["type"] == "received"
    assert "inbound.program-pressure" in received.json()["categories"]  # read with the inbound rules


def test_paging_newest_first(client):
    times = [f"2027-01-{day:02d}T12:00:00Z" for day in (3, 9, 1, 7, 5)]
    for at in times:
        assert client.post("/ledger/events", sent(at=at)).status_code == 201
    seen, before = [], None
    while True:
        params = {"limit": 2, **({"before": before} if before else {})}
        page = client.get("/ledger", params=params).json()
        seen += [e["at"] for e in page["events"]]
        before = page["next"]
        if before is None:
            break
    assert seen == sorted(times, reverse=True)
    for bad in ({"limit": 0}, {"limit": "ten"}, {"limit": 5000}, {"before": "not-a-uuid"},
                {"before": str(uuid.uuid4())}):
        answer = client.get("/ledger", params=bad)
        assert answer.status_code == 400 and "error" in answer.json()


def test_export_csv_and_json_then_erase(client):
    for to in (UW, VANDERBILT, "someone@=cmd.example"):
        assert client.post("/ledger/events", sent(to)).status_code == 201

    as_csv = client.get("/ledger/export", params={"format": "csv"})
    assert as_csv.status_code == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    # A cell a spreadsheet would read as a formula is quoted.
    assert {r["program"] for r in rows} == {"uw.edu", "vumc.org", "'=cmd.example"}
    assert rows[0].keys() >= {"event_id", "type", "at", "program", "track", "kind", "claims", "word_count",
                              "fingerprint", "categories"}

    as_json = client.get("/ledger/export", params={"format": "json"})
    assert "attachment" in as_json.headers["Content-Disposition"]
    exported = json.loads(as_json.text)
    assert [e["event_id"] for e in exported["events"]] == [r["event_id"] for r in rows]
    assert client.get("/ledger/export", params={"format": "xml"}).status_code == 400

    erased = client.delete("/ledger")
    assert erased.status_code == 200 and erased.json() == {"deleted": 3}
    assert client.events() == []
    assert client.delete("/ledger").json() == {"deleted": 0}


NO_ID = object()
BAD_EVENTS = [
    ("not json", 400),
    ([1, 2], 400),
    ({"event_id": NO_ID, "type": "sent", "to": [UW], "text": "hi"}, 400),
    ({"event_id": "12345", "type": "sent", "to": [UW], "text": "hi"}, 400),
    ({"event_id": 12345, "type": "sent", "to": [UW], "text": "hi"}, 400),
    ({"type": "opened"}, 400),
    ({"type": None}, 400),
    ({"type": "sent", "to": [UW]}, 400),  # no text
    ({"type": "sent", "text": "hi"}, 400),  # no recipient
    ({"type": "sent", "to": UW, "text": 5}, 400),
    ({"type": "sent", "to": [UW, 7], "text": "hi"}, 400),
    ({"type": "sent", "to": ["pd@uw.edu\u0000"], "text": "hi"}, 400),
    ({"type": "sent", "to": ["Dr Jane Smith"], "text": "hi"}, 400),
    ({"type": "sent", "to": ["pd@" + "x" * 400 + ".edu"], "text": "hi"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "subject": ["x"]}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "at": "last Tuesday"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "track": "no-such-track"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "track": 3}, 400),
    ({"type": "received", "text": "hi"}, 400),  # no sender
    ({"type": "interview", "at": "2026-11-02"}, 400),  # no program
    ({"type": "interview", "program": "uw.edu", "to": [UW]}, 400),  # both
    ({"type": "interview", "program": "not a program"}, 400),
    ({"type": "interview", "program": "x" * 300 + ".edu"}, 400),
    ({"type": "sent", "to": [UW], "text": "x" * 60_000}, 413),
    # Half a UTF-16 surrogate pair, escaped in JSON, is no text.
    ({"type": "sent", "to": [UW], "text": "Dear Dr. Smith \ud800"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "subject": "\udfff"}, 400),
    ({"type": "received", "from": UW, "text": "a\ud83d"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "track": "\ud800"}, 400),
    # Dates no message has: rules counting days from them would run off the calendar.
    ({"type": "sent", "to": [UW], "text": "hi", "at": "0001-01-01T00:00:00Z"}, 400),
    ({"type": "sent", "to": [UW], "text": "hi", "at": "9999-12-31T00:00:00Z"}, 400),
    ({"type": "interview", "program": "uw.edu", "at": "9999-01-01"}, 400),
    ({"type": "interview", "program": "uw.edu", "at": "1999-12-31T23:59:59Z"}, 400),
    # Nested deeper than any parser's stack.
    ('{"type": "sent", "to": ' + "[" * 50_000 + "]" * 50_000 + "}", 400),
    ("[" * 50_000 + "]" * 50_000, 400),
]


@pytest.fixture(scope="module")
def untouched(stored_api):
    """One user for all the bad requests: their ledger must stay empty."""
    process, db = stored_api
    return Client(process, db.new_user("anesthesiology"))


@pytest.mark.parametrize("body, status", BAD_EVENTS)
def test_bad_input_is_refused_and_changes_nothing(untouched, body, status):
    client = untouched
    if isinstance(body, dict):
        body = {k: v for k, v in {"event_id": str(uuid.uuid4()), **body}.items() if v is not NO_ID}
    data = body if isinstance(body, str) else json.dumps(body)
    answer = client.session.post(client.url + "/ledger/events", data=data,
                                 headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == status, answer.text
    assert set(answer.json()["error"]) == {"code", "message"}
    assert client.events() == []


def test_the_text_is_never_stored_nor_logged(stored_api, client):
    process, db = stored_api
    secret = f"My grandmother's recipe for quince jam is number {uuid.uuid4().hex}"
    body = f"Dear Dr. Smith,\n\nThank you for the interview. {secret}.\n\nSincerely,\nAna"
    assert client.post("/ledger/events", sent(UW, body, subject=secret)).status_code == 201
    received = {"event_id": str(uuid.uuid4()), "type": "received", "from": UW, "text": body, "subject": secret}
    assert client.post("/ledger/events", received).status_code == 201
    assert client.post("/check", {"text": body, "subject": secret, "to": [UW]}).status_code == 200
    needle = secret.split(" number ")[1]
    assert needle not in db.dump()
    assert needle not in process.log.read_text(errors="replace")


def test_summary_for_the_badge(client):
    def record(**fields):
        answer = client.post("/ledger/events", fields)
        assert answer.status_code == 201, answer.text

    record(**sent(UW, INTENT, at="2027-02-01T12:00:00Z", track="anesthesiology", subject="Letter of intent"))
    record(event_id=str(uuid.uuid4()), type="interview", program="uw.edu", at="2026-11-02", track="anesthesiology")
    record(**sent("pd@mgh.harvard.edu", INTENT.replace("Dr. Smith", "Dr. Lee"), at="2027-02-03T12:00:00Z",
                  track="internal-medicine-prelim"))
    record(**sent(VANDERBILT, "Dear Dr. Haddad,\n\nThank you for the interview.", at="2026-12-01T12:00:00Z",
                  track="anesthesiology"))

    summary = client.get("/ledger/summary", params={"to": ["someone@example.com", "Dr Smith <pd@uw.edu>"],
                                                    "track": "anesthesiology"})
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert body["program"] == {"key": "uw.edu", "name": "University of Washington", "track": "anesthesiology",
                               "known": True}
    assert [(h["type"], h["at"]) for h in body["history"]] == [
        ("sent", "2027-02-01T12:00:00Z"), ("interview", "2026-11-02T00:00:00Z")]
    assert body["history"][0] == {"type": "sent", "kind": "letter_of_intent", "at": "2027-02-01T12:00:00Z",
                                  "claims": ["first_choice"], "track": "anesthesiology"}
    first = {f["track"]: f for f in body["first_choice"]}
    assert set(first) == {"anesthesiology", "internal-medicine-prelim"}
    assert first["anesthesiology"]["program"]["key"] == "uw.edu"
    assert first["internal-medicine-prelim"]["program"]["key"] == "mgb.org"

    unknown = client.get("/ledger/summary", params={"to": "someone@nowhere.example"}).json()
    assert unknown["history"] == [] and len(unknown["first_choice"]) == 2
    assert client.get("/ledger/summary", params={"track": "no-such-track"}).status_code == 400


def test_checks_read_the_users_ledger(client):
    recorded = client.post("/ledger/events", sent(UW, INTENT, at="2027-02-01T12:00:00Z", track="anesthesiology"))
    assert recorded.status_code == 201
    second = {"text": INTENT.replace("Dr. Smith", "Dr. Haddad"), "to": [VANDERBILT], "track": "anesthesiology",
              "at": "2027-02-05T12:00:00Z"}
    categories = {w["category"] for w in client.post("/check", second).json()["warnings"]}
    assert "honesty.multiple-first-choice" in categories
    other_track = {**second, "track": "internal-medicine-prelim"}
    categories = {w["category"] for w in client.post("/check", other_track).json()["warnings"]}
    assert "honesty.multiple-first-choice" not in categories

    stored = client.post("/ledger/events", sent(**{k: v for k, v in second.items() if k != "to"}, to=VANDERBILT))
    assert "honesty.multiple-first-choice" in stored.json()["categories"]


def test_a_long_ledger_is_read_whole_and_kept_up_to_date(client):
    # A season's worth of sends, recorded at once as a client's queue would send them.
    domains = ["uw.edu", "vumc.org", "ucsf.edu", "mgh.harvard.edu", "stanford.edu", "jhmi.edu"]
    events = [sent(f"pd@{domains[n % len(domains)]}", f"Dear Dr. Smith,\n\nThank you for interview number {n}.",
                   at=f"2026-12-{1 + n % 28:02d}T{n % 24:02d}:00:00Z", track="anesthesiology") for n in range(299)]
    # The oldest of them told another program it is the first choice: only a ledger read whole knows.
    events.append(sent("pd@ucsf.edu", INTENT, at="2026-11-01T12:00:00Z", track="anesthesiology"))
    with ThreadPoolExecutor(8) as pool:
        assert {a.status_code for a in pool.map(lambda e: client.post("/ledger/events", e), events)} == {201}
    draft = {"text": INTENT.replace("Dr. Smith", "Dr. Haddad"), "to": [VANDERBILT], "track": "anesthesiology",
             "at": "2027-02-05T12:00:00Z"}

    def first_choice_warnings() -> list[dict]:
        answer = client.post("/check", draft).json()
        return [w for w in answer["warnings"] if w["category"] == "honesty.multiple-first-choice"]

    warned = first_choice_warnings()
    assert len(warned) == 1 and "1 Nov" in warned[0]["message"]
    # One more send after the server has read the 300: the next check knows of it.
    intent = sent(UW, INTENT, at="2027-02-01T12:00:00Z", track="anesthesiology")
    assert client.post("/ledger/events", intent).status_code == 201
    warned = first_choice_warnings()
    assert len(warned) == 1 and "University of Washington" in warned[0]["message"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_ledger_holds_at_most_the_configured_number_of_events(backend, tmp_path):
    env = {"COACH_MAX_LEDGER_EVENTS": "3"}
    with server(backend, tmp_path, env=env, gunicorn_workers=4) as (process, db):
        client = Client(process, db.new_user("anesthesiology"))
        first = sent(UW, "Dear Dr. Smith,\n\nThank you.")
        assert client.post("/ledger/events", first).status_code == 201
        assert client.post("/ledger/events", sent(VANDERBILT, "Dear Dr. Haddad,\n\nThank you.")).status_code == 201
        # Ten sends at once for the last place: one gets it, the others a clear 409.
        racing = [sent(UW, f"Dear Dr. Smith,\n\nUpdate number {n}.") for n in range(10)]
        with ThreadPoolExecutor(len(racing)) as pool:
            answers = list(pool.map(lambda event: client.post("/ledger/events", event), racing))
        assert sorted(a.status_code for a in answers) == [201] + [409] * 9
        refused = next(a for a in answers if a.status_code == 409).json()["error"]
        assert refused["code"] == "ledger_full" and "3 events" in refused["message"]
        assert len(client.events()) == 3
        assert db.execute("SELECT ledger_size FROM users") == [(3,)]
        assert client.post("/ledger/events", first).status_code == 200  # a retry of a stored event still is
        interview = {"event_id": str(uuid.uuid4()), "type": "interview", "program": "uw.edu"}
        assert client.post("/ledger/events", interview).status_code == 409
        assert client.delete("/ledger").json() == {"deleted": 3}
        assert client.post("/ledger/events", interview).status_code == 201
