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


def plotly_charts(at) -> list[dict]:
    """The charts drawn (``ui.components.plotly_chart``: a component of ours), each as the
    data its script is given: ``figure`` (plotly's figure, data and layout), ``alt`` (the
    accessible name), ``config`` and ``bundle`` (the plotly.js it loads)."""
    import json

    from ui.plotly_component import COMPONENT

    charts = []
    for element in at.get("bidi_component"):
        if element.proto.component_name == COMPONENT:
            data = json.loads(element.proto.json)
            charts.append({**data, "figure": json.loads(data["figure"])})
    return charts
