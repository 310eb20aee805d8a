"""The county view as at a quarter: a row per LAA indicator of the county, a cell per district
(pure pandas; the frames come from :func:`analytics.warehouse.county.county_inputs`).

Per indicator: the **county figure** (made from the districts' figures by its aggregation
rule; the figure the county reported where it made none, and for ``county_only``
indicators), the figure the county **reported** beside the one **computed** with the
difference, the county's target (the one agreed with government), its status and direction
of travel, whether the districts' contribution targets add up to it, and the district holding
the largest share of the gap.

Per district: its figure, contribution target, status against it (against the county
target's level for a percentage or rate without contribution targets; none for a count
without one), direction of travel (from the district's own stored statuses), and marks: its
return is **missing** (it has the indicator, but no value for the period), it does **not
collect** the indicator, or the cell shows the **county's figure** (``county_only``).

The period of each row is the indicator's own as at the quarter: the quarter for quarterly
indicators, the latest year ended by then for annual ones (the latest survey year for
biennial ones).

:func:`redact` then withholds what a reader may not see: another district's unpublished
data, for a district's reader (its published figure shows instead, when there is one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analytics import periods
from analytics.county import aggregate, contributions, judge
from analytics.vocabulary import AGGREGATION_RULE_BY_CODE, POLARITY_BY_CODE


@dataclass
class CountyInputs:
    """What the county view is made from (frames as read, no formatting). Columns:

    - ``county``: partnership_id, partnership_code, name, reward_grant_total,
      reward_threshold_pct, reward_capital_pct;
    - ``districts``: partnership_id, district_code, name (by name);
    - ``indicators``: the county's LAA indicators, with the status engine's columns and
      aggregation_rule, ratio_multiplier, theme, theme_order, is_reward, reward_share_pct;
    - ``county_targets``: code, financial_year, target_value, q1_value..q4_value,
      target_without_stretch (the version in force);
    - ``county_values``: code, period, actual_value (the county's own returns);
    - ``district_values``: district_code, code, period, actual_value, numerator_value,
      denominator_value;
    - ``district_statuses``: district_code, code, period, rag_status, dot_previous,
      dot_last_year;
    - ``district_indicators``: district_code, code (what each district collects);
    - ``contributions``: code, district_code, financial_year, contribution_value;
    - ``populations``: district_code, financial_year, population;
    - ``allocations``: code, partner, share_pct; ``adjustments``: decided_on, adjustment,
      reduction_pct, note.
    """

    county: dict
    period: str  # the quarter in view
    districts: pd.DataFrame
    indicators: pd.DataFrame
    county_targets: pd.DataFrame
    county_values: pd.DataFrame
    district_values: pd.DataFrame
    district_statuses: pd.DataFrame
    district_indicators: pd.DataFrame
    contributions: pd.DataFrame
    populations: pd.DataFrame
    allocations: pd.DataFrame = field(default_factory=pd.DataFrame)
    adjustments: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class CountyView:
    county: dict
    period: str
    districts: pd.DataFrame  # district_code, name, partnership_id, access ('full' or 'published')
    rows: pd.DataFrame  # one per indicator, in theme order
    cells: pd.DataFrame  # one per indicator and district
    reward: object | None = None  # analytics.county.reward.RewardForecast

    @property
    def period_end(self) -> date:
        return periods.parse_code(self.period).end


ROW_FIELDS = (
    "indicator_id", "code", "title", "theme", "theme_order", "laa_status", "is_reward",
    "aggregation_rule", "unit", "decimals", "polarity", "frequency", "measure_type",
)  # fmt: skip


def _survey_starts(survey_years: object) -> list[int]:
    codes = [y.strip() for y in str(survey_years or "").split(",") if y.strip()]
    return sorted(periods.fy_start_year(y) for y in codes)


def indicator_period(frequency: str, survey_years: object, quarter: str) -> str:
    """The indicator's period as at ``quarter``: the quarter itself (quarterly and monthly),
    else the latest financial year ended by the quarter's end (for a biennial survey, the
    latest survey year up to it)."""
    p = _parsed(quarter)
    if frequency in ("quarterly", "monthly"):
        return quarter
    start = p.start_year if p.number == 4 else p.start_year - 1
    if frequency == "biennial":
        years = _survey_starts(survey_years)
        earlier = [y for y in years if y <= start]
        start = earlier[-1] if earlier else start
    return periods.fy_code(start)


def comparison_periods(frequency: str, survey_years: object, period: str) -> tuple[str, str]:
    """(previous, same period last year): a year's are the year before (a survey's, the
    survey before)."""
    if _parsed(period).grain == "quarter":
        return periods.previous_period(period), periods.same_period_last_year(period)
    if frequency == "biennial":
        years = _survey_starts(survey_years)
        start = periods.parse_code(period).start_year
        earlier = [y for y in years if y < start]
        before = periods.fy_code(earlier[-1] if earlier else start - 2)
        return before, before
    before = periods.previous_period(period)
    return before, before


def period_target(target: dict | None, period: str, measure_type: str) -> float:
    """A period's target from its year's row: the year's; at a quarter, the quarter's profile,
    else for a cumulative measure the straight-line share (as the status engine profiles it;
    :func:`analytics.ingest.intake.period_target` is the same rule for return templates)."""
    if target is None:
        return np.nan
    annual = target.get("target_value")
    annual = np.nan if annual is None or pd.isna(annual) else float(annual)
    p = _parsed(period)
    if p.grain != "quarter":
        return annual
    profiled = target.get(f"q{p.number}_value")
    if profiled is not None and not pd.isna(profiled):
        return float(profiled)
    return annual * p.number / 4 if measure_type == "cumulative" else annual


def _target_rows(targets: pd.DataFrame) -> dict:
    return {(r["code"], r["financial_year"]): r for r in targets.to_dict("records")}


def county_view(inputs: CountyInputs) -> CountyView:
    """The whole view (nothing withheld: see :func:`redact`)."""
    ind = aggregate.object_columns(inputs.indicators.reset_index(drop=True))
    districts = inputs.districts.reset_index(drop=True)
    codes = districts["district_code"].tolist()
    if ind.empty:
        return CountyView(inputs.county, inputs.period, districts.assign(access="full"),
                          pd.DataFrame(columns=[*ROW_FIELDS]), pd.DataFrame())  # fmt: skip
    ind["period"] = [
        indicator_period(f, s, inputs.period)
        for f, s in zip(ind["frequency"], ind["survey_years"], strict=True)
    ]
    compare = [
        comparison_periods(f, s, p)
        for f, s, p in zip(ind["frequency"], ind["survey_years"], ind["period"], strict=True)
    ]
    ind["previous_period"] = [c[0] for c in compare]
    ind["last_year_period"] = [c[1] for c in compare]
    ind["multiplier"] = [
        aggregate.multiplier_of(u, m)
        for u, m in zip(ind["unit"], ind["ratio_multiplier"], strict=True)
    ]
    ind["sign"] = ind["polarity"].map(lambda p: POLARITY_BY_CODE[p].sign if p in
                                      POLARITY_BY_CODE else 0)  # fmt: skip
    rules = ind[["code", "aggregation_rule", "multiplier"]]
    wanted = pd.concat(
        [ind[["code", c]].rename(columns={c: "period"})
         for c in ("period", "previous_period", "last_year_period")], ignore_index=True,
    ).drop_duplicates()  # fmt: skip
    parts = aggregate.district_parts(
        rules, inputs.district_values, codes, inputs.populations, wanted
    )
    figures = aggregate.county_figures(parts, rules)
    figures = {
        (r["code"], r["period"]): r for r in figures.to_dict("records")
    }  # plain dicts: a frame's .at costs 0.5 ms a look-up
    values = inputs.county_values
    reported = dict(
        zip(zip(values["code"], values["period"], strict=True), values["actual_value"],
            strict=True)
    )  # fmt: skip

    def figure_at(code: str, period: str, rule: object) -> tuple[float, str]:
        computed = _get(figures, (code, period), "county_computed_value")
        said = _get_series(reported, (code, period))
        if rule not in (None, "county_only") and not np.isnan(computed):
            return computed, "computed"
        if not np.isnan(said):
            return said, "reported"
        return np.nan, ""

    targets = _target_rows(inputs.county_targets)
    row_records = []
    for rec in ind.to_dict("records"):
        code, period, rule = rec["code"], rec["period"], rec["aggregation_rule"]
        value, source = figure_at(code, period, rule)
        computed = _get(figures, (code, period), "county_computed_value")
        said = _get_series(reported, (code, period))
        row_records.append({
            **{k: rec.get(k) for k in ROW_FIELDS},
            "period": period,
            "multiplier": rec["multiplier"],
            "sign": rec["sign"],
            "county_figure": value,
            "county_figure_source": source,
            "county_computed_value": computed,
            "county_reported_value": said,
            "reported_difference": said - computed,
            "numerator": _get(figures, (code, period), "numerator"),
            "denominator": _get(figures, (code, period), "denominator"),
            "districts_reporting": _get(figures, (code, period), "districts_reporting"),
            "districts_expected": len(codes) if AGGREGATION_RULE_BY_CODE.get(
                rule, None) and AGGREGATION_RULE_BY_CODE[rule].from_districts else 0,
            "missing_districts": _get_text(figures, (code, period), "missing_districts"),
            "county_target": period_target(
                targets.get((code, periods.year_of(period))), period, rec["measure_type"]
            ),
            "previous_value": figure_at(code, rec["previous_period"], rule)[0],
            "last_year_value": figure_at(code, rec["last_year_period"], rule)[0],
        })  # fmt: skip
    rows = aggregate.object_columns(pd.DataFrame(row_records))
    rows = judge.directions(ind, rows.assign(value=rows["county_figure"]))
    rows = judge.statuses(ind, rows.assign(value=rows["county_figure"],
                                           target_value=rows["county_target"]))  # fmt: skip
    rows = rows.rename(columns={"status": "county_status"}).drop(columns=["value", "target_value"])
    cells = _cells(inputs, ind, rows, parts)
    cells, summary = contributions.contribution_gaps(
        cells, rows.rename(columns={"county_target": "county_target"})
    )
    rows = rows.merge(summary, on=["code", "period"], how="left")
    names = dict(zip(districts["district_code"], districts["name"], strict=True))
    rows["largest_gap_name"] = rows["largest_gap_district"].map(names)
    rows["gap_words"] = [_gap_words(r, names) for r in rows.to_dict("records")]
    rows = rows.sort_values(["theme_order", "code"], kind="stable").reset_index(drop=True)
    rows["forecast_value"] = _forecasts(rows, inputs.period)
    view = CountyView(inputs.county, inputs.period, districts.assign(access="full"), rows, cells)
    view.reward = _reward(inputs, rows)
    return view


def _forecasts(rows: pd.DataFrame, quarter: str) -> np.ndarray:
    """The year-end forecast of each county figure, as the status engine makes it ("if
    nothing changes"): a cumulative measure's year to date at its run rate, else the figure."""
    number = periods.parse_code(quarter).number
    value = rows["county_figure"].to_numpy(dtype=np.float64, na_value=np.nan)
    at_quarter = rows["period"].map(lambda p: _parsed(p).grain == "quarter")
    run_rate = rows["measure_type"].eq("cumulative").to_numpy() & at_quarter.to_numpy(bool)
    return np.where(run_rate, value * 4.0 / number, value)


def _get(rows: dict, key: tuple, column: str) -> float:
    value = rows.get(key, {}).get(column)
    return np.nan if value is None or pd.isna(value) else float(value)


def _get_text(rows: dict, key: tuple, column: str) -> str:
    value = rows.get(key, {}).get(column)
    return "" if value is None or pd.isna(value) else str(value)


def _get_series(series, key: tuple) -> float:
    value = series.get(key)
    return np.nan if value is None or pd.isna(value) else float(value)


def _lookup(keys: list, mapping: dict, default=None) -> list:
    return [mapping.get(k, default) for k in keys]


def _cells(inputs: CountyInputs, ind: pd.DataFrame, rows: pd.DataFrame, parts: pd.DataFrame):
    """A cell per (indicator, district) at the row's period (look-ups by plain dicts: the
    view is computed on every page load, and merges of small frames cost more)."""
    districts = inputs.districts
    at = set(zip(ind["code"], ind["period"], strict=True))
    keep = [k in at for k in zip(parts["code"], parts["period"], strict=True)]
    cells = aggregate.object_columns(parts[np.asarray(keep, dtype=bool)].reset_index(drop=True))
    d_codes = cells["district_code"].tolist()
    codes, cell_periods = cells["code"].tolist(), cells["period"].tolist()
    names = dict(zip(districts["district_code"], districts["name"], strict=True))
    pids = dict(zip(districts["district_code"], districts["partnership_id"], strict=True))
    cells["district_name"] = _lookup(d_codes, names)
    cells["partnership_id"] = _lookup(d_codes, pids)
    collected = set(zip(inputs.district_indicators["district_code"],
                        inputs.district_indicators["code"], strict=True))  # fmt: skip
    statuses = inputs.district_statuses
    status_keys = list(zip(statuses["district_code"], statuses["code"], statuses["period"],
                           strict=True))  # fmt: skip
    cell_keys = list(zip(d_codes, codes, cell_periods, strict=True))
    for column in ("rag_status", "dot_previous", "dot_last_year"):
        found = dict(zip(status_keys, statuses[column], strict=True))
        cells[column] = _lookup(cell_keys, found)
    measure = dict(zip(ind["code"], ind["measure_type"], strict=True))
    rule_of = dict(zip(ind["code"], ind["aggregation_rule"], strict=True))
    contribution = {
        (c, d, y): v
        for c, d, y, v in zip(inputs.contributions["code"], inputs.contributions["district_code"],
                              inputs.contributions["financial_year"],
                              inputs.contributions["contribution_value"], strict=True)
    }  # fmt: skip
    cells["contribution_target"] = [
        _period_contribution(contribution.get((c, d, p[:7])), p, measure[c])
        for c, d, p in zip(codes, d_codes, cell_periods, strict=True)
    ]
    rules = np.array(_lookup(codes, rule_of), dtype=object)
    county_only = rules == "county_only"
    figure = dict(zip(rows["code"], rows["county_figure"], strict=True))
    cells["shows_county_figure"] = county_only
    for column in ("rag_status", "dot_previous", "dot_last_year"):  # the county's, not its own
        cells[column] = np.where(county_only, None, cells[column].to_numpy(dtype=object))
    value = cells["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    value = np.where(county_only, np.array(_lookup(codes, figure, np.nan), dtype=float), value)
    cells["actual_value"] = value
    collects = np.array([k in collected for k in zip(d_codes, codes, strict=True)], dtype=bool)
    cells["not_collected"] = ~collects & ~county_only
    cells["missing"] = collects & ~county_only & np.isnan(value)
    # status: against the contribution target; a percentage or rate without contributions,
    # against the county target's level; a count without one: none.
    target = cells["contribution_target"].to_numpy(dtype=np.float64)
    with_contribution = {c for c, t in zip(codes, target, strict=True) if not np.isnan(t)}
    has_any = np.array([c in with_contribution for c in codes], dtype=bool)
    shared = (rules == "ratio") | (rules == "rate_per_population")
    county_target = dict(zip(rows["code"], rows["county_target"], strict=True))
    level = np.where(has_any, target, np.where(
        shared, np.array(_lookup(codes, county_target, np.nan), dtype=float), np.nan))  # fmt: skip
    ids = dict(zip(ind["code"], ind["indicator_id"], strict=True))
    judged = judge.statuses(
        ind,
        pd.DataFrame(
            {"indicator_id": _lookup(codes, ids), "value": value, "target_value": level}
        ),  # fmt: skip
    )
    cells["status"] = np.where(county_only, None, judged["status"].to_numpy())
    cells["status_against"] = np.where(
        has_any, "contribution target", np.where(shared, "county target", "")
    )
    return cells


def _period_contribution(annual, period: str, measure_type: str) -> float:
    """A contribution target for the period: the annual figure, or for a cumulative measure
    at a quarter its straight-line share (as the status engine profiles a target)."""
    if annual is None or pd.isna(annual):
        return np.nan
    p = _parsed(period)
    if p.grain == "quarter" and measure_type == "cumulative":
        return float(annual) * p.number / 4
    return float(annual)


@functools.lru_cache(maxsize=4096)
def _parsed(period: str) -> periods.Period:
    """A period code parsed once (a view reads the same few periods hundreds of times)."""
    return periods.parse_code(period)


def _gap_words(row: dict, names: dict) -> str:
    if row.get("aggregation_rule") == "county_only":
        return "Measured at county level."
    district = row.get("largest_gap_district")
    if not district or pd.isna(row.get("largest_gap_share")):
        return "" if row.get("gap_basis") else "No contribution targets to share the gap."
    share = float(row["largest_gap_share"])
    basis = row.get("gap_basis") or "contribution targets"
    return (f"{names.get(district, district)} holds {100 * share:.0f}% of the districts' gap "
            f"(against {basis}).")  # fmt: skip


def _reward(inputs: CountyInputs, rows: pd.DataFrame):
    """The reward forecast from the county figures' year-end forecasts."""
    from analytics.county.reward import RewardSettings, reward_forecast

    ind = inputs.indicators
    rewards = ind[ind["is_reward"].fillna(False).astype(bool)]
    year = periods.parse_code(inputs.period).financial_year
    targets = inputs.county_targets
    targets = targets[targets["financial_year"] == year][
        ["code", "target_value", "target_without_stretch"]
    ]
    frame = (
        rewards.drop(columns=[c for c in ("target_value",) if c in rewards])
        .merge(targets, on="code", how="left")
        .merge(rows[["code", "forecast_value", "missing_districts"]], on="code", how="left")
    )
    names = dict(zip(inputs.districts["district_code"], inputs.districts["name"], strict=True))
    frame["forecast_note"] = [
        f"No county figure for {inputs.period} yet: waiting for "
        + ", ".join(names.get(d.strip(), d.strip()) for d in str(m).split(",")) + "."
        if isinstance(m, str) and m else None
        for m in frame["missing_districts"]
    ]  # fmt: skip
    county = inputs.county
    adjustments = [
        (pd.Timestamp(r["decided_on"]).date(), r["adjustment"],
         None if pd.isna(r["reduction_pct"]) else float(r["reduction_pct"]), r["note"])
        for r in inputs.adjustments.to_dict("records")
    ]  # fmt: skip
    settings = RewardSettings.from_percentages(
        county.get("reward_grant_total"),
        county.get("reward_threshold_pct"),
        county.get("reward_capital_pct"),
        adjustments,
    )
    end = periods.parse_code(inputs.period).end
    return reward_forecast(frame, settings, inputs.period, end, inputs.allocations)


def redact(view: CountyView, full_access: set[str], published: pd.DataFrame) -> CountyView:
    """The view for a reader who may see only ``full_access`` districts' own data (the
    others: their published figures only). Withheld from the others' cells: the figure
    (replaced by the published one, or blank), numerator and denominator, status, direction,
    contribution target, gap; the largest gap is named only when it is a district the reader
    sees."""
    hidden = ~view.cells["district_code"].isin(full_access).to_numpy()
    if not hidden.any():
        return view
    cells = view.cells.copy()
    pub = published.set_index(["district_code", "code", "period"])["actual_value"] if len(
        published) else pd.Series(dtype=float)  # fmt: skip
    keys = list(zip(cells["district_code"], cells["code"], cells["period"], strict=True))
    shown = np.array([_get_series(pub, k) for k in keys])
    withheld = ["numerator", "denominator", "status", "dot_previous", "dot_last_year",
                "rag_status", "contribution_target", "expected", "achieved", "gap", "gap_share",
                "gap_county_units"]  # fmt: skip
    county_only = cells["shows_county_figure"].to_numpy(dtype=bool)
    for column in withheld:
        if column in cells:
            cells.loc[hidden, column] = None
    redacted = hidden & ~county_only
    cells.loc[redacted, "actual_value"] = shown[redacted]
    cells.loc[redacted, ["missing", "derived"]] = False
    cells["published_only"] = redacted
    rows = view.rows.copy()
    named = rows["largest_gap_district"]
    outside = named.notna() & ~named.isin(full_access)
    rows.loc[outside, ["largest_gap_district", "largest_gap_name"]] = None
    rows.loc[outside, "largest_gap_share"] = np.nan
    own_share = cells[~hidden].groupby("code")["gap_share"].max()
    rows.loc[outside, "gap_words"] = [
        _own_share_words(c, own_share, view.districts, full_access) for c in rows.loc[outside,
                                                                                      "code"]
    ]  # fmt: skip
    districts = view.districts.assign(
        access=np.where(view.districts["district_code"].isin(full_access), "full", "published")
    )
    return CountyView(view.county, view.period, districts, rows, cells, view.reward)


def _own_share_words(code: str, own_share: pd.Series, districts: pd.DataFrame, full) -> str:
    share = own_share.get(code)
    names = districts.set_index("district_code")["name"]
    mine = [names[d] for d in full if d in names.index]
    if share is None or pd.isna(share) or not mine:
        return ""
    return f"{mine[0]} holds {100 * float(share):.0f}% of the districts' gap."
