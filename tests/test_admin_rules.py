"""Editing rules over real HTTP: review (checks, diff, effect on the corpus), refusals with
their line and reason, publishing, what /api/v1/check answers then, rollback, switching
rules off, new packs, word lists, import and export, and the live panel's draft checks."""

from __future__ import annotations

import io
import zipfile

import pytest
import requests

from server.config import ROOT

from .admin_support import check
from .browser.harness import wait_until

ADMIN = "rules.admin@example.edu"
RULE = "nrmp.ask-rank.where-do-i-stand"
ASKING = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nBest,\nAlex"
PHRASE = "where I stand on your rank list"


def severity_of(server, text=ASKING, rule=RULE):
    return [w["severity"] for w in check(server, text)["warnings"] if w["rule"] == rule]


def active_version(admin) -> int:
    return admin.request("GET", "/admin/api/versions").json()["active"]


def test_a_review_shows_checks_diff_and_what_changes_on_the_corpus_and_publishes_nothing(api, admin):
    process, _ = api
    before = active_version(admin)
    text = admin.rule(RULE)["yaml"]
    answer = admin.put_rule(RULE, text.replace("severity: error", "severity: warning"))
    assert answer.status_code == 200, answer.text
    review = answer.json()
    assert review["checks"]["loads"] and review["checks"]["rules_affected"] == [RULE]
    assert review["checks"]["examples_checked"] >= 10
    assert review["rules"]["changed"] == [RULE]
    (diff,) = review["files"]
    assert diff["file"] == "packs/nrmp.yaml" and "-severity: error\n+severity: warning" in diff["diff"]
    regression = review["regression"]
    assert regression["texts"]["corpus"] >= 100 and regression["texts"]["examples"] >= 500
    assert regression["added"] == regression["lost"] > 0 and regression["corpus_broken"] == 0
    corpus = next(c for c in regression["changes"] if c["sample"] == "corpus: asking where one stands")
    assert [(w["rule"], w["severity"], w["words"]) for w in corpus["added"]] == [(RULE, "warning", PHRASE)]
    assert [(w["rule"], w["severity"], w["words"]) for w in corpus["lost"]] == [(RULE, "error", PHRASE)]
    assert active_version(admin) == before and severity_of(process) == ["error"]


def test_publishing_changes_what_the_check_api_answers_and_records_who_when_and_why(api, admin):
    process, _ = api
    old_digest = check(process, ASKING)["ruleset"]
    text = admin.rule(RULE)["yaml"]
    assert admin.put_rule(RULE, text.replace("severity: error", "severity: warning"), "publish",
                          note="").status_code == 400  # a publish needs a note
    published = admin.put_rule(RULE, text.replace("severity: error", "severity: warning"), "publish",
                               note="Softer, as the office decided")
    assert published.status_code == 201, published.text
    version = published.json()["version"]
    assert (version["origin"], version["author"], version["note"]) == ("edit", ADMIN, "Softer, as the office decided")
    wait_until(lambda: severity_of(process) == ["warning"], timeout=5, message="the published rule")
    assert check(process, ASKING)["ruleset"] == version["digest"] != old_digest
    listed = admin.request("GET", "/admin/api/versions").json()
    assert listed["active"] == version["id"] and listed["versions"][0]["parent"] == version["parent"]
    detail = admin.request("GET", f"/admin/api/versions/{version['id']}").json()
    assert detail["rules"]["changed"] == [RULE] and "+severity: warning" in detail["files"][0]["diff"]
    assert "rules.publish" in admin.get("/admin/audit").text


def test_a_stale_base_is_a_conflict(api, admin):
    text = admin.rule(RULE)["yaml"]
    current = active_version(admin)
    stale = admin.put_rule(RULE, text.replace("Asking where", "Asking, where"), "publish", note="late",
                           base=current - 1)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert active_version(admin) == current


@pytest.mark.parametrize("edit, line_holding, reason", [
    (lambda t: t.replace("category: nrmp.ask-rank\n", "category: nrmp.ask-rank\nbad: x: y\n"), "bad: x: y",
     "not valid YAML"),
    (lambda t: t.replace("source:", "colour: red\nsource:"), "colour: red", "unknown field(s): colour"),
    (lambda t: t.replace("severity: warning", "severity: fatal"), "severity: fatal", "severity must be one of"),
    (lambda t: t.replace("patterns:\n", 'patterns:\n  - "(unclosed"\n', 1), "(unclosed", "does not compile"),
    (lambda t: t.replace("patterns:\n", 'patterns:\n  - "(?:\\\\w+\\\\s?)+$"\n', 1), "(?:", "took longer than 150 ms"),
    (lambda t: t.replace("<marker>where I stand on your rank list</marker>",
                         "where I stand on your <marker>rank list</marker>"),
     "your <marker>rank list</marker>", "flag example 1 should give one warning"),
])
def test_a_bad_rule_is_refused_with_its_line_and_reason_and_nothing_changes(api, admin, edit, line_holding, reason):
    process, _ = api
    current = active_version(admin)
    text = edit(admin.rule(RULE)["yaml"])
    expected = next(n for n, line in enumerate(text.splitlines(), 1) if line_holding in line)
    for action in ("review", "publish"):
        answer = admin.put_rule(RULE, text, action, note="should not go out")
        assert answer.status_code == 422, answer.text
        problem = answer.json()["error"]["problem"]
        assert reason in problem["reason"], problem
        # The line within the rule as the admin edited it, and within its pack file.
        assert problem["file"] == "packs/nrmp.yaml" and problem["document_line"] == expected, problem
        assert problem["line"] - problem["document_line"] == admin.rule(RULE)["line"] - 1
    assert active_version(admin) == current and severity_of(process) == ["warning"]


def test_rollback_restores_the_old_answers(api, admin):
    process, _ = api
    history = admin.request("GET", "/admin/api/versions").json()["versions"]
    shipped = history[-1]
    assert shipped["origin"] == "shipped" and shipped["id"] == 1
    review = admin.api("/changes/review", {"change": {"op": "restore", "version": 1}})
    assert review.status_code == 200 and review.json()["regression"]["lost"] > 0
    rolled = admin.publish({"op": "restore", "version": 1}, "Back to the shipped rules")
    assert rolled.status_code == 201, rolled.text
    version = rolled.json()["version"]
    assert (version["origin"], version["restored_from"], version["digest"]) == ("rollback", 1, shipped["digest"])
    wait_until(lambda: severity_of(process) == ["error"], timeout=5, message="the rolled-back rule")
    again = admin.api("/changes/review", {"change": {"op": "restore", "version": 1}})
    assert again.json()["error"]["code"] == "no_change"


def test_turning_a_rule_off_costs_the_corpus_so_it_is_published_only_once_that_is_confirmed(api, admin):
    process, _ = api
    before = active_version(admin)
    change = {"op": "disable-rule", "file": "packs/nrmp.yaml", "rule": RULE}
    review = admin.api("/changes/review", {"change": change}).json()
    assert review["rules"]["turned_off"] == [RULE]
    broken = review["regression"]["corpus_broken"]
    assert broken >= 1  # the seed email asking where one stands goes unflagged
    assert review["consequences"] == {"corpus_broken": broken}
    for confirm in (None, {"corpus_broken": broken - 1}, {}):
        refused = admin.api("/changes/publish", {"change": change, "note": "off", "confirm": confirm})
        assert refused.status_code == 428, refused.text
        error = refused.json()["error"]
        assert error["code"] == "confirmation_needed" and error["consequences"] == {"corpus_broken": broken}
        assert f"{broken} example email" in error["message"]
    assert active_version(admin) == before and severity_of(process) == ["error"]
    published = admin.api("/changes/publish", {"change": change, "note": "off", "confirm": review["consequences"]})
    assert published.status_code == 201, published.text
    assert "Published although" in admin.get("/admin/audit").text
    wait_until(lambda: severity_of(process) == [], timeout=5, message="the rule off")
    rules = admin.request("GET", "/admin/api/rules").json()["rules"]
    assert next(r for r in rules if r["id"] == RULE)["enabled"] is False
    assert admin.publish({**change, "op": "enable-rule"}).status_code == 201
    wait_until(lambda: severity_of(process) == ["error"], timeout=5, message="the rule on")


NEW_RULE = """\
id: tone.casual.office-test-phrase
category: tone.casual
severity: info
message: Our office asks you not to write "totally awesome".
explanation: It reads as casual.
source: The advising office
suggestions:
  - very good
patterns:
  - "\\\\btotally awesome\\\\b"
examples:
  flag:
    - "The interview day was <marker>totally awesome</marker>."
  clean:
    - "The interview day was very good."
"""


def test_a_new_rule_in_a_new_pack_then_deleted_with_its_pack(api, admin):
    process, _ = api
    text = "The interview day was totally awesome."
    added = admin.publish({"op": "add-rule", "file": "packs/our-office.yaml", "yaml": NEW_RULE}, "Our own rule")
    assert added.status_code == 201, added.text
    wait_until(lambda: severity_of(process, text, "tone.casual.office-test-phrase") == ["info"], timeout=5,
               message="the new rule")
    assert admin.rule("tone.casual.office-test-phrase")["file"] == "packs/our-office.yaml"
    duplicate = admin.api("/changes/review",
                          {"change": {"op": "add-rule", "file": "packs/tone.yaml", "yaml": NEW_RULE}})
    assert duplicate.status_code == 422 and "id already used" in duplicate.json()["error"]["problem"]["reason"]
    deleted = admin.publish({"op": "delete-file", "file": "packs/our-office.yaml"}, "Not needed after all")
    assert deleted.status_code == 201
    wait_until(lambda: severity_of(process, text, "tone.casual.office-test-phrase") == [], timeout=5,
               message="the pack gone")
    missing = admin.api("/changes/review", {"change": {"op": "delete-rule", "file": "packs/nrmp.yaml", "rule": "nope"}})
    assert missing.status_code == 404


def test_a_word_list_edit_is_checked_against_every_rule(api, admin):
    text = admin.request("GET", "/admin/api/files/vocabulary/core.yaml").json()["yaml"]
    harmless = admin.api("/changes/review", {"change": {"op": "put-file", "file": "vocabulary/core.yaml",
                                                        "yaml": text + "\nunused_office_list: ['\\\\bzzz\\\\b']\n"}})
    assert harmless.status_code == 200, harmless.text
    assert harmless.json()["checks"]["rules_affected"] is None  # every rule may read a word list
    assert harmless.json()["checks"]["examples_checked"] > 500
    broken = admin.api("/changes/review", {"change": {"op": "put-file", "file": "vocabulary/core.yaml",
                                                      "yaml": text.replace("rank_list:", "rank_lists:")}})
    assert broken.status_code == 422
    assert "rank_list" in broken.json()["error"]["problem"]["reason"]


def test_export_and_import_of_packs_as_yaml(api, admin):
    version = active_version(admin)
    archive = admin.request("GET", f"/admin/versions/{version}/export.zip")
    assert archive.status_code == 200 and archive.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "rules/packs/nrmp.yaml" in names and "rules/message.yaml" in names
    pack = admin.request("GET", f"/admin/versions/{version}/files/packs/length.yaml")
    assert pack.status_code == 200 and pack.text == (ROOT / "rules" / "packs" / "length.yaml").read_text()
    imported = pack.text.replace("This email runs", "Your email runs")
    answer = admin.publish({"op": "put-file", "file": "packs/length.yaml", "yaml": imported, "import": True},
                           "Our wording")
    assert answer.status_code == 201 and answer.json()["version"]["origin"] == "import"
    again = admin.request("GET", f"/admin/versions/{answer.json()['version']['id']}/files/packs/length.yaml")
    assert again.text == imported
    assert "rules.import" in admin.get("/admin/audit").text and "rules.export" in admin.get("/admin/audit").text


def test_bad_change_requests_change_nothing(api, admin):
    for body, status in [
        ({"change": {"op": "explode"}}, 400),
        ({"change": {"op": "put-rule", "file": "../etc/passwd", "rule": RULE, "yaml": "x"}}, 400),
        ({"change": {"op": "put-rule", "file": "packs/nrmp.yaml", "rule": RULE, "yaml": 5}}, 400),
        ({"change": {"op": "put-rule", "file": "packs/nrmp.yaml", "rule": RULE, "yaml": "id: a\n---\nid: b"}}, 400),
        ({"change": {"op": "restore", "version": 999999}}, 404),
        ({"base": 999999, "change": {"op": "restore", "version": 1}}, 404),
        ({"change": {"op": "publish-shipped", "release": "abc"}}, 404),
    ]:
        answer = admin.api("/changes/review", body)
        assert answer.status_code == status, (body, answer.text)
        assert "error" in answer.json()


def test_the_live_panel_tries_the_draft_as_the_extension_would_see_it(api, admin):
    process, db = api
    text = admin.rule(RULE)["yaml"].replace("severity: error", "severity: warning")
    current = admin.rule(RULE)
    unique = "Zanzibar-quokka-7731"
    email = {"text": f"Dear Dr. Smith, {unique} 😀 could you tell me where I stand on your rank list?",
             "to": ["Dr Jane Smith <jsmith@uw.edu>"], "subject": "Question"}
    change = {"op": "put-rule", "file": current["file"], "rule": RULE, "yaml": text}
    answer = admin.api("/changes/try", {"change": change, "email": email})
    assert answer.status_code == 200, answer.text
    mine = [w for w in answer.json()["warnings"] if w["rule"] == RULE]
    assert [(w["severity"], w["status"]) for w in mine] == [("warning", "new")]
    # UTF-16 offsets, as the extension underlines them: the emoji counts two.
    assert mine[0]["offset"] == email["text"].index("where I stand") + 1
    assert [(w["rule"], w["severity"]) for w in answer.json()["gone"]] == [(RULE, "error")]
    plain = admin.api("/changes/try", {"change": None, "email": email}).json()
    assert [w["status"] for w in plain["warnings"] if w["rule"] == RULE] == ["same"] and plain["gone"] == []

    letter = {"text": "Dear Dr. Lee,\n\nAfter careful consideration, I intend to rank your program #1.\n\nAna",
              "to": ["Dr. Karen Lee <klee@vumc.org>"], "track": "anesthesiology", "at": "2027-02-20T15:00:00Z"}
    earlier = "- {to: pd@uw.edu, at: 2027-02-10, claims: [first_choice], kind: letter_of_intent, track: anesthesiology}"
    rules = {w["rule"] for w in admin.api("/changes/try", {"email": letter, "ledger": earlier}).json()["warnings"]}
    assert "honesty.multiple-first-choice.second-number-one" in rules
    without = {w["rule"] for w in admin.api("/changes/try", {"email": letter}).json()["warnings"]}
    assert "honesty.multiple-first-choice.second-number-one" not in without
    for bad in ("- {to: x, claims: [best]}", "not: [a list", "- {to: x, at: someday}"):
        refused = admin.api("/changes/try", {"email": letter, "ledger": bad})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_ledger", bad
    broken = admin.api("/changes/try", {"change": {**change, "yaml": text.replace("severity: warning", "severity: x")},
                                        "email": email})
    assert broken.status_code == 422 and broken.json()["error"]["problem"]["document_line"] == 3
    assert admin.api("/changes/try", {"email": {"text": 5}}).status_code == 400
    assert unique not in db.dump()  # a tried email is never stored


def test_pages_render(api, admin):
    version = active_version(admin)
    for path in ("/admin/", "/admin/rules", f"/admin/rules/{RULE}", "/admin/rules/new?file=packs/tone.yaml",
                 "/admin/files/vocabulary/core.yaml", "/admin/versions", f"/admin/versions/{version}",
                 "/admin/versions/1", "/admin/review?op=restore&version=1", "/admin/rules/import", "/admin/rulebook",
                 f"/admin/rules/{RULE}/history", "/admin/calendar/history", "/admin/directory/history"):
        page = admin.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"], path
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert "<script>" not in page.text and " onclick=" not in page.text and " style=" not in page.text
    assert admin.get("/admin/rules/no.such.rule").status_code == 404
    assert 'id="category-nrmp.ask-rank"' in admin.get("/admin/rulebook").text
    # The live panel's underlines, labels and order: the clients' shared core, not the extension's folder.
    painter = requests.get(f"{api[0].url}/admin/core/dom/highlight-painter.js", timeout=10)
    assert painter.text == (ROOT / "extension/core/dom/highlight-painter.js").read_text()
    assert painter.headers["Content-Type"].startswith("text/javascript")
    colours = requests.get(f"{api[0].url}/admin/core/dom/highlights.css", timeout=10)
    assert colours.status_code == 200 and colours.headers["Content-Type"].startswith("text/css")
    for path in ("extension/highlight-painter.js", "extension/manifest.json", "core/package.json", "core/README.md",
                 "core/../chrome/manifest.json", "core/%2e%2e/chrome/manifest.json", "core/missing.js"):
        assert requests.get(f"{api[0].url}/admin/{path}", timeout=10).status_code == 404, path


BOMB = "".join(f"\n  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]" for n in range(9))


@pytest.mark.parametrize(("edit", "reason"), [
    # A billion laughs (under a kilobyte) in an unused key, in an example's text, as the rule's message.
    (lambda t: t + f"notes:{BOMB}\n", "anchors and aliases"),
    (lambda t: t.replace("  clean:\n", "  clean:\n    - &hello Hello there.\n    - {text: *hello}\n", 1),
     "anchors and aliases"),
    (lambda t: t.replace("message:", "message: &m Hi\nx-message: *m\nold-message:", 1), "anchors and aliases"),
    # Sizes: a rule, the number of its examples.
    (lambda t: t + "explanation: >\n" + "  word\n" * 5000, "a rule may have at most 20,000"),
    (lambda t: t.replace("  clean:\n", "  clean:\n" + "    - A clean sentence.\n" * 51, 1), "at most 50 of each kind"),
], ids=["unused-key", "example", "message", "rule-size", "example-count"])
def test_aliases_and_oversized_rules_are_refused_quickly_and_nothing_changes(api, admin, edit, reason):
    current = active_version(admin)
    answer = admin.put_rule(RULE, edit(admin.rule(RULE)["yaml"]), "publish", note="should not go out")
    assert answer.status_code == 422 and reason in answer.json()["error"]["message"], answer.text[:500]
    assert answer.elapsed.total_seconds() < 10
    assert active_version(admin) == current


def test_the_live_panel_refuses_earlier_sends_it_cannot_read(api, admin):
    email = {"text": "Dear Dr. Lee,\n\nYou are my first choice.", "to": ["klee@vumc.org"]}
    for ledger, reason in [
        ("- {to: pd@uw.edu, claims: [[1]]}", "'claims' must be some of"),
        ("- {to: pd@uw.edu, kind: [1]}", "'kind' must be one of"),
        ("- {to: pd@uw.edu, type: {a: 1}}", "'type' must be one of"),
        ("- {to: pd@uw.edu, text: [1]}", "'text' must be text"),
        ("- {to: pd@uw.edu, at: 9999-12-31}", "'at' must be from 2000 to 2099"),
        ("- {to: pd@uw.edu, at: 0001-01-01}", "'at' must be from 2000 to 2099"),
        ("- &x {to: pd@uw.edu}\n- *x", "not valid YAML"),
        ("l0: &l0 [lol, lol]\nl1: [*l0, *l0]", "not valid YAML"),
    ]:
        refused = admin.api("/changes/try", {"email": email, "ledger": ledger})
        assert refused.status_code == 400, (ledger, refused.text)
        assert refused.json()["error"]["code"] == "bad_ledger" and reason in refused.json()["error"]["message"]


def test_the_rule_form_reads_a_rule_and_writes_back_only_what_changed(api, admin):
    text = admin.rule(RULE)["yaml"]
    read = admin.api("/rule-form", {"yaml": text}).json()
    fields = read["fields"]
    assert read["yaml"] == text and fields["category"] == "nrmp.ask-rank" and "patterns" in fields["other_keys"]
    written = admin.api("/rule-form", {"yaml": text, "fields": {**fields, "message": "Note: asking is not allowed."}})
    assert written.status_code == 200 and written.json()["fields"]["message"] == "Note: asking is not allowed."
    new_lines = [line for line in written.json()["yaml"].splitlines() if line not in text.splitlines()]
    assert new_lines == ["message: 'Note: asking is not allowed.'"]
    for body, says in (({"yaml": "id: x\nmessage: a: b\n"}, "mistake on line 2"),
                       ({"yaml": text, "fields": {**fields, "colour": "red"}}, "no field 'colour'"),
                       ({"yaml": 5}, "'yaml' must be")):
        answer = admin.api("/rule-form", body)
        assert answer.status_code in (400, 422) and says in answer.json()["error"]["message"], answer.text


ONLY_CHANCE = """\
id: tone.desperate.office-only-chance
category: tone.desperate
severity: warning
message: Calling this your only chance sounds desperate.
explanation: Programs want applicants who choose them, not applicants with nowhere else to go.
source: The advising office
phrases: ["my only chance"]
examples:
  flag: ["This is <marker>my only chance</marker> at anesthesiology."]
  clean: ["I would welcome the chance to train with you."]
"""


def test_the_sentences_a_draft_now_catches_or_stops_catching(api, admin):
    added = admin.api("/changes/sentences", {"change": {"op": "add-rule", "file": "packs/tone.yaml",
                                                        "yaml": ONLY_CHANCE}})
    assert added.status_code == 200, added.text
    caught = added.json()["caught"]
    assert ('corpus: pitfall desperate, "this is my only chance"', "my only chance") in {
        (c["text"], c["words"]) for c in caught}
    # "This is not my only chance, but...": another rule's good example, now caught.
    assert any(c["text"].startswith("tone.desperate.only-chance: clean example") for c in caught)
    found = next(c for c in caught if c["text"].startswith("corpus: pitfall desperate"))
    assert found["sentence"] == "This is my only chance to stay in medicine, and I will only match if you take me."
    assert found["before"] + found["words"] + found["after"] == found["sentence"] and found["before"] == "This is "
    assert not any(c["text"].startswith("tone.desperate.office-only-chance") for c in caught)  # its own examples
    assert added.json()["released"] == []
    # The same rule's review counts the good example it would now flag: publishing it needs a confirmation.
    review = admin.api("/changes/review", {"change": {"op": "add-rule", "file": "packs/tone.yaml",
                                                      "yaml": ONLY_CHANCE}}).json()
    assert review["consequences"].get("clean_flagged", 0) >= 1 and review["regression"]["texts"]["new_examples"] == 2

    off = admin.api("/changes/sentences", {"change": {"op": "disable-rule", "file": "packs/nrmp.yaml", "rule": RULE}})
    assert ("corpus: asking where one stands", PHRASE) in {(r["text"], r["words"]) for r in off.json()["released"]}
    text = admin.rule(RULE)["yaml"]
    softer = admin.api("/changes/sentences", {"change": {"op": "put-rule", "file": "packs/nrmp.yaml", "rule": RULE,
                                                         "yaml": text.replace("severity: error", "severity: info")}})
    assert softer.json()["caught"] == softer.json()["released"] == []  # a severity catches what it caught


def test_each_rule_has_its_history_and_is_restored_as_a_version_had_it(api, admin):
    process, _ = api
    text = admin.rule(RULE)["yaml"]
    before = text.splitlines()[3]  # the message line as it is now
    edited = admin.put_rule(RULE, text.replace(before, "message: Asking where you stand is not allowed."),
                            "publish", note="Shorter")
    assert edited.status_code == 201, edited.text
    version = edited.json()["version"]["id"]
    page = admin.get(f"/admin/rules/{RULE}/history").text
    assert f"Version {version}</a>:\n      edited by {ADMIN}" in page
    assert "+message: Asking where you stand is not" in page
    assert "turned off" in page and "Shorter" in page
    restore = {"op": "restore-rule", "rule": RULE, "version": version - 1}
    review = admin.api("/changes/review", {"change": restore}).json()
    assert review["summary"] == f"Restore the rule {RULE} as it was in version {version - 1}"
    assert admin.publish(restore, "Back to the longer message").status_code == 201
    assert admin.rule(RULE)["yaml"] == text
    assert admin.get("/admin/rules/no.such.rule/history").status_code == 404
    assert admin.api("/changes/review", {"change": {**restore, "version": 999999}}).status_code == 404
