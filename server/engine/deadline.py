"""A time limit shared by the many searches of one step.

The regex package's timeout is per call: a step that searches a sentence with several
patterns, or a text sentence by sentence, would give each call the whole limit and
take that many times as long. A Deadline gives each call what is left.
"""

from __future__ import annotations

import time


class Deadline:
    def __init__(self, seconds: float | None):
        self._at = None if seconds is None else time.perf_counter() + seconds

    def left(self) -> float | None:
        """The seconds left, None for no limit; TimeoutError once none are left."""
        if self._at is None:
            return None
        left = self._at - time.perf_counter()
        if left <= 0:
            raise TimeoutError("out of time")
        return left
