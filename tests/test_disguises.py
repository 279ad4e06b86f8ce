"""A flagged phrase disguised with invisible characters, look-alike letters or compatibility forms is
flagged by the same rule, underlined over exactly the characters the client sent; text in other
scripts and with accents is read as written and stays clean."""

from __future__ import annotations

from dataclasses import replace
from itertools import cycle

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.engine import Draft, check
from server.engine.examples import DEFAULT_AT, Example
from server.engine.text import Prepared

# One flag example of each of these rules, from several categories and both directions.
RULES = [
    "nrmp.ask-rank.where-will-you-rank-me",
    "privacy.rank-list-disclosure.share-list",
    "tone.entitled.you-should-accept",
    "tone.self-deprecating.just-an-img",
    "tone.casual.gonna",
    "hygiene.placeholder.square-brackets",
    "inbound.program-pressure.where-else",
]
CYRILLIC = dict(zip("acehijopsxyABCEHIJKMOPSTX", "асеһіјорѕхуАВСЕНІЈКМОРЅТХ", strict=True))
GREEK = dict(zip("aiopuvyABEHIKMNOPTXYZ", "αιορυνγΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", strict=True))
WORD = regex.compile(r"[A-Za-z]+")


def _look_alike(table: dict[str, str]):
    """Each letter that has a twin in the table replaced by it, but each word's first: a word all in
    Cyrillic or Greek is that language, not a disguise (see test_words_all_in_another_script_are_kept)."""
    return lambda text: WORD.sub(lambda w: w[0][0] + "".join(table.get(c, c) for c in w[0][1:]), text)


def _between_letters(*marks: str):
    """Invisible characters between the letters of each word, in turn."""
    def disguise(text: str) -> str:
        mark = cycle(marks)
        return WORD.sub(lambda w: "".join(c + next(mark) for c in w[0][:-1]) + w[0][-1], text)
    return disguise


def _shifted(upper: int, lower: int):
    return lambda text: "".join(chr(upper + ord(c) - 65) if "A" <= c <= "Z" else chr(lower + ord(c) - 97)
                                if "a" <= c <= "z" else c for c in text)


DISGUISES = {
    "Cyrillic look-alikes": _look_alike(CYRILLIC),
    "Greek look-alikes": _look_alike(GREEK),
    "zero-width characters": _between_letters("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"),
    "soft hyphens": _between_letters("\u00ad"),
    "bidi controls": _between_letters("\u200e", "\u2067", "\u2069", "\u200f", "\u202b", "\u202c", "\u061c"),
    "fullwidth letters": _shifted(0xFF21, 0xFF41),
    "mathematical bold letters": _shifted(0x1D400, 0x1D41A),
    "all at once": lambda text: _between_letters("\u200b", "\u00ad")(_look_alike(CYRILLIC)(text)),
}
# Characters of two UTF-16 units, and a joined emoji sequence, before the phrase.
ASTRAL = "🎉👩‍⚕️ "


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def examples(ruleset):
    by_id = {rule.id: rule for rule in ruleset.rules}
    return {rule_id: Example(by_id[rule_id].examples["flag"][0], by_id[rule_id]) for rule_id in RULES}


def _warnings(ruleset, text: str) -> list[tuple[str, int, int]]:
    return [(w.rule, w.offset, w.length) for w in check(ruleset, Draft(text=text, at=DEFAULT_AT)).warnings]


@pytest.mark.parametrize("before", ["", ASTRAL], ids=["", "after emoji"])
@pytest.mark.parametrize("disguise", DISGUISES)
@pytest.mark.parametrize("rule_id", RULES)
def test_a_disguised_phrase_is_flagged_over_exactly_what_was_written(ruleset, example_context, examples,
                                                                     rule_id, disguise, before):
    example = examples[rule_id]
    text, (start, end) = example.draft.text, example.span
    disguised = DISGUISES[disguise](text[start:end])
    assert disguised != text[start:end]
    sent = before + text[:start] + disguised + text[end:]
    result = check(ruleset, replace(example.draft, text=sent), example_context(example.spec))
    assert [(w.offset, w.length) for w in result.warnings if w.rule == rule_id] == [
        (_utf16(before + text[:start]), _utf16(disguised))]


CLEAN = (
    "Dear Dr. Müller,\n\nThank you for the interview. My résumé lists a rotation in Zürich with "
    "Dr. José Núñez, research in Kyoto with 田中先生 at 東京大学, and a summer in Moscow with Иван Петров "
    "and Ελένη Παπαδοπούλου. My name is written Сергей Орлов in Russian, and the clinic's motto, "
    "\"Сор и рак не страшны\", is still on my wall.\n\nSincerely,\nSam Rivera"
)


def test_accents_and_other_scripts_are_read_as_written_and_stay_clean(ruleset):
    assert Prepared(CLEAN).text == CLEAN
    assert _warnings(ruleset, CLEAN) == []


def test_words_all_in_another_script_are_kept():
    # "сор", "рак", "оса", "Вера" are Russian words whose every letter looks Latin; "уоυ" mixes two
    # scripts and "rаnk" Latin and Cyrillic, so they are disguises.
    assert Prepared("сор рак оса Вера ορος").text == "сор рак оса Вера ορος"
    assert Prepared("уоυ rаnk Тоkyo").text == "you rank Tokyo"


def test_accents_typed_apart_are_joined_and_underlined_whole():
    prepared = Prepared("my re\u0301sume\u0301 and the ﬁrst… one")
    assert prepared.text == "my résumé and the first... one"
    resume = prepared.text.index("résumé")
    assert prepared.original_span(resume, resume + 6) == (3, 11)
    first = prepared.text.index("first")
    # Part of a ligature is the whole of it: an underline cannot cut a character in two.
    assert prepared.original_span(first, first + 5) == (20, 24)
    assert prepared.original_span(first + 1, first + 5) == (20, 24)
    assert prepared.original_span(first + 6, first + 7) == (24, 25)


def test_emoji_keep_their_joiners_and_selectors():
    for emoji in ("👩‍⚕️", "❤️", "🇺🇸", "👍🏽", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "™"):
        assert Prepared(f"Thanks {emoji}").text == f"Thanks {emoji}"


def test_an_empty_span_stays_where_it_is_and_spans_skip_invisible_edges():
    prepared = Prepared("\ufeff\u200bI rank\u200b")
    assert prepared.text == "I rank"
    assert prepared.original_span(0, 0) == (0, 0)
    assert prepared.original_span(0, 6) == (2, 8)
    assert prepared.utf16_span(2, 6) == (4, 8)


# Texts some rule flags, each in its own way: a span inside a sentence, a whole sentence, emoji.
FLAGGED = [
    "Dear Dr. Park,\n\nCould you tell me where I stand on your rank list? Thx!\n\nSincerely,\nSam",
    "🎉 I know I am just an IMG, but here is my full rank list 😊.",
    "Please give me a chance. You should accept me!! I am [Your Name].",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(FLAGGED), data=st.data())
def test_format_characters_anywhere_leave_every_warning_on_the_same_visible_characters(ruleset, text, data):
    inserted = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.characters(categories=["Cf"])),
                                  max_size=20))
    sent = text
    for at, character in sorted(inserted, reverse=True):
        sent = sent[:at] + character + sent[at:]
    units = sent.encode("utf-16-le")

    def visible(offset, length):
        return regex.sub(r"\p{Cf}", "", units[2 * offset:2 * (offset + length)].decode("utf-16-le"))

    plain, got = _warnings(ruleset, text), _warnings(ruleset, sent)
    assert [rule for rule, *_ in got] == [rule for rule, *_ in plain]
    for (_, offset, length), (_, plain_offset, plain_length) in zip(got, plain, strict=True):
        assert 0 <= offset and offset + length <= len(units) // 2
        assert visible(offset, length) == text.encode("utf-16-le")[
            2 * plain_offset:2 * (plain_offset + plain_length)].decode("utf-16-le")
