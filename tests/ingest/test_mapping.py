"""Header row, synonyms as data, layouts, the JSON round trip and a remembered mapping."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics.ingest.mapping import ColumnMapping, apply_mapping, find_header_row, propose_mapping
from analytics.ingest.read import SheetGrid
from analytics.ingest.spelling import header_synonyms, normalise_code, normalise_header
from analytics.messages import cell_ref, column_letter


def grid(rows, merged=None, file="return.xlsx") -> SheetGrid:
    return SheetGrid(file, "Return", True, [list(r) for r in rows], merged or [])


@pytest.mark.parametrize(
    ("header", "field"),
    [("NI ref.", "indicator_code"), ("PI Code", "indicator_code"), ("Out-turn", "actual_value"),
     ("Remedial  action", "remedial_action"), ("DATA QUALITY", "dq_flag"),
     ("Annual target", "target_value"), ("Commentary", "commentary"), ("Qtr", "period")],
)  # fmt: skip
def test__synonyms__match_ignoring_case_space_and_punctuation(header, field):
    assert header_synonyms()[normalise_header(header)] == field


def test__find_header_row__skips_title_rows():
    g = grid([["Safer Communities"], ["Q1 return"], [], ["Ref", "Measure", "Outturn"], ["NI 1"]])
    assert find_header_row(g)[0] == 3


def test__propose_mapping__long_layout_takes_period_from_title():
    g = grid([["Performance return Q1 2008/09"], ["Ref", "Actual"], ["NI 1", 5]])
    mapping = propose_mapping(g)
    assert (mapping.layout, mapping.period, mapping.missing_fields()) == ("long", "2008/09 Q1", [])


def test__propose_mapping__reports_missing_and_unmapped_columns():
    mapping = propose_mapping(grid([["Ref", "Target", "RAG"], ["NI 1", 5, "G"]]))
    assert "actual_value" in mapping.missing_fields()
    assert [r.header for r in mapping.unmapped()] == ["RAG"]


def test__apply_mapping__wide_layout_gives_one_row_per_indicator_and_period():
    g = grid([["Ref", "Q1 08/09", "Q2 08/09", "Q1 08/09 Target"], ["NI 1", 5, "", 6]])
    mapping = propose_mapping(g)
    frame = apply_mapping(g, mapping)
    assert mapping.layout == "wide"
    assert frame["period"].tolist() == ["2008/09 Q1", "2008/09 Q2"]
    assert frame["actual_value_cell"].tolist() == ["B2", "C2"]
    assert frame["target_value"].tolist()[0] == 6
    assert frame["actual_value_kind"].tolist() == ["number", "missing"]


def test__propose_mapping__year_of_qtr_heading_comes_from_merged_cell_above():
    g = grid([["", "2009/10", ""], ["Ref", "Qtr 1", "Qtr 2"], ["NI 1", 5, 6]],
             merged=[((0, 1), (0, 2))])  # fmt: skip
    rules = propose_mapping(g).columns
    assert [r.period for r in rules[1:]] == ["2009/10 Q1", "2009/10 Q2"]


def test__column_mapping__round_trips_through_json():
    mapping = propose_mapping(grid([["Ref", "Actual", "Period"], ["NI 1", 5, "2008/09 Q1"]]))
    again = ColumnMapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
    assert again == mapping


def test__propose_mapping__remembered_choice_wins_over_synonyms():
    g = grid([["Ref", "Score", "Period"], ["NI 1", 5, "2008/09 Q1"]])
    remembered = propose_mapping(g)
    remembered.columns[1].field = "target_value"
    mapping = propose_mapping(g, remembered=remembered)
    assert mapping.columns[1].field == "target_value"


def test__apply_mapping__every_value_keeps_its_source_cell():
    g = grid(
        [["x"], ["Ref", "Actual", "Comments", "Period"], ["NI 1", "45%", "ok", "Apr-Jun 2008"]]
    )
    frame = apply_mapping(g, propose_mapping(g))
    row = frame.iloc[0]
    assert (row["indicator_code_cell"], row["actual_value_cell"], row["commentary_cell"]) == (
        "A3", "B3", "C3"
    )  # fmt: skip
    assert (row["actual_value"], row["period"], row["period_cell"]) == (45.0, "2008/09 Q1", "D3")


def test__apply_mapping__columns_not_read_change_nothing():
    rows = [["Ref", "Period", "Actual", "Comments"], ["NI 1", "2008/09 Q1", 5, "ok"],
            ["Notes: figures are provisional"], ["NI 4", "2008/09 Q1", "n/a", ""]]  # fmt: skip
    narrow = grid(rows)
    # more columns not read than read: the columns are read one at a time, not row by row
    wide = grid([row + [""] * (4 - len(row)) + [f"x{i}" for i in range(12)] for row in rows])
    expected = apply_mapping(narrow, propose_mapping(narrow))
    frame = apply_mapping(wide, propose_mapping(wide))
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["indicator_code"].tolist() == ["NI 1", "NI 4"]
    assert frame["row_number"].tolist() == [2, 4]


CODES = [("ni 1", "NI 1"), ("NI-001", "NI 1"), ("NI1", "NI 1"), (" LOC 7 ", "LOC 7"), ("", None)]


@pytest.mark.parametrize(("raw", "code"), [*CODES, (12.0, "12")])
def test__normalise_code__spells_ni_codes_one_way(raw, code):
    assert normalise_code(raw) == code


def test__cell_ref__names_excel_cells():
    assert (cell_ref(13, 3), column_letter(25), column_letter(26), column_letter(701)) == (
        "D14", "Z", "AA", "ZZ"
    )  # fmt: skip
