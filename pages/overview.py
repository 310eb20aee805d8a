"""Overview: the period's status counts per theme, what changed since the last Board,
missing returns and overdue actions."""

import streamlit as st

from analytics import labels
from analytics.status.spc_words import SPC_ASSURANCES, SPC_VARIATIONS
from ui.components import (
    open_indicator,
    open_theme,
    plotly_chart,
    selected_row,
    status_legend,
    status_summary,
    status_table,
)
from ui.context import partnership_id, period
from ui.data import overview, overview_chart
from ui.navigation import link

pid, p = partnership_id(), period()
st.title("Overview")
if p is None:
    st.info("No returns loaded yet: load the theme groups' returns on the Returns page.")
    st.stop()
data = overview(pid, p)
when = f" · for the Board of {data.board_date:%d %B %Y}" if data.board_date else ""
st.caption(
    f"Status as at the end of {p}{when}. Quarterly indicators are judged on the "
    "quarter, annual ones on their latest year-end outturn."
)

total = data.counts.sum()
status_summary(total, ("red", "amber", "missing", "green", "no_target"))

left, right = st.columns([3, 2])
with left:
    st.subheader("Status by theme group")
    plotly_chart(overview_chart(pid, p),
                 alt="Status counts per theme group as stacked bars; described below",
                 key="overview_bars")  # fmt: skip
    status_legend()
    st.caption(data.bars_sentence)
    st.caption("The same counts, by theme group, are in the table below.")
with right:
    st.subheader("LAA indicators")
    if data.laa_counts.empty:
        st.info("No LAA indicators in this framework.")
    else:
        laa_total = data.laa_counts.sum()
        st.markdown(
            "  \n".join(
                f"**{labels.STATUS[s]}**: {int(laa_total.get(s, 0))}"
                for s in ("red", "amber", "missing", "green")
                if laa_total.get(s, 0)
            )
        )
    st.subheader("Returns")
    if not data.missing_returns:
        st.success("✔ Every theme group has returned for this quarter.")
    else:
        for theme in data.missing_returns:
            st.warning(f"? No return yet from **{theme}**")
    st.subheader("Actions")
    st.markdown(
        f"**{labels.ACTION_STATUS['red']}**: {data.overdue_red} milestones  \n"
        f"**{labels.ACTION_STATUS['amber']}**: {data.overdue_amber} milestones"
    )
    st.page_link(
        link("pages/actions.py"), label="Open the action plan", icon=":material/checklist:"
    )

st.subheader("Is the change real? Statistical process control")
st.caption(
    "Each indicator's latest point read against its own process limits: a special cause is "
    "a real change, not noise; assurance says whether the target lies within the normal "
    "variation (hit and miss) or outside it. See the Indicator page for the chart."
)
spc_left, spc_right = st.columns(2)
spc_left.markdown("  \n".join(
    f"**{symbol} {label}**: {data.spc_variations[code]}"
    for code, (label, symbol) in SPC_VARIATIONS.items() if code in data.spc_variations
) or "No readings yet.")  # fmt: skip
spc_right.markdown("  \n".join(
    f"**{symbol} {label}**: {data.spc_assurances[code]}"
    for code, (label, symbol) in SPC_ASSURANCES.items() if code in data.spc_assurances
) or "No indicator with a target has a reading yet.")  # fmt: skip
if not data.early_warnings:
    st.caption("Early warnings: no green indicator shows a special cause of concern.")
else:
    st.markdown(f"**Early warnings** ({len(data.early_warnings)}): green this period, but a "
                "special cause of concern:")  # fmt: skip
    for code, title in data.early_warnings:
        st.page_link(link("pages/indicator.py"), label=f"{code}: {title}",
                     icon=":material/warning:", query_params={"indicator": code})  # fmt: skip

st.subheader("Theme groups")
table = data.counts_table
picked = status_table(table, key="overview_counts", selectable=True)
theme_ids = data.theme_ids
row = selected_row(picked, table)
if row is not None:
    open_theme(int(theme_ids[row["Theme group"]]))
links = st.columns(2)
for i, (theme, theme_id) in enumerate(theme_ids.items()):
    links[i % 2].page_link(
        link("pages/theme.py"),
        label=theme,
        icon=":material/groups:",
        query_params={"theme": str(theme_id)},
    )

since = (
    f"the last Board ({data.last_board_date:%d %B %Y}, which saw {data.last_board_period})"
    if data.last_board_date
    else f"{data.last_board_period}"
)
st.subheader(f"What changed since {since}")
changes = data.changes
if changes.empty:
    st.info("No indicator changed status.")
else:
    picked = status_table(changes, key="overview_changes", selectable=True)
    row = selected_row(picked, changes)
    if row is not None:
        open_indicator(row["Code"])
    st.caption("Select a row to open the indicator, or choose it here:")
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    code = pick.selectbox(
        "Open a changed indicator",
        changes["Code"].tolist(),
        format_func=data.change_labels.get,
        key="overview_open",
    )  # fmt: skip
    go.page_link(
        link("pages/indicator.py"), label=f"Open {code}", icon="", query_params={"indicator": code}
    )
