"""AppTest: the Returns page over the demo warehouse: templates, upload, mapping, preview,
commit, tracker, withdraw."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.warehouse.connection import ENV_VAR, close_readers
from tests.conftest import OFFICER, table_counts
from tests.pages.returns_app import app_script

SAFER = "Communities that are safe and feel safe"
OWN_LAYOUT = (
    "Safer Communities Partnership\nPerformance return 2011/12 Q1\n\n"
    "PI code,Measure,{actual},Comments\nNI 32,Repeat incidents,14.5,On track\n"
    'L-SC-02,Local measure,"1,234",Up\n'
)


@pytest.fixture
def returns_page(monkeypatch, tmp_path):
    def run(warehouse, user=OFFICER) -> AppTest:
        monkeypatch.setenv(ENV_VAR, str(warehouse))
        close_readers()
        at = AppTest.from_file(str(app_script(tmp_path)), default_timeout=90)
        at.session_state["user"] = user
        at.run()
        assert not at.exception
        return at

    return run


def _upload(at: AppTest, name: str, text: str) -> AppTest:
    at.file_uploader[0].set_value((name, text.encode(), "text/csv"))
    at.run()
    assert not at.exception
    return at


def test__returns__opens_with_a_template_button_per_theme_and_the_tracker(
    returns_page, demo_warehouse
):
    at = returns_page(demo_warehouse)
    assert at.title[0].value == "Returns"
    labels = [b.label for b in at.download_button]
    assert len(labels) == 6 and any(label.startswith(SAFER) for label in labels)
    assert at.file_uploader[0].accept_multiple_files
    assert set(at.file_uploader[0].allowed_type) >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
    [metric] = [m for m in at.metric if m.label == "Theme groups returned"]
    assert metric.value == "5 of 6"  # the demo's missing Health return in 2010/11 Q4
    tracker = [d.value for d in at.dataframe if "submission" in d.value.columns][0]
    health = tracker.set_index("theme group").loc["Improving health and well-being"]
    assert health["submission"].startswith("✖ overdue") and health["still missing"] > 0


def test__returns__bad_file_shows_its_message_and_cannot_be_committed(returns_page, demo_copy):
    at = _upload(returns_page(demo_copy), "bad.csv",
                 "Period,Ref,Actual\n2011/12 Q1,NI 32,about 12\n")  # fmt: skip
    assert at.expander[0].label.startswith("✖ cannot load")
    messages = [d.value for d in at.dataframe if "what to do" in d.value.columns][0]
    assert messages.iloc[0]["cell"] == "C2" and messages.iloc[0]["severity"] == "✖ error"
    assert at.button(key="returns_commit").disabled


def test__returns__own_layout_is_mapped_corrected_previewed_and_committed(returns_page, demo_copy):
    at = _upload(returns_page(demo_copy), "safer.csv", OWN_LAYOUT.format(actual="Mystery"))
    assert at.expander[0].label.startswith("✖ cannot load")  # no column for the actual value
    [editor] = at.data_editor
    mapping = editor.value
    assert mapping.loc[2, "heading"] == "Mystery" and mapping.loc[2, "field"] == "(not read)"
    at.session_state[editor.key] = {
        "edited_rows": {2: {"field": "actual_value"}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert not at.expander[0].label.startswith("✖")
    preview = [d.value for d in at.dataframe if "status after commit" in d.value.columns][0]
    assert set(preview["change"]) == {"+ new"} and len(preview) == 2
    assert set(preview["old value"]) == {"–"}  # nothing before: a dash, never "None"
    # what the value does to the status is in the first screen width, before the reason
    assert list(preview.columns[:6]) == ["code", "period", "change", "old value", "new value",
                                         "status after commit"]  # fmt: skip
    assert at.button(key="returns_commit").label == "Commit 1 return"
    before = table_counts(demo_copy)
    at.button(key="returns_commit").click().run()
    assert not at.exception
    assert "Committed: safer.csv: 2 new" in at.success[0].value
    assert table_counts(demo_copy)["return_file"] == before["return_file"] + 1
    close_readers()
    con = duckdb.connect(str(demo_copy), read_only=True)
    received = con.execute("SELECT received_on FROM return_file WHERE file_name = 'safer.csv'")
    assert received.fetchall() == [(date.today(),)]  # the "Received on" default
    con.close()


def test__returns__withdraw_a_return_of_the_period_in_view(returns_page, demo_copy, monkeypatch):
    monkeypatch.setenv("LSP_TODAY", "2011-07-20")  # before 2010/11 Q4 locks (30 September)
    at = returns_page(demo_copy)
    box = at.selectbox(key="wd_return")
    assert box.options
    box.select_index(0).run()
    at.text_input(key="wd_reason").input("sent in error").run()
    at.button(key="wd_go").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Withdrawn:")


def test__returns__a_locked_quarters_return_is_not_withdrawn(returns_page, demo_copy):
    at = returns_page(demo_copy)  # today: 2010/11 Q4 locked on 30 September 2011
    at.selectbox(key="wd_return").select_index(0).run()
    before = table_counts(demo_copy)
    at.button(key="wd_go").click().run()
    assert not at.exception
    assert "2010/11 Q4 is locked (since 30 September 2011)" in at.error[0].value
    assert table_counts(demo_copy) == before


# A legend row above the real headings looks more like headings (Target, Actual) than the
# real ones, which use words we do not know: the officer moves the header row, then says
# which column is which.
LEGEND_ABOVE = (
    "Safer Communities Partnership: performance return 2011/12 Q1\nKey:,Target,Actual\n\n"
    "Our ID,Label,Tally,Remarks\nNI 32,Repeat incidents,14.5,On track\n"
    'L-SC-02,Local measure,"1,234",Up\n'
)


def test__returns__header_row_moved_then_fields_chosen_loads(returns_page, demo_copy):
    at = _upload(returns_page(demo_copy), "safer.csv", LEGEND_ABOVE)
    assert at.expander[0].label.startswith("✖ cannot load")
    [header] = [n for n in at.number_input if n.key.startswith("hdr_")]
    assert header.value == 2  # our guess: the legend row
    header.set_value(4).run()
    assert not at.exception
    [editor] = at.data_editor
    mapping = editor.value.set_index("heading")
    assert list(mapping.index) == ["Our ID", "Label", "Tally", "Remarks"]
    assert set(mapping["field"]) == {"(not read)"}
    at.session_state[editor.key] = {
        "edited_rows": {0: {"field": "indicator_code"}, 2: {"field": "actual_value"},
                        3: {"field": "commentary"}},
        "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert not at.expander[0].label.startswith("✖"), at.expander[0].label
    preview = [d.value for d in at.dataframe if "status after commit" in d.value.columns][0]
    assert len(preview) == 2 and set(preview["change"]) == {"+ new"}
    at.button(key="returns_commit").click().run()
    assert not at.exception
    assert "Committed: safer.csv: 2 new" in at.success[0].value


def test__returns__each_sheet_of_a_workbook_has_its_own_mapping(returns_page, demo_copy, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Safer"
    for row in (["Period", "Ref", "Actual"], ["2011/12 Q1", "NI 32", 14.5]):
        first.append(row)
    second = book.create_sheet("Local")
    for row in (["Period", "Ref", "Mystery"], ["2011/12 Q1", "L-SC-02", 1234]):
        second.append(row)
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    at = returns_page(demo_copy)
    at.file_uploader[0].set_value(("two_sheets.xlsx", path.read_bytes(), "application/xlsx"))
    at.run()
    assert not at.exception
    headers = [n for n in at.number_input if n.key.startswith("hdr_")]
    assert [n.label for n in headers] == ["Header row of sheet 'Safer'",
                                         "Header row of sheet 'Local'"]  # fmt: skip
    local = at.data_editor[1]
    assert local.value.loc[2, "heading"] == "Mystery"
    at.session_state[local.key] = {
        "edited_rows": {2: {"field": "actual_value"}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert not at.expander[0].label.startswith("✖"), at.expander[0].label
    preview = [d.value for d in at.dataframe if "status after commit" in d.value.columns][0]
    assert len(preview) == 2
