"""One spelling of an indicator code on every path (analytics.ingest.spelling): the framework
workbook, a return, the scrutiny tracker and a page's deep link all read ``NI-001``,
``ni 1``, ``NI001`` ... as ``NI 1``."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics import vocabulary
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.ingest.intake import IntakeContext, intake_file
from analytics.ingest.spelling import (
    DQ_FLAG_WORDS,
    FIELDS,
    code_key,
    code_keys,
    header_synonyms,
    match_code,
    normalise_code,
    polarity_words,
)
from analytics.scrutiny.workbook import read_tracker, write_template

NI_1 = ["NI-001", "ni 1", "NI001", "NI 1", "NI  001 ", "N.I. 1", "ni_01", "n.i.-1", "NI1"]
NI_157A = ["NI 157a", "NI 157A", "ni157a", "NI-157 a", "N.I. 157A"]
LOCAL = ["L-SC-01", " L-SC-01 ", "L-SC-01\u00a0"]
SPELLINGS = {"NI 1": NI_1, "NI 157a": NI_157A, "L-SC-01": LOCAL}
EVERY = [(code, raw) for code, spelt in SPELLINGS.items() for raw in spelt]


@pytest.mark.parametrize(("code", "raw"), EVERY)
def test__normalise_code__every_spelling_gives_the_one_code(code, raw):
    assert normalise_code(raw) == code
    assert code_key(raw) == code_key(code)


def test__normalise_code__blanks_are_none_and_numbers_are_their_digits():
    assert [normalise_code(v) for v in (None, "", "  ", math.nan, pd.NA)] == [None] * 5
    assert normalise_code(191.0) == "191" and normalise_code(12) == "12"
    assert normalise_code("Local  code  7") == "Local code 7"


def test__code_key__tells_different_codes_apart():
    keys = {code_key(spelt[0]) for spelt in SPELLINGS.values()}
    assert len(keys) == 3
    assert code_key("NI 1") != code_key("NI 11") != code_key("NI 1a")
    assert code_key("l-sc-01") == code_key("L SC 01") == "LSC01"


def test__code_keys__a_column_each_distinct_code_once_blanks_none():
    column = pd.Series(["NI-001", None, "ni 1", math.nan, "L-SC-01"], index=[5, 6, 7, 8, 9])
    keys = code_keys(column)
    assert keys.tolist() == ["NI1", None, "NI1", None, "LSC01"]
    assert keys.index.tolist() == [5, 6, 7, 8, 9]


def test__match_code__finds_the_frameworks_spelling():
    codes = ["NI 1", "NI 157a", "L-SC-01"]
    for code, spelt in SPELLINGS.items():
        assert all(match_code(raw, codes) == code for raw in spelt)
    assert match_code("NI 2", codes) is None and match_code(None, codes) is None


# --- every path ---------------------------------------------------------------------------


def _framework(codes: list[str]) -> dict[str, pd.DataFrame]:
    return {
        "Partnership": pd.DataFrame(
            [{"partnership_code": "TST", "name": "Test Partnership", "tier": "district"}]
        ),
        "Themes": pd.DataFrame([{"theme": "Safer"}]),
        "Indicators": pd.DataFrame([{"code": c, "theme": "Safer"} for c in codes]),
    }


@pytest.mark.parametrize(("code", "raw"), EVERY)
def test__framework_import__reads_every_spelling_as_the_code(tmp_path, code, raw):
    path = write_framework(tmp_path / "framework.xlsx", _framework([raw]))
    assert read_framework(path).get("Indicators")["code"].tolist() == [code]


@pytest.mark.parametrize(("code", "raw"), EVERY)
def test__return_intake__reads_every_spelling_as_the_frameworks_code(tmp_path, code, raw):
    context = IntakeContext(
        partnership_code="TST",
        themes=["Safer"],
        indicators=pd.DataFrame(
            {
                "code": ["NI 1", "NI 157a", "L-SC-01"],
                "title": ["One", "Two", "Three"],
                "theme": ["Safer"] * 3,
                "unit": ["%"] * 3,
                "measure_type": ["snapshot"] * 3,
            }
        ),  # fmt: skip
        targets=None,
        previous_values=pd.DataFrame(columns=["indicator_code", "period", "actual_value"]),
        today=date(2010, 8, 20),
    )
    path = tmp_path / "return.csv"
    path.write_text(f'Ref,Outturn\n"{raw}",45\n', encoding="utf-8")
    intake = intake_file(path, context, period="2009/10 Q1")
    assert intake.ok, [m.format() for m in intake.errors]
    assert intake.values["indicator_code"].tolist() == [code]


@pytest.mark.parametrize(("code", "raw"), EVERY)
def test__scrutiny_tracker__reads_every_spelling_as_the_code(tmp_path, code, raw):
    rows = pd.DataFrame(
        [{"reference": "2010/11-01", "review": "Review", "made_on": date(2010, 6, 1),
          "text": "Do better", "addressed_to": "Board", "indicator_codes": raw}]
    )  # fmt: skip
    path = write_template(tmp_path / "tracker.xlsx", rows)
    read = read_tracker(path, {}, {"NI 1", "NI 157a", "L-SC-01"})
    assert read["indicator_codes"].tolist() == [code]


# --- the tables, and the module as a leaf -----------------------------------------------------


def test__spelling_tables__say_only_codes_the_vocabulary_knows():
    assert set(polarity_words().values()) <= set(vocabulary.POLARITIES)
    assert set(DQ_FLAG_WORDS.values()) <= set(vocabulary.DQ_FLAGS)
    assert set(header_synonyms().values()) <= set(FIELDS)


def test__spelling__is_a_leaf_importing_nothing_of_the_project():
    import ast
    from pathlib import Path

    from analytics.ingest import spelling

    tree = ast.parse(Path(spelling.__file__).read_text(encoding="utf-8"))
    imported = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in (n.names if isinstance(n, ast.Import) else [None])
    ]
    assert not [m for m in imported if m and m.split(".")[0] == "analytics"]
