"""The program directory and the season calendar, as the rules read them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import yaml

from server.config import ROOT
from server.engine import Calendar, CalendarError, Directory, DirectoryError, Recipient

SHIPPED = yaml.safe_load((ROOT / "rules" / "programs.yaml").read_text(encoding="utf-8"))
DIRECTORY = Directory.from_spec(SHIPPED)
CALENDAR = Calendar.from_spec(yaml.safe_load((ROOT / "rules" / "calendar.yaml").read_text(encoding="utf-8")))


def test_the_shipped_directory_is_large_and_consistent():
    assert len(DIRECTORY.institutions) >= 100
    assert {"anesthesiology", "internal-medicine-prelim", "plastic-surgery"} <= DIRECTORY.track_ids()


@pytest.mark.parametrize("address, key", [
    ("jsmith@uw.edu", "uw.edu"),
    ("anes.coordinator@med.uw.edu", "uw.edu"),
    ("someone@UWMEDICINE.ORG", "uw.edu"),
    ("pd@vumc.org", "vumc.org"),
])
def test_an_address_maps_to_its_institution_subdomains_included(address, key):
    assert DIRECTORY.institution_for(address).key == key


def test_unknown_domains_and_lookalikes_map_to_nothing():
    assert DIRECTORY.institution_for("someone@gmail.com") is None
    assert DIRECTORY.institution_for("x@notuw.edu") is None


def test_the_track_comes_from_the_request_else_the_program_address_else_the_only_track():
    to = (Recipient.parse("Dr Jane Smith <jsmith@uw.edu>"),)
    assert DIRECTORY.program_for(to, "anesthesiology", ("pmr", "anesthesiology")).track == "anesthesiology"
    assert DIRECTORY.program_for(to, None, ("pmr",)).track == "pmr"
    assert DIRECTORY.program_for(to, None, ("pmr", "anesthesiology")).track is None
    spec = {**SHIPPED, "programs": [{"institution": "uw.edu", "track": "anesthesiology",
                                     "addresses": ["anesres@uw.edu"]}]}
    listed = Directory.from_spec(spec).program_for((Recipient.parse("anesres@uw.edu"),), None, ("pmr", "x"))
    assert (listed.key, listed.track) == ("uw.edu", "anesthesiology")


def test_a_recipient_outside_the_directory_is_still_told_apart_by_domain():
    program = DIRECTORY.program_for((Recipient.parse("pd@smallcommunityhospital.org"),))
    assert (program.key, program.name, program.known) == ("smallcommunityhospital.org",) * 2 + (False,)


def test_names_are_found_as_whole_words_in_any_case_and_abbreviations_exactly():
    text = ("I loved Vanderbilt, and the university of washington; UCSF too. ucsf and Vanderbilt-ish are not "
            "names, Vanderbilt's residents are, and Vanderbilt'sx is not.")
    named = [text[s:e] for s, e, _ in DIRECTORY.mentions(text)]
    assert named == ["Vanderbilt", "university of washington", "UCSF", "Vanderbilt"]


def _mentions_by_definition(text: str) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of every name (in any case) and of every abbreviation (as
    written), found the plain way, a phrase at a time. Among names, and among abbreviations,
    where two overlap the one starting first wins, then the longer."""
    found = []
    for kind, flags in ((lambda i: (i.name, *i.names), re.IGNORECASE), (lambda i: i.abbreviations, 0)):
        hits = [(m.start(), m.start() + len(phrase), i.key)
                for i in DIRECTORY.institutions.values() for phrase in kind(i) if phrase.lower() in text.lower()
                for m in re.finditer(rf"(?<![\w'-])(?={re.escape(phrase)}(?:'s)?(?![\w'-]))", text, flags)]
        taken_until = -1
        for start, end, key in sorted(hits, key=lambda hit: (hit[0], hit[0] - hit[1])):
            if start >= taken_until:
                found.append((start, end, key))
                taken_until = end
    return sorted(found, key=lambda hit: hit[0])


def test_the_names_found_are_the_defined_ones():
    corpus = [email["text"] for path in sorted((ROOT / "rules" / "corpus").glob("*.yaml"))
              for email in yaml.safe_load(path.read_text(encoding="utf-8"))]
    named = [f"I rotated at {phrase} and at {phrase.upper()}-affiliated clinics; ({phrase}'s)."
             for i in DIRECTORY.institutions.values() for phrase in (i.name, *i.names, *i.abbreviations)]
    for text in corpus + named:
        assert [(s, e, i.key) for s, e, i in DIRECTORY.mentions(text)] == _mentions_by_definition(text), text


def test_offsets_hold_when_lower_casing_changes_length():
    text = "İstanbul then Vanderbilt"
    (start, end, institution), = DIRECTORY.mentions(text)
    assert text[start:end] == "Vanderbilt" and institution.key == "vumc.org"


@pytest.mark.parametrize("change, reason", [
    (lambda s: s["institutions"].append({**s["institutions"][0], "key": "copy.edu"}), "already belongs to"),
    (lambda s: s["institutions"].append({"key": "x.edu"}), "needs 'key' and 'name'"),
    (lambda s: s["specialty_policies"].append({"track": "nope", "policy": "no-post-interview-contact"}),
     "unknown track"),
    (lambda s: s["specialty_policies"].append({"track": "anesthesiology", "policy": "be-nice"}),
     "policy must be one of"),
])
def test_a_bad_directory_is_refused_with_a_reason(change, reason):
    spec = yaml.safe_load(yaml.safe_dump(SHIPPED))
    change(spec)
    with pytest.raises(DirectoryError, match=reason):
        Directory.from_spec(spec)


def test_policies_apply_by_specialty_and_track():
    assert any(p.policy == "no-post-interview-contact" for p in DIRECTORY.policies_for("uw.edu", "plastic-surgery"))
    assert not DIRECTORY.policies_for("uw.edu", None)


@pytest.mark.parametrize("moment, stage", [
    ("2026-06-01T12:00:00+00:00", "before-season"),
    ("2026-11-10T12:00:00+00:00", "interviews"),
    ("2027-01-10T12:00:00+00:00", "letters"),
    ("2027-02-10T12:00:00+00:00", "ranking"),
    # The deadline is 9 p.m. Eastern: 01:59 UTC the next day is still before it.
    ("2027-03-04T01:59:00+00:00", "ranking"),
    ("2027-03-04T02:01:00+00:00", "certified"),
    ("2027-03-19T18:00:00+00:00", "matched"),
])
def test_calendar_stages(moment, stage):
    assert CALENDAR.stage_at(datetime.fromisoformat(moment)) == stage


def test_a_bad_calendar_is_refused():
    with pytest.raises(CalendarError, match="not an ISO date"):
        Calendar.from_spec({"dates": {"match_day": "soon"}, "stages": [{"id": "x", "starts": "match_day"}]})
    with pytest.raises(CalendarError, match="starts"):
        Calendar.from_spec({"dates": {"match_day": "2027-03-19"}, "stages": [{"id": "x", "starts": "nope"}]})
    assert Calendar.from_spec({"dates": {"d": "2027-03-19"}, "stages": [{"id": "x", "starts": "d"}]}).stage_at(
        datetime(2027, 3, 20, tzinfo=UTC)) == "x"
