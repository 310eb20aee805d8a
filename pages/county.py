"""County LAA: the county's Local Area Agreement built from its districts. A row per LAA
indicator: the county figure (computed from the districts' by its rule, beside what the
county reported), target, status and direction; each district's figure (a link to its
Indicator page), contribution target, status, direction and marks; who holds the gap. Then
the reward grant forecast and the county pack. A district's reader sees the county's
figures and its own district's; the others' only as published."""

import streamlit as st

from analytics import labels, vocabulary
from analytics.county import present
from analytics.reports.writers import MIME
from ui.auth import current_user
from ui.components import status_legend
from ui.context import partnership_id, period
from ui.county import county_table, reward_section
from ui.data import county_pack_file, query

pid = partnership_id()
county_id = query("county_for", pid)
quarters = query("county_quarters", county_id)
if not quarters:
    st.title("County LAA")
    st.info("No values loaded for the county or its districts yet.")
    st.stop()
p = period() if period() in quarters else quarters[0]
view, rows = query("county_page", current_user(), county_id, p)
st.title(f"{view.county['name']}: Local Area Agreement")
st.caption(
    f"As at {p}. Each county figure is made from its districts' by the indicator's rule "
    "(sum; ratio: numerators over denominators, never a mean of percentages; rate per "
    "population; or measured at county level), against the target agreed with government."
)

counts = present.summary_counts(rows)
st.markdown(" · ".join(f"**{n}** {labels.STATUS[s]}" for s, n in counts.items()))

f1, f2, f3 = st.columns([3, 3, 2])
themes = f1.multiselect("Theme", list(dict.fromkeys(r.theme for r in rows)), key="cv_themes")
statuses = f2.multiselect("County status", list(vocabulary.STATUS_ORDER),
                          format_func=labels.STATUS.get, key="cv_status")  # fmt: skip
order = f3.selectbox("Sort by", list(present.SORTS), format_func=present.SORTS.get, key="cv_sort")
shown = present.sorted_rows(present.filtered(rows, themes, statuses), order)

districts = [
    {"name": d["name"], "note": "" if d["access"] == "full" else "published figures only"}
    for d in view.districts.to_dict("records")
]
if shown:
    county_table(shown, districts, view.county["name"],
                 f"{len(shown)} of {len(rows)} LAA indicators, as at {p}")  # fmt: skip
else:
    st.info("No indicator matches these filters.")
status_legend()
st.caption(
    "A district's status is against its contribution target (a percentage or a rate without "
    "one: against the county target). Each district's figure opens its Indicator page."
)

reward_section(view.reward)

st.subheader("County LAA pack")
st.caption("The same view for the LAA board: an Excel workbook, a Word paper, a web page.")
stem = f"county-pack-{view.county['partnership_code']}-{p.replace('/', '-').replace(' ', '-')}"
formats = (("xlsx", "Excel workbook"), ("docx", "Word paper"), ("html", "Web page"))
for col, (fmt, label) in zip(st.columns(3), formats, strict=True):
    col.download_button(
        label,
        data=lambda fmt=fmt: county_pack_file(current_user(), county_id, p, fmt),
        file_name=f"{stem}.{fmt}",
        mime=MIME[fmt],
        key=f"county_pack_{fmt}",
        icon=":material/download:",
    )
