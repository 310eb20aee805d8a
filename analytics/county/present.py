"""The county view in words and figures, as the page and the pack show it (pure).

:func:`view_rows` turns a :class:`~analytics.county.view.CountyView` into plain rows: each
figure in its unit and decimals, each status as its word and symbol (never colour alone),
each direction as its word and arrow, the marks a cell carries (missing return, not collected,
the county's figure, a published figure only) and the link to the district's Indicator page.
:func:`filtered` and :func:`sorted_rows` are the page's filters and orders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from analytics import labels
from analytics.county.view import CountyView
from analytics.formatting import format_number, format_value
from analytics.vocabulary import (
    AGGREGATION_RULE_BY_CODE,
    LAA_STATUS_TABLE,
    STATUS_BY_CODE,
    STATUS_ORDER,
)

SORTS = {
    "theme": "Theme, then code",
    "status": "County status, worst first",
    "gap": "Largest gap first",
    "code": "Indicator code",
}
MARKS = {
    "missing": "? Return missing",
    "not_collected": "– Not collected by this district",
    "county": "County figure (measured at county level)",
    "published": "Published figure only",
    "not_published": "Not published yet",
    "derived": "Events worked out from the rate and the population",
}
_FLAG = {s.code: s.flag for s in LAA_STATUS_TABLE}
SOURCES = {"computed": "computed from the districts", "reported": "as reported by the county"}


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def indicator_link(code: str, district_code: str) -> str:
    """The district's Indicator page for ``code`` (relative to the app)."""
    return "indicator?" + urlencode({"indicator": code, "partnership": district_code})


@dataclass
class Cell:
    district_code: str
    district_name: str
    value: str  # the figure, in its unit ('–' when none)
    link: str | None  # the district's Indicator page (None: nothing to open)
    contribution: str  # 'contribution 43.7%' / 'county target 41.8%' / ''
    status: str | None  # a status code (the page colours it; the word goes with it)
    status_label: str
    direction: str  # '▲ Improving' ('' when none)
    marks: list[str] = field(default_factory=list)
    gap: str = ""  # 'holds 33% of the gap'


@dataclass
class Row:
    code: str
    title: str
    theme: str
    flag: str  # 'LAA', 'LAA reward', 'LAA statutory'
    unit: str  # 'Unit: rate per 1,000 population' ('' when the figures carry it)
    rule: str  # the aggregation rule's label
    rule_sentence: str
    period: str
    county_value: str
    county_source: str  # 'computed from the districts' / 'as reported by the county'
    reported: str  # 'reported 43.0% (0.2 percentage points above)' or ''
    target: str
    status: str | None
    status_label: str
    direction: str
    contributions: str  # 'add up to 41.8%: they meet the county target' ...
    gap: str
    cells: list[Cell]
    sort_status: int = 0
    sort_gap: float = 0.0


def _num(value, unit, decimals) -> str:
    """A figure for a cell: only ``%`` and ``£`` are written with it (the row says the
    indicator's unit once: :attr:`Row.unit`)."""
    unit = str(unit or "").strip()
    shown = unit if unit in ("%", "£") else ""
    return format_number(None if _blank(value) else float(value), shown, int(decimals))


def unit_words(unit) -> str:
    """'Unit: rate per 1,000 population', or '' when the figures carry their unit."""
    unit = str(unit or "").strip()
    if unit in ("%", "£") or unit.lower() in ("", "number", "count"):
        return ""
    return f"Unit: {unit}"


def _status(code) -> tuple[str | None, str]:
    if _blank(code) or code not in STATUS_BY_CODE:
        return None, ""
    return str(code), labels.STATUS[str(code)]


def _direction(code) -> str:
    return "" if _blank(code) else labels.DIRECTION.get(str(code), "")


def _reported(r: dict) -> str:
    said, computed = r["county_reported_value"], r["county_computed_value"]
    if _blank(said) or _blank(computed):
        return ""
    unit, decimals = r["unit"], int(r["decimals"])
    text = f"reported {_num(said, unit, decimals)}"
    difference = float(said) - float(computed)
    if abs(difference) < 0.5 * 10**-decimals:
        return f"{text}: the same"
    side = "above" if difference > 0 else "below"
    shown = unit if str(unit or "").strip() in ("%", "£") else ""
    gap = format_value(abs(difference), decimals, shown, gap=True)
    return f"{text}: {gap} {side}"


def _contributions(r: dict) -> str:
    if r["aggregation_rule"] in (None, "county_only") or _blank(r["aggregation_rule"]):
        return ""
    total = r.get("contributions_total")
    if _blank(total):
        return "No contribution targets (or not for every district)."
    unit, decimals = r["unit"], int(r["decimals"])
    said = f"The districts' contributions come to {_num(total, unit, decimals)}"
    adds_up = r.get("contributions_add_up")
    if _blank(adds_up):
        return said + "."
    if bool(adds_up):
        return said + ": they add up to the county target."
    short = format_value(float(r["contributions_short_by"]), decimals, unit, gap=True)
    return said + f": {short} short of the county target."


def view_rows(view: CountyView) -> list[Row]:
    """Every indicator of the view as a :class:`Row`, in the view's order."""
    cells = view.cells
    by_code = {code: part for code, part in cells.groupby("code", sort=False)} if len(
        cells) else {}  # fmt: skip
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    out = []
    for r in view.rows.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"])
        rule = AGGREGATION_RULE_BY_CODE.get(r["aggregation_rule"])
        status, label = _status(r["county_status"])
        source = SOURCES.get(r["county_figure_source"], "")
        part = by_code.get(r["code"], pd.DataFrame())
        row_cells = [_cell(c, r, unit, decimals) for c in part.to_dict("records")]
        out.append(
            Row(
                code=r["code"], title=r["title"], theme=r["theme"],
                flag=_FLAG.get(r["laa_status"], ""), unit=unit_words(unit),
                rule=rule.label if rule else "Not made from districts",
                rule_sentence=rule.sentence if rule else "",
                period=r["period"], county_value=_num(r["county_figure"], unit, decimals),
                county_source=source, reported=_reported(r),
                target=_num(r["county_target"], unit, decimals), status=status,
                status_label=label or "– No target",
                direction=_direction(r.get("dot_previous")),
                contributions=_contributions(r), gap=r.get("gap_words") or "",
                cells=row_cells, sort_status=order.get(status, len(order)),
                sort_gap=0.0 if _blank(r.get("largest_gap_share")) else float(
                    r["largest_gap_share"]),
            )
        )  # fmt: skip
    return out


def cell_marks(c: dict) -> list[str]:
    """The marks of a district's cell in words (the page's and the pack's alike)."""
    marks = []
    if c.get("shows_county_figure"):
        marks.append(MARKS["county"])
    if c.get("not_collected"):
        marks.append(MARKS["not_collected"])
    if c.get("missing"):
        marks.append(MARKS["missing"])
    if c.get("published_only"):
        marks.append(MARKS["published"] if not _blank(c.get("actual_value")) else
                     MARKS["not_published"])  # fmt: skip
    if c.get("derived") is True:
        marks.append(MARKS["derived"])
    return marks


def _cell(c: dict, r: dict, unit, decimals: int) -> Cell:
    marks = cell_marks(c)
    status, label = _status(c.get("status"))
    against = c.get("status_against") or ""
    target = c.get("contribution_target")
    if not _blank(target):
        contribution = f"contribution {_num(target, unit, decimals)}"
    elif against == "county target" and not _blank(r.get("county_target")):
        contribution = f"against the county target {_num(r['county_target'], unit, decimals)}"
    else:
        contribution = ""
    share = c.get("gap_share")
    gap = ""
    if not _blank(share) and float(share) > 0:
        gap = f"{100 * float(share):.0f}% of the districts' gap"
    collected = not (c.get("not_collected") or c.get("shows_county_figure")
                     or c.get("published_only"))  # fmt: skip
    return Cell(
        district_code=c["district_code"],
        district_name=c.get("district_name") or c["district_code"],
        value=_num(c.get("actual_value"), unit, decimals),
        link=indicator_link(r["code"], c["district_code"]) if collected else None,
        contribution=contribution,
        status=status,
        status_label=label,
        direction=_direction(c.get("dot_previous")),
        marks=marks,
        gap=gap,
    )


def filtered(rows: list[Row], themes: list[str], statuses: list[str]) -> list[Row]:
    """The rows of the chosen themes (none chosen: all) whose county status is one of the
    chosen (none chosen: all; 'no_target' covers rows with none)."""
    out = [r for r in rows if not themes or r.theme in themes]
    if statuses:
        out = [r for r in out if (r.status or "no_target") in statuses]
    return out


def sorted_rows(rows: list[Row], by: str) -> list[Row]:
    if by == "status":
        return sorted(rows, key=lambda r: (r.sort_status, r.code))
    if by == "gap":
        return sorted(rows, key=lambda r: (-r.sort_gap, r.code))
    if by == "code":
        return sorted(rows, key=lambda r: r.code)
    return list(rows)  # the view's own order: theme, then code


def summary_counts(rows: list[Row]) -> dict[str, int]:
    """County statuses counted, worst first."""
    counts: dict[str, int] = {}
    for r in rows:
        key = r.status or "no_target"
        counts[key] = counts.get(key, 0) + 1
    return {s: counts[s] for s in STATUS_ORDER if counts.get(s)}
