"""Theme group: its indicators, actions and positive activities, and its own trend grid."""

import streamlit as st

from analytics import board, present
from analytics.charts import text as chart_text
from ui.components import (
    chart_alternative,
    open_indicator,
    plotly_chart,
    selected_row,
    status_legend,
    status_summary,
    status_table,
)
from ui.context import partnership_id, period
from ui.data import query, theme_chart
from ui.linked import linked_recommendations
from ui.navigation import link

pid, p = partnership_id(), period()
themes = query("themes", pid)
ids = themes["theme_id"].tolist()
wanted = st.query_params.get("theme")
index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0
theme_id = st.selectbox(
    "Theme group",
    ids,
    index=index,
    key="th_theme",
    format_func=themes.set_index("theme_id")["theme"].get,
)
st.query_params["theme"] = str(theme_id)
row = themes.set_index("theme_id").loc[theme_id]
st.title(row["theme"])
st.caption(f"Chair: {row['chair'] or '–'} · Lead officer: {row['lead_officer'] or '–'}")
if p is None:
    st.info("No returns loaded yet.")
    st.stop()
data = query("theme", pid, p, theme_id)
statuses = data["statuses"]

counts = board.status_counts(statuses).sum()
status_summary(counts, ("red", "amber", "missing", "green"))

st.subheader(f"Indicators, {p}")
table = present.exception_report(statuses.sort_values("code"))
picked = status_table(table.drop(columns=["Theme"]), key="th_table", selectable=True)
status_legend()
chosen = selected_row(picked, table)
if chosen is not None:
    open_indicator(chosen["Code"])

st.subheader("Trends")
st.caption(
    "Actual values marked by status (shape and colour), the target dashed, the amber band "
    "shaded. Hover over a point for its commentary; open an indicator for its full chart "
    "with comparators."
)
plotly_chart(theme_chart(pid, p, theme_id), alt=f"Trends of the {row['theme']} indicators, "
             "one small chart each; described below", key="th_trends")  # fmt: skip
values = data["values"]
chart_alternative(  # the table and the sentences for it made only when it is opened
    chart_text.small_multiples_sentence(values),
    lambda: chart_text.trend_table(values),
    key="th_trend_data",
    more=lambda: chart_text.trend_sentences(values),
)
pick, go = st.columns([3, 1], vertical_alignment="bottom")
code = pick.selectbox("Open an indicator", statuses["code"].tolist(), key="th_open")
go.page_link(
    link("pages/indicator.py"), label=f"Open {code}", icon="", query_params={"indicator": code}
)

st.subheader("Actions")
actions = data["actions"]
if actions.empty:
    st.info("No actions for this theme group.")
else:
    status_table(present.actions_table(actions).drop(columns=["Theme"]), key="th_actions")

st.subheader("Positive activities")
if data["activities"].empty:
    st.info("No positive activities reported for this period.")
for rec in data["activities"].itertuples():
    st.markdown(f"- **{rec.title}**: {rec.description or ''}")

linked_recommendations(pid, theme_id=theme_id)
