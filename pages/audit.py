"""Audit: who did what, and when: every write (returns, withdrawals, the framework, accounts)
and every sign-in, failure, lock-out and sign-out. Filter by user, kind and date."""

from datetime import date, timedelta

import streamlit as st

from analytics.reports.writers.csv_file import frame_to_csv
from analytics.warehouse import accounts
from ui.context import page_guard
from ui.data import current_path

page_guard()
st.title("Audit")
st.caption("Latest first. Passwords and session tokens are never recorded.")
trail = accounts.audit_trail(current_path())
f1, f2, f3 = st.columns([3, 3, 2])
who = f1.selectbox("User", sorted(trail["actor"].unique()), index=None, key="audit_user",
                   placeholder="Everyone")  # fmt: skip
kinds = f2.multiselect("Kind", sorted(trail["kind"].unique()), key="audit_kind",
                       placeholder="Every kind")  # fmt: skip
today = date.today()
span = f3.date_input("Dates", value=(today - timedelta(days=90), today), key="audit_dates",
                     format="DD/MM/YYYY")  # fmt: skip
since, until = (span if isinstance(span, tuple) and len(span) == 2 else (span, span))[:2]
shown = accounts.audit_trail(current_path(), since=since or None, until=until or None,
                             actor=who, kinds=kinds)  # fmt: skip
st.caption(f"{len(shown)} of {len(trail)} entries")
if shown.empty:
    st.info("Nothing recorded for these filters.")
else:
    st.dataframe(
        shown.rename(columns={"logged_at": "When", "actor": "User", "kind": "Kind",
                              "subject": "What", "detail": "Detail"}),
        hide_index=True,
        column_config={"When": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss")},
    )  # fmt: skip
st.download_button("Download as CSV", frame_to_csv(shown), file_name="audit.csv",
                   mime="text/csv", icon=":material/download:", key="audit_csv")  # fmt: skip
