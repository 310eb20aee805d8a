"""Shared widgets: status-coloured tables (colour and word together), navigation links."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analytics import labels
from ui.navigation import link

_BY_LABEL = {text: status for status, text in labels.STATUS.items()}
_ACTION_BY_LABEL = {text: status for status, text in labels.ACTION_STATUS.items()}


def _cell_style(text: object) -> str:
    status = _BY_LABEL.get(text)
    if status is None:
        action = _ACTION_BY_LABEL.get(text)
        if action is None:
            return ""
        colour, ink = labels.ACTION_COLOUR[action], labels.ACTION_TEXT_COLOUR[action]
        return f"background-color: {colour}; color: {ink}"
    colour, ink = labels.STATUS_COLOUR[status], labels.STATUS_TEXT_COLOUR[status]
    return f"background-color: {colour}; color: {ink}; font-weight: 600"


# Keyboard focus drawn as a solid ring in the primary colour (8.7:1 on white), on every
# control: Streamlit's page links only tint their background on focus, which is hard to see
# (WCAG 2.4.7). And the day, month and year of a date input, each a control of its own, at
# least 24 px square (WCAG 2.5.8; Streamlit draws them about 16 px wide).
A11Y_CSS = """<style>
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible,
textarea:focus-visible, [role="tab"]:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #1F4E79 !important;
  outline-offset: 2px !important;
}
[data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px;
  text-align: center;
}
</style>"""


def help_link(guide: str, *, sidebar: bool = True) -> None:
    """The link to the user guide's section for a page (``PageSpec.guide``; the guide's address
    is ``ui.docs_site.docs_url``), in the sidebar or where it is called. A real link: Tab
    reaches it; it opens in a new tab, so the page stays as it was."""
    from ui.docs_site import guide_url

    where = st.sidebar if sidebar else st
    where.markdown(f"[:material/help: Help with this page (user guide)]({guide_url(guide)})")


def keyboard_focus_styles() -> None:
    """Visible focus and large enough date fields on every page; drawn with the navigation."""
    st.html(A11Y_CSS)


def status_table(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    height: int | str = "auto",
    selectable: bool = False,
    columns: dict | None = None,
):
    """A dataframe whose status cells are filled with the status colour; the word and symbol
    stay in the cell. With ``selectable`` a row can be picked (returns the selection)."""
    status_cols = [c for c in frame.columns if c in {"Status", "Was", "Now", "Forecast status"}]
    styled = frame.style.map(_cell_style, subset=status_cols) if status_cols else frame
    config = {
        "Commentary": st.column_config.TextColumn(width="large"),
        "Remedial action": st.column_config.TextColumn(width="large"),
        "Why": st.column_config.TextColumn(width="large"),
        "Indicator": st.column_config.TextColumn(width="medium"),
        "Code": st.column_config.TextColumn(pinned=True),
        **(columns or {}),
    }
    if selectable:
        return st.dataframe(
            styled,
            hide_index=True,
            height=height,
            key=key,
            on_select="rerun",
            selection_mode="single-row",
            column_config=config,
        )
    return st.dataframe(styled, hide_index=True, height=height, key=key, column_config=config)


def selected_row(selection, frame: pd.DataFrame) -> pd.Series | None:
    rows = getattr(getattr(selection, "selection", None), "rows", None) or []
    return frame.iloc[rows[0]] if rows else None


def open_indicator(code: str) -> None:
    st.switch_page("pages/indicator.py", query_params={"indicator": code})


def open_theme(theme_id: int) -> None:
    st.switch_page("pages/theme.py", query_params={"theme": str(theme_id)})


def status_summary(
    counts: pd.Series,
    statuses: tuple[str, ...],
    words: dict[str, str] = labels.STATUS,
    badges: dict[str, str] = labels.STATUS_BADGE,
    *,
    wrap: bool = False,
) -> None:
    """One tile per status: a badge (or, with ``wrap``, coloured text) with the word and
    symbol, the count as a heading.

    Made of markdown and headings only, which Streamlit draws from its main script: no
    component is fetched first, so the summary paints with the page's title (st.metric
    would wait for its own script and the sidebar's)."""
    for col, status in zip(st.columns(len(statuses)), statuses, strict=True):
        with col.container(border=True):
            colour, word = badges[status], words[status]
            # a badge stays on one line; long words (the action statuses) go as coloured text
            st.markdown(f"**:{colour}[{word}]**" if wrap else f":{colour}-badge[{word}]")
            st.header(f"{int(counts.get(status, 0)):,}", anchor=False)


def status_legend() -> None:
    st.caption(
        "Status: "
        + " · ".join(labels.STATUS.values())
        + ". Colours are chosen to be told apart with colour-blindness; the word and "
        "symbol always say the same thing."
    )


def how_status_is_decided() -> None:
    """The rules in words, on screen where statuses are shown."""
    from analytics.status import RULES_HELP_MARKDOWN

    with st.expander("How status is decided"):
        st.markdown(RULES_HELP_MARKDOWN)


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#$~|:])")


def md_escape(text: object) -> str:
    """Text shown inside markdown as typed: no emphasis, links, maths, icons or colours."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def chart_alternative(sentence: str, table, *, key: str, more=()) -> None:
    """Under a chart: what it shows, in a sentence, and its data one click away as a table
    (with the commentary the chart only shows on hover). ``more``: a sentence per part of
    the chart (each indicator of a grid), shown with the table. The table is open when
    ``st.session_state[f"{key}_open"]`` is true.

    ``table`` and ``more`` may be given as functions of no arguments that make them: they
    are then called only when the table is open (most views never open it)."""
    st.caption(md_escape(sentence))
    # built and sent only when opened (opening it reruns the page), not with every view
    with st.expander("Chart data as a table", key=f"{key}_open", on_change="rerun") as panel:
        if panel.open:
            for line in more() if callable(more) else more:
                st.markdown(f"- {md_escape(line)}")
            status_table(table() if callable(table) else table, key=key)


def plotly_chart(figure, *, alt: str, key: str) -> None:
    """A chart drawn by plotly (plotly.js's basic bundle, ``ui.plotly_component``): its short
    description as the accessible name, no mode bar (its icon buttons have no names a screen
    reader can read), the figure's own colours, the container's width."""
    from ui.plotly_component import plotly_chart as draw

    draw(figure, alt=alt, key=key)


def spc_summary_text(row) -> str:
    """Variation and assurance as symbol and words: '⇓ Special cause concerning: lower ·
    F Consistently fails the target' ('' without a reading)."""
    from analytics.status.spc_words import spc_assurance_text, spc_variation_text

    parts = (spc_variation_text(row.get("spc_variation")),
             spc_assurance_text(row.get("spc_assurance")))  # fmt: skip
    return " · ".join(p for p in parts if p)


SPC_CHART_KEY = (
    "On the chart the mean is the solid grey line and the process limits the dotted grey "
    "lines (the mean plus and minus 2.66 times the average change from one period to the "
    "next). A point that is a special cause is ringed: a square when it is beyond a limit, a "
    "triangle in a trend, a diamond when two of three points are near a limit, a circle in a "
    "shift; blue when it is an improvement, orange-red when it is a concern. Anything else is "
    "common cause: the normal ups and downs of the process."
)


def spc_panel(history: pd.DataFrame, meta, spc: pd.DataFrame, rebases: pd.DataFrame,
              settings=None) -> None:  # fmt: skip
    """Is the change real? The latest SPC reading in a sentence (with the variation and
    assurance as symbol and words), the settings used, rebases, and the chart's key."""
    st.subheader("Is the change real? Statistical process control", anchor=False)
    read = history[history["spc_reason"].fillna("").astype(str) != ""]
    with st.container(border=True):
        if read.empty:
            st.markdown("No values to analyse yet.")
        else:
            latest = read.iloc[-1]
            st.markdown(
                f"**As at {md_escape(latest['period'])}:** {md_escape(latest['spc_reason'])}"
            )
            summary = spc_summary_text(latest)
            if summary:
                st.markdown(md_escape(summary))
        if len(spc) and bool(spc["spc_trial_limits"].iloc[-1]):
            st.caption(
                f"Trial limits: computed from {int(spc['spc_limit_points'].iloc[-1])} points, "
                "fewer than the 12 that make them reliable; they will move as data arrive."
            )
        if len(spc) and bool(spc["is_increment"].iloc[-1]):
            st.caption("Analysed on each quarter's own increment (what the quarter added), "
                       "not the year to date.")  # fmt: skip
        if settings is not None:
            fixed = (f"limits fixed after {settings.fix_after_points} points"
                     if settings.fix_after_points else "limits from every point")  # fmt: skip
            screened = "outlying moving ranges left out of the limits"
            if not settings.screen_outliers:
                screened = "no screening of moving ranges"
            st.caption(f"Settings: a trend or shift is a run of {settings.run_length} points; "
                       f"{screened}; {fixed}.")  # fmt: skip
        for rec in rebases.itertuples():
            st.caption(md_escape(f"Limits restart at {rec.period}: {rec.reason}"))
        st.caption(SPC_CHART_KEY)


def intervals_panel(tables: dict[str, pd.DataFrame], *, key: str) -> None:
    """Confidence intervals where the returns gave a numerator and a denominator, compared
    with the target, the county and England at the level the reader picks (Fingertips'
    rule: similar when the comparator lies within the interval). ``tables``: the table at
    each level (``present.intervals_tables``); none: no panel."""
    if not tables:
        return
    st.subheader("Confidence intervals", anchor=False)
    level = st.radio("Confidence level", list(tables), horizontal=True, key=key)
    table = tables[level]
    st.dataframe(table, hide_index=True, key=f"{key}_table")
    st.caption(
        "Where a return gives the numerator and denominator, the value is a sample or a "
        "rate and has a margin of error: Wilson's score interval for a proportion, Byar's "
        "method for a rate (exact Poisson limits below 10 events). Better or worse when the "
        "target or comparator lies outside the interval, after polarity; similar when it "
        "lies within it (the Fingertips rule)."
    )


def _figures(row: dict) -> str:
    """Actual against target, direction of travel and how long off target: one small table
    (a heading a figure), one element where four columns of text were nine. Year to date and
    the annual target only where they differ (cumulative measures)."""

    def travel(word: str, against: str) -> str:
        return f"not comparable with {against}" if word == "–" else f"{word} on {against}"

    ytd, annual = row["Year to date"], row["Annual target"]
    periods = int(row["Periods off target"])
    figures = {
        f"Actual, {row['Period']}": [
            row["Actual (period)"],
            *([f"year to date {ytd}"] if ytd not in ("–", row["Actual (period)"]) else []),
        ],
        "Target": [
            row["Target (period)"],
            *([f"annual {annual}"] if annual not in ("–", row["Target (period)"]) else []),
        ],
        "Direction of travel": [
            travel(row["vs last period"], "the last period"),
            travel(row["vs last year"], "the same period last year"),
        ],
        "Off target for": [f"{periods} period{'' if periods == 1 else 's'}"],
    }
    head = " | ".join(md_escape(label) for label in figures)
    cells = " | ".join("; ".join(md_escape(v) for v in values) for values in figures.values())
    return f"| {head} |\n|{'---|' * len(figures)}\n| {cells} |"


def exception_block(row: dict) -> None:
    """One exception as a Board member reads it: code and title, the status and why, actual
    against target, direction, how long off target, then the commentary and remedial action
    in full (wrapped, never cut off), the other facts, and a link to the indicator."""
    status = _BY_LABEL.get(row["Status"], "missing")
    with st.container(border=True):
        laa = f" · {row['LAA']}" if row["LAA"] else ""
        st.subheader(f"{row['Code']}: {row['Indicator']}{laa}", anchor=False)
        st.markdown(
            f":{labels.STATUS_BADGE[status]}-badge[{row['Status']}] {md_escape(row['Why'])}"
        )
        if row.get("Is it real?"):
            signs = " · ".join(t for t in (row.get("Variation"), row.get("Assurance")) if t)
            st.markdown(f"**Is it real?** {md_escape(row['Is it real?'])}  \n{md_escape(signs)}")
            st.caption(md_escape(row.get("SPC reading") or ""))
        st.markdown(_figures(row))
        st.markdown("**Commentary**")
        st.text(row["Commentary"] or "None given.")
        st.markdown("**Remedial action**")
        st.text(row["Remedial action"] or "None given.")
        facts = [
            f"Lead: {row['Lead'] or '–'}",
            f"Baseline: {row['Baseline']}",
            f"County: {row['County']}",
            f"England: {row['England']}",
        ]
        if row["Data quality"]:
            facts.append(f"Data quality: {row['Data quality']}")
        st.caption(md_escape(" · ".join(facts)))
        st.page_link(
            link("pages/indicator.py"),
            label=f"Open {row['Code']}: trend, history and every value loaded",
            icon=":material/query_stats:",
            query_params={"indicator": row["Code"]},
        )


def header_preview(brand: dict) -> str:
    """HTML of the public site's header as the brand makes it: the council's name (escaped)
    in white on the colour, with the logo (already checked: an SVG without script or outside
    reference, or a PNG) as a data address."""
    import base64
    import html

    from analytics.site.theme import DEFAULT_COLOUR

    colour = brand.get("brand_colour") or DEFAULT_COLOUR
    name = html.escape(brand.get("council_name") or "Partnership")
    logo = ""
    if brand.get("logo_bytes") and brand.get("logo_type") in ("svg", "png"):
        media = "image/svg+xml" if brand["logo_type"] == "svg" else "image/png"
        data = base64.b64encode(brand["logo_bytes"]).decode("ascii")
        logo = (
            f'<img src="data:{media};base64,{data}" alt="" '
            'style="height:2.5rem;margin-right:0.75rem;vertical-align:middle">'
        )
    return (
        f'<div style="background:{colour};color:#ffffff;padding:0.75rem 1rem;'
        'font-weight:700;font-size:1.25rem;border-radius:0.25rem">'
        f"{logo}"
        f'<span style="vertical-align:middle">{name}</span></div>'
    )
