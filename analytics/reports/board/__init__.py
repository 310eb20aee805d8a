"""The Board pack, for one partnership and quarter.

    pack = board_pack_data(path, partnership_id, "2010/11 Q4")   # the data, gathered once
    data = render(pack, "docx")                                   # or "xlsx", "html": bytes

``layout(pack)`` is the pack as a :class:`analytics.reports.document.Document`; the shared
writers (:mod:`analytics.reports.writers`) turn it into a file.
"""

from __future__ import annotations

from analytics.reports.board.data import BoardPack, board_pack_data, worst_first
from analytics.reports.board.layout import INDICATOR_HEADERS, layout
from analytics.reports.writers import FORMATS, MIME, check_format
from analytics.reports.writers import render as _render


def render(pack: BoardPack, fmt: str) -> bytes:
    """The pack in ``fmt`` (xlsx, docx or html)."""
    check_format(fmt)
    return _render(layout(pack), fmt)


def to_xlsx(pack: BoardPack) -> bytes:
    return render(pack, "xlsx")


def to_docx(pack: BoardPack) -> bytes:
    return render(pack, "docx")


def to_html(pack: BoardPack) -> bytes:
    return render(pack, "html")


__all__ = [
    "FORMATS",
    "INDICATOR_HEADERS",
    "MIME",
    "BoardPack",
    "board_pack_data",
    "layout",
    "render",
    "to_docx",
    "to_html",
    "to_xlsx",
    "worst_first",
]
