"""The framework's indicators as intake looks them up: by code key, worked out once a frame.

A quarter's returns are checked against one framework (an :class:`IntakeContext`'s
``indicators``), and each check asks it the same questions: each indicator's code key, its
theme, unit, measure type, polarity. :func:`known_indicators` answers them from one frame and
keeps the answers for the last few frames it was given, so six files (or a 100,000-row one
checked step by step) work them out once. A framework frame handed to intake is read, never
changed in place (intake makes new frames), which is what makes keeping the answers safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cached_property

import pandas as pd

from analytics.ingest.spelling import code_key

_KEEP = 8  # frames whose answers are kept (each context's, and one with added indicators)
_cache: OrderedDict[int, KnownIndicators] = OrderedDict()
_lock = threading.Lock()


class KnownIndicators:
    """One framework frame's look-ups. ``keys``: each row's code key, in the frame's order."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame  # held, so its id is not reused while the answers are kept
        self.keys: list[str | None] = [code_key(code) for code in frame["code"].tolist()]
        self.key_set = frozenset(self.keys)
        self._maps: dict[tuple, dict] = {}

    def by_key(self, column: str, *, first: bool = False) -> dict:
        """``column``'s value for each code key: the last row's with that key, or the first's
        (``first``); empty when the frame has no such column. Shared: do not change it."""
        found = self._maps.get((column, first))
        if found is None:
            found = {}
            if column in self.frame:
                pairs = zip(self.keys, self.frame[column].tolist(), strict=True)
                if first:
                    for key, value in pairs:
                        found.setdefault(key, value)
                else:
                    found = dict(pairs)
            self._maps[(column, first)] = found
        return found

    @cached_property
    def codes(self) -> dict[str, str]:
        """The framework's spelling of each code key (a blank code is nobody's spelling)."""
        return {k: v for k, v in self.by_key("code").items() if k is not None}


def known_indicators(frame: pd.DataFrame) -> KnownIndicators:
    """The look-ups of ``frame`` (code, and any of title, theme, unit, measure_type, polarity,
    ratio_type, ratio_multiplier, aggregation_rule), kept for the last few frames."""
    with _lock:
        found = _cache.get(id(frame))
        if found is not None and found.frame is frame:
            _cache.move_to_end(id(frame))
            return found
    made = KnownIndicators(frame)
    with _lock:
        _cache[id(frame)] = made
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return made


__all__ = ["KnownIndicators", "known_indicators"]
