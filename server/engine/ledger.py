"""A user's ledger as the ledger rules read it: the earlier events, indexed.

Every check of a signed-in user runs the ledger rules, and a season's ledger may hold
thousands of events. Each rule asks the same kind of question: of the events of these
types, kinds and claims (and in this track), those within a time window, to this
program, to other programs or to any: how many are there, to how many programs, which
is the latest, and which are near-duplicates of the draft? A Ledger answers from
indexes, with a few binary searches whatever its size. The events a rule's conditions
select are found once per ledger (a Selection, cached by the conditions), sorted by time
and by program; the server keeps one Ledger per user and ledger version
(server/ledger/facts.py), so every check until the next send reuses them.

Times are compared as numbers (instant()): a datetime of year 1 or 9999, at any UTC
offset, is a moment like any other, and a window of days before it never overflows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from .fingerprint import BITS
from .model import LedgerEvent

DAY = 86_400_000_000  # in instants: microseconds
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def instant(moment: datetime) -> int:
    """Microseconds since 1970 UTC (a time without an offset taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND  # the difference of two datetimes is never out of range


@dataclass(frozen=True)
class Tally:
    """What a window of a selection holds for a rule: how many events, to how many programs, the latest."""

    events: int
    programs: int
    latest: LedgerEvent | None


def _window(times: list[int], since: int | None, until: int) -> tuple[int, int]:
    return (0 if since is None else bisect_left(times, since)), bisect_right(times, until)


class Selection:
    """Events that meet a rule's conditions on the event itself, oldest first, by time and by program."""

    def __init__(self, times: list[int], facts: list[LedgerEvent]):
        self.times, self.facts = times, facts  # instants and events, oldest first
        self.by_program: dict[str | None, tuple[list[int], list[LedgerEvent]]] = {}
        for t, fact in zip(times, facts, strict=True):
            program_times, program_facts = self.by_program.setdefault(fact.program, ([], []))
            program_times.append(t)
            program_facts.append(fact)
        # Events to known programs, and for each the index of the latest one before it to another
        # program: the latest event to a program other than p is then at most one step back.
        known = [n for n, fact in enumerate(facts) if fact.program is not None]
        self.known_times = [times[n] for n in known]
        self.known = [facts[n] for n in known]
        self.before_other: list[int] = []
        for n, fact in enumerate(self.known):
            self.before_other.append(-1 if n == 0 else n - 1 if self.known[n - 1].program != fact.program
                                     else self.before_other[n - 1])
        # Each program's first event: how many programs had been written to by a time is a bisection.
        self.firsts = sorted(each[0] for each, _ in self.by_program.values())
        self.known_firsts = sorted(each[0] for p, (each, _) in self.by_program.items() if p is not None)
        self._near: dict[int, _Near] = {}

    def tally(self, which: str, program: str | None, since: int | None, until: int) -> Tally:
        """The events at or after since (None: from the first) and at or before until, to
        `which` programs: "same" (this program), "other" (a known program but this one), "any"."""
        if which == "same":
            times, facts = self.by_program.get(program, ([], []))
            first, end = _window(times, since, until)
            return Tally(end - first, int(end > first), facts[end - 1] if end > first else None)
        if which == "any":
            first, end = _window(self.times, since, until)
            return Tally(end - first, self._programs(self.firsts, False, since, until),
                         self.facts[end - 1] if end > first else None)
        own = self.tally("same", program, since, until)
        first, end = _window(self.known_times, since, until)
        latest = end - 1
        if latest >= first and self.known[latest].program == program:
            latest = self.before_other[latest]
        programs = self._programs(self.known_firsts, True, since, until)
        return Tally(end - first - own.events, programs - own.programs, self.known[latest] if latest >= first else None)

    def _programs(self, firsts: list[int], known_only: bool, since: int | None, until: int) -> int:
        """How many programs (known_only: known ones) have an event in the window."""
        if since is None:
            return bisect_right(firsts, until)
        return sum(1 for p, (times, _) in self.by_program.items()
                   if (p is not None or not known_only) and bisect_left(times, since) < bisect_right(times, until))

    def tally_near(self, fingerprint: Callable[[], int], differing: int, which: str, program: str | None,
                   since: int | None, until: int) -> Tally:
        """As tally(), of the events whose fingerprints differ from the draft's in at most `differing` bits.

        fingerprint() gives the draft's, asked for only when there are events to compare it with.
        """
        if not self.facts:
            return Tally(0, 0, None)
        index = self._near.get(differing)
        if index is None:
            index = self._near[differing] = _Near(self.times, self.facts, differing)
        counted = [f for t, f in index.of(fingerprint()) if (since is None or since <= t) and t <= until and (
            which == "any" or (f.program == program if which == "same" else f.program not in (None, program)))]
        return Tally(len(counted), len({f.program for f in counted}), counted[-1] if counted else None)


class _Near:
    """Fingerprints within some bits of a given one, found without comparing with each.

    Multi-index hashing: the 64 bits are cut into m = differing // 2 + 1 blocks. Two
    fingerprints within `differing` bits of each other differ in at most one bit of some
    block (else in at least 2m > differing bits), so each block's values are indexed and a
    lookup probes each block with its own value and the values one bit away from it.
    """

    def __init__(self, times: list[int], facts: list[LedgerEvent], differing: int):
        self.times, self.facts, self.differing = times, facts, differing
        count = differing // 2 + 1
        # Per block: its lowest bit, its width, and the events by the block's value.
        self.blocks: list[tuple[int, int, dict[int, list[int]]]] = [
            (low, high - low, {}) for low, high in pairwise(BITS * k // count for k in range(count + 1))
        ]
        for n, fact in enumerate(facts):
            if fact.fingerprint is not None:
                for low, width, table in self.blocks:
                    table.setdefault(fact.fingerprint >> low & ((1 << width) - 1), []).append(n)

    def of(self, fingerprint: int) -> list[tuple[int, LedgerEvent]]:
        """(instant, event) of each event near the fingerprint, oldest first."""
        candidates: set[int] = set()
        for low, width, table in self.blocks:
            value = fingerprint >> low & ((1 << width) - 1)
            for probe in (value, *(value ^ (1 << bit) for bit in range(width))):
                candidates.update(table.get(probe, ()))
        facts, differing = self.facts, self.differing
        return [(self.times[n], facts[n]) for n in sorted(candidates)
                if (facts[n].fingerprint ^ fingerprint).bit_count() <= differing]


class Ledger:
    """Earlier events, in the order given (the server's: newest first); never changed once made."""

    def __init__(self, facts: Iterable[LedgerEvent] = ()):
        self.facts = tuple(facts)
        # Oldest first, as instants and events; among events at the same moment the one given first
        # ends up last, as the latest. Parallel lists rather than pairs: a pair per event made the
        # garbage collector's passes over a big ledger cost more than the sorting.
        given = self.facts[::-1]
        instants = [instant(f.at) for f in given]
        order = sorted(range(len(given)), key=instants.__getitem__)
        self._times = [instants[n] for n in order]
        self._facts = [given[n] for n in order]
        self._tracks = frozenset(f.track for f in self.facts if f.track)
        self._selections: dict[tuple, Selection] = {}

    def __iter__(self) -> Iterator[LedgerEvent]:
        return iter(self.facts)

    def select(self, types: frozenset[str], kinds: frozenset[str] = frozenset(), claims: frozenset[str] = frozenset(),
               track: str | None = None) -> Selection:
        """The events of these types; if given, of these kinds, making one of these claims, and
        in this track or in none. Made once per ledger and conditions."""
        if track is not None and track not in self._tracks:
            track = ""  # a track no event names selects what every such track does: the events without one
        key = (types, kinds, claims, track)
        found = self._selections.get(key)
        if found is None:
            picked = [n for n, f in enumerate(self._facts)
                      if f.type in types and (not kinds or f.kind in kinds)
                      and (not claims or not claims.isdisjoint(f.claims))
                      and (track is None or not f.track or f.track == track)]
            found = Selection([self._times[n] for n in picked], [self._facts[n] for n in picked])
            self._selections[key] = found
        return found
