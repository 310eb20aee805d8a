"""Values typed with their unit: read as the number when the unit is the indicator's own (or a
spelling of it), an error naming both when it contradicts it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analytics.ingest.spelling import unit_spellings as spellings
from analytics.ingest.units import apply_units, indicator_unit, judge
from analytics.ingest.values import parse_column, parse_value

# typed, the indicator's unit, its title -> the number read in the indicator's unit, or None
# when the unit is refused (then: the words the message must hold)
TYPED_WITH_UNITS = [
    ("9.5 days", "days", "Time to process claims", 9.5, None),
    ("9.5days", "days", "", 9.5, None),
    ("12 weeks", "weeks", "", 12.0, None),
    ("12 wks", "weeks", "", 12.0, None),
    ("45 per cent", "%", "", 45.0, None),
    ("45 percent", "%", "", 45.0, None),
    ("45 pc", "%", "", 45.0, None),
    ("45 pct", "%", "", 45.0, None),
    ("45%", "%", "", 45.0, None),
    ("3,100 incidents", "number", "Anti-social behaviour incidents", 3100.0, None),
    ("3 100 incidents", "number", "", 3100.0, None),
    ("35 homes", "number", "Affordable homes delivered", 35.0, None),
    ("12 apprenticeships", "number", "Apprenticeships started", 12.0, None),
    ("5.42 per 1,000", "rate per 1,000", "", 5.42, None),
    ("5.42 per 1000 population", "per 1,000 population", "", 5.42, None),
    ("5.42 per thousand", "rate per 1,000", "", 5.42, None),
    ("£2.3m", "£", "", 2_300_000.0, None),
    ("£15k", "£", "", 15_000.0, None),
    ("£1.2 million", "£", "", 1_200_000.0, None),
    ("£1.2bn", "£", "", 1_200_000_000.0, None),
    ("£2.3m", "£m", "", 2.3, None),
    ("£450k", "£m", "", 0.45, None),
    ("£15k", "£000s", "", 15.0, None),
    ("(£1.5m)", "£", "", -1_500_000.0, None),
    ("640 kg", "kg per household", "Residual waste per household", 640.0, None),
    ("9.5 days", "", "", 9.5, None),  # no unit in the framework: nothing to contradict
    ("12 weeks", "days", "", None, "typed in weeks, but NI 9 is measured in days"),
    ("45%", "number", "", None, "typed in per cent (%), but NI 9 is measured in number"),
    ("45 pc", "number", "", None, "'pc' (per cent (%)), but NI 9 is measured in number"),
    ("3,100 incidents", "%", "", None, "'incidents' (a count), but NI 9 is measured in %"),
    ("5.42 per 10,000", "rate per 1,000", "", None, "measured in rate per 1,000"),
    ("£2.3m", "days", "", None, "typed in pounds (£), but NI 9 is measured in days"),
    ("78 approx", "%", "", None, "text where a number belongs (NI 9): 'approx'"),
]


def _frame(typed: str, title: str, field: str = "actual_value") -> pd.DataFrame:
    parsed = parse_value(typed)
    other = "target_value" if field == "actual_value" else "actual_value"
    return pd.DataFrame(
        {
            "file": ["r.csv"], "sheet": ["r"], "row_number": [2], "indicator_code": ["NI 9"],
            "indicator_title": [title or None], field: [parsed.number],
            f"{field}_kind": [parsed.kind], f"{field}_unit": [parsed.unit],
            f"{field}_raw": [typed], f"{field}_cell": ["C2"], other: [math.nan],
            f"{other}_kind": ["missing"], f"{other}_unit": [None],
        }
    )  # fmt: skip


@pytest.mark.parametrize(("typed", "unit", "title", "number", "says"), TYPED_WITH_UNITS)
def test__units__a_value_typed_with_its_unit(typed, unit, title, number, says):
    known = pd.DataFrame({"code": ["NI 9"], "unit": [unit], "title": [title]})
    frame, messages = apply_units(_frame(typed, title), known)
    if number is not None:
        assert messages == []
        assert frame["actual_value_kind"].iloc[0] == "number"
        assert frame["actual_value"].iloc[0] == pytest.approx(number, rel=1e-12)
    else:
        [message] = messages
        assert message.severity == "error" and says in message.text, message.text
        assert (message.cell, message.value) == ("C2", typed)
        assert math.isnan(frame["actual_value"].iloc[0])


@pytest.mark.parametrize(("typed", "unit", "title", "number", "says"), TYPED_WITH_UNITS)
def test__units__a_target_with_a_unit_that_does_not_fit_is_a_warning_and_not_read(
    typed, unit, title, number, says
):
    known = pd.DataFrame({"code": ["NI 9"], "unit": [unit], "title": [title]})
    frame, messages = apply_units(_frame(typed, title, "target_value"), known)
    if number is not None:
        assert messages == [] and frame["target_value"].iloc[0] == pytest.approx(number)
    else:
        [message] = messages
        assert message.severity == "warning" and message.text.startswith("target not read")
        assert frame["target_value_kind"].iloc[0] == "missing"


def test__units__the_spellings_are_data():
    table = spellings()
    assert table["per cent"] == ("percent", 1.0) and table["£m"] == ("money", 1e6)
    assert indicator_unit("rate per 1,000") == ("per 1000", 1.0)
    assert indicator_unit("Number of homes") == ("count", 1.0)
    assert indicator_unit("") == (None, 1.0)


def test__units__a_word_of_the_title_is_the_indicators_own_unit_for_a_count():
    assert judge("litter bins", "number", "Litter bins emptied") == ("ok", 1.0)
    assert judge("bins", "%", "Litter bins emptied")[0] == "unknown"


def test__units__parse_column_agrees_with_parse_value_cell_by_cell():
    typed = [t for t, *_ in TYPED_WITH_UNITS] + ["45 (provisional)", "about 45", "2008/09 Q1"]
    column = parse_column(pd.Series(typed * 2, dtype=object))
    for raw, (_, row) in zip(typed * 2, column.iterrows(), strict=True):
        one = parse_value(raw)
        assert (row["kind"], row["unit"], row["is_percent"]) == (one.kind, one.unit, one.is_percent)
        assert (math.isnan(one.number) and math.isnan(row["number"])) or row["number"] == one.number


FAMILY_UNITS = {"percent": "%", "days": "days", "weeks": "weeks", "count": "number",
                "per 1000": "rate per 1,000", "money": "£", "hours": "hours"}  # fmt: skip
SPELLINGS = sorted((s, f, k) for s, (f, k) in spellings().items() if f in FAMILY_UNITS)
amounts = st.decimals(min_value=0, max_value=10**9, places=2).map(float)


@given(amounts, st.sampled_from(SPELLINGS), st.sampled_from(["", " ", "  "]))
@example(9.5, ("days", "days", 1.0), " ")
def test__property__a_number_with_a_spelling_of_its_own_unit_reads_as_the_number(
    amount, spelling, space
):
    spelled, family, scale = spelling
    typed = f"{amount:,.2f}{space}{spelled}"
    parsed = parse_value(typed)
    assert parsed.kind == "number", typed
    verdict, factor = judge(parsed.unit, FAMILY_UNITS[family])
    assert verdict == "ok", typed
    assert parsed.number * factor == pytest.approx(amount * scale, rel=1e-9, abs=1e-9), typed


@given(amounts, st.sampled_from(SPELLINGS), st.sampled_from(sorted(FAMILY_UNITS)))
def test__property__a_unit_of_another_kind_is_never_read_as_the_indicators(amount, spelling, other):
    spelled, family, _ = spelling
    if other == family:
        return
    parsed = parse_value(f"{amount} {spelled}" if spelled[0] not in "£$€" else f"£{amount}")
    assert judge(parsed.unit, FAMILY_UNITS[other])[0] == "contradicts"


@given(
    st.decimals(min_value=0, max_value=10**6, places=3).map(float),
    st.sampled_from(
        [
            ("k", 1e3),
            ("m", 1e6),
            ("bn", 1e9),
            (" thousand", 1e3),
            (" million", 1e6),
            (" billion", 1e9),
            ("mn", 1e6),
        ]
    ),  # fmt: skip
)
def test__property__money_with_a_multiplier_is_the_whole_sum(amount, multiplier):
    suffix, factor = multiplier
    parsed = parse_value(f"£{amount}{suffix}")
    assert (parsed.kind, parsed.unit) == ("number", "£")
    assert parsed.number == pytest.approx(amount * factor, rel=1e-12)
