"""The Return form page's pieces: which theme group and quarter, the form itself (a block per
indicator: last period's value, the target, the unit; fields for the value, the data-quality
flag, the commentary and the remedial action, each with its problems under it and the status
the value would get), save as draft, submit.

What is typed is checked by :mod:`analytics.collection.form` (our template filled in, read by
the spreadsheet path); drafts and submission are written by :mod:`analytics.warehouse.drafts`
and :func:`analytics.warehouse.returns.commit_returns`, which check the permission and the
lock whatever this page shows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import labels, periods
from analytics import vocabulary as V
from analytics.access import PermissionDenied, may
from analytics.collection import calendar
from analytics.collection import form as checks
from analytics.formatting import format_number
from analytics.messages import FileRejected, Message
from analytics.warehouse import drafts
from ui.components import md_escape
from ui.data import current_path, query, version

DQ_WORDS = {f.code: f.label or "OK" for f in V.DQ_FLAG_TABLE}
REVIEW_WORDS = {
    "submitted": "… submitted, awaiting the performance officer's sign-off",
    "accepted": "✔ accepted by the performance officer",
    "sent_back": "✖ sent back for correction",
}


def choose(pid: int, user) -> tuple[int, str, str] | None:
    """The theme group (those the user may send a return for) and the quarter (those open for
    it), from the link's ``?theme=&period=`` when it names them: (theme_id, theme, quarter)."""
    themes = query("themes", pid)
    mine = themes[[may(user, "returns.submit", pid, int(t)) for t in themes["theme_id"]]]
    if mine.empty:
        st.info("You do not lead a theme group here, so there is no return for you to send.")
        return None
    names = dict(zip(mine["theme_id"].astype(int), mine["theme"], strict=True))
    ids = list(names)
    wanted = st.query_params.get("theme")
    first = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0
    c1, c2 = st.columns([3, 2])
    theme_id = c1.selectbox("Theme group", ids, index=first, format_func=names.get,
                            key="rf_theme")  # fmt: skip
    today = calendar.today()
    quarters = query("open_quarters", pid, theme_id, today)
    if not quarters:
        st.info("No quarter is open for this theme group's return now.")
        return None
    was = st.session_state.get("rf_quarter")
    if was is not None and was not in quarters:  # it locked while the form was open
        del st.session_state["rf_quarter"]
        st.session_state["rf_closed"] = was
    asked = st.query_params.get("period")
    quarter = c2.selectbox(
        "Quarter", quarters, index=quarters.index(asked) if asked in quarters else 0,
        key="rf_quarter", help="Quarters whose collection is open and not locked.",
    )  # fmt: skip
    st.query_params.update({"theme": str(theme_id), "period": quarter})
    return int(theme_id), names[theme_id], quarter


def _words(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _as_text(value: object) -> str:
    return "" if value is None or pd.isna(value) else format(float(value), ".10g")


def _start(pid: int, theme_id: int, quarter: str, rows: pd.DataFrame) -> tuple[int, list[dict]]:
    """(version, entries) the form opens with: the draft, else the values in force."""
    draft = query("latest_draft", pid, theme_id, quarter)
    if draft.state == "draft":
        return draft.version, draft.entries
    held = query("form_values", pid, theme_id, tuple(rows["period"].unique()))
    by_code = {r.code: r for r in held.itertuples()}
    entries = []
    for code in rows["code"]:
        row = by_code.get(code)
        entries.append({
            "code": code, "value": _as_text(row.actual_value) if row else "",
            "dq_flag": row.dq_flag if row else "ok",
            "commentary": _words(row.commentary) if row else "",
            "remedial_action": _words(row.remedial_action) if row else "",
            "numerator": _as_text(row.numerator_value) if row else "",
            "denominator": _as_text(row.denominator_value) if row else "",
        })  # fmt: skip
    return draft.version, entries


@st.cache_data(show_spinner=False, max_entries=64)
def _checked(path: str, data_version: int, pid: int, theme: str, quarter: str, entries: tuple):
    rows, history, info = query("template_rows", pid, theme, quarter)
    context = query("intake_context", pid)
    with tempfile.TemporaryDirectory(prefix="lsp-form-") as folder:
        result = checks.check(path, Path(folder), context, info, theme, quarter, rows, history,
                              [dict(e) for e in entries])  # fmt: skip
    result.intake.path = Path(result.intake.path.name)  # the folder is gone: a label only
    return result


def _say(messages: list[Message]) -> None:
    for m in sorted(messages, key=lambda m: not m.is_error):
        found = "" if m.value in (None, "") else f" (found {m.value!r})"
        line = f"{m.text}{found}. {m.fix[:1].upper()}{m.fix[1:]}."
        if m.is_error:
            st.error(md_escape(line), icon=":material/error:")
        else:
            st.warning(md_escape(line), icon=":material/warning:")


def show(pid: int, user, theme_id: int, theme: str, quarter: str) -> None:
    rows, _history, _info = query("template_rows", pid, theme, quarter)
    if rows.empty:
        st.info(f"No indicator of {theme} is due in {quarter}.")
        return
    dates = query("theme_dates", pid, quarter).set_index("theme_id").loc[theme_id]
    due = pd.Timestamp(dates["due"]).date()
    left = calendar.working_days_between(calendar.today(), due)
    review = query("latest_review", pid, theme_id, quarter)
    when = (f"in {left} working day{'s' if left != 1 else ''}" if left > 0 else
            "today" if left == 0 else "overdue")  # fmt: skip
    if review is not None:
        when = f"the return in force arrived on {pd.Timestamp(review['received_on']):%-d %B %Y}"
    st.markdown(f"**{md_escape(theme)}, {quarter}**: due by **{due:%A %-d %B %Y}** ({when}).")
    if review is not None:
        said = REVIEW_WORDS.get(review["review_state"], review["review_state"])
        how = (
            "the web form"
            if review["layout"] == "form"
            else f"a spreadsheet ({review['file_name']})"
        )
        text = f"The return in force came by {md_escape(how)}: {said}."
        if review["review_state"] == "sent_back":
            st.warning(text + f"\n\n**The officer's note:** {md_escape(review['review_note'])}",
                       icon=":material/undo:")  # fmt: skip
        else:
            st.info(text, icon=":material/inbox:")

    closed = st.session_state.pop("rf_closed", None)
    lock_note = st.container()  # always there: the fields below keep their place (see below)
    if closed:
        lock_note.warning(
            f"{closed} has closed since you opened its form (it has locked), so nothing more "
            f"can be saved or submitted for it: what you just asked was not done. If a value "
            f"must still change, ask the performance officer to reopen {closed} for "
            f"{md_escape(theme)}. The form below is {quarter}'s.", icon=":material/lock:",
        )  # fmt: skip
    key = f"rf:{pid}:{theme_id}:{quarter}"
    if key not in st.session_state:  # first time here (or after loading a newer version)
        st.session_state[key] = _start(pid, theme_id, quarter, rows)
        st.session_state[f"{key}:gen"] = st.session_state.get(f"{key}:gen", 0) + 1
    base_version, start = st.session_state[key]
    gen = st.session_state[f"{key}:gen"]
    start_by = {e["code"]: e for e in start}
    draft = query("latest_draft", pid, theme_id, quarter)
    draft_note = st.container()
    if draft.state == "draft":
        draft_note.caption(f"Draft version {draft.version} saved by {draft.saved_by} at "
                           f"{draft.saved_at:%H:%M on %-d %B %Y}: not yet a return.")  # fmt: skip

    decimals = query("framework_indicators", pid).set_index("code")["decimals"]
    notices = st.container()
    entries = []
    for row in rows.itertuples():
        entries.append(_entry(row, start_by.get(row.code, {}), f"{key}:{gen}", decimals))
    result = _checked(current_path(), version(), pid, theme, quarter,
                      tuple(tuple(sorted(e.items())) for e in entries))  # fmt: skip
    blank = not any(e["value"].strip() or e["commentary"].strip() for e in entries)
    # Messages that come and go sit in containers, so the fields after them keep their place
    # on the page from one run to the next (the browser keeps the field being typed in).
    with notices:
        if blank:  # nothing typed yet: no problems to show, nothing to submit
            st.info("Nothing typed yet: type a value (or say in the commentary why there is "
                    "none) for each indicator below.", icon=":material/edit_note:")  # fmt: skip
        else:
            _say(result.general)
    for row, entry in zip(rows.itertuples(), entries, strict=True):
        _block(row, entry, checks.FormCheck(result.intake) if blank else result,
               f"{key}:{gen}", decimals)  # fmt: skip
    _buttons(
        pid, user, theme_id, theme, quarter, entries, base_version, result, key, act=not closed
    )  # a click made on the locked quarter's form is not applied here


def _entry(row, start: dict, key: str, decimals) -> dict:
    """The fields' values this run (the widgets hold them; drawn in :func:`_block`)."""
    out = {"code": row.code}
    defaults = {"value": start.get("value", ""), "dq_flag": start.get("dq_flag") or "ok",
                "commentary": start.get("commentary", ""),
                "remedial_action": start.get("remedial_action", ""),
                "numerator": start.get("numerator", ""),
                "denominator": start.get("denominator", "")}  # fmt: skip
    for name, default in defaults.items():
        out[name] = st.session_state.get(f"{key}:{row.code}:{name}", default)
    return out


def _block(row, entry: dict, result: checks.FormCheck, key: str, decimals) -> None:
    places = int(decimals.get(row.code, 1)) if row.code in decimals.index else 1
    with st.container(border=True):
        st.markdown(f"**{md_escape(row.code)}: {md_escape(row.title)}**")
        better = {"higher": "higher is better", "lower": "lower is better"}.get(
            row.polarity, "no judgement (data only)")  # fmt: skip
        last = periods.shift(row.period, -1)
        st.caption(
            f"Period {row.period} · unit: {md_escape(row.unit or 'none')} · {better} · "
            f"last period ({last}): {format_number(row.hist_4, row.unit, places)} · "
            f"target: {format_number(row.target_value, row.unit, places)}"
        )
        c1, c2, c3 = st.columns([2, 2, 3])
        c1.text_input(
            f"{row.code} value", value=entry["value"], key=f"{key}:{row.code}:value",
            help=f"In {row.unit or 'the indicator unit'}; the unit may be typed too "
            "(45%, 9.5 days, £2.3m). Leave blank if there is none and say why.",
        )  # fmt: skip
        c2.selectbox(
            f"{row.code} data quality", V.DQ_FLAGS,
            index=V.DQ_FLAGS.index(entry["dq_flag"]) if entry["dq_flag"] in V.DQ_FLAGS else 0,
            format_func=lambda f: DQ_WORDS.get(f, f), key=f"{key}:{row.code}:dq_flag",
        )  # fmt: skip
        with c3:
            status = result.statuses["status"].get(row.code) if not result.statuses.empty else None
            if status is not None and not pd.isna(status):
                reason = result.statuses["status_reason"].get(row.code) or ""
                st.markdown(f"Status if submitted: :{labels.STATUS_BADGE[status]}-badge["
                            f"{labels.STATUS[status]}]  \n{md_escape(reason)}")  # fmt: skip
            else:
                st.markdown("Status if submitted: –")
        with st.container():
            _say(result.messages_for(row.code, "value") + result.messages_for(row.code, "dq_flag"))
        if row.takes_ratio:  # a percentage or a rate: its two counts
            n1, n2, _ = st.columns([2, 2, 3])
            n1.text_input(
                f"{row.code} numerator", value=entry["numerator"],
                key=f"{key}:{row.code}:numerator",
                help="The number counted (people who agreed, incidents, tonnes recycled), "
                "if you have it. With the denominator, the figure's confidence interval is "
                "shown; a county that adds up its districts' counts needs both.",
            )  # fmt: skip
            n2.text_input(
                f"{row.code} denominator", value=entry["denominator"],
                key=f"{key}:{row.code}:denominator",
                help="The number it is out of (people asked, the population, tonnes collected).",
            )  # fmt: skip
            with st.container():
                _say(result.messages_for(row.code, "numerator")
                     + result.messages_for(row.code, "denominator"))  # fmt: skip
        t1, t2 = st.columns(2)
        t1.text_area(f"{row.code} commentary", value=entry["commentary"], height=90,
                     key=f"{key}:{row.code}:commentary",
                     help="Why the figure is what it is.")  # fmt: skip
        t2.text_area(f"{row.code} remedial action", value=entry["remedial_action"], height=90,
                     key=f"{key}:{row.code}:remedial_action",
                     help="If off target: what will be done, by whom, by when.")  # fmt: skip
        with t1:
            _say(result.messages_for(row.code, "commentary"))
        with t2:
            _say(result.messages_for(row.code, "remedial_action"))


def _buttons(
    pid, user, theme_id, theme, quarter, entries, base_version, result, key, *, act: bool = True
) -> None:
    errors = [m for m in result.intake.messages if m.is_error]
    summary = st.container()  # always there: the buttons keep their place
    if errors and any(e["value"].strip() or e["commentary"].strip() for e in entries):
        summary.error(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before the return "
            "can be submitted (shown on their fields). A draft can be saved as it is.",
            icon=":material/error:",
        )
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button("Save draft", key="rf_save", icon=":material/save:") and act:
        try:
            saved = drafts.save_draft(current_path(), pid, theme_id, quarter, entries,
                                      base_version, user=user)  # fmt: skip
        except drafts.DraftConflict as conflict:
            st.session_state["rf_conflict"] = str(conflict)
        except (PermissionDenied, FileRejected) as refused:
            st.error(f"Not saved: {refused}")
        else:
            st.session_state[key] = (saved, entries)
            st.session_state["rf_done"] = f"Draft saved (version {saved}): not yet a return."
            st.rerun()
    if c2.button("Submit return", key="rf_submit", type="primary", disabled=bool(errors),
                 icon=":material/send:") and act:  # fmt: skip
        rows, history, info = query("template_rows", pid, theme, quarter)
        try:
            checked, committed = checks.submit(
                current_path(), pid, theme_id, query("intake_context", pid), info, theme,
                quarter, rows, history, entries, base_version, user=user,
            )  # fmt: skip
        except drafts.DraftConflict as conflict:
            st.session_state["rf_conflict"] = str(conflict)
        except (PermissionDenied, FileRejected) as refused:
            st.error(f"Not submitted: {refused}")
        else:
            if committed is not None:
                st.session_state.pop(key, None)
                st.session_state["rf_done"] = (
                    f"Submitted: return {committed.return_id} ({committed.rows_new} new, "
                    f"{committed.rows_changed} changed, {committed.rows_unchanged} unchanged). "
                    "The performance officer will check it; you will see here if it is "
                    "accepted or sent back."
                )
                st.rerun()
            st.error("Not submitted: fix the problems shown first.")
    if conflict := st.session_state.get("rf_conflict"):
        st.error(conflict, icon=":material/sync_problem:")
        if st.button("Load the newer version", key="rf_reload"):
            st.session_state.pop(key, None)
            st.session_state.pop("rf_conflict", None)
            st.rerun()
