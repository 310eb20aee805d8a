"""Exceptions: amber, red and missing only, as an exception report: a block per exception
(the why in full), the table with every column one click away; the positive activities of
the same themes and period; and the Board pack."""

import streamlit as st

from analytics import labels, vocabulary
from analytics.reports.writers import MIME
from ui.components import (
    exception_block,
    how_status_is_decided,
    open_indicator,
    selected_row,
    status_legend,
    status_table,
)
from ui.context import partnership_id, period
from ui.data import board_pack_file, exception_themes, exceptions_view, partnership_name

pid, p = partnership_id(), period()
st.title("Exceptions")
if p is None:
    st.info("No returns loaded yet.")
    st.stop()
st.caption(f"Reporting by exception for {p}: only indicators that are amber, red or missing.")

f1, f2, f3 = st.columns([3, 3, 1])
themes = f1.multiselect("Theme group", exception_themes(pid, p), key="ex_themes")
chosen = f2.multiselect(
    "Status",
    list(vocabulary.EXCEPTION_STATUSES),
    default=list(vocabulary.EXCEPTION_STATUSES),
    format_func=labels.STATUS.get,
    key="ex_status",
)
laa_only = f3.toggle("LAA only", key="ex_laa")
view = exceptions_view(pid, p, chosen, themes, laa_only)
table = view.table

st.markdown(f"**{len(table)} exceptions** of {view.indicators} indicators.")
if table.empty:
    st.success("✔ No exceptions match these filters.")
else:
    # Only the tab in view is built and sent; the other is built when it is opened.
    report, full = st.tabs(["Report", "Full table"], key="ex_tab", on_change="rerun")
    if report.open:
        with report:
            for theme, part in view.by_theme:
                st.header(f"{theme} ({len(part)})", anchor=False)
                for exception in part:
                    exception_block(exception)
    if full.open:
        with full:
            st.caption("Every column of the report; select a row to open the indicator.")
            picked = status_table(
                table, key="ex_table", selectable=True, height=min(80 + 35 * len(table), 700)
            )
            row = selected_row(picked, table)
            if row is not None:
                open_indicator(row["Code"])
    status_legend()

st.subheader("Early warnings: green, but a special cause of concern")
warnings = view.warnings
if warnings.empty:
    st.info("No green indicator shows a special cause of concern.")
else:
    st.caption("On target this period, but statistical process control sees a real change "
               "for the worse: worth a look before it turns amber or red.")  # fmt: skip
    status_table(warnings[["Code", "Indicator", "Status", "Variation", "Is it real?",
                           "SPC reading", "Actual (period)", "Target (period)"]],
                 key="ex_warnings")  # fmt: skip

how_status_is_decided()

st.subheader("Board pack")
st.caption(
    "The same report for the Board: an Excel workbook (a sheet per theme, status "
    "cells filled, filters on), a Word appendix for the committee report, and a "
    "web page with the charts. All indicators of the period, exceptions first."
)
name = partnership_name(pid)
slug = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")
stem = f"board-pack-{slug}-{p.replace('/', '-').replace(' ', '-')}"
formats = (
    ("xlsx", "Excel workbook", MIME["xlsx"]),
    ("docx", "Word appendix", MIME["docx"]),
    ("html", "Web page with charts", MIME["html"]),
)
for col, (fmt, label, mime) in zip(st.columns(3), formats, strict=True):
    col.download_button(
        label,
        data=lambda fmt=fmt: board_pack_file(pid, p, fmt),
        file_name=f"{stem}.{fmt}",
        mime=mime,
        key=f"pack_{fmt}",
        icon=":material/download:",
    )

st.subheader("Positive activities")
if not view.activities:
    st.info("No positive activities reported for this period.")
for theme, part in view.activities:
    with st.expander(f"{theme} ({len(part)})", expanded=True):
        for title, description in part:
            st.markdown(f"- **{title}**: {description or ''}")
