"""The rule engine: pure Python, no Flask, no database. Text in, warnings out.

Read in this order: text (what the applicant wrote; normalise and lookalikes undo
what disguises it), vocabulary, inflection and matcher (the pattern language, plain
phrases and word lists), prefilter and reading (each sentence read once by all matchers,
and cached), features, embedding, sentence and likeness (what a sentence does and means,
for rules that learn from examples), ruletypes (what a rule can say), classify (kind and
claims), directory and calendar (the school's data), ledger (the applicant's history),
loader (YAML to rules), check (a draft against the rules), examples (rules against their
own examples).
"""

from .calendar import Calendar, CalendarError
from .check import Budget, Result, check
from .directory import Directory, DirectoryError
from .ledger import Ledger
from .loader import LoadError, RuleSet, build_ruleset, digest, load_ruleset, parse_pack, read_sources
from .model import Context, Draft, Facts, LedgerEvent, Program, Recipient, Warning

__all__ = [
    "Budget", "Calendar", "CalendarError", "Context", "Directory", "DirectoryError", "Draft", "Facts",
    "Ledger", "LedgerEvent", "LoadError", "Program", "Recipient", "Result", "RuleSet", "Warning", "build_ruleset",
    "check", "digest", "load_ruleset", "parse_pack", "read_sources",
]
