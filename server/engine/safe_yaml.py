"""The YAML loader for rules and for anything an administrator types: safe, and without aliases.

An alias (`*name`) repeats the node its anchor (`&name`) names without copying it, so a
document under a kilobyte can stand for a billion strings ("billion laughs"): whatever
then walks, compares or prints it runs for hours. Rules never need one, so an anchor or
an alias is refused where it stands, with its line, like any other YAML error.
"""

from __future__ import annotations

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver


class _NoAliases(Composer):
    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, "anchors and aliases (&name, *name) are not allowed; "
                                            "write the value out where it is used", event.start_mark)
        return super().compose_node(parent, index)


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    class SafeLoader(_NoAliases, yaml.SafeLoader):
        pass
else:
    class SafeLoader(_NoAliases, CParser, SafeConstructor, Resolver):
        """libyaml's parser (several times faster than PyYAML's own) under Python's composer, which
        sees every anchor and alias; the C composer would resolve them before anything could look."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def load(text: str):
    """The one document of `text`; yaml.YAMLError when it is not valid or holds an anchor or alias."""
    return yaml.load(text, Loader=SafeLoader)


def load_all(text: str):
    return yaml.load_all(text, Loader=SafeLoader)
