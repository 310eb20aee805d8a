"""`lsp template` and `lsp import`: exit codes, messages, and the warehouse left as it was."""

from __future__ import annotations

import openpyxl

from analytics.cli import main
from tests.conftest import table_counts

SAFER = "Communities that are safe and feel safe"
# the demo warehouse holds its county and three more districts: commands name the partnership
WVP = ["--partnership", "WVP"]


def _filled_template(demo_copy, tmp_path, capsys, value=12.5):
    out = tmp_path / "safer.xlsx"
    code = main(["--warehouse", str(demo_copy), "template", *WVP, "--theme", SAFER,
                 "--period", "2011/12 Q1", "-o", str(out)])  # fmt: skip
    assert code == 0
    assert "indicators due" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    sheet = book["Return"]
    for row in range(5, sheet.max_row + 1):
        sheet.cell(row, 11, value)
    book.save(out)
    return out


def test__cli__template_then_import_then_import_again(demo_copy, tmp_path, capsys):
    out = _filled_template(demo_copy, tmp_path, capsys)
    before = table_counts(demo_copy)
    assert main(["--warehouse", str(demo_copy), "import", str(out), "--dry-run"]) == 0
    assert "would load" in capsys.readouterr().out
    assert table_counts(demo_copy) == before
    assert main(["--warehouse", str(demo_copy), "import", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "loaded as return" in printed and "new" in printed
    after = table_counts(demo_copy)
    assert after["return_file"] == before["return_file"] + 1
    assert main(["--warehouse", str(demo_copy), "import", str(out)]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert table_counts(demo_copy) == after


def test__cli__import_awaits_sign_off_unless_accepted(demo_copy, tmp_path, capsys):
    from analytics.warehouse import collection, queries

    pid = int(queries.partnerships(demo_copy).query("indicators > 0")["partnership_id"].iloc[0])
    out = _filled_template(demo_copy, tmp_path, capsys)
    assert main(["--warehouse", str(demo_copy), "import", str(out)]) == 0
    assert "; awaiting sign-off." in capsys.readouterr().out
    assert collection.review_queue(demo_copy, pid, "2011/12 Q1")["review_state"].tolist() == [
        "submitted"]  # fmt: skip
    again = _filled_template(demo_copy, tmp_path, capsys, value=13.0)
    assert main(["--warehouse", str(demo_copy), "import", str(again), "--accept"]) == 0
    assert "; accepted." in capsys.readouterr().out
    assert collection.review_queue(demo_copy, pid, "2011/12 Q1")["review_state"].tolist() == [
        "accepted"]  # fmt: skip


def test__cli__rejected_file_exits_1_with_cell_and_changes_nothing(demo_copy, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Period,Ref,Actual\n2011/12 Q1,NI 32,about 12\n")
    before = table_counts(demo_copy)
    assert main(["--warehouse", str(demo_copy), "import", *WVP, str(bad)]) == 1
    err = capsys.readouterr().err
    assert "ERROR: bad.csv, sheet 'bad', cell C2: text where a number belongs" in err
    assert "the warehouse is unchanged" in err
    assert table_counts(demo_copy) == before


def test__cli__one_bad_file_of_two_loads_neither(demo_copy, tmp_path, capsys):
    good = _filled_template(demo_copy, tmp_path, capsys)
    bad = tmp_path / "unknown.csv"
    bad.write_text("Period,Ref,Actual\n2011/12 Q1,L-ZZ-9,3\n")
    before = table_counts(demo_copy)
    assert main(["--warehouse", str(demo_copy), "import", *WVP, str(good), str(bad)]) == 1
    assert "unknown indicator 'L-ZZ-9'" in capsys.readouterr().err
    assert table_counts(demo_copy) == before
    code = main(["--warehouse", str(demo_copy), "import", *WVP, str(bad), "--add-unknown",
                 "--theme", SAFER])  # fmt: skip
    assert code == 0
    assert "1 indicators added" in capsys.readouterr().out


def test__cli__wrong_theme_or_period_is_a_usage_error(demo_copy, tmp_path, capsys):
    out = str(tmp_path / "x.xlsx")
    args = ["--warehouse", str(demo_copy), "template", *WVP, "-o", out]
    assert main([*args, "--theme", "Nope", "--period", "2011/12 Q1"]) == 2
    assert SAFER in capsys.readouterr().err
    assert main([*args, "--theme", SAFER, "--period", "soon"]) == 2


def _second_partnership(warehouse, tmp_path, code="ZZ"):
    import pandas as pd

    from analytics.framework.workbook import write_framework

    book = write_framework(
        tmp_path / f"{code}.xlsx",
        {
            "Partnership": pd.DataFrame(
                [{"partnership_code": code, "name": f"{code} LSP", "tier": "unitary"}]
            ),
            "Themes": pd.DataFrame([{"theme": "Health"}]),
            "Indicators": pd.DataFrame([{"code": "NI 8", "theme": "Health"}]),
        },
    )
    assert main(["--warehouse", str(warehouse), "framework", "import", str(book)]) == 0


def test__cli__import_of_our_template_takes_the_partnership_from_it(demo_copy, tmp_path, capsys):
    out = _filled_template(demo_copy, tmp_path, capsys)
    _second_partnership(demo_copy, tmp_path)
    capsys.readouterr()
    assert main(["--warehouse", str(demo_copy), "import", str(out), "--dry-run"]) == 0
    assert "would load" in capsys.readouterr().out


def test__cli__where_it_must_ask_it_lists_at_most_ten_codes_sorted(demo_copy, tmp_path, capsys):
    for n in range(11):
        _second_partnership(demo_copy, tmp_path, code=f"Z{n:02d}")
    bad = tmp_path / "mine.csv"
    bad.write_text("Period,Ref,Actual\n2011/12 Q1,NI 8,3\n")
    capsys.readouterr()
    # several partnerships and none named: say which (exit 2, as every command that asks)
    assert main(["--warehouse", str(demo_copy), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "add --partnership CODE" in err
    listed = err.split("one of ")[1]
    assert listed.startswith("AGP, BCP, KHP, WSP, WVP, Z00, Z01")  # sorted: the demo's first
    assert "Z10" not in listed and "more (`lsp partnerships` lists them all)" in listed
