"""Values as people type them: one cell, a whole column, and properties of both."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.ingest import values
from analytics.ingest.values import (
    EXCEL_ERRORS,
    FORMAT_STYLES,
    MISSING_TOKENS,
    distinct,
    format_styles,
    map_unique,
    parse_cells,
    parse_column,
    parse_dq_flag,
    parse_value,
)

TYPED = [
    ("45%", 45.0, "number", True),
    ("45.0 %", 45.0, "number", True),
    ("1,234", 1234.0, "number", False),
    ("£2,000", 2000.0, "number", False),
    ("(12)", -12.0, "number", False),
    ("\u221212", -12.0, "number", False),
    ("\u00a012\u00a0", 12.0, "number", False),
    ("1\u00a0234", 1234.0, "number", False),
    ("n/a", math.nan, "missing", False),
    ("-", math.nan, "missing", False),
    ("TBC", math.nan, "missing", False),
    ("", math.nan, "missing", False),
    (None, math.nan, "missing", False),
    ("#N/A", math.nan, "error", False),
    ("#DIV/0!", math.nan, "error", False),
    ("#REF!", math.nan, "error", False),
    ("#VALUE!", math.nan, "error", False),
    ("about 45", math.nan, "text", False),
    ("(5", math.nan, "text", False),
    (True, math.nan, "text", False),
    (0.45, 0.45, "number", False),
    (7, 7.0, "number", False),
]


@pytest.mark.parametrize(("raw", "number", "kind", "is_percent"), TYPED)
def test__parse_value__reads_what_people_type(raw, number, kind, is_percent):
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.is_percent == is_percent
    assert (math.isnan(parsed.number) and math.isnan(number)) or parsed.number == number


def test__parse_value__fraction_in_percent_cell_becomes_percentage_points():
    assert parse_value(0.45, percent_format=True) == (45.0, "number", True, None)


def test__parse_column__agrees_with_parse_value_cell_by_cell():
    raws = [t[0] for t in TYPED] * 3
    column = parse_column(pd.Series(raws, dtype=object))
    for raw, (_, row) in zip(raws, column.iterrows(), strict=True):
        one = parse_value(raw)
        assert row["kind"] == one.kind, raw
        assert row["is_percent"] == one.is_percent, raw
        assert (math.isnan(one.number) and math.isnan(row["number"])) or row["number"] == one.number


@pytest.mark.parametrize("few", [0, 10**6], ids=["vectorised", "one by one"])
def test__parse_column__both_ways_of_parsing_strings_agree_with_parse_value(monkeypatch, few):
    """A column of few distinct spellings is parsed one by one, of many vectorised: the
    answers are the same either way, cell by cell."""
    monkeypatch.setattr(values, "_FEW_SPELLINGS", few)
    raws = [t[0] for t in TYPED] + [
        format_styles(i * 1.37 - 20, style) for i in range(40) for style in FORMAT_STYLES
    ]
    column = parse_column(pd.Series(raws, dtype=object))
    for raw, (_, row) in zip(raws, column.iterrows(), strict=True):
        one = parse_value(raw)
        assert (row["kind"], row["is_percent"], row["unit"]) == (
            one.kind,
            one.is_percent,
            one.unit,
        ), raw
        assert (math.isnan(one.number) and math.isnan(row["number"])) or row["number"] == one.number


def test__parse_column__uses_percent_mask_for_numeric_cells_only():
    column = parse_column(
        pd.Series([0.45, "0.45", 0.5], dtype=object), pd.Series([True, True, False])
    )
    assert column["number"].tolist() == [45.0, 0.45, 0.5]


def test__parse_dq_flag__maps_words_and_reports_unknown():
    assert [parse_dq_flag(v) for v in ["", "Provisional", "est.", "DQ concern"]] == [
        "ok", "provisional", "estimate", "concern"
    ]  # fmt: skip
    assert parse_dq_flag("maybe") is None


numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


@given(numbers, st.sampled_from(FORMAT_STYLES))
def test__parse_value__gives_back_a_number_formatted_in_any_accepted_style(number, style):
    text = format_styles(number, style)
    parsed = parse_value(text)
    assert parsed.kind == "number", text
    assert parsed.number == pytest.approx(number, abs=0.006), text
    assert parsed.is_percent == style.startswith("percent")


@given(st.lists(st.tuples(numbers, st.sampled_from(FORMAT_STYLES)), min_size=1, max_size=30))
def test__parse_column__gives_back_numbers_in_mixed_styles(pairs):
    texts = pd.Series([format_styles(n, s) for n, s in pairs], dtype=object)
    parsed = parse_column(texts)
    assert (parsed["kind"] == "number").all()
    assert parsed["number"].tolist() == pytest.approx([n for n, _ in pairs], abs=0.006)


missing_spellings = st.sampled_from(sorted(MISSING_TOKENS)).flatmap(
    lambda t: st.sampled_from([t, t.upper(), f"  {t}\u00a0", t.title()])
)


@given(missing_spellings)
def test__parse_value__missing_tokens_never_parse_to_zero(token):
    parsed = parse_value(token)
    assert parsed.kind == "missing"
    assert math.isnan(parsed.number)


@given(st.lists(missing_spellings | st.sampled_from(sorted(EXCEL_ERRORS)), max_size=20))
def test__parse_column__missing_and_errors_are_never_zero(tokens):
    parsed = parse_column(pd.Series(tokens, dtype=object))
    assert parsed["number"].isna().all()
    assert set(parsed["kind"]) <= {"missing", "error"}


@given(st.text(max_size=12))
def test__parse_value__never_raises_and_kind_is_known(text):
    parsed = parse_value(text)
    assert parsed.kind in {"number", "missing", "text", "error"}
    assert (parsed.kind == "number") != math.isnan(parsed.number) or parsed.kind != "number"


def test__map_unique__calls_once_per_distinct_value_and_once_for_all_missing_cells():
    calls = []
    out = map_unique(["a", None, "a", math.nan, "b"], lambda v: calls.append(v) or repr(v))
    assert out.tolist() == ["'a'", "nan", "'a'", "nan", "'b'"]
    assert len(calls) == 3  # a, b, and NaN for both missing cells


def test__map_unique__booleans_are_not_mapped_as_ones_and_zeros():
    out = map_unique([1, True, 0.0, False, 1.0], lambda v: type(v).__name__)
    assert out.tolist() == ["int", "bool", "float", "bool", "int"]  # 1.0 is the 1 already seen


def test__map_unique__a_distinct_column_gives_what_its_cells_give():
    cells = ["NI 1", None, "NI 1", 12.0, True, 1, ""]
    column = distinct(np.array(cells, dtype=object))
    assert map_unique(column, repr).tolist() == map_unique(cells, repr).tolist()
    assert map_unique(column, str).tolist() == map_unique(cells, str).tolist()


def test__parse_cells__gives_what_parse_column_gives():
    raws = [t[0] for t in TYPED] + [45, 0.45, None, math.nan, math.inf, True, "n/a", "#REF!"]
    cells = np.array(raws, dtype=object)
    percent = np.arange(len(raws)) % 2 == 0
    parsed = parse_cells(cells, percent)
    column = parse_column(pd.Series(cells), pd.Series(percent))
    assert parsed.kind.tolist() == column["kind"].tolist()
    assert parsed.unit.tolist() == column["unit"].tolist()
    assert parsed.is_percent.tolist() == column["is_percent"].tolist()
    np.testing.assert_array_equal(parsed.number, column["number"].to_numpy())


@pytest.mark.parametrize(
    "keep",
    [
        [True, True, True, True, False],
        [False, True, True, True, True],
        [True, False, True, False, True],
    ],
)
def test__distinct__take_gives_what_the_kept_cells_give(keep):
    cells = np.array([0, "a", False, "a", None], dtype=object)  # 0 and False are one value
    keep = np.array(keep)
    taken, kept = distinct(cells).take(keep), distinct(cells[keep])
    assert taken.codes.tolist() == kept.codes.tolist()
    assert [type(u) for u in taken.uniques] == [type(u) for u in kept.uniques]
    assert map_unique(taken, repr).tolist() == map_unique(kept, repr).tolist()
