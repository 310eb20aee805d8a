"""Reading what a page drew, for the AppTests."""

from __future__ import annotations

import re

_BADGE = re.compile(r"^(?:\*\*)?:(\w+)(?:-badge)?\[(.+)\](?:\*\*)?$")


def status_summary(at) -> dict[str, int]:
    """The status tiles (``ui.components.status_summary``): badge word -> the count under it."""
    words = [m.group(2) for m in (_BADGE.match(md.value) for md in at.markdown) if m]
    counts = [int(h.value.replace(",", "")) for h in at.header]
    assert len(words) == len(counts), (words, counts)
    return dict(zip(words, counts, strict=True))
