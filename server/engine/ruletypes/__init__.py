"""One module per kind of rule, in the spirit of Vale's rule types."""

from .base import Rule, RuleError
from .calendar import CalendarRule
from .directory import DirectoryRule
from .examples import ExamplesRule
from .history import HistoryRule
from .limit import LimitRule
from .pattern import PatternRule
from .salutation import SalutationNameRule

RULE_TYPES: dict[str, type[Rule]] = {
    "pattern": PatternRule,
    "limit": LimitRule,
    "salutation-name": SalutationNameRule,
    "history": HistoryRule,
    "calendar": CalendarRule,
    "directory": DirectoryRule,
    "examples": ExamplesRule,
}

__all__ = ["RULE_TYPES", "Rule", "RuleError"]
