"""POST /api/v1/check and /healthz over real HTTP, as clients see them (the contract of docs/api.md)."""

from __future__ import annotations

import pytest
import requests

ASK = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nSincerely,\nAna Ruiz"
WARNING_KEYS = {"rule", "category", "severity", "message", "explanation", "source", "field", "offset",
                "length", "suggestions"}


def post(server, body, **kwargs):
    return requests.post(server.url + "/api/v1/check", json=body, timeout=10, **kwargs)


def test_check_answers_with_the_contract_shape(live_server):
    answer = post(live_server, {"text": ASK, "subject": "Question", "to": ["Dr Jane Smith <jsmith@uw.edu>"]})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= {"warnings", "message", "ruleset"}
    warning = next(w for w in body["warnings"] if w["rule"] == "nrmp.ask-rank.where-do-i-stand")
    assert set(warning) == WARNING_KEYS
    assert warning["category"] == "nrmp.ask-rank" and warning["severity"] == "error"
    assert warning["field"] == "text"
    assert ASK[warning["offset"]:warning["offset"] + warning["length"]].startswith("where I stand")
    assert warning["suggestions"]
    message = body["message"]
    assert set(message) >= {"kind", "claims", "word_count", "program"}
    assert message["word_count"] == 17
    assert message["program"]["key"] == "uw.edu"


def test_health(live_server):
    answer = requests.get(live_server.url + "/healthz", timeout=5)
    assert answer.status_code == 200 and answer.json()["status"] == "ok"


def test_inbound_messages_are_read_with_the_inbound_rules(live_server):
    pressure = "Dear Ana,\n\nWe enjoyed meeting you. Please let us know how you plan to rank us.\n\nBest,\nDr. Park"
    inbound = post(live_server, {"text": pressure, "direction": "inbound"}).json()
    outbound = post(live_server, {"text": pressure}).json()
    assert {w["category"] for w in inbound["warnings"]} == {"inbound.program-pressure"}
    assert "inbound.program-pressure" not in {w["category"] for w in outbound["warnings"]}


@pytest.mark.parametrize("body, code", [
    ('{"text": ', "bad_json"),
    ("[1, 2]", "bad_json"),
    ('"text"', "bad_json"),
    ("{}", "missing_field"),
    ('{"text": 5}', "bad_field"),
    ('{"text": "hi", "to": "not a list", "subject": 3}', "bad_field"),
    ('{"text": "hi", "to": [1, 2]}', "bad_field"),
    ('{"text": "hi", "direction": "sideways"}', "bad_field"),
    ('{"text": "hi", "at": "last Tuesday"}', "bad_field"),
    ('{"text": "hi", "track": ["a"]}', "bad_field"),
    ('{"text": null}', "missing_field"),
])
def test_bad_input_gets_a_400_json_error(live_server, body, code):
    answer = requests.post(live_server.url + "/api/v1/check", data=body, timeout=5,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert answer.json()["error"]["message"]


def test_a_body_over_the_limit_gets_413(live_server):
    answer = post(live_server, {"text": "word " * 10001})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    huge = requests.post(live_server.url + "/api/v1/check", data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                         headers={"Content-Type": "application/json"}, timeout=10)
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"


def test_wrong_method_and_unknown_paths_are_json_too(live_server):
    wrong = requests.get(live_server.url + "/api/v1/check", timeout=5)
    missing = requests.get(live_server.url + "/api/v1/nothing-here", timeout=5)
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


ODD_TEXTS = ["", " ", "\x00\x01", "🎉" * 500, "\ud7ff" * 10, ">" * 300, "On wrote:" * 200,
             "[" * 1000 + "]" * 1000, "Dear Dr. " * 2000, "a\r\nb\rc", "\u202e reversed", "#1 " * 3000]


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_odd_texts_get_an_answer_of_the_contract_shape(live_server, text):
    subject = text[:200]
    answer = post(live_server, {"text": text, "subject": subject, "to": [text[:50] + " <x@uw.edu>"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) >= {"warnings", "message", "ruleset"}
    assert set(body["message"]) >= {"kind", "claims", "word_count", "program"}
    for warning in body["warnings"]:
        assert set(warning) == WARNING_KEYS
        # Every span lies within the field it is about, counted in UTF-16 code units as JavaScript does.
        field = {"text": text, "subject": subject}[warning["field"]]
        assert 0 <= warning["offset"] and warning["offset"] + warning["length"] <= _utf16_length(field)


def test_an_inbound_message_is_about_the_program_that_sent_it(live_server):
    answer = post(live_server, {"text": "We enjoyed meeting you.", "direction": "inbound",
                                "from": "Dr. Karen Lee <klee@vumc.org>", "to": ["me@school.edu"]}).json()
    assert answer["message"]["program"]["key"] == "vumc.org"


@pytest.mark.parametrize("data, code", [
    ('{"text": "Dear Dr. Smith, \\ud800 thank you"}', "bad_text"),
    ('{"text": "Dear Dr. Smith", "subject": "Thanks \\udc00"}', "bad_text"),
    ('{"text": "Dear Dr. Smith", "to": ["Dr \\ud83d <pd@uw.edu>"]}', "bad_text"),
    ('{"text": "Dear Dr. Smith", "from": "\\udfff@uw.edu", "direction": "inbound"}', "bad_text"),
    ('{"text": ' + "[" * 50_000 + "]" * 50_000 + "}", "bad_json"),
    ("[" * 50_000 + "]" * 50_000, "bad_json"),
    ('{"text": "x", "to": ' + "[" * 100 + "]" * 100 + "}", "bad_json"),
    ('{"text": "Dear Dr. Smith", "at": "9999-12-31T23:59:59Z"}', "bad_field"),
    ('{"text": "Dear Dr. Smith", "at": "0001-01-01T00:00:00+05:00"}', "bad_field"),
    (b'{"text": "\xff\xfe not UTF-8"}', "bad_json"),
], ids=["text", "subject", "to", "from", "deep", "deep-array", "nested-to", "year-9999", "year-1", "not-utf8"])
def test_bad_input_that_used_to_be_a_500_is_a_400(live_server, data, code):
    answer = requests.post(live_server.url + "/api/v1/check", data=data, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["error"]["code"] == code
    assert requests.get(live_server.url + "/healthz", timeout=5).status_code == 200


def test_a_draft_pairing_its_surrogates_is_text(live_server):
    answer = requests.post(live_server.url + "/api/v1/check", data='{"text": "Dear Dr. Smith, \\ud83d\\ude00"}',
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 200, answer.text
