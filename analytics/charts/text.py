"""Charts in words: a sentence saying what each chart shows, and its data as a table (pure).

Every chart on the pages (the Overview's status bars, a theme's small multiples, an
indicator's trend, the Trends page) has a text alternative from here and its data one click
away, so a reader who cannot see the chart, or cannot hover over it, gets the same facts.
The frames are the ones the charts are drawn from (``views.indicator_values`` and
``comparators_for``; the status counts per theme), so the words and the picture agree.
"""

from __future__ import annotations

import pandas as pd

from analytics import labels, periods
from analytics import vocabulary as V
from analytics.formatting import format_number


def _word(status: str) -> str:
    """'red', 'no target': the status word without its symbol, for use inside a sentence."""
    found = V.STATUS_BY_CODE.get(status)
    return (found.word if found else status).lower()


def _number(value: object, unit: str, decimals: int) -> str:
    return format_number(value, unit, decimals)


def _period_noun(period_codes: pd.Series) -> str:
    quarterly = period_codes.map(periods.is_quarter)
    if quarterly.all():
        return "quarters"
    return "years" if not quarterly.any() else "periods"


def _status_spread(statuses: pd.Series, noun: str) -> str:
    """'green in 6 of 12 quarters, amber in 4, red in 2'."""
    counts = statuses.astype(str).value_counts()
    order = [s for s in V.STATUSES if s in counts.index]
    if not order:
        return ""
    first, *rest = order
    parts = [f"{_word(first)} in {counts[first]} of {len(statuses)} {noun}"]
    parts += [f"{_word(s)} in {counts[s]}" for s in rest]
    return ", ".join(parts)


def _movement(first: float, last: float, decimals: int) -> str:
    a, b = round(first, decimals), round(last, decimals)
    return "rose" if b > a else "fell" if b < a else "stayed the same"


def trend_sentence(values: pd.DataFrame) -> str:
    """One indicator's trend in a sentence, e.g. 'NI 191 (lower is better) fell from ...;
    latest 603 kg against a target of 595 kg (◆ Amber); green in 6 of 12 quarters, ...'.

    ``values``: one indicator's rows as the trend chart gets them (code, unit, decimals,
    polarity, measure_type, period, actual_value, target_value, rag_status), oldest first.
    For a cumulative measure the movement is of the full-year (Q4) totals, like with like.
    """
    if values.empty:
        return "No values yet."
    v = values.reset_index(drop=True)
    meta = v.iloc[0]
    code, unit, decimals = meta["code"], meta["unit"] or "", int(meta["decimals"])
    polarity = V.POLARITY_BY_CODE.get(meta["polarity"])
    better = polarity.phrase if polarity is not None and polarity.sign else None
    name = f"{code} ({better})" if better else f"{code} (data only)"
    known = v[v["actual_value"].notna()]
    if known.empty:
        return f"{name}: no values yet for {len(v)} {_period_noun(v['period'].astype(str))}."

    def num(value: object) -> str:
        return _number(value, unit, decimals)

    cumulative = meta.get("measure_type") == "cumulative"
    ends = known[known["period"].map(periods.is_year_end)] if cumulative else known
    if cumulative and len(ends) >= 2:
        a, b = ends.iloc[0], ends.iloc[-1]
        moved = _movement(a["actual_value"], b["actual_value"], decimals)
        first_year, last_year = periods.year_of(a["period"]), periods.year_of(b["period"])
        story = (
            f"{name}, counted through each year: the full-year total {moved} from "
            f"{num(a['actual_value'])} in {first_year} to {num(b['actual_value'])} in "
            f"{last_year}"
        )
    elif len(known) >= 2:
        a, b = known.iloc[0], known.iloc[-1]
        moved = _movement(a["actual_value"], b["actual_value"], decimals)
        story = (
            f"{name} {moved} from {num(a['actual_value'])} in {a['period']} to "
            f"{num(b['actual_value'])} in {b['period']}"
        )
    else:
        only = known.iloc[0]
        story = f"{name}: one value so far, {num(only['actual_value'])} in {only['period']}"
    latest = known.iloc[-1]
    target = latest["target_value"]
    status = labels.status_label(str(latest["rag_status"]))
    against = f"against a target of {num(target)}" if pd.notna(target) else "with no target"
    latest_text = f"latest, {latest['period']}: {num(latest['actual_value'])} {against} ({status})"
    spread = _status_spread(v["rag_status"], _period_noun(v["period"].astype(str)))
    return f"{story}; {latest_text}" + (f"; {spread}." if spread else ".")


def trend_sentences(values: pd.DataFrame) -> list[str]:
    """:func:`trend_sentence` for each indicator in ``values``, in the order they come."""
    return [trend_sentence(part) for _, part in values.groupby("code", sort=False)]


def small_multiples_sentence(values: pd.DataFrame) -> str:
    """A theme's grid of trends in a sentence: how many indicators, over which periods, and
    which are in which status at their latest period."""
    if values.empty:
        return "No values yet for these indicators."
    codes = list(dict.fromkeys(values["code"]))
    shown = values["period"].astype(str)
    quarters = shown[shown.map(periods.is_quarter)]  # a range in quarters where there are any
    ordered = sorted((quarters if len(quarters) else shown).unique(), key=periods.sort_key)
    latest = values.groupby("code", sort=False).tail(1)
    by_status = []
    for status in V.STATUS_ORDER:
        which = latest.loc[latest["rag_status"].astype(str) == status, "code"].tolist()
        if which:
            by_status.append(f"{_word(status)} {len(which)} ({', '.join(which)})")
    return (
        f"{len(codes)} indicators, each its actual values against its target, from "
        f"{ordered[0]} to {ordered[-1]}. At their latest period: " + "; ".join(by_status) + "."
    )


def status_bars_sentence(counts: pd.DataFrame, period: str | None = None) -> str:
    """The Overview's status-by-theme bars in words: per theme group, how many indicators
    are in each status. ``counts``: one row per theme, a column per status code."""
    statuses = [s for s in V.STATUS_ORDER if s in counts.columns]
    rows = []
    for theme, row in counts.iterrows():
        parts = [f"{int(row[s])} {_word(s)}" for s in statuses if int(row[s])]
        rows.append(f"{theme} {', '.join(parts) if parts else 'no indicators'}")
    total = counts[statuses].sum()
    overall = ", ".join(f"{int(total[s])} {_word(s)}" for s in statuses if int(total[s]))
    when = f" as at {period}" if period else ""
    return (
        f"Indicators by status for each theme group{when}: " + "; ".join(rows) + ". "
        f"In all {int(total.sum())} indicators: {overall}."
    )


def trend_table(
    values: pd.DataFrame, comparators: pd.DataFrame | None = None, spc: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The data behind trend charts, one row per indicator and period: actual, target and
    status in words (with the reason and commentary the chart shows on hover), and the
    county and England figures where the chart draws them (a yearly figure at the year's Q4).
    ``spc`` (one indicator's chart points) adds the mean, the process limits and the rule
    each point meets, as the chart draws them.
    """
    columns = ["Code", "Period", "Actual", "Target", "Status", "Why", "Commentary"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    v = values.reset_index(drop=True)
    fmt = [
        (_number(a, u or "", int(d)), _number(t, u or "", int(d)))
        for a, t, u, d in zip(
            v["actual_value"], v["target_value"], v["unit"], v["decimals"], strict=True
        )
    ]
    table = pd.DataFrame(
        {
            "Code": v["code"],
            "Period": v["period"].astype(str),
            "Actual": [a for a, _ in fmt],
            "Target": [t for _, t in fmt],
            "Status": v["rag_status"].astype(str).map(labels.status_label),
            "Why": v["rag_reason"].fillna("") if "rag_reason" in v else "",
            "Commentary": v["commentary"].fillna("") if "commentary" in v else "",
        }
    )
    if spc is not None and len(spc):
        from analytics.status.spc_words import SPC_POINTS

        unit, places = v["unit"].iloc[0] or "", int(v["decimals"].iloc[0])
        by_period = spc.set_index(spc["period"].astype(str))
        at = table["Period"]

        def col(name: str) -> list:
            return [by_period[name].get(p) for p in at]

        table["Analysed value"] = [_number(x, unit, places) if x is not None else ""
                                   for x in col("value")]  # fmt: skip
        table["Mean"] = [_number(x, unit, places) if x is not None else "" for x in col("spc_mean")]
        table["Process limits"] = [
            f"{_number(lo, unit, places)} to {_number(hi, unit, places)}" if lo is not None else ""
            for lo, hi in zip(col("spc_lower_limit"), col("spc_upper_limit"), strict=True)
        ]
        table["SPC"] = [f"{SPC_POINTS[str(k)][1]} {SPC_POINTS[str(k)][0]}" if k is not None
                        and str(k) in SPC_POINTS else "" for k in col("spc_point")]  # fmt: skip
    if comparators is None or comparators.empty:
        return table
    meta = v.drop_duplicates("code").set_index("code")
    shown = set(table["Period"])
    for name, part in comparators.groupby("comparator", sort=True):
        at = part["period"].astype(str).map(lambda p: at_year_end(p, shown))
        text = [
            _number(x, meta.at[c, "unit"] or "", int(meta.at[c, "decimals"]))
            if c in meta.index
            else ""
            for c, x in zip(part["code"], part["comparator_value"], strict=True)
        ]
        found = dict(zip(zip(part["code"], at, strict=True), text, strict=True))
        table[str(name).title()] = [
            found.get((c, p), "") for c, p in zip(table["Code"], table["Period"], strict=True)
        ]
    return table


def at_year_end(period: str, shown: set[str]) -> str:
    """A yearly comparator beside quarterly values sits at its year's Q4."""
    if period in shown or periods.is_quarter(period):
        return period
    q4 = periods.year_end_quarter(period)
    return q4 if q4 in shown else period
