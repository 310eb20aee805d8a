"""Streamlit pieces of the scrutiny pages: tables with their status words, and the forms
that write (shown only to those who may; the write functions refuse anyway)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import vocabulary as V
from analytics.access import PermissionDenied, may
from analytics.scrutiny.tracker import TrackerError
from analytics.warehouse import scrutiny
from ui.data import current_path, query

RESPONSE_WORDS = {r.code: r.word for r in V.RESPONSE_TABLE}
IMPLEMENTATION_WORDS = {i.code: i.word for i in V.IMPLEMENTATION_TABLE}


def show(title: str, frame: pd.DataFrame, empty: str, key: str) -> None:
    """A section: its heading, then the table (its statuses already in words,
    ``present.words``), or a line saying none."""
    st.subheader(title)
    if frame.empty:
        st.info(empty)
    else:
        st.dataframe(frame, hide_index=True, key=key)


def attempt(write, done: str) -> None:
    """Run a write; say what happened (a refusal or a broken rule is shown, not raised)."""
    try:
        write()
    except (TrackerError, PermissionDenied) as exc:
        st.error(str(exc))
        return
    st.session_state["scrutiny_done"] = done
    st.rerun()


def done_note() -> None:
    note = st.session_state.pop("scrutiny_done", None)
    if note:
        st.success(note)


def _themes(pid: int) -> dict[int | None, str]:
    themes = query("themes", pid)
    return {None: "– none –", **dict(zip(themes["theme_id"], themes["theme"], strict=True))}


def red_flag_controls(pid: int, user) -> None:
    if not may(user, "scrutiny.manage", pid):
        return
    done_note()
    themes = _themes(pid)
    with st.expander("Record or lift a red flag"):
        with st.form("rf_add", clear_on_submit=True):
            title = st.text_input("Area of concern", key="rf_title")
            theme = st.selectbox(
                "Theme group", list(themes), format_func=themes.get, key="rf_theme"
            )
            codes = st.text_input("Indicators (codes, comma-separated)", key="rf_codes")
            reason = st.text_area("Reason", key="rf_reason")
            source = st.text_input("Source", "Comprehensive Area Assessment", key="rf_source")
            flagged = st.date_input("Flagged on", date.today(), key="rf_on", format="DD/MM/YYYY")
            if st.form_submit_button("Record red flag"):
                attempt(
                    lambda: scrutiny.add_red_flag(
                        current_path(),
                        pid,
                        user=user,
                        title=title,
                        reason=reason,
                        source=source,
                        flagged_on=flagged,
                        theme_id=theme,
                        indicator_codes=codes,
                    ),
                    f"Red flag recorded: {title}.",
                )
        flags = query("red_flags", pid)
        open_flags = flags[flags["lifted_on"].isna()]
        if not open_flags.empty:
            with st.form("rf_lift"):
                names = dict(zip(open_flags["red_flag_id"], open_flags["title"], strict=True))
                flag = st.selectbox(
                    "Red flag to lift", list(names), format_func=names.get, key="rf_pick"
                )
                why = st.text_input("Why it is lifted", key="rf_why")
                lifted = st.date_input(
                    "Lifted on", date.today(), key="rf_lifted", format="DD/MM/YYYY"
                )
                if st.form_submit_button("Lift red flag"):
                    attempt(
                        lambda: scrutiny.lift_red_flag(
                            current_path(), pid, int(flag), user=user, lifted_on=lifted, reason=why
                        ),
                        f"Red flag lifted: {names[flag]}.",
                    )


def review_date_controls(pid: int, user, meetings: list[date]) -> None:
    st.subheader("Review meetings")
    st.caption(", ".join(f"{d:%-d %b %Y}" for d in meetings) or "No review meeting recorded.")
    if not may(user, "scrutiny.manage", pid):
        return
    with st.form("rd_add", clear_on_submit=True):
        c1, c2 = st.columns([1, 2])
        day = c1.date_input("Meeting date", date.today(), key="rd_date", format="DD/MM/YYYY")
        title = c2.text_input("Title", "Overview and Scrutiny Committee", key="rd_title")
        if st.form_submit_button("Add review meeting"):
            attempt(
                lambda: scrutiny.add_review_date(
                    current_path(), pid, user=user, meeting_date=day, title=title
                ),
                f"Review meeting of {day:%-d %b %Y} added.",
            )


def record_form(pid: int, user) -> None:
    """Scrutiny members record a recommendation the committee made."""
    themes = _themes(pid)
    with st.form("rec_new", clear_on_submit=True):
        st.markdown("**Record a recommendation**")
        c1, c2 = st.columns(2)
        review = c1.text_input("Review or meeting", key="rec_review")
        made = c2.date_input("Made on", date.today(), key="rec_made", format="DD/MM/YYYY")
        text = st.text_area("Recommendation", key="rec_text")
        c3, c4, c5 = st.columns(3)
        to = c3.text_input("Addressed to", "Cabinet", key="rec_to")
        theme = c4.selectbox("Theme group", list(themes), format_func=themes.get, key="rec_theme")
        codes = c5.text_input("Indicators (codes)", key="rec_codes")
        sent = st.date_input("Sent on", None, key="rec_sent", format="DD/MM/YYYY")
        if st.form_submit_button("Record recommendation"):

            def write():
                ref = scrutiny.record_recommendation(
                    current_path(),
                    pid,
                    user=user,
                    review=review,
                    made_on=made,
                    text=text,
                    addressed_to=to,
                    sent_on=sent,
                    theme_id=theme,
                    indicator_codes=codes,
                )
                st.session_state["rec_new_ref"] = ref
                st.session_state.pop("rec_as_of", None)  # show the tracker as at today

            attempt(write, "Recommendation recorded.")


def response_form(pid: int, user, reference: str, rec: pd.Series) -> None:
    """The officer records the response and the implementation plan."""
    with st.form(f"rec_resp_{reference}"):
        st.markdown(f"**Record the response to {reference}**")
        c1, c2, c3 = st.columns(3)
        response = c1.selectbox(
            "Response", V.RESPONSES, format_func=RESPONSE_WORDS.get, key="resp_kind"
        )
        on = c2.date_input("Response dated", date.today(), key="resp_on", format="DD/MM/YYYY")
        sent = c3.date_input(
            "Sent on",
            rec["sent_on"] if pd.notna(rec["sent_on"]) else date.today(),
            key="resp_sent",
            format="DD/MM/YYYY",
        )
        text = st.text_area("Response", key="resp_text")
        c4, c5, c6 = st.columns(3)
        body = c4.text_input("Given by", rec["addressed_to"], key="resp_by")
        lead = c5.text_input("Lead officer", key="resp_lead")
        due = c6.date_input("Implementation due", None, key="resp_due", format="DD/MM/YYYY")
        if st.form_submit_button("Record response"):
            attempt(
                lambda: scrutiny.record_response(
                    current_path(),
                    pid,
                    reference,
                    user=user,
                    response=response,
                    response_on=on,
                    response_text=text,
                    response_by=body,
                    lead_officer=lead,
                    due_on=due,
                    sent_on=sent,
                ),
                f"Response to {reference} recorded.",
            )


def progress_form(pid: int, user, reference: str) -> None:
    with st.form(f"rec_prog_{reference}", clear_on_submit=True):
        st.markdown(f"**Progress update on {reference}**")
        c1, c2 = st.columns(2)
        on = c1.date_input("Dated", date.today(), key="prog_on", format="DD/MM/YYYY")
        status = c2.selectbox(
            "Implementation",
            V.IMPLEMENTATION_STATUSES,
            index=1,
            format_func=IMPLEMENTATION_WORDS.get,
            key="prog_status",
        )
        note = st.text_area("Progress", key="prog_note")
        if st.form_submit_button("Add progress update"):
            attempt(
                lambda: scrutiny.add_progress(
                    current_path(), pid, reference, user=user, noted_on=on, note=note, status=status
                ),
                f"Progress on {reference} recorded.",
            )


def committee_form(pid: int, user, reference: str) -> None:
    """The committee judges progress and closes a recommendation."""
    with st.form(f"rec_close_{reference}"):
        st.markdown(f"**Committee: close {reference}**")
        c1, c2 = st.columns([1, 2])
        on = c1.date_input("Closed on", date.today(), key="close_on", format="DD/MM/YYYY")
        evidence = c2.text_input("Evidence that it is done", key="close_evidence")
        if st.form_submit_button("Close recommendation"):
            attempt(
                lambda: scrutiny.close_recommendation(
                    current_path(), pid, reference, user=user, closed_on=on, evidence=evidence
                ),
                f"{reference} closed by the committee.",
            )
    c3, c4 = st.columns(2)
    if c3.button("Progress unacceptable", key="judge_bad"):
        attempt(
            lambda: scrutiny.judge_progress(
                current_path(), pid, reference, user=user, acceptable=False
            ),
            f"{reference}: unacceptable.",
        )
    if c4.button("Progress acceptable", key="judge_ok"):
        attempt(
            lambda: scrutiny.judge_progress(
                current_path(), pid, reference, user=user, acceptable=True
            ),
            f"{reference}: acceptable.",
        )
