"""One uploaded return on the Returns page: read it, show how it was read, let the officer
correct the theme group, the period, each sheet's header row and each column's field, and
read it again with those corrections."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics.ingest import view
from analytics.ingest.intake import Intake, IntakeContext, intake_file, summary
from analytics.ingest.mapping import ColumnMapping


def _header_key(file_key: str, sheet: str) -> str:
    return f"hdr_{file_key}::{sheet}"


def _editor_key(file_key: str, mapping: ColumnMapping) -> str:
    # a new header row is a new set of columns: its editor starts afresh
    return f"map_{file_key}::{mapping.sheet}::{mapping.header_row}"


def _chosen_header_rows(file_key: str) -> dict[str, int]:
    """Sheet -> 0-based header row, for the sheets whose header row the officer has set."""
    prefix = _header_key(file_key, "")
    return {
        name[len(prefix) :]: int(value) - 1
        for name, value in st.session_state.items()
        if isinstance(name, str) and name.startswith(prefix) and value
    }


def read_upload(
    path: Path, label: str, file_key: str, context: IntakeContext, add_unknown: bool
) -> tuple[Intake, list[ColumnMapping]]:
    """The file read with every correction the officer has made so far, and the mappings
    the editors show (as proposed for the chosen header rows, before the field edits).
    ``label`` is the name it was sent with (shown, recorded), never a path."""
    options = {
        "file_name": label,
        "add_unknown": add_unknown,
        "theme": st.session_state.get(f"theme_{file_key}") or None,
        "period": st.session_state.get(f"period_{file_key}") or None,
    }
    rows = _chosen_header_rows(file_key)
    base = intake_file(path, context, header_rows=rows or None, **options)
    if base.source != "mapped" or not base.mappings:
        return base, base.mappings
    edited = {}
    for mapping in base.mappings:
        edits = st.session_state.get(_editor_key(file_key, mapping), {}).get("edited_rows")
        if edits:
            edited[mapping.sheet] = view.apply_mapping_edits(mapping, edits)
    if not edited:
        return base, base.mappings
    fixed = {m.sheet: edited.get(m.sheet, m) for m in base.mappings}
    return intake_file(path, context, mappings=fixed, **options), base.mappings


def show_upload(
    name: str,
    file_key: str,
    intake: Intake,
    mappings: list[ColumnMapping],
    themes: list[str],
    quarters: list[str],
) -> None:
    """The file's result, its theme group and period, its mapping per sheet, its messages."""
    line = summary(intake)
    with st.expander(f"{line['result']}: {name}", expanded=not intake.ok):
        st.caption(
            f"Read as {line['read as']}; theme group: {intake.theme or '?'}; "
            f"period: {intake.period or '?'}; {line['values']} values. "
            + " ".join(f"({note})" for note in intake.notes)
        )
        c1, c2 = st.columns(2)
        c1.selectbox("Theme group", ["", *themes], key=f"theme_{file_key}",
                     format_func=lambda t: t or "(from the file)")  # fmt: skip
        c2.selectbox("Period", ["", *quarters], key=f"period_{file_key}",
                     format_func=lambda p: p or "(from the file)")  # fmt: skip
        if intake.source == "mapped":
            for mapping in mappings:
                _mapping_editor(file_key, mapping)
        if intake.messages:
            st.dataframe(view.messages_table(intake.messages), hide_index=True)
        else:
            st.write("✔ No problems found.")


def _mapping_editor(file_key: str, mapping: ColumnMapping) -> None:
    st.markdown(
        f"**Mapping used**, sheet '{mapping.sheet}', headings in row {mapping.header_row + 1}: "
        "correct a column's field if it was read wrongly, or the header row if we took the "
        "wrong row for the headings."
    )
    narrow, _ = st.columns([1, 3])
    narrow.number_input(
        f"Header row of sheet '{mapping.sheet}'",
        min_value=1,
        value=mapping.header_row + 1,
        step=1,
        key=_header_key(file_key, mapping.sheet),
        help="The spreadsheet row number (as Excel shows it) of the row of headings.",
    )
    st.data_editor(
        view.mapping_table(mapping),
        key=_editor_key(file_key, mapping),
        hide_index=True,
        disabled=["column", "heading", "period (wide layout)"],
        column_config={
            "field": st.column_config.SelectboxColumn(
                "field", options=view.FIELD_CHOICES, required=True
            )
        },
    )
