"""Framework: themes, indicators with their metadata and targets, and the NI catalogue."""

import streamlit as st

from analytics import labels
from analytics.framework import view
from ui.context import partnership_id
from ui.data import empty_note, query

pid = partnership_id()
indicators = query("framework_indicators", pid)
themes = query("themes", pid)
years = query("target_years", pid)

st.title("Framework")
st.caption(
    "The partnership's theme groups, indicators and targets. Change them with the "
    "framework workbook: `lsp framework template` and `lsp framework import`."
)
cols = st.columns(5)
cols[0].metric("Theme groups", len(themes))
cols[1].metric("Indicators", len(indicators))
cols[2].metric("LAA indicators", int(indicators["is_laa"].sum()))
cols[3].metric("Local indicators", int((~indicators["is_national"]).sum()))
cols[4].metric("Actions", int(themes["actions"].sum()))

tab_ind, tab_themes, tab_targets, tab_cat = st.tabs(
    ["Indicators", "Theme groups", "Target versions", "National Indicator catalogue"]
)

with tab_ind:
    f1, f2, f3, f4 = st.columns([3, 3, 2, 2])
    search = f1.text_input("Search code, title or lead", key="fw_search")
    chosen = f2.multiselect("Theme", themes["theme"].tolist(), key="fw_themes")
    frequencies = f3.multiselect(
        "Frequency", list(labels.FREQUENCY), format_func=labels.FREQUENCY.get, key="fw_freq"
    )
    national = f4.radio(
        "Indicators", ["all", "national", "local"], horizontal=True, key="fw_national"
    )
    laa_only = st.toggle("LAA indicators only", key="fw_laa")
    shown = view.filter_indicators(indicators, search, chosen, laa_only, frequencies, national)
    st.caption(f"{len(shown)} of {len(indicators)} indicators")
    if not empty_note(shown, "indicators match these filters"):
        st.dataframe(
            view.indicator_table(shown, years),
            hide_index=True,
            height=min(38 + 35 * len(shown), 640),
            column_config={"Title": st.column_config.TextColumn(width="large")},
        )

with tab_themes:
    st.dataframe(
        themes.drop(columns="theme_id").rename(
            columns={
                "theme": "Theme group",
                "short_name": "Short name",
                "chair": "Chair",
                "lead_officer": "Lead officer",
                "indicators": "Indicators",
                "laa_indicators": "LAA indicators",
                "actions": "Actions",
            }
        ),
        hide_index=True,
    )

with tab_targets:
    versions = query("target_versions", pid)
    code = st.selectbox(
        "Indicator", ["All indicators", *indicators["code"].tolist()], key="fw_target_code"
    )
    if code != "All indicators":
        versions = versions[versions["code"] == code]
    st.caption(
        "Every version of every target is kept. The latest version set on or before a "
        "date is the one in force then."
    )
    if not empty_note(versions, "targets"):
        st.dataframe(versions, hide_index=True)

with tab_cat:
    catalogue = query("catalogue", pid)
    c1, c2, c3 = st.columns([4, 3, 2])
    cat_search = c1.text_input("Search the National Indicator Set", key="cat_search")
    adopted = c2.radio(
        "Show", ["all", "adopted", "not adopted"], horizontal=True, key="cat_adopted"
    )
    final_only = c3.toggle("Final set only", value=True, key="cat_final")
    shown_cat = view.filter_catalogue(catalogue, cat_search, adopted, final_only)
    st.caption(
        f"{len(shown_cat)} indicators. NI 31 was withdrawn before the set came into "
        "force and NI 199 added, which is why the final set has 198."
    )
    st.dataframe(
        shown_cat.assign(polarity=shown_cat["polarity"].map(labels.POLARITY)), hide_index=True
    )
