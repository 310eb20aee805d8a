"""The Sign-off page's pieces: the returns of a quarter to accept or send back, the quarter's
lock and its reopenings, and the collection settings. The writes they call refuse whoever may
not make them, and a locked quarter, whatever is shown here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import labels, periods
from analytics.access import PermissionDenied
from analytics.collection import calendar
from analytics.formatting import format_number
from analytics.messages import FileRejected
from analytics.warehouse import collection
from ui.components import md_escape, status_table
from ui.data import current_path, query

STATE_WORDS = {
    "submitted": "… awaiting sign-off",
    "accepted": "✔ accepted",
    "sent_back": "✖ sent back",
}


def attempt(write, done) -> bool:
    """Run a write; say what happened (``done``: the words, or a function giving them after
    the write); a refusal is shown, not raised."""
    try:
        write()
    except (collection.CollectionError, PermissionDenied, calendar.CalendarError) as exc:
        st.error(str(exc))
        return False
    except FileRejected as exc:
        st.error("\n\n".join(m.format() for m in exc.messages))
        return False
    st.session_state["so_done"] = done() if callable(done) else done
    st.rerun()
    return True


def choose_quarter(pid: int, in_view: str | None) -> str:
    today = calendar.today()
    latest = calendar.collection_quarter(today)
    options = {periods.shift(latest, -k) for k in range(4)}
    if in_view:
        options |= {periods.shift(in_view, -k) for k in range(-1, 4)}
    options = sorted(options, key=periods.sort_key, reverse=True)
    waiting = [q for q in options if not query("review_queue", pid, q).query(
        "review_state != 'accepted'").empty]  # fmt: skip
    asked = st.query_params.get("period")
    default = asked if asked in options else (waiting[0] if waiting else latest)
    quarter = st.selectbox("Quarter", options, index=options.index(default), key="so_quarter",
                           help="The quarters being collected, and those around the period "
                           "in view.")  # fmt: skip
    st.query_params["period"] = quarter
    return quarter


def review(pid: int, user, quarter: str) -> None:
    queue = query("review_queue", pid, quarter)
    tracker = query("submission_tracker", pid, quarter)
    missing = tracker[tracker["expected"] & ~tracker["returned"]]["theme"].tolist()
    settings = query("settings", pid)
    st.caption(
        "The Board sees "
        + (
            "only accepted figures: a return shows on the Board pages once accepted."
            if settings.board_accepted_only
            else "every figure loaded (accepted or not): change it under Settings."
        )  # fmt: skip
    )
    if missing:
        st.warning("Not returned yet: " + "; ".join(missing), icon=":material/hourglass_empty:")
    if queue.empty:
        st.info(f"No return for {quarter} has arrived yet.")
        return
    table = pd.DataFrame({
        "Theme group": queue["theme"],
        "Sign-off": queue["review_state"].map(STATE_WORDS),
        "Came by": queue["layout"].map(lambda x: "web form" if x == "form" else "spreadsheet"),
        "File": queue["file_name"], "Received": queue["received_on"],
        "Sent by": queue["loaded_by"], "Reviewed by": queue["reviewed_by"],
        "Note": queue["review_note"],
    })  # fmt: skip
    st.dataframe(table, hide_index=True, key="so_queue")
    decimals = query("framework_indicators", pid).set_index("code")["decimals"].dropna()
    for row in queue.itertuples():
        if row.review_state == "accepted":
            continue
        with st.expander(f"{STATE_WORDS[row.review_state]}: {row.theme} ({row.file_name})",
                         expanded=row.review_state == "submitted"):  # fmt: skip
            if row.review_state == "sent_back":
                st.markdown(f"Sent back by {md_escape(row.reviewed_by)}: "
                            f"{md_escape(row.review_note)}. Waiting for the correction; it can "
                            "still be accepted as it is.")  # fmt: skip
            values = query("return_values", int(row.return_id))
            places = [int(decimals.get(c, 1)) for c in values["code"]]
            shown = [format_number(v, u, d) for v, u, d in
                     zip(values["actual_value"], values["unit"], places, strict=True)]  # fmt: skip
            st.caption("Status: what each value gets once the return is accepted.")
            status_table(
                pd.DataFrame({
                    "Code": values["code"], "Period": values["period"],
                    "Value": shown,
                    "Status": values["rag_status"].map(labels.status_label),
                    "Why": values["rag_reason"], "Indicator": values["title"],
                    "DQ": values["dq_flag"], "Commentary": values["commentary"],
                    "Remedial action": values["remedial_action"],
                }),
                key=f"so_values_{row.return_id}",
            )  # fmt: skip
            c1, c2 = st.columns([1, 3])
            if c1.button("Accept", key=f"so_accept_{row.return_id}", type="primary",
                         icon=":material/check:"):  # fmt: skip
                attempt(lambda r=row: collection.review_return(
                    current_path(), int(r.return_id), "accepted", user=user),
                    f"Accepted: {row.theme}, {quarter}.")  # fmt: skip
            note = c2.text_area(f"What needs correcting in the return of {row.theme} (the "
                                "theme lead sees this note)", key=f"so_note_{row.return_id}",
                                height=80)  # fmt: skip
            if c2.button("Send back", key=f"so_back_{row.return_id}", icon=":material/undo:"):
                attempt(lambda r=row, n=note: _send_back(pid, user, int(r.return_id), n),
                        lambda t=row.theme: f"Sent back: {t}, {quarter}. "
                        + st.session_state.pop("so_mail", ""))  # fmt: skip


def _send_back(pid: int, user, return_id: int, note: str) -> None:
    """Send the return back, then e-mail the theme lead at once when mail is set up (else
    the next `lsp reminders send` does)."""
    from analytics.collection import reminders
    from analytics.collection.mail import MailError

    collection.review_return(current_path(), return_id, "sent_back", user=user, note=note)
    try:
        outcome = reminders.run(current_path(), calendar.today(), user=user,
                                partnership_ids=[pid], kinds={"sent_back"})  # fmt: skip
    except MailError as exc:
        st.session_state["so_mail"] = f"Not e-mailed yet ({exc}); the next reminder run will."
    else:
        st.session_state["so_mail"] = f"The theme lead was e-mailed ({outcome.sent} message)."


def lock(pid: int, user, quarter: str) -> None:
    today = calendar.today()
    held = query("lock_date", pid, quarter)
    end = periods.parse_code(quarter).end
    if held is not None and held <= today:
        st.markdown(f"**{quarter} has been locked since {held:%-d %B %Y}.** Its values change "
                    "only through a reopening for one theme group, with a reason.")  # fmt: skip
    else:
        st.markdown(
            (f"{quarter} locks on **{held:%-d %B %Y}**." if held else
             f"{quarter} has no lock date yet.") + " Set it once the Board has seen the "
            "quarter: from that day nobody can change its values (a reopening, recorded, is "
            "the only way), and only then can it be published."
        )  # fmt: skip
        c1, c2 = st.columns([1, 2])
        day = c1.date_input("Locks on", value=held or max(today, end + pd.Timedelta(days=1)),
                            key="so_lock_on", format="DD/MM/YYYY")  # fmt: skip
        c2.write("")
        if c2.button("Set lock date", key="so_lock", icon=":material/lock:"):
            attempt(lambda: collection.set_lock(current_path(), pid, quarter, day, user=user),
                    f"{quarter} locks on {day:%-d %B %Y}.")  # fmt: skip
    opened = query("reopenings", pid, quarter)
    themes = query("themes", pid)
    if held is not None and held <= today:
        st.markdown("**Reopen for one theme group**")
        c1, c2 = st.columns([2, 3])
        names = dict(zip(themes["theme_id"].astype(int), themes["theme"], strict=True))
        theme_id = c1.selectbox("Theme group", list(names), format_func=names.get,
                                key="so_reopen_theme")  # fmt: skip
        reason = c2.text_input("Reason (kept in the audit log)", key="so_reopen_reason")
        if st.button("Reopen", key="so_reopen", icon=":material/lock_open:"):
            attempt(lambda: collection.reopen(current_path(), pid, theme_id, quarter, reason,
                                              user=user),
                    f"{quarter} reopened for {names[theme_id]}.")  # fmt: skip
    if not opened.empty:
        st.markdown("**Reopenings**")
        st.dataframe(
            pd.DataFrame({
                "Theme group": opened["theme"], "Reason": opened["reason"],
                "Reopened by": opened["reopened_by"], "On": opened["reopened_at"],
                "State": opened["is_open"].map({True: "open", False: "locked again"}),
                "Locked again by": opened["closed_by"], "At": opened["closed_at"],
            }), hide_index=True, key="so_reopenings",
        )  # fmt: skip
        for row in opened[opened["is_open"]].itertuples():
            if st.button(f"Lock {quarter} again for {row.theme}",
                         key=f"so_relock_{row.reopening_id}"):  # fmt: skip
                attempt(lambda r=row: collection.close_reopening(
                    current_path(), int(r.reopening_id), user=user),
                    f"{quarter} locked again for {row.theme}.")  # fmt: skip


def settings_form(pid: int, user) -> None:
    now = query("settings", pid)
    themes = query("themes", pid)
    with st.form("so_settings"):
        c1, c2 = st.columns(2)
        due = c1.number_input("Due (working days after the quarter ends)", 1, 130,
                              now.due_working_days, key="so_due")  # fmt: skip
        before = c2.number_input("Reminder (working days before the due date)", 0, 129,
                                 now.reminder_working_days, key="so_before")  # fmt: skip
        email = st.text_input("Escalations go to (blank: the partnership's officer accounts)",
                              value=now.officer_email or "", key="so_email")  # fmt: skip
        accepted = st.checkbox("The Board pages show only accepted figures",
                               value=now.board_accepted_only, key="so_accepted")  # fmt: skip
        st.markdown("A theme group's own due date (blank: the partnership's):")
        own = pd.DataFrame({
            "theme_id": themes["theme_id"].astype(int), "Theme group": themes["theme"],
            "Due (working days)": [now.theme_due_working_days.get(int(t))
                                   for t in themes["theme_id"]],
        })  # fmt: skip
        edited = st.data_editor(
            own, hide_index=True, key="so_themes", disabled=["theme_id", "Theme group"],
            column_config={"theme_id": None, "Due (working days)": st.column_config.NumberColumn(
                min_value=1, max_value=130, step=1)},
        )  # fmt: skip
        saved = st.form_submit_button("Save settings", icon=":material/save:")
    st.caption("Bank holidays of England and Wales are not working days.")
    if saved:
        per_theme = {
            int(r["theme_id"]): None if pd.isna(r["Due (working days)"]) else int(
                r["Due (working days)"]) for r in edited.to_dict("records")
        }  # fmt: skip
        attempt(lambda: collection.save_settings(
            current_path(), pid, user=user, due_working_days=int(due),
            reminder_working_days=int(before), board_accepted_only=accepted,
            officer_email=email, theme_due_working_days=per_theme), "Settings saved.")  # fmt: skip
