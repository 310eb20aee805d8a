"""Trends: one or several indicators over time, or a whole theme as small multiples."""

import streamlit as st

from analytics.charts import text as chart_text
from ui.components import chart_alternative, plotly_chart
from ui.context import partnership_id
from ui.data import framework_lists, trend_chart, trend_data
from ui.navigation import link

pid = partnership_id()
framework = framework_lists(pid)
titles = framework.titles
st.title("Trends")
st.caption(
    "Actual values marked by status, the target (profiled through the year for "
    "cumulative measures), the amber band, the baseline, and county and England "
    "figures where we have them. Hover over a point for its commentary, or open the "
    "chart's data as a table under it."
)

mode = st.radio("Show", ["Indicators", "A whole theme group"], horizontal=True, key="tr_mode")
if mode == "Indicators":
    picked = st.multiselect(
        "Indicators",
        framework.codes,
        default=framework.codes[:1],
        format_func=lambda c: f"{c}: {titles[c]}",
        key="tr_codes",
        max_selections=6,
    )
else:
    theme = st.selectbox("Theme group", list(framework.by_theme), key="tr_theme")
    picked = framework.by_theme[theme]

if not picked:
    st.info("Choose at least one indicator.")
    st.stop()
codes = tuple(picked)
small = mode != "Indicators" or len(picked) > 2
columns = st.columns(3 if small else 1)
for i, code in enumerate(picked):
    with columns[i % len(columns)]:
        st.markdown(f"**{code}**: {titles[code]}")
        chart = trend_chart(pid, codes, code, 220 if small else 400)
        if chart is None:
            st.caption("No values yet.")
            continue
        figure, sentence = chart
        plotly_chart(figure, alt=f"Trend of {code}: actual values against target by period; "
                     "described below", key=f"tr_{code}")  # fmt: skip
        chart_alternative(  # the table made only when it is opened
            sentence,
            lambda code=code: chart_text.trend_table(*trend_data(pid, codes, code)),
            key=f"tr_data_{code}",
        )
        st.page_link(
            link("pages/indicator.py"),
            label="Open indicator",
            icon="",
            query_params={"indicator": code},
        )
