"""The vocabularies (analytics.vocabulary): one table each, and everyone reads it."""

import pandas as pd
import pytest

from analytics import board, labels
from analytics import vocabulary as V
from analytics.framework import spec
from analytics.status import actions, rag
from analytics.status.changes import CHANGES

TABLES = {
    "status": V.STATUS_TABLE,
    "direction": V.DIRECTION_TABLE,
    "polarity": V.POLARITY_TABLE,
    "frequency": V.FREQUENCY_TABLE,
    "measure type": V.MEASURE_TYPE_TABLE,
    "laa status": V.LAA_STATUS_TABLE,
    "status rule": V.STATUS_RULE_TABLE,
    "status change": V.STATUS_CHANGE_TABLE,
    "dq flag": V.DQ_FLAG_TABLE,
    "action status": V.ACTION_STATUS_TABLE,
    "response": V.RESPONSE_TABLE,
    "implementation": V.IMPLEMENTATION_TABLE,
    "recommendation rag": V.RECOMMENDATION_RAG_TABLE,
}


@pytest.mark.parametrize("name", list(TABLES))
def test__vocabulary__codes_are_unique_lower_case_words(name):
    codes = [row.code for row in TABLES[name]]
    assert len(codes) == len(set(codes))
    assert all(c == c.strip().lower() and c for c in codes)


@pytest.mark.parametrize("table", [V.STATUS_TABLE, V.ACTION_STATUS_TABLE])
def test__vocabulary__report_order_is_a_ranking(table):
    assert sorted(row.order for row in table) == list(range(len(table)))


def test__vocabulary__the_engines_integer_codes_are_positions_in_the_tables():
    for name in ("green", "amber", "red", "missing", "no_target", "no_new_data"):
        assert V.STATUSES[getattr(rag, name.upper())] == name
    for name in ("improving", "no_change", "worsening"):
        assert V.DIRECTIONS[getattr(rag, name.upper())] == name
    rules = {"PCT": "pct_tolerance", "ABS": "abs_tolerance", "IDEAL_MIN": "ideal_minimum",
             "IMPROVED_LY": "improved_last_year", "DATA_ONLY": "data_only"}  # fmt: skip
    for constant, code in rules.items():
        assert V.STATUS_RULES[getattr(rag, constant)] == code
    for name in V.ACTION_STATUSES:
        assert V.ACTION_STATUSES[getattr(actions, name.upper())] == name


def test__vocabulary__exceptions_are_red_amber_and_missing_worst_first():
    assert V.STATUS_ORDER == ("red", "amber", "missing", "green", "no_target", "no_new_data")
    assert V.EXCEPTION_STATUSES == ("red", "amber", "missing")
    assert V.JUDGED_STATUSES == ("green", "amber", "red")
    assert V.OFF_TARGET_STATUSES == ("red", "amber")
    assert V.LATE_ACTION_STATUSES == ("red", "amber")


def test__vocabulary__board_exceptions_read_the_table():
    statuses = pd.DataFrame(
        {"rag_status": list(V.STATUSES), "theme_order": [1] * 6, "code": list("abcdef")}
    )
    assert board.exceptions(statuses)["rag_status"].tolist() == list(V.EXCEPTION_STATUSES)
    counts = board.status_counts(statuses.assign(theme="T"))
    assert list(counts.columns) == [*V.STATUS_ORDER, "total"]


def test__vocabulary__labels_are_symbol_and_word_from_the_table():
    assert {s.code: f"{s.symbol} {s.word}" for s in V.STATUS_TABLE} == labels.STATUS
    assert labels.STATUS["amber"] == "◆ Amber"
    assert labels.PUBLIC_STATUS["amber"] == "◆ Just off target"
    assert labels.DIRECTION["no_change"] == "► No change"
    assert labels.POLARITY["none"] == "– data only"
    assert labels.ACTION_STATUS["reprogrammed"] == "↻ Reprogrammed with approval"
    assert labels.CHANGE["new_exception"] == "New exception"


def test__vocabulary__the_framework_workbook_offers_the_tables_codes():
    assert spec.POLARITIES == V.POLARITIES == ("higher", "lower", "none")
    assert spec.FREQUENCIES == V.FREQUENCIES
    assert spec.MEASURE_TYPES == V.MEASURE_TYPES
    assert spec.STATUS_RULES == V.STATUS_RULES
    assert spec.LAA_STATUSES == V.LAA_STATUSES
    assert CHANGES == V.STATUS_CHANGES


def test__vocabulary__polarity_signs():
    assert {p.code: p.sign for p in V.POLARITY_TABLE} == {"higher": 1, "lower": -1, "none": 0}
