"""The County LAA page's table: the county view as one HTML table, from a jinja2 template
(autoescaped), every district cell a link to that district's Indicator page, every status a
word and a symbol on its colour (never colour alone)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
import pandas as pd
import streamlit as st

from analytics import labels
from analytics.county.present import Row

TEMPLATES = Path(__file__).resolve().parent / "templates"

STYLE = """<style>
.county-view { overflow-x: auto; }
.county-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.county-table caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
.county-table th, .county-table td { border: 1px solid #BFBFBF; padding: 0.35rem 0.45rem;
  vertical-align: top; text-align: left; }
.county-table thead th { background: #1F4E79; color: #FFFFFF; }
.county-table tbody th { font-weight: normal; min-width: 13rem; }
.county-table .cv-note { color: #404040; font-size: 0.85em; }
.county-table thead .cv-note { color: #FFFFFF; }
.county-table .cv-status { display: inline-block; padding: 0 0.35rem; border-radius: 0.25rem;
  font-weight: 600; }
.county-table a { color: #1F4E79; font-weight: 600; text-decoration: underline; }
</style>"""


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
        lstrip_blocks=True,
    )  # fmt: skip
    return env.get_template("county_table.html")


def county_table_html(rows: list[Row], districts: list[dict], county_name: str,
                      caption: str) -> str:  # fmt: skip
    """The table's HTML (``districts``: name and an optional note, in column order)."""
    return _template().render(
        rows=rows, districts=districts, county_name=county_name, caption=caption,
        fills=labels.STATUS_COLOUR, inks=labels.STATUS_TEXT_COLOUR,
    )  # fmt: skip


def county_table(rows: list[Row], districts: list[dict], county_name: str, caption: str) -> None:
    st.markdown(
        STYLE + county_table_html(rows, districts, county_name, caption), unsafe_allow_html=True
    )


def reward_section(reward) -> None:
    """The reward grant forecast: what is at stake and forecast, each target's share of its
    stretch and what it would take to reach the threshold, the government's adjustments in
    words, and the partners' allocations."""
    from analytics.county.reward import money
    from analytics.formatting import format_number

    st.subheader("Performance Reward Grant forecast")
    st.markdown(reward.summary)
    for words in reward.adjustment_words:
        st.warning(words, icon=":material/gavel:")
    targets = reward.targets
    if targets.empty:
        return

    def pct(value) -> str:
        return "–" if value is None or value != value else f"{100 * max(value, 0):.0f}%"

    def figures(column: str) -> list[str]:
        return [
            format_number(v, u if u in ("%", "£") else "", d)
            for v, u, d in zip(targets[column], targets["unit"], targets["decimals"], strict=True)
        ]

    table = {
        "Code": targets["code"],
        "W → S": [f"{w} → {s}" for w, s in zip(figures("without_stretch"),
                                               figures("stretch_target"), strict=True)],
        "Forecast outturn": figures("forecast_value"),
        "Share of the stretch": targets["achieved"].map(pct),
        "Grant paid": targets["paid"].map(pct),
        "At stake": targets["pot"].map(lambda v: money(None if v != v else v)),
        "Forecast grant": targets["grant_forecast"].map(
            lambda v: money(None if v is None or v != v else v)),
        "What it would take": targets["to_threshold"],
    }  # fmt: skip
    st.caption("W: the level expected without the stretch; S: the stretch target. "
               + "; ".join(f"{c}: {t}" for c, t in zip(targets["code"], targets["title"],
                                                        strict=True)) + ".")  # fmt: skip
    st.table(pd.DataFrame(table).set_index("Code"))  # wraps: every sentence in view
    shared = reward.allocations
    if len(shared):
        st.caption("Each target's grant shared between the partners responsible:")
        st.dataframe(
            {
                "Code": shared["code"],
                "Partner": shared["partner"],
                "Share": shared["share_pct"].map(lambda v: f"{v:g}%"),
                "Forecast grant": shared["grant_forecast"].map(
                    lambda v: money(None if v is None or v != v else v)),
            },
            hide_index=True,
            key="reward_allocations",
        )  # fmt: skip
