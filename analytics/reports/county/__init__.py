"""The county LAA pack, for one county and quarter.

    pack = county_pack_data(path, county_id, "2010/11 Q4")   # the data, gathered once
    data = render(pack, "docx")                                # or "xlsx", "html": bytes

In the shape of the Board pack: a workbook's sheets (the summary, every indicator with every
column, every district's cell, the reward forecast) and a committee paper's pages (the
county's position, the districts beside it, the reward). ``layout(pack)`` is the pack as a
:class:`analytics.reports.document.Document`; the shared writers turn it into a file.
"""

from __future__ import annotations

from analytics.reports.county.data import CountyPack, county_pack_data
from analytics.reports.county.layout import layout
from analytics.reports.writers import FORMATS, check_format
from analytics.reports.writers import render as _render


def render(pack: CountyPack, fmt: str) -> bytes:
    """The pack in ``fmt`` (xlsx, docx or html)."""
    check_format(fmt)
    return _render(layout(pack), fmt)


__all__ = ["FORMATS", "CountyPack", "county_pack_data", "layout", "render"]
