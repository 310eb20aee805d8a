"""Intake: our template read exactly, other layouts mapped, theme and period settled,
unknown codes, targets from a return."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd

from analytics.ingest.intake import IntakeContext, intake_file
from analytics.ingest.template import ReturnMeta, write_return_template

SAFER, HEALTH = "Safer", "Health"


def context(**overrides) -> IntakeContext:
    base = {
        "partnership_code": "WVP",
        "themes": [SAFER, HEALTH],
        "indicators": pd.DataFrame(
            {
                "code": ["NI 20", "NI 30", "LOC 7", "NI 8"],
                "title": ["Assault with injury", "Re-offending", "Homes delivered", "Sport"],
                "theme": [SAFER, SAFER, SAFER, HEALTH],
                "unit": ["rate", "%", "number", "%"],
                "measure_type": ["snapshot", "snapshot", "cumulative", "snapshot"],
            }
        ),
        "targets": pd.DataFrame(
            {
                "code": ["NI 20"],
                "financial_year": ["2009/10"],
                "target_value": [2.0],
                "q1_value": [None],
                "q2_value": [None],
                "q3_value": [None],
                "q4_value": [None],
            }
        ),  # fmt: skip
        "previous_values": pd.DataFrame(columns=["indicator_code", "period", "actual_value"]),
        "today": date(2010, 8, 20),
    }
    return IntakeContext(**{**base, **overrides})


def template(path, rows, period="2009/10 Q1", code="WVP"):
    frame = pd.DataFrame(rows)
    meta = ReturnMeta(code, "Wyvern Vale Partnership", SAFER, period)
    acts = pd.DataFrame([{"title": "Night bus", "description": "Started in May"}])
    return write_return_template(path, meta, frame, ["a", "b", "c", "d"], acts)


def test__intake__our_template_is_read_exactly_with_activities(tmp_path):
    rows = [
        {"code": "NI 20", "title": "Assault", "period": "2009/10 Q4", "target_value": 2.0,
         "actual_value": 1.9, "dq_flag": "provisional", "commentary": "Down"},
        {"code": "NI 30", "title": "Re-offending", "period": "2009/10", "actual_value": 12},
    ]  # fmt: skip
    path = template(tmp_path / "ret.xlsx", rows, "2009/10 Q4")
    intake = intake_file(path, context())
    assert intake.ok, [m.format() for m in intake.errors]
    assert (intake.source, intake.theme, intake.period) == ("template", SAFER, "2009/10 Q4")
    values = intake.values.set_index("indicator_code")
    assert values.at["NI 20", "dq_flag"] == "provisional"
    assert values.at["NI 20", "cell"] == "K5"
    assert values.at["NI 30", "period"] == "2009/10"  # an annual value in a Q4 return
    assert intake.activities["title"].tolist() == ["Night bus"]
    assert intake.new_targets.empty  # the template's target is the framework's


def test__intake__template_with_a_moved_column_is_an_error_naming_the_cell(tmp_path):
    path = template(tmp_path / "ret.xlsx", [{"code": "NI 20", "actual_value": 2}])
    book = openpyxl.load_workbook(path)
    book["Return"]["K4"] = "Value (number)"
    book.save(path)
    intake = intake_file(path, context())
    [error] = intake.errors
    assert error.cell == "K4" and "'value' has been moved or renamed" in error.text


def test__intake__template_for_another_partnership_is_refused(tmp_path):
    path = template(tmp_path / "ret.xlsx", [{"code": "NI 20", "actual_value": 2}], code="OTHER")
    assert "another partnership" in intake_file(path, context()).errors[0].text


def test__intake__own_layout_gets_theme_from_indicators_and_period_from_title(tmp_path):
    path = tmp_path / "safer.csv"
    path.write_text("Safer return, Q2 2009/10\n\nRef,Outturn,Comments\nNI 20,2.1,ok\nNI 30,11,\n")
    intake = intake_file(path, context())
    assert intake.ok, [m.format() for m in intake.errors]
    assert (intake.source, intake.theme, intake.period) == ("mapped", SAFER, "2009/10 Q2")
    assert any("theme group of every indicator" in note for note in intake.notes)
    assert intake.mapping_dict()["safer"]["columns"][1]["field"] == "actual_value"


def test__intake__mixed_themes_and_no_period_say_what_to_give(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("Ref,Actual\nNI 20,2\nNI 8,40\n")
    texts = [m.text for m in intake_file(path, context()).errors]
    assert any("which quarter" in t for t in texts)
    texts = [m.text for m in intake_file(path, context(), period="2009/10 Q1").errors]
    assert any("several theme groups: Safer (1), Health (1)" in t for t in texts)
    given = intake_file(path, context(), theme=SAFER, period="Q1 2009/10")
    assert not any("several theme" in m.text for m in given.messages)
    assert given.period == "2009/10 Q1"


def test__intake__wide_layout_period_is_the_latest_quarter_with_values(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("Ref,Q1 09/10,Q2 09/10,Q3 09/10\nNI 20,2.0,2.2,\n")
    intake = intake_file(path, context())
    assert intake.period == "2009/10 Q2" and intake.layout == "wide"
    assert sorted(intake.values["period"]) == ["2009/10 Q1", "2009/10 Q2"]


def test__intake__remembered_mapping_reads_a_heading_we_do_not_know(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Ref,Mystery figure,Period\nNI 20,2.5,2009/10 Q1\n")
    assert not intake_file(path, context(), theme=SAFER).ok
    fixed = intake_file(path, context(), theme=SAFER).mappings[0]
    fixed.columns[1].field = "actual_value"
    remembered = context(mappings={SAFER: {fixed.sheet: fixed.to_dict()}})
    intake = intake_file(path, remembered, theme=SAFER)
    assert intake.ok and intake.values["actual_value"].tolist() == [2.5]


def test__intake__remembered_mapping_follows_its_headings_when_rows_are_added_above(tmp_path):
    """Next quarter the theme group adds a title row: the remembered mapping's header row no
    longer holds its headings, so the headings are found again and the mapping applied."""
    first = tmp_path / "q1.csv"
    first.write_text("Ref,Mystery figure,Period\nNI 20,2.5,2009/10 Q1\n")
    fixed = intake_file(first, context(), theme=SAFER).mappings[0]
    fixed.columns[1].field = "actual_value"
    remembered = context(mappings={SAFER: {"q2": fixed.to_dict()}})
    later = tmp_path / "q2.csv"
    later.write_text("Safer return\n\nRef,Mystery figure,Period\nNI 20,2.7,2009/10 Q2\n")
    intake = intake_file(later, remembered, theme=SAFER)
    assert intake.ok, [m.format() for m in intake.errors]
    assert intake.mappings[0].header_row == 2
    assert intake.values["actual_value"].tolist() == [2.7]


def test__intake__header_row_given_is_the_row_of_headings(tmp_path):
    path = tmp_path / "legend.csv"
    path.write_text("Key:,Target,Actual,Comments\n\nRef,Period,Outturn\nNI 20,2009/10 Q1,2.5\n")
    guessed = intake_file(path, context(), theme=SAFER)
    assert guessed.mappings[0].header_row == 0 and not guessed.ok
    told = intake_file(path, context(), theme=SAFER, header_rows={"legend": 2})
    assert told.ok, [m.format() for m in told.errors]
    assert told.mappings[0].header_row == 2
    assert told.values["actual_value"].tolist() == [2.5]


def test__intake__add_unknown_turns_the_error_into_a_new_indicator(tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("Period,Ref,Indicator,Actual\n2009/10 Q1,L-9,Street lights,5\n")
    assert "unknown indicator" in intake_file(path, context(), theme=SAFER).errors[0].text
    intake = intake_file(path, context(), theme=SAFER, add_unknown=True)
    assert intake.ok
    assert intake.new_indicators[["code", "title", "theme"]].values.tolist() == [
        ["L-9", "Street lights", SAFER]
    ]
    assert "data-only" in intake.warnings[0].text


def test__intake__targets_from_the_return_new_when_none_flagged_when_different(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("Period,Ref,Actual,Target\n2009/10 Q1,NI 20,2,2.5\n2009/10 Q1,NI 30,11,10\n")
    intake = intake_file(path, context())
    assert intake.new_targets[["code", "financial_year", "target_value"]].values.tolist() == [
        ["NI 30", "2009/10", 10.0]
    ]
    [differs] = [m for m in intake.warnings if "in the framework" in m.text]
    assert differs.cell == "D2" and "2.5 here but 2 in the framework" in differs.text


def test__intake__unreadable_file_is_one_error_not_an_exception(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    intake = intake_file(path, context())
    assert not intake.ok and "empty (0 bytes)" in intake.errors[0].text


def _days_context() -> IntakeContext:
    indicators = pd.DataFrame(
        {
            "code": ["NI 181", "NI 20"],
            "title": ["Time taken to process benefit claims", "Assault with injury"],
            "theme": [SAFER, SAFER],
            "unit": ["days", "rate per 1,000"],
            "measure_type": ["snapshot", "snapshot"],
            "polarity": ["lower", "lower"],
        }
    )
    return context(indicators=indicators)


def _wide(path, rows, head=("Ref", "Indicator", "Target 09/10")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append([*head, "Q1 09/10", "Q2 09/10", "Q3 09/10", "Q4 09/10"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test__intake__wide_return_with_its_target_typed_in_days_loads_every_value(tmp_path):
    """The issue's file: an informational `Target 09/10` column saying `9.5 days` beside four
    quarters: the four values load, the target is read as 9.5, nothing is refused."""
    path = _wide(tmp_path / "wide.xlsx", [["NI 181", "Claims", "9.5 days", "10.2 days", 9.8,
                                           "9.6 days", 9.1]])  # fmt: skip
    intake = intake_file(path, _days_context())
    assert intake.ok, [m.format() for m in intake.errors]
    assert intake.messages == []
    assert intake.values["actual_value"].tolist() == [10.2, 9.8, 9.6, 9.1]
    assert intake.new_targets[["code", "target_value", "cell"]].values.tolist() == [
        ["NI 181", 9.5, "C2"]
    ]


def test__intake__unreadable_target_is_one_warning_on_its_cell_and_the_values_load(tmp_path):
    path = _wide(tmp_path / "wide.xlsx", [["NI 181", "Claims", "about 9", 10.2, 9.8, 9.6, 9.1]])
    intake = intake_file(path, _days_context())
    assert intake.ok and len(intake.values) == 4
    [warning] = intake.messages
    assert (warning.severity, warning.cell, warning.value) == ("warning", "C2", "about 9")
    assert warning.text.startswith("target not read")


def test__intake__a_target_in_another_unit_is_one_warning_naming_both(tmp_path):
    path = _wide(tmp_path / "wide.xlsx", [["NI 181", "Claims", "2 weeks", 10.2, 9.8, 9.6, 9.1]])
    intake = intake_file(path, _days_context())
    assert intake.ok and len(intake.values) == 4
    [warning] = intake.messages
    assert warning.cell == "C2"
    assert "typed in weeks, but NI 181 is measured in days" in warning.text


def test__intake__a_value_in_another_unit_is_an_error_naming_both(tmp_path):
    path = _wide(tmp_path / "wide.xlsx", [["NI 181", "Claims", 9.5, 10.2, "12 weeks", 9.6, 9.1]])
    intake = intake_file(path, _days_context())
    [error] = intake.errors
    assert (error.cell, error.value) == ("E2", "12 weeks")
    assert "typed in weeks, but NI 181 is measured in days" in error.text


def test__intake__polarity_heading_is_read_and_differs_once_per_cell(tmp_path):
    head = ("Ref", "Indicator", "Good is")
    rows = [["NI 181", "Claims", "High", 10.2, 9.8, 9.6, 9.1],
            ["NI 20", "Assault", "↓", 5.4, 5.3, 5.2, 5.1]]  # fmt: skip
    intake = intake_file(_wide(tmp_path / "wide.xlsx", rows, head), _days_context())
    assert intake.ok, [m.format() for m in intake.errors]
    assert not any("not read" in m.text for m in intake.messages)  # Good is is read
    [warning] = intake.messages
    assert (warning.cell, warning.value) == ("C2", "High")
    assert "return says higher is better for NI 181, the framework says lower" in warning.text


def test__intake__a_formula_never_calculated_is_a_warning_on_its_cell(tmp_path):
    path = tmp_path / "scripted.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Ref", "Actual"])
    sheet.append(["2009/10 Q1", "NI 20", "=1.5+0.4"])
    sheet.append(["2009/10 Q1", "NI 30", 12])
    book.save(path)  # openpyxl writes formulas with no cached result
    intake = intake_file(path, context())
    [warning] = [m for m in intake.messages if "never calculated" in m.text]
    assert (warning.severity, warning.cell) == ("warning", "C2")
    assert "open the file in Excel" in warning.fix
    assert not any("no value for NI 20" in m.text for m in intake.messages)  # said once
