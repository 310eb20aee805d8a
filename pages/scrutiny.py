"""Six-monthly review: the half-year picture, movers, persistent exceptions with their
remedial-action history, forecasts, actions, red flags, missing returns, the tracker in
brief, and the scrutiny pack. Deep link: ?half=2010/11%20H1"""

from datetime import date

import pandas as pd
import streamlit as st

from analytics.access import may
from analytics.reports.writers import MIME
from analytics.scrutiny.review import half_of, half_window, since_window
from ui.auth import current_user
from ui.context import partnership_id
from ui.data import changes_file, query, scrutiny_pack_file, scrutiny_review, scrutiny_run
from ui.navigation import link
from ui.scrutiny import red_flag_controls, review_date_controls, show

pid, user = partnership_id(), current_user()
st.title("Six-monthly review")
if not may(user, "scrutiny.read", pid):
    st.warning("The scrutiny pages are for the committee, officers and the Board. Sign in.")
    st.stop()
quarters = query("periods_with_data", pid)
if not quarters:
    st.info("No returns loaded yet.")
    st.stop()
halves = list(dict.fromkeys(half_of(q) for q in quarters))
meetings = [pd.Timestamp(d).date() for d in query("review_dates", pid)["meeting_date"]]
c1, c2, c3 = st.columns([2, 2, 1])
kind = c1.radio("Review", ["A half-year", "Since a review meeting"], key="sc_kind", horizontal=True)
if kind == "A half-year" or not meetings:
    wanted = st.query_params.get("half")
    half = c2.selectbox(
        "Half-year",
        halves,
        key="sc_half",
        index=halves.index(wanted) if wanted in halves else 0,
        help="H1 = Q1 and Q2 (April to September), H2 = Q3 and Q4.",
    )
    st.query_params["half"] = half
    window = half_window(half)
else:
    since = c2.selectbox(
        "Since the review of",
        sorted(meetings, reverse=True),
        key="sc_since",
        format_func=lambda d: f"{d:%-d %b %Y}",
    )
    window = since_window(since, quarters[0])
threshold = c3.number_input("Persistent after (quarters)", 1, 12, 2, key="sc_threshold")
if window.is_empty:
    st.info(f"No quarter's figures have come in {window.label}.")
    st.stop()
facts, tables = scrutiny_review(pid, window, int(threshold))
seen = (
    f"the committee meeting of {facts['meeting']:%-d %b %Y}"
    if facts["meeting"]
    else "no meeting yet"
)
st.caption(
    f"{facts['title']}: {', '.join(window.quarters)}, for {seen}. Positions compared: "
    + "; ".join(facts["snapshot_labels"])
    + "."
)


def _count(n: int, one: str, many: str) -> str:
    return f"**{n}** {one if n == 1 else many}"


st.markdown(
    f"**{facts['red']} red** of {facts['indicators']} indicators · **{facts['moved']} moved** · "
    + " · ".join(
        [
            _count(facts["persistent"], "persistent exception", "persistent exceptions"),
            _count(facts["forecast_misses"], "forecast to miss", "forecast to miss"),
            _count(facts["red_flags"], "red flag", "red flags"),
            _count(facts["overdue"], "response overdue", "responses overdue"),
        ]
    )
)
show(
    "The half-year picture",
    tables["picture"],
    "The counts at the end of the review, at its start, and a year earlier, per theme group.",
    key="sc_picture",
)
show("Movers", tables["movers"], "No indicator changed status.", key="sc_movers")
st.subheader(f"Persistent exceptions: red or amber for {threshold} quarters or more")
st.dataframe(tables["persistent"], hide_index=True, key="sc_persist")
if titles := facts["persistent_titles"]:
    code = st.selectbox("Quarter by quarter: commentary and remedial action for",
                        list(titles), format_func=lambda c: f"{c}: {titles[c]}",
                        key="sc_run")  # fmt: skip
    run = scrutiny_run(pid, window, int(threshold), code)
    st.dataframe(run, hide_index=True, key="sc_run_t")
show(
    "Forecast to miss the year-end target",
    tables["forecast"],
    "Every forecast meets its target.",
    key="sc_forecast",
)
show(
    f"Milestones overdue at {window.end:%-d %b %Y}",
    tables["late"],
    "No milestone is overdue.",
    key="sc_late",
)
show(
    "Milestones reprogrammed in the period",
    tables["moved"],
    "None was reprogrammed.",
    key="sc_moved",
)
show("Red flags", tables["flags"], "No red flag.", key="sc_flags")
red_flag_controls(pid, user)
show("Missing returns", tables["missing"], "Every return came in.", key="sc_missing")
st.subheader(f"Recommendations (as at {facts['tracker_as_of']:%-d %b %Y})")
st.markdown(
    f"{facts['received']} responses received since the last review · "
    f"{facts['overdue']} overdue · {facts['implemented']} implemented since the "
    f"last review · {facts['for_closure']} proposed for closure · {facts['open']} open."
)
st.page_link(link("pages/recommendations.py"), label="Open the recommendation tracker", icon="")
review_date_controls(pid, user, meetings)

st.subheader("Downloads")
st.caption(
    "The committee report (summary, what the committee is asked to note and "
    "recommend, and every table above), and the Leader's update to full Council."
)
name = f"scrutiny-{window.label.replace('/', '-').replace(' ', '-')}"
formats = (("docx", "Word committee report"), ("xlsx", "Excel workbook"), ("html", "Web page"))
for col, (fmt, label) in zip(st.columns(3), formats, strict=True):
    col.download_button(
        label,
        data=lambda fmt=fmt: scrutiny_pack_file(pid, window, int(threshold), fmt),
        file_name=f"{name}.{fmt}",
        mime=MIME[fmt],
        key=f"sc_pack_{fmt}",
        icon=":material/download:",
    )
since = st.date_input(
    "Changes since", meetings[-1] if meetings else date.today(), key="sc_ch", format="DD/MM/YYYY"
)
for col, fmt in zip(st.columns(2), ("docx", "html"), strict=True):
    col.download_button(
        f"Leader's update ({fmt})",
        data=lambda fmt=fmt: changes_file(pid, since, fmt),
        file_name=f"changes-since-{since}.{fmt}",
        mime=MIME[fmt],
        key=f"sc_changes_{fmt}",
        icon=":material/download:",
    )
