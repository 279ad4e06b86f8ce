"""The office's forms over real HTTP: enrolling applicants (one, or a CSV) with one-time
invitation links shown once, devices revoked, administrators added with a link to set their
password, deactivating; the program directory and the season calendar, validated and in force
on the check API within seconds."""

from __future__ import annotations

import csv
import io
import re

import requests

from .admin_support import AdminSession, check, make_admin
from .browser.harness import wait_until
from .storage import Client, server

ADMIN = "office.forms@example.edu"
LINK = re.compile(r'data-link="(http://127\.0\.0\.1:\d+/(?:invite|admin/password))#([A-Za-z0-9_-]+)"')


def invited(page: str) -> list[str]:
    """The secrets of the invitation links a page shows."""
    return [secret for _, secret in LINK.findall(page)]


def redeem(process, secret: str) -> requests.Response:
    return requests.post(f"{process.url}/api/v1/invitations/redeem", json={"invitation": secret}, timeout=10)


def token_from(process, secret: str) -> str:
    answer = redeem(process, secret)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_enrol_one_applicant_with_an_invitation_link_shown_once_that_enrols_one_device(api, admin):
    process, db = api
    page = admin.form("/admin/users", {"email": "Ana.Ruiz@Example.edu", "tracks": ["anesthesiology"]})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    ((where, secret),) = LINK.findall(page.text)
    assert where == f"{process.url}/invite" and 'src="data:image/svg+xml' in page.text  # the link's QR code
    token = token_from(process, secret)
    me = Client(process, token).get("/me").json()
    assert me == {"email": "ana.ruiz@example.edu", "role": "applicant", "tracks": ["anesthesiology"]}
    assert redeem(process, secret).status_code == 409  # once
    user_page = admin.get(f"/admin/users/{admin.user_id('ana.ruiz@example.edu')}").text
    assert secret not in db.dump() and secret not in user_page and token not in user_page
    assert "invited device" in user_page and "used 20" in user_page
    again = admin.form("/admin/users", {"email": "ana.ruiz@example.edu"})
    assert again.status_code == 409 and not invited(again.text)
    for bad in ({"email": "not an address"}, {"email": "x@example.edu", "tracks": ["no-such-track"]}):
        answer = admin.form("/admin/users", bad)
        assert answer.status_code == 400 and not invited(answer.text)
    assert "x@example.edu" not in admin.get("/admin/users").text


def test_enrol_from_a_spreadsheet_csv_skipping_those_already_enrolled(api, admin):
    process, _ = api
    csv_text = ("Email;Name;Track\r\nli.wei@example.edu;Li Wei;preliminary medicine, Anesthesiology\r\n"
                "ANA.RUIZ@example.edu;Ana Ruiz;\r\n;;\r\nsam.okafor@example.edu;Sam Okafor;\r\n")
    page = admin.form("/admin/users/import", {}, files={"file": ("class.csv", csv_text.encode(), "text/csv")})
    assert page.status_code == 200
    secrets_made = invited(page.text)
    assert len(secrets_made) == 2 and "ana.ruiz@example.edu" in page.text.split("Already enrolled")[1]
    assert Client(process, token_from(process, secrets_made[0])).get("/me").json()["tracks"] == [
        "internal-medicine-prelim", "anesthesiology"]
    bad = admin.form("/admin/users/import", {"emails": "ok.one@example.edu\nnot-an-email\nx@example.edu,Anaesthesia\n"})
    assert bad.status_code == 400 and "line 2: &#39;not-an-email&#39; is not an email address" in bad.text
    assert "line 3: &#39;Anaesthesia&#39; is not a track" in bad.text and "Anesthesiology (anesthesiology)" in bad.text
    assert "ok.one@example.edu" not in admin.get("/admin/users").text  # nothing of a bad file is enrolled
    log = admin.get("/admin/audit", params={"family": "user", "q": "li.wei"}).text
    assert "li.wei@example.edu (internal-medicine-prelim, anesthesiology)" in log
    assert "already enrolled, left as they were: ana.ruiz@example.edu" in log and secrets_made[0] not in log


def test_the_audit_log_filtered_and_exported_as_csv(api, admin):
    admin.form("/admin/users", {"email": "audit.one@example.edu"})
    mine = admin.get("/admin/audit", params={"family": "user", "who": ADMIN.split("@")[0]}).text
    assert 'data-action="user.enrol"' in mine and "Enrolled an applicant" in mine
    assert 'data-action="sign-in"' not in mine
    nothing = admin.get("/admin/audit", params={"family": "user", "until": "2001-01-01"}).text
    assert "Nothing matches this filter" in nothing
    export = admin.get("/admin/audit.csv", params={"family": "user", "q": "audit.one"})
    assert export.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:4] == ["when (school time)", "when (UTC)", "who", "action"]
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [(ADMIN, "user.enrol", "audit.one@example.edu")]
    assert 'data-action="audit.export"' in admin.get("/admin/audit").text


def test_revoking_devices_and_deactivating_an_applicant(api, admin):
    process, _ = api
    (link,) = invited(admin.form("/admin/users", {"email": "kim.lee@example.edu"}).text)
    first = token_from(process, link)
    user_id = admin.user_id("kim.lee@example.edu")
    assert admin.form(f"/admin/users/{user_id}/tokens", {}).status_code == 403  # applicants get links, not tokens
    (link,) = invited(admin.form(f"/admin/users/{user_id}/invitations", {}).text)
    second = token_from(process, link)
    assert Client(process, first).get("/me").status_code == Client(process, second).get("/me").status_code == 200
    page = admin.get(f"/admin/users/{user_id}").text
    token_ids = re.findall(rf"/admin/users/{user_id}/tokens/(\d+)/revoke", page)
    assert len(token_ids) == 2
    assert admin.form(f"/admin/users/{user_id}/tokens/{token_ids[-1]}/revoke", {}).status_code == 302
    assert Client(process, first).get("/me").status_code == 401
    assert Client(process, second).get("/me").status_code == 200
    assert admin.form(f"/admin/users/{user_id}/deactivate", {}).status_code == 302
    assert Client(process, second).get("/me").status_code == 401
    assert admin.form(f"/admin/users/{user_id}/activate", {}).status_code == 302
    assert Client(process, second).get("/me").status_code == 200
    assert admin.form(f"/admin/users/{user_id}/tokens/revoke-all", {}).status_code == 302
    assert Client(process, second).get("/me").status_code == 401
    log = admin.get("/admin/audit").text
    assert "user.token-revoke" in log and "user.deactivate" in log
    assert first not in log and second not in log


def test_an_administrator_adds_another_who_sets_a_password_from_a_one_time_link(api, admin):
    process, _ = api
    page = admin.form("/admin/users/admins", {"admin_email": "New.Advisor@example.edu"})
    ((where, secret),) = LINK.findall(page.text)
    assert where == f"{process.url}/admin/password"
    assert redeem(process, secret).status_code == 404  # not a device's invitation
    newcomer = AdminSession(process)
    newcomer.get("/admin/password")
    mismatch = newcomer.form("/admin/password", {"invitation": secret, "password": "one long passphrase",
                                                 "again": "another long passphrase"})
    weak = newcomer.form("/admin/password", {"invitation": secret, "password": "short", "again": "short"})
    assert (mismatch.status_code, weak.status_code) == (400, 400) and "at least 12" in weak.text
    done = newcomer.form("/admin/password", {"invitation": secret, "password": "a fresh passphrase",
                                             "again": "a fresh passphrase"})
    assert done.status_code == 302
    assert newcomer.sign_in("new.advisor@example.edu", "a fresh passphrase").status_code == 302
    used = AdminSession(process)
    used.get("/admin/password")
    again = used.form("/admin/password", {"invitation": secret, "password": "taken over pass", "again":
                                          "taken over pass"})
    assert again.status_code == 410 and "used already" in again.text
    taken = admin.form("/admin/users/admins", {"admin_email": "kim.lee@example.edu"})
    assert taken.status_code == 409 and not invited(taken.text)
    # Resetting another administrator's password is a new link for them.
    (reset,) = invited(admin.form(f"/admin/users/{admin.user_id('new.advisor@example.edu')}/invitations", {}).text)
    assert reset != secret


WRONG_NAME = "Dear Dr. Smith,\n\nI am excited about the chance to train at Zenith Memorial.\n\nBest,\nAlex"


def institution_form(admin, key: str) -> dict:
    """The institution's form fields as the page shows them."""
    page = admin.get(f"/admin/directory/institutions/{key}").text
    field = {name: value for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', page)}
    areas = dict(re.findall(r'<textarea name="([a-z]+)" rows="4">([^<]*)</textarea>', page))
    return {**field, **areas, "policy-count": "0", "program-count": "0"}


def test_editing_an_institution_reaches_the_check_api_and_a_bad_edit_changes_nothing(api, admin):
    process, _ = api
    to = {"to": ["Dr Jane Smith <jsmith@uw.edu>"]}
    assert not [w for w in check(process, WRONG_NAME, **to)["warnings"] if w["category"] == "hygiene.wrong-program"]
    added = admin.form("/admin/directory/institutions", {
        "key": "zenith.example.org", "name": "Zenith Memorial Hospital", "domains": "zenith.example.org",
        "names": "Zenith Memorial", "city": "Springfield", "state": "IL"})
    assert added.status_code == 302, added.text

    def flagged():
        return [w["offset"] for w in check(process, WRONG_NAME, **to)["warnings"]
                if w["category"] == "hygiene.wrong-program"]

    wait_until(flagged, timeout=5, message="the new institution in force")
    assert flagged() == [WRONG_NAME.index("Zenith Memorial")]

    form = institution_form(admin, "uw.edu")
    taken = admin.form("/admin/directory/institutions/uw.edu", {**form, "domains": "uw.edu\nzenith.example.org"})
    assert taken.status_code == 422 and "already belongs to" in taken.text
    assert "zenith.example.org" not in institution_form(admin, "uw.edu")["domains"]
    assert admin.form("/admin/directory/institutions/zenith.example.org/delete", {}).status_code == 302
    wait_until(lambda: not flagged(), timeout=5, message="the institution gone")
    assert "directory.add" in admin.get("/admin/audit").text


def test_tracks_and_specialty_policies(api, admin):
    page = admin.get("/admin/directory/tracks").text
    rows = re.findall(r'name="track-(\d+)-id" value="([^"]*)"', page)
    labels = dict(re.findall(r'name="track-(\d+)-label" value="([^"]*)"', page))
    data = {"track-count": str(len(rows) + 1), "policy-count": "0"}
    for number, track in rows:
        data[f"track-{number}-id"], data[f"track-{number}-label"] = track, labels[number]
    data[f"track-{len(rows)}-id"], data[f"track-{len(rows)}-label"] = "sleep-medicine", "Sleep Medicine"
    for bad, reason in (("Not A Valid Id", "lower-case"), ("anesthesiology", "listed twice")):
        refused = admin.form("/admin/directory/tracks", {**data, f"track-{len(rows)}-id": bad})
        assert refused.status_code == 422 and reason in refused.text
    saved = admin.form("/admin/directory/tracks", data)
    assert saved.status_code == 302
    client = Client(api[0], api[1].new_user())
    tracks = wait_until(lambda: [t for t in client.get("/tracks").json()["tracks"] if t["id"] == "sleep-medicine"],
                        timeout=5, message="the new track in force")
    assert tracks == [{"id": "sleep-medicine", "label": "Sleep Medicine"}]
    assert len(client.get("/tracks").json()["tracks"]) == len([r for r in rows if r[1]]) + 1


def calendar_form(admin) -> dict:
    """The calendar's form fields as the page shows them."""
    page = admin.get("/admin/calendar").text
    data = {"season": "2026-2027", "timezone": "America/New_York"}
    dates = re.findall(r'name="date-(\d+)-name" value="([a-z_]+)"', page)
    for field in ("day", "time"):
        values = dict(re.findall(rf'name="date-(\d+)-{field}" value="([^"]*)"', page))
        data.update({f"date-{n}-{field}": values[n] for n, _ in dates})
    data.update({f"date-{n}-name": name for n, name in dates})
    stages = re.findall(r'name="stage-(\d+)-id" value="([^"]+)"', page)
    starts = re.findall(r'<option value="([a-z_]+)" selected>', page)
    data.update({f"stage-{n}-id": stage for n, stage in stages})
    data.update({f"stage-{n}-starts": start for (n, _), start in zip(stages, starts, strict=True)})
    return {**data, "date-count": str(len(dates)), "stage-count": str(len(stages))}, dict((b, a) for a, b in dates)


def test_the_season_calendar_checked_for_order_kept_in_versions_and_rolled_back(api, admin):
    page = admin.get("/admin/calendar").text
    # interviews_end starts no stage, so no rule reads it; match_day ends the stage the timing rules read.
    row = page[page.index('value="interviews_end"'):]
    assert "No rule reads this date" in row[:row.index("</tr>")]
    row = page[page.index('value="match_day"'):]
    assert "timing.after-certification" in row[:row.index("</tr>")]
    data, number = calendar_form(admin)
    assert data[f"date-{number['certification_deadline']}-time"] == "21:00"
    for wrong, reason in (({f"date-{number['match_day']}-day": "the third of March"}, "pick a day"),
                          ({"timezone": "Mars/Olympus"}, "unknown timezone"),
                          ({f"date-{number['ranking_opens']}-day": "2027-03-10"},
                           "Certification deadline (3 Mar 2027, 21:00) must come after Ranking opens (10 Mar 2027)")):
        refused = admin.form("/admin/calendar", {**data, **wrong})
        assert refused.status_code == 422 and reason in refused.text, refused.text
    saved = admin.form("/admin/calendar", {**data, f"date-{number['match_day']}-day": "2027-03-26"})
    assert saved.status_code == 302
    assert 'value="2027-03-26"' in admin.get("/admin/calendar").text
    assert "match_day: 2027-03-19 → 2027-03-26" in admin.get("/admin/audit").text
    history = admin.get("/admin/calendar/history").text
    versions = [int(v) for v in re.findall(r"/admin/calendar/history/(\d+)", history)]
    assert len(versions) == 2 and "loaded from calendar.yaml" in history  # the seed, then this save
    detail = admin.get(f"/admin/calendar/history/{max(versions)}").text
    assert "-  match_day: 2027-03-19" in detail and "+  match_day: 2027-03-26" in detail
    rolled = admin.form(f"/admin/calendar/history/{min(versions)}/restore", {})
    assert rolled.status_code == 302
    assert 'value="2027-03-19"' in admin.get("/admin/calendar").text
    assert "calendar.rollback" in admin.get("/admin/audit").text


def test_a_csv_with_an_endless_field_is_refused_as_a_form_error(api, admin):
    endless = '"' + "a" * 140_000 + '"\nlate.one@example.edu\n'
    page = admin.form("/admin/users/import", {}, files={"file": ("class.csv", endless.encode(), "text/csv")})
    assert page.status_code == 400 and "line 1: not a CSV line" in page.text
    assert "text/html" in page.headers["Content-Type"]
    assert "late.one@example.edu" not in admin.get("/admin/users").text


def test_what_postgresql_cannot_store_is_a_form_error_that_changes_nothing(tmp_path):
    with server("postgresql", tmp_path) as (process, db):
        make_admin(db, ADMIN)
        admin = AdminSession.signed_in(process, ADMIN)
        before = db.dump()
        for fields in ({"name": "N" * 400}, {"name": "Nul\x00Hospital"}, {"name": "Ok", "city": "c" * 300},
                       {"name": "Ok", "names": "n" * 400},
                       {"name": "Ok", "program-count": "1", "program-0-track": "anesthesiology",
                        "program-0-addresses": "a" * 400 + "@newhospital.edu"}):
            page = admin.form("/admin/directory/institutions", {"key": "newhospital.edu", **fields})
            assert page.status_code == 422 and ("at most" in page.text or "NUL character" in page.text), fields
        assert "newhospital.edu" not in db.dump() and db.dump().count("\n") == before.count("\n")
        assert admin.get("/admin/users", params={"q": "a\x00b"}).status_code == 200
