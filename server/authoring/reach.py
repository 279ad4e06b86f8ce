"""Which sentences of the corpus a draft rule now catches, or stops catching, as the admin types.

The texts are those of the regression report (the example emails of rules/corpus/ and every
rule's examples) but the edited rules' own examples, which the admin is looking at already.
Each warning the draft adds or loses is shown in its sentence, with the words it underlines.
"""

from __future__ import annotations

import time

from ..engine import RuleSet
from ..engine.text import Prepared
from . import regression

SHOWN = 60  # sentences listed at most of each kind; the counts cover them all
# Asked as the admin types, before the draft's patterns are known to be quick: the texts read
# within this time are reported (and said to be a part), never a worker held for minutes.
SECONDS = 8.0


def _python_offsets(text: str, offset: int, length: int) -> tuple[int, int]:
    """A warning's UTF-16 span as offsets into the Python string."""
    encoded = text.encode("utf-16-le")
    start = len(encoded[:offset * 2].decode("utf-16-le", errors="replace"))
    return start, start + len(encoded[offset * 2:(offset + length) * 2].decode("utf-16-le", errors="replace"))


def _span(warning) -> tuple:
    return warning.rule, warning.field, warning.offset, warning.length


def _in_sentence(sample: regression.Sample, warning) -> dict:
    text = (sample.draft.subject if warning.field == "subject" else sample.draft.text) or ""
    found = {"text": sample.label, "rule": warning.rule, "severity": warning.severity}
    if not warning.length:
        return {**found, "sentence": None, "before": "", "words": "", "after": ""}
    start, end = _python_offsets(text, warning.offset, warning.length)
    sentence = Prepared(text).sentence_at(start)
    first, last = (sentence.start, sentence.end) if sentence else (start, end)
    last = max(last, end)
    return {**found, "sentence": text[first:last].strip(), "before": text[first:start].lstrip(),
            "words": text[start:end], "after": text[end:last].rstrip()}


def sentences(base: RuleSet, draft: RuleSet, affected: frozenset[str] | None, rules_dir: str) -> dict:
    """{caught: [...], released: [...]}: each a sentence with the words the draft now underlines
    in it, or no longer does; and how many texts were read."""
    own = affected or frozenset()
    texts = [s for s in regression.samples(base, draft, rules_dir) if s.rule not in own]
    caught, released = [], []
    deadline = time.monotonic() + SECONDS
    for difference in regression.differences(base, draft, affected, texts, until=deadline):
        # A warning that only changed severity still catches what it caught.
        before, after = ({_span(w) for w in warnings} for warnings in (difference.before, difference.after))
        caught += [_in_sentence(difference.sample, w) for w in difference.after if _span(w) not in before]
        released += [_in_sentence(difference.sample, w) for w in difference.before if _span(w) not in after]
    return {"texts": len(texts), "incomplete": time.monotonic() >= deadline, "caught_count": len(caught),
            "released_count": len(released), "caught": caught[:SHOWN], "released": released[:SHOWN]}
