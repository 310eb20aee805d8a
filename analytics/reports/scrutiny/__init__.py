"""The scrutiny pack: the six-monthly review as a committee report.

pack = scrutiny_pack_data(path, partnership_id, half_window("2010/11 H1"))
data = render(pack, "docx")   # or "xlsx", "html"
"""

from __future__ import annotations

from analytics.reports.scrutiny.layout import layout
from analytics.reports.writers import check_format
from analytics.reports.writers import render as _render
from analytics.scrutiny.review import Review


def scrutiny_pack_data(path, partnership_id: int, window, threshold: int = 2) -> Review:
    """The review of ``window``, gathered once (the same figures as the Scrutiny page)."""
    from analytics.warehouse.scrutiny import six_monthly_review

    return six_monthly_review(path, int(partnership_id), window, int(threshold))


def render(review: Review, fmt: str) -> bytes:
    check_format(fmt)
    return _render(layout(review), fmt)


__all__ = ["layout", "render", "scrutiny_pack_data"]
