"""Every file in the bad-files corpus gets the message it must get (and no exception)."""

from __future__ import annotations

import pytest

from analytics.ingest.check import check_return
from analytics.ingest.read import ReadLimits

from .conftest import corpus_module

CASES = {case.name: case for case in corpus_module.CASES}


def _check(case, path, known_indicators, previous_values):
    options = {
        "known_indicators": known_indicators,
        "previous_values": previous_values,
        "return_period": corpus_module.RETURN_PERIOD,
        "today": corpus_module.TODAY,
        **case.options,
    }
    max_rows = options.pop("limits_max_rows", None)
    if max_rows is not None:
        options["limits"] = ReadLimits(max_rows=max_rows)
    return check_return(path, **options)


def test__corpus__has_at_least_30_files():
    assert len(CASES) >= 30
    assert len({c.name for c in corpus_module.CASES}) == len(corpus_module.CASES)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.expected])
def test__corpus__file_gets_its_message(name, corpus, known_indicators, previous_values):
    case = CASES[name]
    check = _check(case, corpus[name], known_indicators, previous_values)
    matching = [m for m in check.messages if case.expected in m.text]
    assert matching, [m.format() for m in check.messages]
    assert any(m.severity == case.severity for m in matching)
    assert all(m.file == name for m in check.messages)
    if case.severity == "error":
        assert not check.ok


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.expected])
def test__corpus__odd_but_valid_file_loads_without_errors(
    name, corpus, known_indicators, previous_values
):
    check = _check(CASES[name], corpus[name], known_indicators, previous_values)
    assert check.ok, [m.format() for m in check.errors]
    assert len(check.frame) >= 1
    assert check.frame["actual_value"].notna().any()


def test__corpus__every_message_names_the_cell_for_row_problems(
    corpus, known_indicators, previous_values
):
    case = CASES["text_in_numbers.xlsx"]
    check = _check(case, corpus[case.name], known_indicators, previous_values)
    [message] = [m for m in check.messages if "text where a number" in m.text]
    assert (message.sheet, message.cell, message.value) == ("Return", "C2", "about 78")
    assert "C2" in message.format() and "about 78" in message.format()
