from datetime import date

import pytest

from analytics import periods


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2009/10", date(2009, 4, 1), date(2010, 3, 31)),
        ("2009/10 Q1", date(2009, 4, 1), date(2009, 6, 30)),
        ("2009/10 Q4", date(2010, 1, 1), date(2010, 3, 31)),
        ("2009/10 H2", date(2009, 10, 1), date(2010, 3, 31)),
        ("2009/10 M12", date(2010, 3, 1), date(2010, 3, 31)),
        ("2011/12 M11", date(2012, 2, 1), date(2012, 2, 29)),
    ],
)
def test__parse_code__gives_the_dates_of_the_period(code, start, end):
    p = periods.parse_code(code)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("bad", ["2009/11", "2009-10", "2009/10 Q5", "FY09", ""])
def test__parse_code__refuses_what_is_not_a_canonical_code(bad):
    with pytest.raises(periods.PeriodError):
        periods.parse_code(bad)


def test__previous_and_same_period_last_year_cross_year_boundaries():
    assert periods.previous_period("2009/10 Q1") == "2008/09 Q4"
    assert periods.shift("2008/09 Q4", 1) == "2009/10 Q1"
    assert periods.same_period_last_year("2009/10 Q2") == "2008/09 Q2"
    assert periods.previous_period("2009/10") == "2008/09"
    assert periods.shift("2009/10 M01", -1) == "2008/09 M12"


def test__year_to_date_and_quarters_of_year():
    assert periods.year_to_date("2009/10 Q3") == ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3"]
    assert periods.quarters_of_year("2010/11")[-1] == "2010/11 Q4"
    assert periods.quarter_range("2008/09 Q3", "2009/10 Q2") == [
        "2008/09 Q3",
        "2008/09 Q4",
        "2009/10 Q1",
        "2009/10 Q2",
    ]


def test__period_containing_a_date():
    assert periods.period_containing(date(2010, 2, 14)) == "2009/10 Q4"
    assert periods.financial_year_of(date(2010, 4, 1)) == "2010/11"


def test__codes_sort_in_time_order():
    codes = ["2009/10", "2009/10 Q4", "2009/10 Q1", "2008/09 Q4"]
    assert sorted(codes, key=periods.sort_key) == [
        "2008/09 Q4",
        "2009/10 Q1",
        "2009/10 Q4",
        "2009/10",
    ]


def test__periods__recognised_only_in_periods_py():
    """Code below the edges asks :mod:`analytics.periods` what a period is; it never looks
    for ``" Q"``, a ``Q4`` ending or the first seven characters of a code in text."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    pattern = re.compile(
        r"""contains\(" Q"\)|" Q" in |endswith\("Q[1-4]|\} Q4"|period\W*\)?\[:7\]"""
    )
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for folder in ("analytics", "pages", "ui")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "periods.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, (
        "use analytics.periods (is_quarter, year_of, year_end_quarter):\n" + "\n".join(found)
    )
