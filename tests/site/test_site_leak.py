"""The public site holds only what was published: nothing from a later or unpublished
period, no internal field, and text from returns shows as text."""

from __future__ import annotations

import re

import pandas as pd

from analytics import periods
from analytics.formatting import format_number
from analytics.warehouse.connection import reader
from tests.site.conftest import FIRST_QUARTER, HOSTILE

END = periods.parse_code(FIRST_QUARTER).end


def _files(site):
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".csv", ".css"}]


def _all_text(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in _files(site))


def _fmt(value, unit, decimals):
    return format_number(value, unit, decimals)


def test__site__no_later_period_appears_in_any_file(one_quarter):
    _, site = one_quarter
    later = set()
    cur = reader(one_quarter[0])
    codes = [r[0] for r in cur.execute("SELECT DISTINCT period FROM actual").fetchall()]
    codes += [r[0] for r in cur.execute("SELECT DISTINCT period FROM comparator").fetchall()]
    codes += [r[0] for r in cur.execute("SELECT DISTINCT financial_year FROM target").fetchall()]
    for code in codes:
        if periods.parse_code(code).end > END:
            later.add(code)
    # the year the quarter is in is named as such (its annual target is published with it)
    later.discard(FIRST_QUARTER[:7])
    assert "2010/11 Q4" in later and "2009/10" in later
    text = _all_text(site)
    found = sorted(
        code for code in later if re.search(re.escape(code) + r"(?![\d/])(?! Q\d)", text)
    )
    assert found == []


def test__site__no_value_or_commentary_of_an_unpublished_period(one_quarter):
    path, site = one_quarter
    cur = reader(path)
    rows = pd.DataFrame(
        cur.execute(
            "SELECT a.period, a.period_end, a.actual_value, a.commentary, a.remedial_action,"
            " i.unit, i.decimals FROM actual a JOIN indicator i USING (indicator_id)"
            " WHERE a.is_current"
        ).fetchall(),
        columns=["period", "period_end", "actual_value", "commentary", "remedial_action",
                 "unit", "decimals"],
    )  # fmt: skip
    rows["late"] = pd.to_datetime(rows["period_end"]).dt.date > END
    statuses = pd.DataFrame(
        cur.execute(
            "SELECT s.period_end, s.target_value, s.annual_target_value, i.unit, i.decimals"
            " FROM indicator_status s JOIN indicator i USING (indicator_id)"
        ).fetchall(),
        columns=["period_end", "target_value", "annual_target_value", "unit", "decimals"],
    )
    early = rows[~rows["late"]]

    def shown(values, units, decimals) -> set[str]:
        return {_fmt(v, u, d) for v, u, d in zip(values, units, decimals, strict=True)}

    allowed = shown(early["actual_value"], early["unit"], early["decimals"])
    for col in ("target_value", "annual_target_value"):
        allowed |= shown(statuses[col], statuses["unit"], statuses["decimals"])
    baselines = cur.execute("SELECT baseline_value, unit, decimals FROM indicator").fetchall()
    allowed |= {_fmt(v, u, d) for v, u, d in baselines}
    text = _all_text(site)
    late = rows[rows["late"] & rows["actual_value"].notna()]
    leaked = []
    for r in late.itertuples():
        shown = _fmt(r.actual_value, r.unit, r.decimals)
        if shown in allowed or len(shown) < 5:  # too common to tell apart (e.g. '20%')
            continue
        if re.search(r"(?<![\d.,])" + re.escape(shown) + r"(?![\d.,])", text):
            leaked.append((r.period, shown))
    assert leaked == []
    published_text = set(early["commentary"].dropna()) | set(early["remedial_action"].dropna())
    for column in ("commentary", "remedial_action"):
        for words in set(rows.loc[rows["late"], column].dropna()) - published_text:
            assert words not in text, words
    assert len(late) > 300


def test__site__no_internal_field_leaves(one_quarter):
    path, site = one_quarter
    text = re.sub(r":root\b", "", _all_text(site))  # the CSS selector, not an account
    cur = reader(path)
    for (name,) in cur.execute("SELECT DISTINCT file_name FROM return_file").fetchall():
        assert name not in text
    for (who,) in cur.execute(
        "SELECT DISTINCT loaded_by FROM return_file UNION SELECT published_by FROM publication"
        " UNION SELECT written_by FROM annual_text UNION SELECT actor FROM audit_log"
    ).fetchall():
        assert not re.search(r"\b" + re.escape(who) + r"\b", text), who
    for word in ("dq_flag", "data quality", "data-quality", "provisional", "superseded",
                 "loaded_by", "published_by", "@test.example"):  # fmt: skip
        assert word.lower() not in text.lower(), word
    # the flag's values are words commentary uses too ("no concerns"): the flag shows
    # nowhere as a field (above), and the CSVs have no column for it
    for csv_file in site.rglob("*.csv"):
        header = csv_file.read_text(encoding="utf-8").splitlines()[0]
        assert "quality" not in header and "dq" not in header, csv_file


def test__site__hostile_commentary_shows_as_text(one_quarter):
    _, site = one_quarter
    page = (site / "indicators" / "ni-16" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    for file in site.rglob("*.html"):
        assert "<script" not in file.read_text(encoding="utf-8").lower(), file
    history = (site / "indicators" / "ni-16" / "history.csv").read_text(encoding="utf-8")
    assert "2008/09 Q2" in history and HOSTILE not in history  # commentary is not in CSVs


def test__site__every_page_has_title_description_and_is_small(one_quarter):
    _, site = one_quarter
    pages = list(site.rglob("*.html"))
    assert len(pages) > 40
    titles = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.+?)</title>", html).group(1)
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), page
        titles.add(title)
        assert len(html.encode()) < 150 * 1024, page
        assert "http://" not in html.replace("http://www.w3.org/", "") and "https://" not in html
    assert len(titles) == len(pages)  # each page its own title
    assert (site / "indicators" / "ni-191" / "index.html").exists() or (
        site / "indicators" / "ni-16" / "index.html"
    ).exists()
