from datetime import date

import openpyxl
import pandas as pd
import pytest

from analytics.access import cli_user
from analytics.framework import spec
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.messages import FileRejected
from analytics.warehouse.connection import reader
from analytics.warehouse.load import import_framework
from tests.conftest import table_counts

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)


def small_framework(**overrides) -> dict[str, pd.DataFrame]:
    sheets = {
        "Partnership": pd.DataFrame(
            [
                {
                    "partnership_code": "TST",
                    "name": "Test Partnership",
                    "tier": "district",
                    "parent_name": "Testshire Partnership",
                    "area_name": "Test District",
                }
            ]
        ),
        "Themes": pd.DataFrame([{"theme": "Safer communities"}, {"theme": "Environment"}]),
        "Indicators": pd.DataFrame(
            [
                {
                    "code": "NI 191",
                    "theme": "Environment",
                    "unit": "kg",
                    "decimals": 0,
                    "measure_type": "cumulative",
                    "is_laa": True,
                },
                {"code": "ni157a", "theme": "Environment"},
                {
                    "code": "NI 1",
                    "theme": "Safer communities",
                    "title": "People get on well",
                    "polarity": "lower",
                    "frequency": "biennial",
                    "survey_years": "2008/09",
                },
                {
                    "code": "L-SC-01",
                    "theme": "Safer communities",
                    "title": "ASB incidents",
                    "polarity": "lower",
                    "unit": "incidents",
                    "status_rule": "abs_tolerance",
                    "amber_tolerance_abs": 50,
                },
            ]
        ),
        "Targets": pd.DataFrame(
            [
                {
                    "code": "NI 191",
                    "year": "2009/10",
                    "target_value": 600,
                    "set_on": date(2009, 4, 1),
                },
                {
                    "code": "NI 191",
                    "year": "2009/10",
                    "target_value": 620,
                    "set_on": date(2009, 10, 1),
                    "reason": "refreshed in recession",
                },
                {
                    "code": "L-SC-01",
                    "year": "2009/10",
                    "target_value": 3000,
                    "q1": 700,
                    "q2": 1500,
                    "q3": 2250,
                    "q4": 3000,
                },
            ]
        ),
    }
    sheets.update(overrides)
    return sheets


def test__template__has_every_sheet_instructions_and_drop_downs(tmp_path):
    path = write_framework(tmp_path / "framework.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Instructions", *[s.name for s in spec.SHEETS]]
    indicators = book["Indicators"]
    headers = [c.value for c in indicators[1]]
    for required in (
        "code",
        "title",
        "theme",
        "polarity",
        "unit",
        "decimals",
        "frequency",
        "measure_type",
        "amber_tolerance_pct",
        "is_laa",
        "lead",
    ):
        assert required in headers
    lists = [dv.formula1 for dv in indicators.data_validations.dataValidation]
    assert '"higher,lower,none"' in lists
    assert [c.value for c in book["Targets"][1]][:7] == [
        "code",
        "year",
        "target_value",
        "q1",
        "q2",
        "q3",
        "q4",
    ]


def test__import__ni_takes_title_and_polarity_from_catalogue_unless_overridden(
    tmp_path, empty_warehouse
):
    path = write_framework(tmp_path / "f.xlsx", small_framework())
    counts = import_framework(read_framework(path), empty_warehouse, user=ACTING)
    assert counts["indicators"] == 4
    rows = {
        r[0]: r[1:]
        for r in reader(empty_warehouse)
        .execute("SELECT code, title, polarity, catalogue_code, status_rule FROM indicator")
        .fetchall()
    }
    assert rows["NI 191"][0].startswith("Residual household waste")
    assert rows["NI 191"][1] == "lower"
    assert rows["NI 157a"][2] == "NI 157"  # sub-code: its own indicator, parent NI 157
    assert rows["NI 157a"][0].endswith("(a)")
    assert rows["NI 1"][:2] == ("People get on well", "lower")  # the sheet overrides
    assert rows["L-SC-01"][3] == "abs_tolerance"


def test__import__refreshed_target_is_a_second_version_and_reimport_changes_nothing(
    tmp_path, empty_warehouse
):
    path = write_framework(tmp_path / "f.xlsx", small_framework())
    import_framework(read_framework(path), empty_warehouse, user=ACTING)
    versions = (
        reader(empty_warehouse)
        .execute(
            "SELECT version, target_value, reason FROM target JOIN indicator USING (indicator_id)"
            " WHERE code = 'NI 191' ORDER BY version"
        )
        .fetchall()
    )
    assert [(v, t) for v, t, _ in versions] == [(1, 600.0), (2, 620.0)]
    assert versions[1][2] == "refreshed in recession"
    before = table_counts(empty_warehouse)
    again = import_framework(read_framework(path), empty_warehouse, user=ACTING)
    assert again["target_versions_added"] == 0
    after = table_counts(empty_warehouse)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


def test__import__two_tier_parent_partnership_is_recorded(tmp_path, empty_warehouse):
    path = write_framework(tmp_path / "f.xlsx", small_framework())
    import_framework(read_framework(path), empty_warehouse, user=ACTING)
    rows = (
        reader(empty_warehouse)
        .execute(
            "SELECT p.name, parent.name, parent.tier FROM partnership p"
            " JOIN partnership parent ON p.parent_id = parent.partnership_id"
        )
        .fetchall()
    )
    assert rows == [("Test Partnership", "Testshire Partnership", "county")]


BAD_CASES = [
    ("Indicators", {"polarity": "up"}, "polarity is not one of higher, lower, none", "D2"),
    ("Indicators", {"theme": "Unknown theme"}, "this theme is not in the workbook", "C2"),
    ("Indicators", {"decimals": "two"}, "decimals is not a valid int", "F2"),
    ("Targets", {"year": "2009-10"}, "year is not a valid year", "B2"),
    ("Targets", {"target_value": "lots"}, "target_value is not a valid number", "C2"),
]


@pytest.mark.parametrize(("sheet", "change", "expected", "cell"), BAD_CASES)
def test__import__bad_cell_is_named_and_nothing_is_written(
    tmp_path, empty_warehouse, sheet, change, expected, cell
):
    sheets = small_framework()
    frame = sheets[sheet].copy().astype(object)
    for column, value in change.items():
        frame.loc[0, column] = value
    sheets[sheet] = frame
    path = write_framework(tmp_path / "bad.xlsx", sheets)
    before = table_counts(empty_warehouse)
    with pytest.raises(FileRejected) as caught:
        import_framework(read_framework(path), empty_warehouse, user=ACTING)
    text = str(caught.value)
    assert expected in text
    assert f"sheet '{sheet}', cell {cell}" in text
    assert table_counts(empty_warehouse) == before


def test__import__unknown_ni_and_local_without_title_rejected_together(tmp_path, empty_warehouse):
    sheets = small_framework(
        Indicators=pd.DataFrame(
            [
                {"code": "NI 250", "theme": "Environment"},
                {"code": "L-X", "theme": "Environment", "polarity": "higher"},
            ]
        ),
        Targets=pd.DataFrame(columns=["code", "year"]),
    )
    path = write_framework(tmp_path / "bad.xlsx", sheets)
    before = table_counts(empty_warehouse)
    with pytest.raises(FileRejected) as caught:
        import_framework(read_framework(path), empty_warehouse, user=ACTING)
    messages = [m.format() for m in caught.value.messages]
    assert any("A2" in m and "not in the National Indicator Set" in m for m in messages)
    assert any("B3" in m and "needs a title" in m for m in messages)
    assert table_counts(empty_warehouse) == before


def test__read__missing_required_sheet_and_column_are_reported(tmp_path):
    path = tmp_path / "thin.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Themes"
    book["Themes"].append(["name"])
    book.save(path)
    with pytest.raises(FileRejected) as caught:
        read_framework(path)
    text = str(caught.value)
    assert "required column 'theme' is missing" in text
    assert "no 'Indicators' sheet" in text


def _with_green_band(band, **settings) -> dict[str, pd.DataFrame]:
    indicator = {"code": "NI 191", "theme": "Environment", "unit": "kg", "decimals": 0,
                 "green_tolerance_pct": band, **settings}  # fmt: skip
    return small_framework(Indicators=pd.DataFrame([indicator]), Targets=pd.DataFrame(
        [{"code": "NI 191", "year": "2009/10", "target_value": 640}]))  # fmt: skip


def test__import__green_band_is_stored_and_in_the_rule_in_words(tmp_path, empty_warehouse):
    from analytics.framework.view import indicator_table
    from analytics.warehouse import queries

    path = write_framework(
        tmp_path / "f.xlsx", _with_green_band(10, status_rule="improved_last_year")
    )
    assert "green_tolerance_pct" in [c.value for c in openpyxl.load_workbook(path)["Indicators"][1]]
    import_framework(read_framework(path), empty_warehouse, user=ACTING)
    assert reader(empty_warehouse).execute(
        "SELECT green_tolerance_pct FROM indicator WHERE code = 'NI 191'"
    ).fetchall() == [(10.0,)]
    pid = int(queries.partnerships(empty_warehouse)["partnership_id"].iloc[0])
    frame = queries.framework_indicators(empty_warehouse, pid)
    [rule] = indicator_table(frame, ["2009/10"])["Status rule"]
    assert rule == (
        "Green on target or within 10% of it; amber if off target but improved on same "
        "period last year"
    )


def test__read__green_band_out_of_range_is_an_error_and_one_as_wide_as_amber_a_warning(tmp_path):
    path = write_framework(tmp_path / "bad.xlsx", _with_green_band(120))
    with pytest.raises(FileRejected) as rejected:
        read_framework(path)
    [error] = [m for m in rejected.value.messages if m.is_error]
    assert error.sheet == "Indicators" and "green band" in error.text
    path = write_framework(tmp_path / "wide.xlsx", _with_green_band(10, amber_tolerance_pct=5))
    [warning] = [m for m in read_framework(path).messages if "green band" in m.text]
    assert warning.severity == "warning" and "never amber" in warning.text


def test__import__reward_grant_and_target_without_stretch_are_kept(tmp_path, empty_warehouse):
    sheets = small_framework()
    sheets["Partnership"] = sheets["Partnership"].assign(reward_grant_total=["£1,200,000"])
    sheets["Targets"] = pd.DataFrame(
        [{"code": "NI 191", "year": "2009/10", "target_value": 600,
          "target_without_stretch": 625, "set_on": date(2009, 4, 1)}]
    )  # fmt: skip
    path = write_framework(tmp_path / "f.xlsx", sheets)
    import_framework(read_framework(path), empty_warehouse, user=ACTING)
    con = reader(empty_warehouse)
    assert con.execute(
        "SELECT reward_grant_total FROM partnership WHERE partnership_code = 'TST'"
    ).fetchone() == (1_200_000.0,)
    assert con.execute("SELECT target_value, target_without_stretch FROM target").fetchall() == [
        (600.0, 625.0)
    ]
