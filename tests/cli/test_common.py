"""What the commands share (analytics/cli/common.py): a period of its grain and a date
parsed at the edge, the format of a written file, and the partnership by default."""

import argparse
from datetime import date
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.cli.common import (
    UsageError,
    date_type,
    format_options,
    output_format,
    period_type,
)
from analytics.periods import Period


def test__period_type__any_spelling_of_the_grain_becomes_a_period():
    quarter = period_type("quarter")("Q2 10/11")
    assert isinstance(quarter, Period)
    assert (quarter.code, quarter.grain, str(quarter)) == ("2010/11 Q2", "quarter", "2010/11 Q2")
    assert period_type("half")("H1 2010/11").code == "2010/11 H1"
    assert period_type("year")("FY2010/11").code == "2010/11"
    assert period_type()("2010/11").grain == "year"  # any grain


@pytest.mark.parametrize(
    ("grain", "text", "said"),
    [
        ("quarter", "2010/11", "2010/11 is a year, not a quarter: it must be a quarter, such as "
                               "2010/11 Q2"),
        ("half", "2010/11 Q2", "2010/11 Q2 is a quarter, not a half: it must be a half, such as "
                               "2010/11 H1"),
        ("year", "2010/11 Q1", "is a quarter, not a year"),
        ("quarter", "soon", "'soon' is not a period we recognise"),
    ],
)  # fmt: skip
def test__period_type__another_grain_or_no_period_is_refused(grain, text, said):
    with pytest.raises(argparse.ArgumentTypeError, match=said):
        period_type(grain)(text)


def test__date_type__an_iso_date_or_a_clear_refusal():
    assert date_type(" 2010-11-16 ") == date(2010, 11, 16)
    with pytest.raises(argparse.ArgumentTypeError, match="not a date such as 2010-11-16"):
        date_type("16/11/2010")


def _args(*argv: str, formats=("xlsx", "docx", "html")) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    format_options(parser, formats)
    return parser.parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "fmt"),
    [(["-o", "p.xlsx"], "xlsx"), (["-o", "P.HTM"], "html"), (["-o", "p", "--format", "docx"],
                                                             "docx")],
)  # fmt: skip
def test__output_format__the_format_given_else_the_suffix(argv, fmt):
    args = _args(*argv)
    assert output_format(args) == fmt and args.output == Path(argv[1])


def test__output_format__a_suffix_the_command_does_not_write_is_a_wrong_use():
    with pytest.raises(UsageError, match=r"--format: say --format docx\|html") as raised:
        output_format(_args("-o", "update.xlsx", formats=("docx", "html")))
    assert raised.value.status == 2 and "update.xlsx does not" in str(raised.value)


def test__partnership__one_without_a_framework_is_said_not_guessed(county_copy, capsys):
    from tests.county.build import district_sheets, load

    # a district naming a county whose own framework has not come yet: the county is a name
    load(county_copy, district_sheets("DNE", parent="Farshire Partnership"), "dne.xlsx")
    capsys.readouterr()
    w = ["--warehouse", str(county_copy)]
    assert main([*w, "status", "--partnership", "farshire partnership"]) == 1
    assert capsys.readouterr().err == (
        "Farshire Partnership (FARSHIRE-PARTNERSHIP) has no framework yet: load one "
        "with `lsp framework import`.\n"
    )
    assert main([*w, "status", "--partnership", "farshire"]) == 1  # the start of its name


def test__partnership__none_named_and_no_framework_is_rejected(empty_warehouse, capsys):
    assert main(["--warehouse", str(empty_warehouse), "status"]) == 1
    assert "No framework loaded yet: `lsp framework import` first." in capsys.readouterr().err
