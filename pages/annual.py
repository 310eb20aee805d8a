"""Annual report: the foreword and each theme group's narrative (every version kept), the
partnership's public description, and the draft report to download."""

import pandas as pd
import streamlit as st

from analytics.access import may
from analytics.warehouse import publication
from ui.auth import current_user
from ui.context import partnership_id
from ui.data import current_path, query

pid, user = partnership_id(), current_user()
st.title("Annual report")
years = query("publish_page", pid)["years"]
if not years:
    st.info("No returns loaded yet.")
    st.stop()
year = st.selectbox("Year", years, key="ar_year")
data = query("annual_page", pid, year)
texts = data["texts"]
can_write = may(user, "annual.write", pid)
st.caption(
    "Write the foreword and a narrative per theme group; everything else (structure, "
    "achievements, year-end figures, Local Area Agreement, targets met by year) is generated. "
    "Every saved version is kept with who wrote it and when; the latest goes out when the "
    "year is published (Publish page)."
)


def editor(label: str, key: str, theme_id: int | None) -> None:
    mine = texts[texts["section"].eq("foreword") if theme_id is None else
                 texts["theme_id"].eq(theme_id)]  # fmt: skip
    latest = mine.iloc[0] if not mine.empty else None
    body = st.text_area(
        label, value="" if latest is None else latest["body"], height=180, key=key,
        disabled=not can_write,
    )  # fmt: skip
    if latest is not None:
        st.caption(
            f"Version {latest['version']}, saved by {latest['written_by']} on "
            f"{pd.Timestamp(latest['written_at']):%d %B %Y %H:%M}."
        )
    if can_write and st.button("Save", key=key + "_save"):
        try:
            version = publication.save_annual_text(
                current_path(), pid, year, body, user=user, theme_id=theme_id
            )
        except publication.PublishError as exc:
            st.error(str(exc))
        else:
            st.success(f"Saved as version {version}.")
    if len(mine) > 1:
        with st.expander(f"Earlier versions ({len(mine) - 1})"):
            st.dataframe(
                mine.iloc[1:][["version", "written_by", "written_at", "body"]],
                hide_index=True,
                column_config={"version": "Version", "written_by": "By",
                               "written_at": "When", "body": "Text"},
            )  # fmt: skip


st.header("Foreword")
editor(f"Foreword to the {year} annual report", "ar_foreword", None)
st.header("Theme group narratives")
for row in data["themes"].itertuples():
    with st.expander(row.theme, expanded=False):
        editor(f"Narrative: {row.theme}", f"ar_theme_{row.theme_id}", int(row.theme_id))

st.header("Draft report")
st.caption("The report as it stands, from the warehouse's current figures (not yet published).")
if st.button("Prepare the draft", key="ar_draft"):
    from analytics.reports.annual import draft_files

    st.session_state["ar_files"] = (year, draft_files(current_path(), pid, year))
ready = st.session_state.get("ar_files")
if ready and ready[0] == year:
    name = f"annual-report-{year.replace('/', '-')}"
    c1, c2 = st.columns(2)
    c1.download_button("Word (.docx)", ready[1]["docx"], f"{name}.docx", key="ar_docx")
    c2.download_button("Web page (.html)", ready[1]["html"], f"{name}.html", key="ar_html")

st.header("About the partnership")
st.caption(
    "What the public site's home and About pages say about the partnership. The council's "
    "name, logo and colour are set on the Publish page."
)
prof = data["profile"]
with st.form("ar_profile"):
    fields = {
        "vision": st.text_area("Vision", prof["vision"] or ""),
        "terms_of_reference": st.text_area("Terms of reference", prof["terms_of_reference"] or ""),
        "community_strategy": st.text_area("Community strategy", prof["community_strategy"] or ""),
        "board_chair": st.text_input("Board chaired by", prof["board_chair"] or ""),
        "public_contact": st.text_input("Public contact", prof["public_contact"] or ""),
    }
    members_text = st.text_area(
        "Member organisations, one a line: name | sector",
        "\n".join(f"{m.name} | {m.sector or ''}" for m in data["members"].itertuples()),
    )
    if st.form_submit_button("Save", disabled=not can_write) and can_write:
        members = [tuple((line.split("|", 1) + [""])[:2]) for line in members_text.splitlines()]
        try:
            publication.save_profile(current_path(), pid, fields, members, user=user)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.success("Saved.")
if not can_write:
    st.info("Only the performance officer edits the annual report.")
