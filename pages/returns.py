"""Returns: templates out, spreadsheets in, checked, mapped, previewed, committed, withdrawn;
and the submission tracker for the quarter."""

import tempfile
from pathlib import Path

import streamlit as st

from analytics import periods
from analytics.access import PermissionDenied, may
from analytics.collection import calendar
from analytics.ingest import names, view
from analytics.messages import FileRejected
from analytics.warehouse import returns
from ui.auth import current_user
from ui.context import partnership_id, period
from ui.data import current_path, empty_note, query
from ui.returns_file import read_upload, show_upload
from ui.tracker import tracker_tab

pid = partnership_id()
user = current_user()
in_view = period()
theme_rows = query("themes", pid)
themes = theme_rows["theme"].tolist()
# a theme lead sends only their own theme groups' returns
mine = [t.theme for t in theme_rows.itertuples() if may(user, "returns.submit", pid, t.theme_id)]
latest = in_view or calendar.collection_quarter(calendar.today())
quarters = [periods.shift(latest, k) for k in range(2, -9, -1)]

st.title("Returns")
st.caption(
    "Send each theme group its template, load the spreadsheets that come back (any layout), "
    "check the preview, then commit. Every file is kept as received."
)
if done := st.session_state.pop("returns_done", None):
    st.success(done, icon=":material/check_circle:")
tab_load, tab_templates, tab_tracker, tab_received = st.tabs(
    ["Load returns", "Templates", "Submission tracker", "Returns received"]
)

with tab_templates:
    quarter = st.selectbox("Quarter", quarters, index=quarters.index(latest), key="tpl_quarter")
    st.caption("One row per indicator due that quarter, with its target and last four values.")
    for i, theme in enumerate(mine):
        st.download_button(
            f"{theme} ({quarter})",
            data=lambda t=theme: returns.template_bytes(pid, t, quarter, current_path()),
            file_name=returns.template_file_name(theme, quarter),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key=f"tpl_{i}",
            on_click="ignore",
        )

with tab_load:
    n = st.session_state.setdefault("returns_uploader", 0)
    uploads = st.file_uploader(
        "Returns (.xlsx, .xlsm, .xls, .ods, .csv; macros are never run)",
        type=["xlsx", "xlsm", "xls", "ods", "csv"],
        accept_multiple_files=True,
        key=f"returns_upload_{n}",
    )
    add_unknown = st.checkbox(
        "Add unknown indicator codes as new data-only indicators", key="returns_add_unknown"
    )
    context = query("intake_context", pid)
    folder = Path(st.session_state.setdefault("returns_dir", tempfile.mkdtemp(prefix="lsp-")))
    intakes = []
    for upload in uploads or []:
        label = names.display_name(upload.name)  # a label, never a path
        path = folder / names.upload_slot(upload.file_id) / names.upload_file_name(label)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(upload.getvalue())
        intake, mappings = read_upload(path, label, upload.file_id, context, add_unknown)
        intakes.append(intake)
        show_upload(label, upload.file_id, intake, mappings, themes, quarters)
    others = [i for i in intakes if i.ok and i.theme and i.theme not in mine]
    for intake in others:
        st.error(
            f"{intake.file} is the return of {intake.theme}, not of a theme group you lead "
            f"({'; '.join(mine)}). It cannot be loaded here: send it to the performance "
            "officer or that theme group's lead.",
            icon=":material/block:",
        )
    ready = [i for i in intakes if i.ok and not i.values.empty and i not in others]
    if intakes:
        st.subheader("Preview")
        table = view.preview_table(returns.preview_returns(ready, current_path()))
        if not empty_note(table, "values to load from the files without errors"):
            st.dataframe(table, hide_index=True)
        blocked = [i.file for i in intakes if not i.ok]
        if blocked:
            st.warning("Not loadable until fixed (see their messages): " + ", ".join(blocked))
        remember = st.checkbox(
            "Remember each file's mapping for its theme group", value=True, key="returns_remember"
        )
        received_on = st.date_input(
            "Received on",
            value=calendar.today(),
            key="returns_received",
            format="DD/MM/YYYY",
            help="When the theme group sent these returns: the tracker judges lateness by it.",
        )
        accept = may(user, "returns.review", pid) and st.checkbox(
            "Accept them as checked (you are loading them for the theme groups)",
            key="returns_accept", help="Otherwise they wait for sign-off on the Sign-off page.",
        )  # fmt: skip
        if st.button(view.commit_label(len(ready)), type="primary", disabled=not ready,
                     key="returns_commit"):  # fmt: skip
            try:
                results = returns.commit_returns(ready, current_path(), user=user,
                                                 remember_mappings=remember,
                                                 received_on=received_on,
                                                 accept=accept)  # fmt: skip
            except PermissionDenied as refused:
                st.error(f"Nothing was loaded: {refused}")
            except FileRejected as rejected:
                st.error("Nothing was loaded:\n\n" + "\n\n".join(m.format() for m in
                                                                rejected.messages))  # fmt: skip
            else:
                st.session_state["returns_done"] = "Committed: " + "; ".join(
                    f"{r.file_name}: "
                    + ("already loaded, no change" if r.already_loaded else
                       f"{r.rows_new} new, {r.rows_changed} changed")
                    for r in results
                )  # fmt: skip
                st.session_state["returns_uploader"] = n + 1
                st.rerun()

with tab_tracker:
    tracker_tab(pid, in_view)

with tab_received:
    received = query("return_files", pid, in_view)
    st.caption(f"Returns for {in_view}, latest first. Withdrawn and superseded ones are kept.")
    if not empty_note(received, f"returns for {in_view}"):
        st.dataframe(received.drop(columns=["sha256", "stored_path"]), hide_index=True)
    if not received.empty and may(user, "returns.withdraw", pid):
        loaded = received[received["state"] == "loaded"]
        ids = {f"{r.theme}: {r.file_name} (return {r.return_id})": r.return_id
               for r in loaded.itertuples()}  # fmt: skip
        w1, w2 = st.columns([2, 2])
        label = w1.selectbox("Return to withdraw", list(ids), key="wd_return", index=None)
        reason = w2.text_input("Reason", key="wd_reason")
        if st.button("Withdraw return", disabled=label is None, key="wd_go"):
            try:
                counts = returns.withdraw_return(ids[label], current_path(), user=user,
                                                 reason=reason)  # fmt: skip
            except FileRejected as refused:  # a locked quarter
                st.error("Not withdrawn:\n\n" + "\n\n".join(m.format() for m in
                                                              refused.messages))  # fmt: skip
            else:
                st.session_state["returns_done"] = (
                    f"Withdrawn: {label} ({counts['values_withdrawn']} values; "
                    f"{counts['values_restored']} earlier values back in force)."
                )
                st.rerun()
