"""`lsp init`, `lsp framework template|import` and `lsp partnerships`."""

import openpyxl
import pandas as pd

from analytics.cli import main
from analytics.framework.workbook import write_framework
from analytics.warehouse.connection import close_readers, reader
from tests.conftest import table_counts


def test__cli__init_makes_an_empty_warehouse_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    assert main(["--warehouse", str(path), "init"]) == 0
    assert "199 catalogue indicators" in capsys.readouterr().out
    assert main(["--warehouse", str(path), "init"]) == 1
    assert "--force" in capsys.readouterr().err


def test__cli__framework_template_then_import(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    main(["--warehouse", str(path), "init"])
    out = tmp_path / "framework.xlsx"
    assert main(["framework", "template", "-o", str(out)]) == 0
    assert out.exists()
    write_framework(
        out,
        {
            "Partnership": pd.DataFrame(
                [{"partnership_code": "A", "name": "A LSP", "tier": "unitary"}]
            ),
            "Themes": pd.DataFrame([{"theme": "Health"}]),
            "Indicators": pd.DataFrame([{"code": "NI 8", "theme": "Health"}]),
        },
    )
    assert main(["--warehouse", str(path), "framework", "import", str(out)]) == 0
    assert "1 indicators" in capsys.readouterr().out
    close_readers()
    assert reader(path).execute("SELECT code FROM indicator").fetchall() == [("NI 8",)]


def test__cli__bad_framework_exits_1_with_sheet_and_cell_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    main(["--warehouse", str(path), "init"])
    bad = write_framework(
        tmp_path / "bad.xlsx",
        {
            "Partnership": pd.DataFrame([{"partnership_code": "A", "name": "A", "tier": "city"}]),
            "Themes": pd.DataFrame([{"theme": "Health"}]),
            "Indicators": pd.DataFrame([{"code": "NI 8", "theme": "Health"}]),
        },
    )
    before = table_counts(path)
    assert main(["--warehouse", str(path), "framework", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "sheet 'Partnership', cell C2" in err and "tier is not one of" in err
    assert "warehouse is unchanged" in err
    assert table_counts(path) == before


def test__cli__framework_without_partnership_sheet_gets_a_default_in_a_new_warehouse(
    tmp_path, capsys
):
    path = tmp_path / "w.duckdb"
    main(["--warehouse", str(path), "init"])
    capsys.readouterr()
    book = write_framework(
        tmp_path / "no_partnership.xlsx",
        {
            "Themes": pd.DataFrame([{"theme": "Health"}]),
            "Indicators": pd.DataFrame([{"code": "NI 8", "theme": "Health"}]),
        },
    )
    wb = openpyxl.load_workbook(book)
    del wb["Partnership"]
    wb.save(book)
    assert main(["--warehouse", str(path), "framework", "import", str(book)]) == 0
    captured = capsys.readouterr()
    assert "no Partnership sheet" in captured.err and "default" in captured.err
    assert "1 indicators" in captured.out
    close_readers()
    assert reader(path).execute("SELECT partnership_code, name FROM partnership").fetchall() == [
        ("LSP", "Local Strategic Partnership")
    ]


def test__cli__partnerships_lists_every_code(demo_copy, capsys):
    assert main(["--warehouse", str(demo_copy), "partnerships"]) == 0
    out = capsys.readouterr().out
    assert "Wyvern Vale Partnership" in out and "indicators" in out
    # the demo's county and its districts, each district saying its county
    wvp = "WVP\tWyvern Vale Partnership\tdistrict\t45 indicators\tin Wyvernshire Partnership"
    assert wvp in out
    assert "WSP\tWyvernshire Partnership\tcounty\t21 indicators\n" in out
