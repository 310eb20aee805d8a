"""Publish: put a quarter's figures, or a year's annual report, on the public site."""

import streamlit as st

from analytics import periods
from analytics.access import may
from analytics.warehouse import publication
from ui.auth import current_user
from ui.components import header_preview
from ui.context import partnership_id
from ui.data import current_path, query

pid, user = partnership_id(), current_user()
st.title("Publish")
st.caption(
    "Nothing is public until it is published here, normally once the Board has seen the "
    "quarter. Publishing freezes the figures as they stand; a figure corrected later shows "
    "on the public site as revised, with the date, when you publish again. Data-quality "
    "notes, unpublished commentary and account names never leave the warehouse."
)
data = query("publish_page", pid)
end = data["published_end"]
st.markdown(
    f"Published figures run to **{end:%d %B %Y}**." if end else "**Nothing is published yet.**"
)

if not data["quarters"]:
    st.info("No returns loaded yet: there is nothing to publish.")
elif may(user, "publish", pid):
    kind = st.radio(
        "What to publish",
        ["quarter", "year"],
        format_func={"quarter": "A quarter's figures", "year": "A year's annual report"}.get,
        horizontal=True,
        key="pub_kind",
    )
    options = data["quarters"] if kind == "quarter" else data["years"]
    choice = st.selectbox("Quarter" if kind == "quarter" else "Year", options, key="pub_choice")
    preview = query("publish_preview", pid, periods.parse_code(choice).end)
    st.markdown(
        f"Publishing **{choice}** makes every figure to {periods.parse_code(choice).end:%d %B %Y}"
        f" public: **{preview['new']}** new, **{preview['revised']}** revised (shown as revised"
        f" with today's date), **{preview['updated']}** with new commentary or status."
        + (" The year's foreword and narratives go with it." if kind == "year" else "")
    )
    blocked = query("publication_blockers", pid, choice)
    if blocked:  # only accepted figures of a locked quarter are published
        st.warning(blocked, icon=":material/lock_open:")
    if st.button(f"Publish {choice}", type="primary", key="pub_go", disabled=bool(blocked)):
        try:
            publish = publication.publish_year if kind == "year" else publication.publish_period
            result = publish(current_path(), pid, choice, user=user)
        except publication.PublishError as exc:
            st.error(str(exc))
        else:
            st.success(
                f"{choice} published: {result.values_new} figures new, "
                f"{result.values_revised} revised. Build the site to put it online."
            )
else:
    st.info("Only the performance officer publishes. You can see what has been published.")

st.subheader("Published so far")
shown = data["publications"]
if shown.empty:
    st.caption("No publications yet.")
else:
    st.dataframe(
        shown.assign(kind=shown["kind"].map({"quarter": "Quarter", "year": "Annual report"}))[
            ["period", "kind", "published_at", "published_by", "values_new", "values_revised"]
        ],
        hide_index=True,
        column_config={
            "period": "Period",
            "kind": "What",
            "published_at": st.column_config.DatetimeColumn(
                "Published", format="D MMM YYYY, HH:mm"
            ),
            "published_by": "By",
            "values_new": "Figures new",
            "values_revised": "Figures revised",
        },
    )
st.subheader("The council's name, logo and colour")
st.caption(
    "Set once for the partnership: every build of the public site uses them (a build's "
    "--council, --logo or --colour still overrides them). White text on the colour must reach "
    "4.5:1; the logo must be an SVG without scripts or links to other sites, or a PNG, under "
    "200 KB."
)
brand = data["brand"]
st.caption("The site's header with them:")
st.markdown(header_preview(brand), unsafe_allow_html=True)  # escaped; the logo as checked
if brand["logo_bytes"]:
    st.caption(f"Logo: {brand['logo_type'].upper()}, {len(brand['logo_bytes']) / 1024:.1f} KB.")
if may(user, "publish", pid):
    with st.form("brand_form"):
        council = st.text_input(
            "Council (in the site's header)", brand["council_name"] or "", key="brand_council"
        )
        colour = st.text_input(
            "Colour (#rrggbb; blank: #1d70b8)", brand["brand_colour"] or "", key="brand_colour"
        )
        upload = st.file_uploader(
            "Logo (SVG or PNG, under 200 KB)", type=["svg", "png"], key="brand_logo",
            max_upload_size=1,
        )  # fmt: skip
        remove = bool(brand["logo_bytes"]) and st.checkbox("Remove the logo", key="brand_off")
        saved = st.form_submit_button("Save the brand")
    if saved:
        changes = {"council_name": council, "brand_colour": colour}
        if remove:
            changes["logo"] = None
        elif upload is not None:
            changes.update(logo=upload.getvalue(), logo_name=upload.name)
        try:
            publication.save_brand(current_path(), pid, user=user, **changes)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.success("Brand saved: the next site build uses it.")
else:
    st.markdown(
        f"Council: **{brand['council_name'] or 'not set'}**; colour: "
        f"**{brand['brand_colour'] or 'not set (#1d70b8)'}**."
    )

st.subheader("The public site")
st.markdown(
    "The site is built from published figures only, as plain files for the council's web "
    "server (no database or Python behind it). On the server:"
)
st.code("lsp site build -o site/", language=None)
