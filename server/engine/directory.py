"""The program directory: which institution an address belongs to, the names it goes
by in an email, and the policies its programs have announced (rules/programs.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from .model import Program, Recipient

POLICIES = ("no-post-interview-contact", "discourages-post-interview-contact", "no-letters-of-intent")


class DirectoryError(ValueError):
    pass


@dataclass(frozen=True)
class Institution:
    key: str
    name: str
    domains: tuple[str, ...]
    names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    city: str = ""
    state: str = ""


@dataclass(frozen=True)
class Policy:
    policy: str
    track: str | None  # None: every track of the institution
    institution: str | None  # None: the whole specialty, wherever it is
    note: str = ""
    source: str = ""


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DirectoryError(f"{where} must be a list of non-empty texts")
    return tuple(v.strip() for v in value)


def _lower_keeping_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two ("İ"); keep those as they are so offsets still hold.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Phrases:
    """Finds whole-word occurrences of many phrases, all of them in one pass over a text
    (an Aho-Corasick automaton, as the rule set's prefilter uses): a check reads every
    draft for every name of every institution in the directory."""

    def __init__(self, phrases: dict[str, Institution], fold: bool):
        self.fold = fold
        self.automaton = ahocorasick.Automaton()
        for phrase, institution in phrases.items():
            if any(map(_is_word, phrase)):
                self.automaton.add_word(phrase, (len(phrase), institution))
        self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, Institution]]:
        """Occurrences in the text, the longest where they overlap."""
        text = _lower_keeping_length(text) if self.fold else text
        hits = []
        for last, (length, institution) in self.automaton.iter(text) if len(self.automaton) else ():
            at, end = last + 1 - length, last + 1
            if (at == 0 or not _is_word(text[at - 1])) and _ends_word(text, end):
                hits.append((at, end, institution))
        # Where names overlap ("University of Washington Medical Center"), the longest wins.
        found, taken_until = [], -1
        for start, end, institution in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
            if start >= taken_until:
                found.append((start, end, institution))
                taken_until = end
        return found


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_-'"


def _ends_word(text: str, end: int) -> bool:
    """Whether a name ends a word at `end`: "Vanderbilt's residents" names Vanderbilt."""
    if end < len(text) and text.startswith("'s", end):
        end += 2
    return end == len(text) or not _is_word(text[end])


class Directory:
    def __init__(self, institutions: list[Institution], tracks: dict[str, str],
                 policies: list[Policy], addresses: dict[str, tuple[str, str]]):
        self.institutions = {i.key: i for i in institutions}
        self.tracks = tracks
        self.policies = policies
        self._addresses = addresses  # program mailbox -> (institution key, track)
        self._by_domain = {d: i for i in institutions for d in i.domains}
        self._names = _Phrases({n.lower(): i for i in institutions for n in i.names + (i.name,)}, fold=True)
        self._abbreviations = _Phrases({a: i for i in institutions for a in i.abbreviations}, fold=False)

    @classmethod
    def from_spec(cls, spec: dict) -> Directory:
        """A validated directory from the shape of programs.yaml; DirectoryError says what is wrong."""
        if not isinstance(spec, dict):
            raise DirectoryError("the directory must be a mapping")
        tracks: dict[str, str] = {}
        for entry in spec.get("tracks") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise DirectoryError("each track needs an 'id'")
            tracks[entry["id"]] = str(entry.get("label") or entry["id"])
        institutions, seen_domains, seen_names, seen_abbr = [], {}, {}, {}
        for entry in spec.get("institutions") or []:
            if not isinstance(entry, dict) or not entry.get("key") or not entry.get("name"):
                raise DirectoryError(f"institution {entry!r:.60}: needs 'key' and 'name'")
            key = str(entry["key"]).lower()
            where = f"institution {key}"
            domains = tuple(d.lower() for d in _strings(entry.get("domains") or [key], f"{where}: domains"))
            names = _strings(entry.get("names"), f"{where}: names")
            abbreviations = _strings(entry.get("abbreviations"), f"{where}: abbreviations")
            for value, seen, label in [(d, seen_domains, "domain") for d in domains] + \
                    [(n.casefold(), seen_names, "name") for n in names + (str(entry["name"]),)] + \
                    [(a, seen_abbr, "abbreviation") for a in abbreviations]:
                if seen.get(value, key) != key:
                    raise DirectoryError(f"{where}: {label} {value!r} already belongs to {seen[value]}")
                seen[value] = key
            institutions.append(Institution(key, str(entry["name"]), domains, names, abbreviations,
                                            str(entry.get("city") or ""), str(entry.get("state") or "")))
        keys = {i.key for i in institutions}
        policies = []
        for group, needs_institution in (("specialty_policies", False), ("program_policies", True)):
            for entry in spec.get(group) or []:
                policy = cls._policy(entry, group, needs_institution, keys, tracks)
                policies.append(policy)
        addresses = {}
        for entry in spec.get("programs") or []:
            if entry.get("institution") not in keys or entry.get("track") not in tracks:
                raise DirectoryError(f"programs: {entry!r:.80} needs a known institution and track")
            for address in _strings(entry.get("addresses"), "programs: addresses"):
                addresses[address.lower()] = (entry["institution"], entry["track"])
        return cls(institutions, tracks, policies, addresses)

    @staticmethod
    def _policy(entry, group, needs_institution, keys, tracks) -> Policy:
        if not isinstance(entry, dict) or entry.get("policy") not in POLICIES:
            raise DirectoryError(f"{group}: policy must be one of {', '.join(POLICIES)}")
        track, institution = entry.get("track"), entry.get("institution")
        if track is not None and track not in tracks:
            raise DirectoryError(f"{group}: unknown track {track!r}")
        if needs_institution and institution not in keys:
            raise DirectoryError(f"{group}: unknown institution {institution!r}")
        if not needs_institution and track is None:
            raise DirectoryError(f"{group}: a specialty policy needs a track")
        return Policy(entry["policy"], track, institution if needs_institution else None,
                      str(entry.get("note") or ""), str(entry.get("source") or ""))

    def institution_for(self, address: str) -> Institution | None:
        """The institution of an address, its subdomains included (med.uw.edu is uw.edu)."""
        address = address.lower()
        if address in self._addresses:
            return self.institutions[self._addresses[address][0]]
        domain = address.rpartition("@")[2]
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            found = self._by_domain.get(".".join(parts[i:]))
            if found:
                return found
        return None

    def mentions(self, text: str) -> list[tuple[int, int, Institution]]:
        """(start, end, institution) for every institution named in the text, in order."""
        return sorted(self._names.find(text) + self._abbreviations.find(text), key=lambda hit: hit[0])

    def program_for(self, recipients: tuple[Recipient, ...], track: str | None = None,
                    user_tracks: tuple[str, ...] = ()) -> Program | None:
        """The program a message goes to. The track comes from the request, else the
        program's own address in the directory, else the user's only track."""
        for recipient in recipients:
            institution = self.institution_for(recipient.address)
            listed = self._addresses.get(recipient.address)
            chosen = track or (listed[1] if listed else None) or (user_tracks[0] if len(user_tracks) == 1 else None)
            if institution:
                return Program(institution.key, institution.name, chosen)
        if recipients and recipients[0].domain:
            # Not in the directory: the domain still tells one program's mail from another's.
            only = track or (user_tracks[0] if len(user_tracks) == 1 else None)
            return Program(recipients[0].domain, recipients[0].domain, only, known=False)
        return None

    def policies_for(self, institution: str, track: str | None) -> list[Policy]:
        return [p for p in self.policies
                if (p.institution in (None, institution)) and (p.track is None or p.track == track)
                and not (p.institution is None and track is None)]

    def track_ids(self) -> set[str]:
        return set(self.tracks)
