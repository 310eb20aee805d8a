"""The Returns page's submission tracker: each theme group's return for a quarter against its
due date, the partnership's completeness and timeliness quarter by quarter (a table and a
chart), and every reminder e-mail recorded."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import periods
from analytics.charts.collection import collection_rates, rates_sentence
from analytics.collection import calendar
from analytics.ingest import view
from ui.data import empty_note, query

KINDS = {
    "opening": "window opens (template attached)",
    "reminder": "reminder",
    "due": "due today",
    "overdue": "escalation: overdue",
    "sent_back": "sent back",
}
STATES = {"sent": "✔ sent", "sending": "? sending (not known if it went)", "failed": "✖ failed"}


def _default(in_view: str | None, collecting: str) -> str:
    """The quarter being collected when it is the one after the Board's latest (or there is
    none yet), else the period in view."""
    if in_view is None:
        return collecting
    ahead = periods.sort_key(collecting)
    if periods.sort_key(in_view) <= ahead <= periods.sort_key(periods.shift(in_view, 1)):
        return collecting
    return in_view


def tracker_tab(pid: int, in_view: str | None) -> None:
    today = calendar.today()
    default = _default(in_view, calendar.collection_quarter(today))
    options = sorted({periods.shift(default, k) for k in range(1, -9, -1)},
                     key=periods.sort_key, reverse=True)  # fmt: skip
    tracked = st.selectbox("Quarter", options, index=options.index(default), key="trk_quarter")
    tracker = query("submission_tracker", pid, tracked, None, today)
    expected = int(tracker["expected"].sum()) if not tracker.empty else 0
    returned = int(tracker.loc[tracker["expected"], "returned"].sum()) if expected else 0
    on_time = int((tracker["submission"] == "on time").sum()) if expected else 0
    c1, c2, c3 = st.columns(3)
    c1.metric("Theme groups returned", f"{returned} of {expected}")
    c2.metric("Completeness", f"{100 * returned / expected:.0f}%" if expected else "–")
    c3.metric("Timeliness (by the due date)", f"{100 * on_time / expected:.0f}%" if expected
              else "–")  # fmt: skip
    st.caption(
        f"Due dates: working days after the quarter ends (bank holidays of England and Wales "
        f"excluded), set on the Sign-off page. As at {today:%-d %B %Y}."
    )
    st.dataframe(view.tracker_table(tracker), hide_index=True, key="trk_table")

    st.subheader("Completeness and timeliness by quarter")
    shown = [periods.shift(tracked, -k) for k in range(7, -1, -1)]
    rates = query("collection_rates", pid, tuple(shown), today)
    st.vega_lite_chart(collection_rates(rates), key="trk_chart")
    st.caption(rates_sentence(rates))
    with st.expander("Chart data as a table"):
        st.dataframe(
            pd.DataFrame({
                "Quarter": rates["period"], "Expected": rates["expected"],
                "Received": rates["received"], "On time": rates["on_time"],
                "Completeness %": rates["completeness_pct"].round(0),
                "Timeliness %": rates["timeliness_pct"].round(0),
            }), hide_index=True, key="trk_rates",
        )  # fmt: skip

    st.subheader("Reminder e-mails")
    log = query("reminder_log", pid, tracked)
    if not empty_note(log, f"reminders sent for {tracked} (`lsp reminders send` sends them)"):
        st.dataframe(
            pd.DataFrame({
                "For the day": log["run_on"], "What": log["kind"].map(KINDS),
                "Theme group": log["theme"], "To": log["recipients"], "Copied to": log["copied"],
                "State": log["state"].map(STATES),
                "Sent at": log["sent_at"].fillna(log["created_at"]), "Error": log["error"],
            }), hide_index=True, key="trk_reminders",
        )  # fmt: skip
