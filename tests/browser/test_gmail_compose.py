"""Gmail: live underlines on exactly the flagged words, the warning card, suggestions
applied the way typing would, "ignore", several compose windows, and an editor DOM
that the coach never touches."""

from __future__ import annotations

import pytest

from .harness import (
    BAD_PHRASE,
    BAD_RULE,
    BAD_SENTENCE,
    GMAIL_URL,
    check,
    configure,
    highlighted,
    hover_underline,
    open_client,
    wait_checked,
    wait_highlighted,
    watch_answers,
)
from .tap import ServerTap

RECIPIENT = {"name": "Jane Smith", "email": "jsmith@uw.edu"}
SUGGESTION_BUTTON = "[data-pmcoach-ui] .card .suggestion"


@pytest.fixture
def tap(browser, server, token):
    """The server as the browser reaches it, through a tap that can hold its answers back."""
    with ServerTap(server.url) as tap:
        configure(browser, tap.url, token)
        try:
            yield tap
        finally:
            configure(browser, server.url, token)


@pytest.fixture
def gmail(browser):
    page = open_client(browser, GMAIL_URL)
    watch_answers(page)
    yield page
    page.close()


def open_compose(page, **fields):
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Thank you", **fields})
    return compose_id, page.locator(f'[data-fixture-compose="{compose_id}"] [g_editable="true"]')


def body_text(body) -> str:
    return body.evaluate("el => el.innerText")


def test_typing_a_bad_phrase_underlines_exactly_its_words(gmail, server):
    compose_id, body = open_compose(gmail)
    body.press_sequentially(f"Dear Dr. Smith,\n\nThank you for the interview. {BAD_SENTENCE}")
    wait_highlighted(gmail, BAD_PHRASE)

    # Ground truth is the server's own answer for the text the editor now holds.
    answer = check(server.url, body_text(body), to=["Jane Smith <jsmith@uw.edu>"])
    errors = [w for w in answer["warnings"] if w["severity"] == "error" and w["length"]]
    assert [w["rule"] for w in errors] == [BAD_RULE]
    assert highlighted(gmail, "error") == [BAD_PHRASE]

    # The editor holds only what typing made: no wrapper, mark or attribute of ours,
    # and the mail client's own draft saving saw exactly this markup.
    markup = body.evaluate("el => el.innerHTML")
    assert "pmcoach" not in markup and "<span" not in markup and "<mark" not in markup
    assert gmail.evaluate("id => fixture.state.drafts[id].html", compose_id) == markup


def test_underline_stays_exact_after_emoji_and_edits_before_it(gmail, server):
    _, body = open_compose(gmail)
    text = f"Hi 🎉👍🏽 Dr. Smith 👩‍⚕️, thanks! {BAD_SENTENCE}"
    body.press_sequentially(text)
    wait_highlighted(gmail, BAD_PHRASE)

    answer = check(server.url, body_text(body))
    flagged = next(w for w in answer["warnings"] if w["rule"] == BAD_RULE)
    # offset/length are UTF-16 code units, as JavaScript indexes strings.
    assert body.evaluate("(el, w) => el.innerText.substr(w.offset, w.length)", flagged) == BAD_PHRASE
    assert highlighted(gmail, "error") == [BAD_PHRASE]

    # Text typed before the phrase reflows it; the underline moves with its words.
    body.press("Control+Home")
    body.press_sequentially("🙂 More news: ")
    wait_checked(gmail)
    assert highlighted(gmail, "error") == [BAD_PHRASE]


def test_a_disguised_phrase_is_underlined_over_exactly_what_was_typed(gmail):
    # Cyrillic "а" and "о", a zero-width space and a soft hyphen: read as the plain phrase,
    # underlined over the characters in the editor, the invisible ones and the emoji before them counted.
    disguised = "where I st\u0430nd on y\u043eur r\u200bank li\u00adst"
    _, body = open_compose(gmail)
    body.press_sequentially(f"Hi 🎉 Dr. Smith, could you tell me {disguised}?")
    wait_highlighted(gmail, disguised)
    assert disguised in highlighted(gmail, "error")


def test_hover_opens_the_card_with_message_suggestion_and_folded_reasons(gmail, server):
    _, body = open_compose(gmail)
    body.press_sequentially(BAD_SENTENCE)
    wait_highlighted(gmail, BAD_PHRASE)
    warning = next(w for w in check(server.url, BAD_SENTENCE)["warnings"] if w["rule"] == BAD_RULE)

    hover_underline(gmail, BAD_PHRASE)
    card = gmail.locator("[data-pmcoach-ui] .card")
    card.wait_for(state="visible")
    assert card.locator(".message").inner_text() == warning["message"]
    assert gmail.locator(SUGGESTION_BUTTON).first.inner_text() == f"Replace with “{warning['suggestions'][0]}”"
    # The reasons are folded under "Why" until asked for.
    explanation = card.get_by_text(warning["explanation"].split(".")[0], exact=False)
    assert not explanation.is_visible()

    gmail.mouse.move(5, 5)
    card.wait_for(state="hidden")

    hover_underline(gmail, BAD_PHRASE)
    card.get_by_text("Why", exact=True).click()
    assert explanation.is_visible()
    assert warning["source"] in card.locator(".source").inner_text()


def test_suggestion_replaces_the_words_as_typing_would_and_undo_restores_them(gmail, server):
    compose_id, body = open_compose(gmail)
    body.press_sequentially(BAD_SENTENCE)
    wait_highlighted(gmail, BAD_PHRASE)
    suggestion = next(w for w in check(server.url, BAD_SENTENCE)["warnings"] if w["rule"] == BAD_RULE)["suggestions"][0]
    saves_before = gmail.evaluate("id => fixture.state.drafts[id].saves", compose_id)

    hover_underline(gmail, BAD_PHRASE)
    gmail.locator(SUGGESTION_BUTTON).first.click()

    assert body_text(body) == BAD_SENTENCE.replace(BAD_PHRASE, suggestion)
    draft = gmail.evaluate("id => fixture.state.drafts[id]", compose_id)
    assert draft["inputType"] == "insertText" and draft["saves"] > saves_before
    gmail.wait_for_function("() => ![...CSS.highlights.get('pmcoach-error')].length")

    # The mail client's own undo brings the original words back in one step.
    body.press("Control+z")
    assert body_text(body) == BAD_SENTENCE
    wait_highlighted(gmail, BAD_PHRASE)


def test_caret_opens_the_card_for_the_keyboard_and_ignore_lasts_for_this_email(gmail):
    _, body = open_compose(gmail)
    body.press_sequentially(BAD_SENTENCE)
    wait_highlighted(gmail, BAD_PHRASE)

    for _ in range(len("rank list?")):
        body.press("ArrowLeft")
    card = gmail.locator("[data-pmcoach-ui] .card")
    card.wait_for(state="visible")
    body.press("Alt+Enter")
    assert (
        gmail.evaluate("() => document.querySelector('[data-pmcoach-ui]').shadowRoot.activeElement?.className")
        == "suggestion"
    )
    gmail.keyboard.press("Tab")
    gmail.keyboard.press("Enter")  # "Ignore in this email"
    card.wait_for(state="hidden")
    assert highlighted(gmail, "error") == []

    body.press("End")
    body.press_sequentially(" Thank you again.")
    wait_checked(gmail)
    assert highlighted(gmail, "error") == []
    assert BAD_PHRASE in body_text(body)


def test_each_compose_window_is_checked_on_its_own(gmail):
    first_id, first = open_compose(gmail, subject="Update")
    second_id, second = open_compose(gmail, to=[{"name": "Ann Lee", "email": "alee@example.org"}], subject="Question")
    first.press_sequentially("Dear Dr. Smith, I recently published a paper.")
    second.press_sequentially(BAD_SENTENCE)
    wait_highlighted(gmail, BAD_PHRASE)

    owner = gmail.evaluate(
        "() => [...CSS.highlights.get('pmcoach-error')][0].startContainer.parentElement"
        ".closest('[data-fixture-compose]').dataset.fixtureCompose"
    )
    assert owner == str(second_id) != str(first_id)
    badges = gmail.locator("[data-pmcoach-ui] .badge")
    assert badges.count() == 2
    assert sorted(badges.nth(i).locator(".count.error").count() for i in range(2)) == [0, 1]


def test_the_card_keeps_the_keyboard_across_a_recheck_and_covers_neither_the_words_nor_send(gmail, browser, tap):
    compose_id, body = open_compose(gmail)
    body.press_sequentially(BAD_SENTENCE)
    wait_highlighted(gmail, BAD_PHRASE)

    card = gmail.locator("[data-pmcoach-ui] .card")

    def back_into_the_phrase_before_the_recheck_lands():
        """Typing on, then back into the phrase: the card opens, then a re-check finds the same warning."""
        tap.hold()
        body.press("End")
        body.press_sequentially(" Thanks")
        for _ in range(len(" Thanks") + len("rank list?")):
            body.press("ArrowLeft")
        card.wait_for(state="visible")
        tap.release()
        wait_checked(gmail)

    back_into_the_phrase_before_the_recheck_lands()
    body.press("Alt+Enter")
    active = "() => document.querySelector('[data-pmcoach-ui]').shadowRoot.activeElement?.className"
    assert gmail.evaluate(active) == "suggestion"
    gmail.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert gmail.evaluate("() => document.activeElement.getAttribute('g_editable')") == "true"

    back_into_the_phrase_before_the_recheck_lands()
    body.press("Escape")
    card.wait_for(state="hidden")

    hover_underline(gmail, BAD_PHRASE)
    card.wait_for(state="visible")
    boxes = gmail.evaluate(
        """id => {
            const root = document.querySelector(`[data-fixture-compose="${id}"]`);
            const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
            const ui = document.querySelector('[data-pmcoach-ui]').shadowRoot;
            return {
                card: box(ui.querySelector('.card').getBoundingClientRect()),
                badge: box(ui.querySelector('.badge').getBoundingClientRect()),
                send: box(root.querySelector('.aoO').getBoundingClientRect()),
                editor: box(root.querySelector('[g_editable]').getBoundingClientRect()),
                words: [...CSS.highlights.get('pmcoach-error')].flatMap(r => [...r.getClientRects()].map(box)),
            };
        }""",
        compose_id,
    )

    def overlaps(a, b):
        return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]

    assert not overlaps(boxes["card"], boxes["send"])
    assert not any(overlaps(boxes["card"], word) for word in boxes["words"])
    # The badge sits outside the editor, over none of its lines.
    assert not overlaps(boxes["badge"], boxes["editor"]) and not overlaps(boxes["badge"], boxes["send"])
