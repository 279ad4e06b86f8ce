"""What a sentence does, beyond the words in it: asks the reader, negates, supposes, reports, quotes.

Rules share these readings of a sentence (the `features` key of pattern and examples
rules), so that "I know you cannot tell me where I stand" (negated, asks nothing) and
"My advisor said never to ask where I stand" (reported) are told apart from "Could you
tell me where I stand?" (asks) without each rule writing its own exceptions. Each is a
cheap reading of the sentence's surface, in the spirit of the cue lists that clinical
NLP uses for negation and hypotheticals (NegEx, ConText): a handful of expressions,
searched only in sentences that a rule's cheaper gates let through.

- asks: a question, or a request addressed to the reader ("Could you let me know...",
  "I was wondering...", "I'd be grateful for any sense of..."). The reader of an email is
  the one it is sent to, so every question in it is put to them.
- negated: the sentence denies something ("cannot", "never", "not"), courtesy formulas
  ("do not hesitate", "not only") and a question's "wouldn't it" left aside.
- hypothetical: a condition or a supposition ("if I rank you first", "should you be able
  to", "were I to"); "if" that only means "whether" ("let me know if") is not one.
- reported: someone else's words or thoughts ("my advisor told me", "I was told",
  "I have heard that").
- quoted: the sentence quotes words in quotation marks.
"""

from __future__ import annotations

import regex

FEATURES = ("asks", "negated", "hypothetical", "reported", "quoted")
_COST = ("quoted", "hypothetical", "reported", "negated", "asks")  # cheapest to read first

_FLAGS = regex.IGNORECASE | regex.VERSION1


def _any(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def _words(text: str) -> str:
    return _any(*text.split("|"))


# A negation within the three words before a cue undoes it: "you cannot tell me" asks nothing.
_NEGATED_BEFORE = regex.compile(r"\b(?:not|never|n't|cannot|no)\s+(?:[\w']+\s+){0,2}$", _FLAGS)
_I = r"\b(?-i:I)"
_TELLING = _words("insight|sense|idea|indication|hint|feedback|thoughts|update|information|guidance|clarity|"
                  "clarification|transparency|word|news|perspective|assessment|opinion")
_FINDING_OUT = _words("ask|know|find out|learn|check|hear|understand|get a sense|have a sense|inquire|confirm|"
                      "clarify|see")
_GLAD = _words("grateful|glad|happy|thankful|delighted|interested")

# Searched one at a time: each starts with a word the engine can look for, which a single
# alternation of them all hides from it (twice as slow).
_REQUESTS = tuple(regex.compile(cue, _FLAGS) for cue in (
    r"\b(?:could|can|would|will|might|may) you\b(?! not\b| never\b)",
    r"\bif you (?:could|would|can|might|are able to) (?:please |kindly )?" + _words(
        "let|tell|share|send|give|advise|confirm|clarify|provide|inform|update|spare|offer (?:me|some|any)"),
    r"(?<!\bbe )\bplease\b(?! (?:do not|don't|note|know|find|see attached|accept)\b)",
    r"\b(?:hoping|wondering|wondered|wonder) (?:if |whether )?you (?:could|would|can|might|will)\b",
    _I + r"(?:'m| am| was| have been|'ve been)?(?: \w+)? (?:wondering|curious|wonder)\b",
    _I + r"(?:'d| would| will)(?: \w+)? (?:like|love|appreciate|welcome|value|be (?:\w+ )?" + _GLAD + r") "
    + _any(r"to " + _FINDING_OUT, r"(?:any|some|your|an?) (?:\w+ )?" + _TELLING, "knowing|hearing|learning"),
    _I + r" (?:want|wanted|was hoping|am hoping|'m hoping|am writing|was writing|'m writing) to " + _FINDING_OUT
    + r"\b",
    r"\b(?:may|might|can|could) " + _I + r" (?:ask|inquire|know|request|check)\b",
    _I + r"(?:'m| am| was)? (?:\w+ )?(?:anxious|eager|keen|impatient|dying) to " + _FINDING_OUT + r"\b",
    r"\b(?:any|some) (?:\w+ )?" + _TELLING + r"\b(?= (?:on|into|about|as to|regarding|of|you|from)\b)",
    # "even a small hint about whether I am...", "a sense of where I stand"
    r"\b" + _TELLING + r" (?:about|as to|of|on|into|regarding) (?:whether|where|how|if)\b",
    r"\bit would (?:\w+ )?(?:help|mean|be (?:\w+ )?(?:helpful|reassuring|wonderful|great|useful))\b"
    r"[^.?!]{0,40}\b(?:to (?:know|hear|learn)|if you)\b",
))
# Told what to do ("let me know", "tell us"): only at the start of the sentence or of a clause, or
# after "please", "kindly", "and", "to"; "if you give me a chance" tells the reader nothing to do.
_TOLD = regex.compile(r"\b(?:let|tell|show|give|update|inform|advise|remind) (?:me|us)\b", _FLAGS)
_TOLD_AFTER = regex.compile(r"(?:^|[,;:(]|\b(?:please|kindly|and|to))\W*$", _FLAGS)
_NEGATION = regex.compile(
    r"\b(?:not|never|no|nothing|nobody|none|neither|nor|cannot)\b|n't\b|\bno one\b", _FLAGS)
# Negation words that deny nothing: courtesy and idiom, and a question's inversion ("wouldn't it help").
_NOT_A_NEGATION = regex.compile(_any(
    r"\b(?:do not|don't|please do not|never) hesitate\b",
    r"\bnot only\b|\bno matter\b|\bno later than\b|\bif not\b|\bno doubt\b|\bnot to mention\b",
    r"\b(?:do|does|did|is|are|was|were|would|will|could|can|should|have|has)n't "
    r"(?:I|you|it|we|they|there|that|this)\b",
), _FLAGS)
# "if", unless it only means "whether": "let me know if", "I wonder if", "not sure if".
_WHETHER_IF = (r"(?<!\b(?:know|knowing|wonder|wondering|wondered|ask|asking|asked|see|check|checking|tell me|"
               r"tell us|sure|confirm|clarify|curious|unsure|doubt|find out|learn|hear|understand|idea|question|"
               r"as|even) )\bif\b")
_CONDITION = regex.compile(_any(
    r"\b(?:unless|suppose|supposing|imagine|hypothetically|assuming|provided|as long as|so long as"
    r"|on the condition|in the event|in case|only if|even if|in exchange for|in return for)\b",
    # A condition put as a moment: "the moment I know", "as soon as I hear", "once I know".
    r"\b(?:the moment|the minute|as soon as|once) (?:I|you|we)\b",
    _WHETHER_IF,
    # Inverted conditions: "Should you be able to assure me..., I...", "Were I to...", "Had I known..."
    r"(?:^|[,;:]\s*)\W*(?:should|were|had) (?:you|I|we|your \w+|the \w+|my \w+)\b(?=[^.?!]{0,120},)",
), _FLAGS)
_SPEAKER = _any(
    r"(?:my|our|a|an|the|one of my|some|other|several|many|most) (?:[\w-]+ ){0,2}?" + _words(
        "advisors?|advisers?|deans?|mentors?|friends?|classmates?|colleagues?|residents?|attendings?|PDs?|"
        "directors?|coordinators?|parents?|mother|father|mom|dad|partner|spouse|peers?|applicants?|students?|"
        "seniors?|upperclass(?:men|man|mates?)|school|people|faculty|interviewers?|programs?|website|forum|guide"),
    r"\b(?:he|she|they|someone|somebody|people|everyone|others|some)\b",
)
_SAYING = _words("said|says|told|tells|asked|asks|mentioned|suggested|advised|warned|recommended|explained|"
                 "claimed|wrote|writes|insisted|noted|heard|reminded|cautioned|thinks|thought|believes")
_REPORT = regex.compile(_any(
    r"\b" + _SPEAKER + r"(?: [\w']+){0,2}? " + _SAYING + r"\b",
    _I + r" (?:was|have been|had been|'ve been|'d been|am) (?:\w+ )?(?:told|advised|warned|asked|reminded|"
    r"cautioned)\b",
    _I + r"(?:'ve| have| had)? (?:heard|read) (?:that|from|it|on|in)\b",
    r"\baccording to\b",
), _FLAGS)
# Words without which a sentence can be neither: one quick search spares most sentences the full reading.
_MAY_SUPPOSE = regex.compile(r"\b(?:if|unless|suppos\w*|imagine|hypothetically|assuming|provided|long as|condition"
                             r"|event|case|should|were|had|exchange|return|moment|minute|soon|once)\b", _FLAGS)
_MAY_REPORT = regex.compile(r"\b" + _any(_SAYING, "told|advised|warned|asked|reminded|cautioned|heard|read|according")
                            + r"\b", _FLAGS)
_QUOTE = regex.compile(r"\"[^\"\n]*\w[^\"\n]*\"|(?<![\w'])'[^'\n]*\s[^'\n]*'(?![\w'])", _FLAGS)


def _negated(text: str) -> bool:
    spared = [m.span() for m in _NOT_A_NEGATION.finditer(text)]
    return any(not any(a <= m.start() < b for a, b in spared) for m in _NEGATION.finditer(text))


def _asks(text: str) -> bool:
    if "?" in text:
        return True
    told = (cue for cue in _TOLD.finditer(text) if _TOLD_AFTER.search(text, max(0, cue.start() - 12), cue.start()))
    cues = (cue for request in _REQUESTS for cue in request.finditer(text))
    return any(not _NEGATED_BEFORE.search(text, max(0, cue.start() - 40), cue.start())
               for found in (cues, told) for cue in found)


_READERS = {
    "asks": _asks,
    "negated": _negated,
    "hypothetical": lambda text: bool(_MAY_SUPPOSE.search(text) and _CONDITION.search(text)),
    "reported": lambda text: bool(_MAY_REPORT.search(text) and _REPORT.search(text)),
    "quoted": lambda text: bool(_QUOTE.search(text)),
}


def has(feature: str, text: str) -> bool:
    """Whether the sentence has the feature; the sentence's text alone decides."""
    return _READERS[feature](text)


class FeatureError(ValueError):
    pass


class Requirement:
    """`features: {asks: true, negated: false}`: what a sentence must be, and must not be."""

    def __init__(self, spec):
        spec = spec or {}
        if not isinstance(spec, dict):
            raise FeatureError(f"features must map features ({', '.join(FEATURES)}) to true or false")
        unknown = sorted(set(spec) - set(FEATURES))
        if unknown:
            raise FeatureError(f"unknown feature(s) {', '.join(map(str, unknown))}; features are {', '.join(FEATURES)}")
        if not all(isinstance(value, bool) for value in spec.values()):
            raise FeatureError("each feature must be true or false")
        # Cheapest first: a sentence's features are worked out as they are asked for, and the first
        # that does not hold spares it the others.
        self.wanted = tuple(sorted(spec.items(), key=lambda item: _COST.index(item[0])))

    def __bool__(self) -> bool:
        return bool(self.wanted)

    def holds(self, sentence) -> bool:
        """Whether the sentence (a sentence.Sentence) has each feature as wanted."""
        return all(sentence.has(feature) == value for feature, value in self.wanted)
