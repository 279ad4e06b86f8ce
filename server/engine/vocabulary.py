"""Shared word lists: a pattern says {rank_verb} and gets every way of saying it.

Two kinds of list live in rules/vocabulary/:

- expression lists (the top level of a file): each entry a regular expression;
- word lists (under a file's `words:` key): plain words and phrases, each word also
  matching its forms (inflection.py), so "rank" reads "ranks", "ranked", "ranking".
  Their names may hold spaces: {rank list}.

A pattern, a phrase or an `about` gate names either kind the same way, in braces.
"""

from __future__ import annotations

import regex

from .inflection import forms

# \p{...} and \N{...} are the regex syntax's own, not list references.
_REFERENCE = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_]+(?: [A-Za-z_]+)*)\}")
_EXPRESSION_NAME = regex.compile(r"[A-Za-z_]+")
_WORD_LIST_NAME = regex.compile(r"[A-Za-z_]+(?: [A-Za-z_]+)*")
WORDS_KEY = "words"
# In a phrase, "..." stands for a few words the writer may put in between.
GAP = "..."
_GAP_WORDS = 4
# What a plain word may hold; anything else is refused, so that an author who writes an
# expression where a phrase is asked for is told so rather than silently matching nothing.
_PLAIN_TOKEN = regex.compile(r"[\w'#&./+-]+")


class VocabularyError(ValueError):
    """A word list that cannot be used: the reason, the file it is in and the list's name, when known."""

    def __init__(self, reason: str, source: str | None = None, name: str | None = None):
        super().__init__(f"{source}: {reason}" if source else reason)
        self.reason, self.source, self.name = reason, source, name


def _entries(name, entries, source) -> list[str]:
    if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
        raise VocabularyError(f"list {name!r} must be a non-empty list of strings", source, name)
    return entries


def _word(token: str) -> str:
    """A plain word as an expression matching each of its forms, and only whole words."""
    alternatives = "|".join(regex.escape(form) for form in sorted(forms(token), key=len, reverse=True))
    body = alternatives if "|" not in alternatives else f"(?:{alternatives})"
    before = r"\b" if regex.match(r"\w", token) else r"(?<![\w#])"
    after = r"\b" if regex.search(r"\w$", token) else ""
    return f"{before}{body}{after}"


def phrase_expression(text: str) -> str:
    """A plain phrase as an expression: each word in all its forms, {lists} kept for expand().

    Words are separated by any run of spaces; "..." lets up to four words stand between
    its neighbours ("where ... I stand" reads "where exactly do I stand").
    """
    if not isinstance(text, str) or not text.strip():
        raise VocabularyError("a phrase must be a non-empty text")
    parts: list[str] = []
    gap = False
    for token in regex.findall(r"\{[^{}]*\}|\S+", text):
        if token == GAP:
            gap = True
            continue
        if token.startswith("{"):
            if not _REFERENCE.fullmatch(token):
                raise VocabularyError(f"{token} in phrase {text!r} is not the name of a word list")
            piece = f"(?:{token})"
        elif _PLAIN_TOKEN.fullmatch(token):
            piece = _word(token)
        else:
            raise VocabularyError(f"phrase {text!r}: {token!r} is not a plain word (write words, {{lists}} and ...)")
        if parts:
            parts.append(rf"(?:\s+[\w'-]+){{0,{_GAP_WORDS}}}?\s+" if gap else r"\s+")
        parts.append(piece)
        gap = False
    if not parts:
        raise VocabularyError(f"phrase {text!r} holds no word")
    return "".join(parts)


def _plain_forms(word: str) -> bool:
    """Whether every form of the word is a run of word characters, as a sentence's words are."""
    return not word.startswith("{") and all(regex.fullmatch(r"\w+", f) for f in forms(word))


def _key_word(entry: str) -> str:
    """The entry's longest plain word, the rarest in prose; a {list} when it holds no plain word."""
    tokens = regex.findall(r"\{[^{}]*\}|\S+", entry)
    plain = [t for t in tokens if not t.startswith("{") and t != GAP]
    return max(plain, key=len) if plain else (tokens[0] if tokens else "")


class Vocabulary:
    def __init__(self, lists: dict[str, list[str]], words: dict[str, list[str]] | None = None):
        self._lists = dict(lists)
        self._sources = dict(words or {})  # word lists as written
        for name, entries in (words or {}).items():
            try:
                self._lists[name] = [phrase_expression(entry) for entry in entries]
            except VocabularyError as error:
                raise VocabularyError(f"word list {name!r}: {error.reason}", name=name) from None
        self._words = frozenset(words or ())
        self._expanded: dict[str, str] = {}

    @classmethod
    def merge(cls, named_mappings: list[tuple[str, dict]]) -> Vocabulary:
        """One vocabulary from several files; a name defined twice (of either kind) is an error."""
        lists: dict[str, list[str]] = {}
        words: dict[str, list[str]] = {}
        origin: dict[str, str] = {}

        def add(source, name, entries, pattern, kind, into):
            if not isinstance(name, str) or not pattern.fullmatch(name):
                allowed = "letters, _ and single spaces" if kind == "word" else "letters and _"
                raise VocabularyError(f"{kind} list name {name!r} may hold only {allowed}", source, str(name))
            if name in origin:
                raise VocabularyError(f"list {name!r} is already defined in {origin[name]}", source, name)
            into[name], origin[name] = _entries(name, entries, source), source

        for source, mapping in named_mappings:
            if not isinstance(mapping, dict):
                raise VocabularyError("expected a mapping of list names to lists", source)
            for name, entries in mapping.items():
                if name == WORDS_KEY:
                    if not isinstance(entries, dict):
                        raise VocabularyError(f"'{WORDS_KEY}' must map word-list names to lists of plain words",
                                              source, WORDS_KEY)
                    for word_name, word_entries in entries.items():
                        add(source, word_name, word_entries, _WORD_LIST_NAME, "word", words)
                else:
                    add(source, name, entries, _EXPRESSION_NAME, "expression", lists)
        try:
            return cls(lists, words)
        except VocabularyError as error:
            raise VocabularyError(error.reason, origin.get(error.name or ""), error.name) from None

    def expand(self, pattern: str, _seen: tuple[str, ...] = ()) -> str:
        """The pattern with every {name} replaced by its list as a non-capturing group."""

        def replace(found: regex.Match) -> str:
            name = found.group(1)
            if name not in self._lists:
                raise VocabularyError(f"unknown word list {{{name}}}")
            if name in _seen:
                raise VocabularyError(f"word list {{{name}}} refers to itself")
            if name not in self._expanded:
                # Longest entries first: "rank order list" is underlined whole, not as "rank".
                entries = self._lists[name]
                if name in self._words:
                    entries = sorted(entries, key=len, reverse=True)
                parts = [self.expand(entry, _seen + (name,)) for entry in entries]
                self._expanded[name] = "(?:" + "|".join(parts) + ")"
            return self._expanded[name]

        return _REFERENCE.sub(replace, pattern)

    def literals(self, name: str, _seen: tuple[str, ...] = ()) -> frozenset[str] | None:
        """Lower-case strings one of which every match of the word list holds (the forms of the
        longest word of each entry: "in the running" is found where "running" is); None when that
        is not known, as of an expression list."""
        if name not in self._words or name in _seen:
            return None
        found: set[str] = set()
        for entry in self._sources[name]:
            token = _key_word(entry)
            if token.startswith("{"):
                inner = self.literals(token[1:-1], _seen + (name,))
                if inner is None:
                    return None
                found |= inner
            else:
                found.update(forms(token))
        return frozenset(found)

    def phrase(self, text: str) -> str:
        """A plain phrase ("where {I} stand on your {rank list}") as an expression, lists expanded."""
        return self.expand(phrase_expression(text))

    def concept(self, names) -> tuple[str, frozenset[str], list[tuple[frozenset[str] | None, str]]]:
        """The gate `about: [rank, match]` asks for: an expression finding any of the named lists,
        and the same in parts: the forms of their one-word entries (lower case), and an expression
        for each other entry ("stack up", "#1", an expression list) with the forms of its longest
        word, which a sentence must hold for the entry to match (None: not known)."""
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise VocabularyError("about must name one or more word lists")
        words: set[str] = set()
        others: list[tuple[frozenset[str] | None, str]] = []

        def walk(name: str, seen: tuple[str, ...]) -> None:
            if name not in self._lists:
                raise VocabularyError(f"unknown word list {{{name}}}")
            if name in seen:
                raise VocabularyError(f"word list {{{name}}} refers to itself")
            if name not in self._words:
                others.append((None, self.expand(f"{{{name}}}")))
                return
            for entry in self._sources[name]:
                single = entry.strip()
                key = _key_word(single)
                if _REFERENCE.fullmatch(single):
                    walk(single[1:-1], seen + (name,))
                elif key == single and _plain_forms(single):
                    words.update(forms(single))
                else:
                    needed = frozenset(forms(key)) if _plain_forms(key) else None
                    others.append((needed, self.expand(phrase_expression(single))))

        for name in names:
            walk(name, ())
        whole = "|".join(self.expand(f"{{{name}}}") for name in names)
        return whole, frozenset(words), others

    def names(self) -> list[str]:
        return sorted(self._lists)
