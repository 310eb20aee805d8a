"""`lsp publish`, `lsp site build` and `lsp report annual`: what they write and refuse."""

from __future__ import annotations

import io

from docx import Document

from analytics.cli import main


def test__cli__publish_list_shows_the_demo_publications(demo_warehouse, capsys):
    # the demo warehouse holds its county and three more districts: name the partnership
    assert (
        main(["--warehouse", str(demo_warehouse), "publish", "--list", "--partnership", "WVP"]) == 0
    )
    out = capsys.readouterr().out
    assert "3 publications" in out and "2010/11 Q3" in out and "annual report" in out


def test__cli__publish_a_quarter_then_a_year(demo_copy, capsys):
    w = ["--warehouse", str(demo_copy), "publish", "--partnership", "WVP"]
    assert main([*w, "--period", "Q4 10/11"]) == 0
    assert "Quarter 2010/11 Q4 published" in capsys.readouterr().out
    assert main([*w, "--year", "2010/11"]) == 0
    assert "Annual report 2010/11 published" in capsys.readouterr().out


def test__cli__publish_refuses_a_year_as_a_quarter_and_an_empty_quarter(demo_copy, capsys):
    w = ["--warehouse", str(demo_copy), "publish", "--partnership", "WVP"]
    assert main([*w, "--period", "2010/11"]) == 2
    assert "not a quarter" in capsys.readouterr().err
    assert main([*w, "--period", "2014/15 Q1"]) == 1
    assert "nothing to publish" in capsys.readouterr().err


def test__cli__site_build_then_build_again_skips_the_unchanged(demo_warehouse, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["--warehouse", str(demo_warehouse), "site", "build", "-o", str(out)]) == 0
    assert "1 partnership(s) built" in capsys.readouterr().out
    assert (out / "indicators" / "ni-191" / "index.html").exists()
    assert (out / "assets" / "site.css").stat().st_size > 10_000
    assert main(["--warehouse", str(demo_warehouse), "site", "build", "-o", str(out)]) == 0
    assert "0 partnership(s) built, 1 unchanged" in capsys.readouterr().out


def test__cli__site_build_refuses_a_pale_brand_colour(demo_warehouse, tmp_path, capsys):
    argv = ["--warehouse", str(demo_warehouse), "site", "build", "-o", str(tmp_path / "s"),
            "--colour", "#ffdd00"]  # fmt: skip
    assert main(argv) == 1
    assert "4.5:1" in capsys.readouterr().err


def test__cli__report_annual_writes_a_cabinet_appendix_and_a_page(demo_warehouse, tmp_path):
    docx_file, html_file = tmp_path / "annual.docx", tmp_path / "annual.html"
    w = ["--warehouse", str(demo_warehouse), "report", "annual", "--partnership", "WVP",
         "--year", "2009/10"]  # fmt: skip
    assert main([*w, "-o", str(docx_file)]) == 0
    assert main([*w, "--format", "html", "-o", str(html_file), "--published"]) == 0
    doc = Document(io.BytesIO(docx_file.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Appendix 1: Wyvern Vale Partnership's Annual Report 2009/10" in text
    assert "This has been a year of steady progress" in text  # the foreword
    assert "Targets met over the strategy period" in text
    assert len(doc.inline_shapes) >= 2  # charts as images
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert any(c.startswith("NI 16 Serious acquisitive crime") for c in cells)
    page = html_file.read_text(encoding="utf-8")
    assert "Annual Report 2009/10" in page and "Draft for approval" not in page
    assert main([*w[:-2], "--year", "2009/10 Q1", "-o", str(docx_file)]) == 2


def test__cli__site_build_of_a_partnership_with_nothing_published_says_so(
    demo_warehouse, tmp_path, capsys
):
    argv = ["--warehouse", str(demo_warehouse), "site", "build", "-o", str(tmp_path / "s"),
            "--partnership", "wyvernshire"]  # fmt: skip
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        "Nothing is published for Wyvernshire Partnership (WSP). Publish a "
        "quarter first (`lsp publish --period ... --partnership WSP`).\n"
    )
    assert not (tmp_path / "s").exists()
