"""Shared word lists: a pattern says {rank_verb} and gets every way of saying it."""

from __future__ import annotations

import regex

# \p{...} and \N{...} are the regex syntax's own, not list references.
_REFERENCE = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_]+)\}")


class VocabularyError(ValueError):
    """A word list that cannot be used: the reason, the file it is in and the list's name, when known."""

    def __init__(self, reason: str, source: str | None = None, name: str | None = None):
        super().__init__(f"{source}: {reason}" if source else reason)
        self.reason, self.source, self.name = reason, source, name


class Vocabulary:
    def __init__(self, lists: dict[str, list[str]]):
        self._lists = lists
        self._expanded: dict[str, str] = {}

    @classmethod
    def merge(cls, named_mappings: list[tuple[str, dict]]) -> Vocabulary:
        """One vocabulary from several files; a name defined twice is an error."""
        lists: dict[str, list[str]] = {}
        origin: dict[str, str] = {}
        for source, mapping in named_mappings:
            if not isinstance(mapping, dict):
                raise VocabularyError("expected a mapping of list names to lists", source)
            for name, entries in mapping.items():
                if not regex.fullmatch(r"[A-Za-z_]+", str(name)):
                    raise VocabularyError(f"list name {name!r} may hold only letters and _", source, str(name))
                if name in lists:
                    raise VocabularyError(f"list {name!r} is already defined in {origin[name]}", source, name)
                if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
                    raise VocabularyError(f"list {name!r} must be a non-empty list of strings", source, name)
                lists[name], origin[name] = entries, source
        return cls(lists)

    def expand(self, pattern: str, _seen: tuple[str, ...] = ()) -> str:
        """The pattern with every {name} replaced by its list as a non-capturing group."""

        def replace(found: regex.Match) -> str:
            name = found.group(1)
            if name not in self._lists:
                raise VocabularyError(f"unknown word list {{{name}}}")
            if name in _seen:
                raise VocabularyError(f"word list {{{name}}} refers to itself")
            if name not in self._expanded:
                parts = [self.expand(entry, _seen + (name,)) for entry in self._lists[name]]
                self._expanded[name] = "(?:" + "|".join(parts) + ")"
            return self._expanded[name]

        return _REFERENCE.sub(replace, pattern)

    def names(self) -> list[str]:
        return sorted(self._lists)
