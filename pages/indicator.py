"""Indicator: metadata, targets and their versions, the full history with status, direction
and commentary, and the returns it came from. Deep link: ?indicator=NI%20191"""

import streamlit as st

from analytics import labels
from analytics.charts import text as chart_text
from analytics.formatting import format_number
from analytics.ingest.spelling import match_code
from ui.components import (
    chart_alternative,
    how_status_is_decided,
    intervals_panel,
    plotly_chart,
    spc_panel,
    status_table,
)
from ui.context import partnership_id
from ui.data import (
    framework_lists,
    indicator_charts,
    indicator_sentence,
    indicator_tables,
    query,
)
from ui.linked import linked_recommendations

pid = partnership_id()
framework = framework_lists(pid)
codes, titles = framework.codes, framework.titles
asked = st.query_params.get("indicator")
wanted = codes[0] if asked is None else match_code(asked, codes)  # ni191 is NI 191
if wanted is None:
    st.error(f"There is no indicator {asked!r} in this framework. Pick one below.")
    wanted = codes[0]
code = st.selectbox(
    "Indicator",
    codes,
    index=codes.index(wanted),
    key="ind_code",
    format_func=lambda c: f"{c}: {titles[c]}",
)
st.query_params["indicator"] = code
data = query("indicator", pid, code)
tables = indicator_tables(pid, code)
meta = data["detail"].iloc[0]

st.title(f"{code}: {meta['title']}")
laa = labels.LAA_STATUS.get(meta["laa_status"], "")
st.caption(
    f"{meta['theme']} · {laa} · {labels.POLARITY[meta['polarity']]} · "
    f"{labels.FREQUENCY[meta['frequency']]} · {labels.MEASURE_TYPE[meta['measure_type']]}"
)

trend, process = indicator_charts(pid, code)
plotly_chart(trend, alt=f"Trend of {code}: actual values against target by period, with "
             "process limits; described below the chart", key="ind_trend")  # fmt: skip
chart_alternative(  # the table made only when it is opened
    indicator_sentence(pid, code),
    lambda: chart_text.trend_table(data["values"], data["comparators"], data["spc"]),
    key="ind_trend_data",
)
if process is not None:
    st.subheader("Each quarter's own increment, with its process limits")
    st.caption(
        f"{code} is counted through each year, so statistical process control reads what "
        "each quarter added (the year to date less the previous quarter's), not the year "
        "to date."
    )
    plotly_chart(process, alt=f"{code}: each quarter's increment with its mean and process "
                 "limits; described in the panel below", key="ind_process")  # fmt: skip
spc_panel(data["history"], meta, data["spc"], data["rebases"], data["spc_settings"])
intervals_panel(tables["intervals"], key="ind_ci_level")

c1, c2 = st.columns(2)
with c1:
    st.subheader("About this indicator")
    baseline = format_number(meta["baseline_value"], meta["unit"], meta["decimals"])
    if isinstance(meta["baseline_period"], str):
        baseline += f" ({meta['baseline_period']})"
    rule = labels.rule_text(
        meta["status_rule"],
        meta["amber_tolerance_pct"],
        meta["amber_tolerance_abs"],
        meta["minimum_standard"],
        meta.get("green_tolerance_pct"),
    )
    facts = {
        "Unit": meta["unit"],
        "Decimal places": int(meta["decimals"]),
        "Lead partner": meta["lead_partner"],
        "Lead officer": meta["lead_officer"],
        "Data source": meta["data_source"],
        "Baseline": baseline,
        "Status rule": rule,
        "National definition": meta["catalogue_title"] or "Local indicator",
    }
    st.table({"": list(facts), "Value": [labels.text_or_dash(v) for v in facts.values()]})
with c2:
    st.subheader("Targets")
    st.dataframe(tables["targets"], hide_index=True)

how_status_is_decided()

st.subheader("History")
status_table(tables["history"], key="ind_history")

st.subheader("Every value loaded, and the returns it came from")
st.dataframe(tables["loads"], hide_index=True)

linked_recommendations(pid, code=code)
