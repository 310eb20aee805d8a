"""Build the demo's county: Wyvernshire Partnership's LAA framework, three more districts
beside Wyvern Vale, their returns and the county's own (deterministic, through the same
import code as a user's files).

Wyvern Vale's figures are its own (:func:`analytics.demo.build.generate`); the new districts'
follow the same paths at their own level (:data:`~analytics.demo.county_spec.DISTRICTS`),
with their own noise. Ratio indicators come with numerators and denominators, rates with
their events; the county's figures for its county-only indicators are its own, and for the
others (:data:`~analytics.demo.county_spec.COUNTY_REPORTS`) it types a figure of its own
beside the one the product computes from the districts' (two quarters differ: a data-quality
problem).

Written under ``raw/demo/county/`` as framework workbooks (the county's first: it lists its
districts, their populations and contribution targets) and CSV returns (a district's own
system's extract, read through the header synonyms), then loaded like any user's.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analytics import periods
from analytics.county.aggregate import county_figures, district_parts, multiplier_of
from analytics.demo import county_spec as C
from analytics.demo import spec
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.ingest.intake import intake_file
from analytics.ingest.template import due_period
from analytics.vocabulary import POLARITY_BY_CODE
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers
from analytics.warehouse.load import import_framework
from analytics.warehouse.returns import commit_returns

if TYPE_CHECKING:
    from analytics.demo.build import Demo

SPEC = {i.code: i for i in spec.INDICATORS}
THEME_NAME = {key: name for key, name, *_ in spec.THEMES}
THEME_SHORT = {key: short for key, _, short, *_ in spec.THEMES}
RULE = {code: rule for code, _, rule, _ in C.COUNTY_INDICATORS}
MULTIPLIER = {code: m for code, _, _, m in C.COUNTY_INDICATORS}
AGGREGATED = [code for code, _, rule, _ in C.COUNTY_INDICATORS if rule != "county_only"]
WVP = spec.PARTNERSHIP["partnership_code"]


def _years() -> list[str]:
    return [periods.fy_code(spec.FIRST_YEAR + y) for y in range(spec.YEARS)]


def _due(code: str, quarter: str) -> str | None:
    ind = SPEC[code]
    surveys = spec.SURVEY_YEARS if ind.frequency == "biennial" else None
    return due_period(ind.frequency, surveys, quarter)


def wyvern_vale_ratios(values: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """(code, period) -> (numerator, denominator) of Wyvern Vale's ratio indicators, as its
    returns give them (its rates come without: the county works its events out)."""
    out = {}
    for rec in values[values["code"].map(RULE).eq("ratio")].to_dict("records"):
        if not pd.isna(rec["actual_value"]):
            pop = _population(C.WYVERN_VALE_POPULATION, periods.year_of(rec["period"]))
            out[(rec["code"], rec["period"])] = _ratio_parts(
                rec["code"], rec["actual_value"], pop, rec["period"]
            )
    return out


def _multiplier(code: str) -> float:
    return multiplier_of(SPEC[code].unit, MULTIPLIER[code])


def _population(base: int, year: str) -> int:
    return round(base * (1 + C.POPULATION_GROWTH) ** (periods.fy_start_year(year) - 2008))


def _populations() -> pd.DataFrame:
    bases = {WVP: C.WYVERN_VALE_POPULATION, **{d.code: d.population for d in C.DISTRICTS}}
    rows = [
        {"partnership_code": code, "year": fy, "population": _population(base, fy),
         "source": f"ONS mid-{fy[:4]} population estimate"}
        for code, base in bases.items() for fy in _years()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _sign(code: str, polarity: dict[str, str]) -> int:
    found = POLARITY_BY_CODE.get(polarity[code])
    return found.sign if found else 0


def _is_count(code: str) -> bool:
    return RULE.get(code) == "sum"


def _scaled(value: float, code: str, district: C.District, sign: int) -> float:
    """A Wyvern Vale figure at a district's level: counts by population, levels by the
    district's standing (better when ``level`` > 1, after polarity)."""
    if _is_count(code):
        return value * district.population / C.WYVERN_VALE_POPULATION * district.level
    return value * (district.level if sign >= 0 else 1 / district.level)


def _round(value: float, code: str) -> float:
    ind = SPEC[code]
    value = max(value, 0.0)
    if ind.cap is not None:
        value = min(value, ind.cap)
    return round(value, ind.decimals)


def _ratio_parts(code: str, value: float, population: int, period: str) -> tuple[float, float]:
    """(numerator, denominator) of a figure: for a ratio, its denominator by head of
    population and the numerator it implies; for a rate, the events and the population."""
    mult = _multiplier(code)
    if RULE[code] == "ratio":
        denominator = round(population * C.DENOMINATOR_PER_HEAD[code])
        return round(value * denominator / mult), float(denominator)
    return round(value * population / mult), float(population)


def district_values(demo: Demo, polarity: dict[str, str]) -> pd.DataFrame:
    """Every district's figures for the LAA indicators it collects: district_code, code,
    period, actual_value, numerator_value, denominator_value (Wyvern Vale's own values, with
    numerators and denominators for its ratio indicators)."""
    wvp = demo.values[demo.values["code"].isin(AGGREGATED)]
    ratios = wyvern_vale_ratios(wvp)
    rows = []
    for rec in wvp.to_dict("records"):
        code, period, value = rec["code"], rec["period"], rec["actual_value"]
        num, den = ratios.get((code, period), (np.nan, np.nan))
        rows.append(
            {
                "district_code": WVP,
                "code": code,
                "period": period,
                "actual_value": value,
                "numerator_value": num,
                "denominator_value": den,
            }
        )
    collected = {c for _, _, _, codes in C.DISTRICT_THEMES for c in codes}
    for district in C.DISTRICTS:
        rng = np.random.default_rng(C.SEED * 100 + district.seed)
        for rec in wvp[wvp["code"].isin(collected)].to_dict("records"):
            code, period = rec["code"], rec["period"]
            ind = SPEC[code]
            sign = _sign(code, polarity)
            noise = rng.normal(0, max(ind.noise, abs(rec["actual_value"]) * 0.01) * 0.6)
            value = _round(_scaled(rec["actual_value"], code, district, sign) + noise, code)
            num = den = np.nan
            if RULE[code] in ("ratio", "rate_per_population"):
                population = _population(district.population, periods.year_of(period))
                num, den = _ratio_parts(code, value, population, period)
            rows.append({"district_code": district.code, "code": code, "period": period,
                         "actual_value": value, "numerator_value": num,
                         "denominator_value": den})  # fmt: skip
    frame = pd.DataFrame(rows)
    cumulative = frame["code"].map(lambda c: SPEC[c].measure_type == "cumulative")
    year = frame["period"].str[:7]
    frame.loc[cumulative, "actual_value"] = (
        frame[cumulative]
        .groupby([frame["district_code"], frame["code"], year])["actual_value"]
        .cummax()
    )
    return frame


def contributions(demo: Demo, polarity: dict[str, str]) -> pd.DataFrame:
    """Each district's contribution target per indicator and year: Wyvern Vale's own target;
    the others' at their level (code, district_code, year, contribution_target)."""
    latest = demo.targets.sort_values("set_on").drop_duplicates(["code", "year"], keep="last")
    latest = latest[latest["code"].isin(AGGREGATED)]
    rows = []
    collected = {c for _, _, _, codes in C.DISTRICT_THEMES for c in codes}
    for rec in latest.to_dict("records"):
        code, year, target = rec["code"], rec["year"], rec["target_value"]
        if pd.isna(target):
            continue
        rows.append({"code": code, "district_code": WVP, "year": year,
                     "contribution_target": float(target)})  # fmt: skip
        if code not in collected:
            continue
        for district in C.DISTRICTS:
            value = _scaled(float(target), code, district, _sign(code, polarity))
            rows.append(
                {
                    "code": code,
                    "district_code": district.code,
                    "year": year,
                    "contribution_target": _round(value * district.contribution, code),
                }
            )
    return pd.DataFrame(rows)


def _county_figure_frames(values: pd.DataFrame, pops: pd.DataFrame):
    rules = pd.DataFrame({"code": AGGREGATED, "aggregation_rule": [RULE[c] for c in AGGREGATED],
                          "multiplier": [_multiplier(c) for c in AGGREGATED]})  # fmt: skip
    populations = pops.rename(columns={"partnership_code": "district_code",
                                       "year": "financial_year"})  # fmt: skip
    return rules, populations


def county_targets(
    demo: Demo, polarity: dict[str, str], shares: pd.DataFrame, values: pd.DataFrame
) -> pd.DataFrame:
    """The county's targets as agreed with government: for an indicator made from the
    districts', what their contributions add up to (weighted by their latest denominators),
    rounded the safe way, times :data:`~county_spec.COUNTY_TARGET_OVER_CONTRIBUTIONS`; for a
    county-only one, Wyvern Vale's. Reward targets carry the level without the stretch."""
    pops = _populations()
    latest = demo.targets.sort_values("set_on").drop_duplicates(["code", "year"], keep="last")
    latest = latest.set_index(["code", "year"])
    rows = []
    for code, _, rule, _ in C.COUNTY_INDICATORS:
        ind = SPEC[code]
        sign = _sign(code, polarity)
        for fy in _years():
            if (code, fy) not in latest.index:
                continue
            own = latest.loc[(code, fy)]
            target = own["target_value"]
            if rule != "county_only":
                part = shares[(shares["code"] == code) & (shares["year"] == fy)]
                if part.empty:
                    continue
                if rule == "sum":
                    target = part["contribution_target"].sum()
                else:
                    weights = _weights(code, fy, part, values, pops)
                    target = float((part["contribution_target"] * weights).sum() / weights.sum())
                factor = C.COUNTY_TARGET_OVER_CONTRIBUTIONS.get(code, 1.0)
                target *= factor if sign >= 0 else 1 / factor
                step = 10.0**-ind.decimals
                target = (np.floor(target / step + 1e-9) if sign >= 0 else np.ceil(
                    target / step - 1e-9)) * step  # fmt: skip
                target = round(float(target), ind.decimals)
            without = None
            share = spec.STRETCH_SHARE.get(code)
            if share is not None and not pd.isna(target):
                without = round(target - sign * share * ind.step, ind.decimals)
            rows.append({
                "code": code, "year": fy, "target_value": target, "q1": None, "q2": None,
                "q3": None, "q4": None, "is_placeholder": False,
                "target_without_stretch": without,
                "set_on": date(2008, 6, 30) if fy == "2008/09" else date(int(fy[:4]), 4, 1),
                "reason": "LAA 2008-11 as agreed with government",
            })  # fmt: skip
    return pd.DataFrame(rows)


def _weights(code, fy, part, values, pops) -> pd.Series:
    """Each district's weight in a year's level: its denominator (a ratio) or population."""
    if RULE[code] == "rate_per_population":
        pop = pops[pops["year"] == fy].set_index("partnership_code")["population"]
        return part["district_code"].map(pop).astype(float)
    year = values[(values["code"] == code) & (values["period"].str[:7] == fy)]
    den = year.groupby("district_code")["denominator_value"].last()
    return part["district_code"].map(den).astype(float)


def county_values(demo: Demo, values: pd.DataFrame) -> pd.DataFrame:
    """What the county types: its county-only figures (near Wyvern Vale's) and, for
    :data:`~county_spec.COUNTY_REPORTS`, the figure made from the districts' rounded as it
    reports it, with the slips of :data:`~county_spec.REPORTED_SLIPS`."""
    rng = np.random.default_rng(C.SEED * 100 + 7)
    rows = []
    own = demo.values
    for code, _, rule, _ in C.COUNTY_INDICATORS:
        if rule != "county_only":
            continue
        for rec in own[own["code"] == code].to_dict("records"):
            value = rec["actual_value"] * (1 + rng.normal(0.005, 0.02))
            rows.append(
                {"code": code, "period": rec["period"], "actual_value": _round(value, code)}
            )
    rules, pops = _county_figure_frames(values, _populations())
    reported = list(C.COUNTY_REPORTS)
    wanted = values[values["code"].isin(reported)][["code", "period"]].drop_duplicates()
    districts = [WVP, *(d.code for d in C.DISTRICTS)]
    parts = district_parts(rules, values, districts, pops, wanted)
    figures = county_figures(parts, rules)
    slips = {(c, p): d for c, p, d in C.REPORTED_SLIPS}
    for rec in figures.to_dict("records"):
        value = rec["county_computed_value"]
        if pd.isna(value):
            continue
        value += slips.get((rec["code"], rec["period"]), 0.0)
        rows.append({"code": rec["code"], "period": rec["period"],
                     "actual_value": _round(value, rec["code"])})  # fmt: skip
    return pd.DataFrame(rows)


def _framework_indicators(codes, theme_of, rule: bool, polarity) -> pd.DataFrame:
    rows = []
    for code in codes:
        ind = SPEC[code]
        laa = ind.laa_status if ind.laa_status != "local" else "designated"
        rows.append({
            "code": code, "title": None, "theme": theme_of[code], "polarity": ind.polarity,
            "unit": ind.unit, "decimals": ind.decimals, "frequency": ind.frequency,
            "measure_type": ind.measure_type, "status_rule": ind.status_rule,
            "amber_tolerance_pct": ind.amber_tolerance_pct,
            "amber_tolerance_abs": ind.amber_tolerance_abs,
            "minimum_standard": ind.minimum_standard, "dot_threshold": ind.dot_threshold,
            "is_laa": True, "laa_status": laa, "lead": ind.lead or None,
            "data_source": ind.data_source or None, "baseline_value": ind.baseline,
            "baseline_period": "2007/08",
            "survey_years": spec.SURVEY_YEARS if ind.frequency == "biennial" else None,
            "aggregation_rule": RULE[code] if rule else None,
            "ratio_multiplier": MULTIPLIER[code] if rule else None,
        })  # fmt: skip
    return pd.DataFrame(rows)


def write_county_framework(demo: Demo, out: Path, polarity, shares, values) -> Path:
    theme_of = {code: THEME_NAME[key] for code, key, _, _ in C.COUNTY_INDICATORS}
    themes = [{"theme": THEME_NAME[k], "short_name": THEME_SHORT[k], "chair": chair,
               "lead_officer": officer, "contact_email": None}
              for k, (chair, officer) in C.COUNTY_CHAIRS.items()]  # fmt: skip
    districts = [{"district_code": WVP, "name": spec.PARTNERSHIP["name"]}] + [
        {"district_code": d.code, "name": d.name} for d in C.DISTRICTS
    ]
    allocations = [{"code": code, "partner": partner, "share_pct": pct}
                   for code, parts in C.REWARD_ALLOCATIONS.items()
                   for partner, pct in parts]  # fmt: skip
    adjustments = [{"decided_on": date.fromisoformat(d), "adjustment": a, "reduction_pct": p,
                    "note": n} for d, a, p, n in C.REWARD_ADJUSTMENTS]  # fmt: skip
    board = []
    day = date(2008, 6, 12)
    while day <= date(2011, 6, 30):
        board.append({"meeting_date": day, "title": "Wyvernshire Partnership Board"})
        day += timedelta(weeks=13)
    codes = [code for code, *_ in C.COUNTY_INDICATORS]
    return write_framework(out / "framework-wyvernshire.xlsx", {
        "Partnership": pd.DataFrame([C.COUNTY]), "Themes": pd.DataFrame(themes),
        "Indicators": _framework_indicators(codes, theme_of, True, polarity),
        "Targets": county_targets(demo, polarity, shares, values),
        "Districts": pd.DataFrame(districts), "Populations": _populations(),
        "Contributions": shares.assign(set_on=date(2008, 6, 30),
                                       reason="LAA delivery plan: district contributions"),
        "Reward allocations": pd.DataFrame(allocations),
        "Reward adjustments": pd.DataFrame(adjustments), "Board dates": pd.DataFrame(board),
    })  # fmt: skip


def write_district_framework(district: C.District, out: Path, shares, polarity) -> Path:
    theme_of = {c: name for _, name, _, codes in C.DISTRICT_THEMES for c in codes}
    codes = [c for _, _, _, cs in C.DISTRICT_THEMES for c in cs]
    mine = shares[shares["district_code"] == district.code]
    targets = [{
        "code": r["code"], "year": r["year"], "target_value": r["contribution_target"],
        "set_on": date(2008, 6, 30) if r["year"] == "2008/09" else date(int(r["year"][:4]), 4, 1),
        "reason": "our contribution to the Wyvernshire LAA",
    } for r in mine.to_dict("records")]  # fmt: skip
    return write_framework(out / f"framework-{district.code.lower()}.xlsx", {
        "Partnership": pd.DataFrame([{"partnership_code": district.code, "name": district.name,
                                      "tier": "district", "parent_name": C.COUNTY["name"],
                                      "area_name": district.area}]),
        "Themes": pd.DataFrame([{"theme": name, "short_name": short, "chair": None,
                                 "lead_officer": None, "contact_email": None}
                                for _, name, short, _ in C.DISTRICT_THEMES]),
        "Indicators": _framework_indicators(codes, theme_of, False, polarity),
        "Targets": pd.DataFrame(targets),
    })  # fmt: skip


RETURN_HEADINGS = ("Ref", "Period", "Actual", "Numerator", "Denominator", "Comments")


def _write_csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(RETURN_HEADINGS)
        for r in rows:
            writer.writerow([r["code"], r["period"], _cell(r["actual_value"]),
                             _cell(r.get("numerator_value")), _cell(r.get("denominator_value")),
                             r.get("commentary") or ""])  # fmt: skip
    return path


def _cell(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{value:g}" if float(value) != int(value) else str(int(value))


COMMENT = "Figure from the {who} monitoring system."


def write_returns(values: pd.DataFrame, county: pd.DataFrame, out: Path) -> list[tuple]:
    """(path, partnership code, theme, quarter) for every return: a district's per theme
    group and quarter; the county's per theme group and quarter it has anything due."""
    returns = []
    quarters = [q for fy in _years() for q in periods.quarters_of_year(fy)]
    by_key = values.set_index(["district_code", "code", "period"])
    for district in C.DISTRICTS:
        for key, name, _, codes in C.DISTRICT_THEMES:
            for quarter in quarters:
                rows = _due_rows(codes, quarter, lambda c, p, d=district.code: by_key.loc[
                    (d, c, p)].to_dict() if (d, c, p) in by_key.index else None)  # fmt: skip
                if not rows:
                    continue
                for r in rows:
                    r["commentary"] = COMMENT.format(who=district.name.replace(" Partnership", ""))
                file = (
                    out
                    / "returns"
                    / district.code.lower()
                    / _file_name(district.code, quarter, key)
                )
                returns.append((_write_csv(file, rows), district.code, name, quarter))
    own = county.set_index(["code", "period"])
    for key in C.COUNTY_CHAIRS:
        codes = [c for c, k, rule, _ in C.COUNTY_INDICATORS
                 if k == key and (rule == "county_only" or c in C.COUNTY_REPORTS)]  # fmt: skip
        for quarter in quarters:
            rows = _due_rows(codes, quarter, lambda c, p: own.loc[(c, p)].to_dict()
                             if (c, p) in own.index else None)  # fmt: skip
            if not rows:
                continue
            for r in rows:
                r["commentary"] = COMMENT.format(who="county")
            file = out / "returns" / "wsp" / _file_name("WSP", quarter, key)
            returns.append((_write_csv(file, rows), C.COUNTY["partnership_code"],
                            THEME_NAME[key], quarter))  # fmt: skip
    return returns


def _file_name(code: str, quarter: str, key: str) -> str:
    return f"{code}_{quarter.replace('/', '-').replace(' ', '_')}_{key}.csv"


def _due_rows(codes, quarter: str, value_of) -> list[dict]:
    rows = []
    for code in codes:
        period = _due(code, quarter)
        if period is None:
            continue
        found = value_of(code, period)
        if found is None:
            continue
        rows.append({"code": code, "period": period, **found})
    return rows


def build_county(file: Path, out_dir: Path, demo: Demo, user) -> dict[str, int]:
    """Write and load the county, its three new districts and every return; counts."""
    out = out_dir / "county"
    out.mkdir(parents=True, exist_ok=True)
    polarity = dict(zip(demo.indicators["code"], demo.indicators["_polarity"], strict=True))
    values = district_values(demo, polarity)
    shares = contributions(demo, polarity)
    county = county_values(demo, values)
    frameworks = [write_county_framework(demo, out, polarity, shares, values)]
    frameworks += [write_district_framework(d, out, shares, polarity) for d in C.DISTRICTS]
    for framework in frameworks:
        import_framework(read_framework(framework), file, user=user)
    returns = write_returns(values, county, out)
    known = queries.partnerships(file).set_index("partnership_code")["partnership_id"]
    contexts = {code: queries.intake_context(file, int(known[code]))
                for code in {code for _, code, _, _ in returns}}  # fmt: skip
    close_readers(file)
    intakes = [intake_file(path, contexts[code], theme=theme, period=quarter)
               for path, code, theme, quarter in returns]  # fmt: skip
    received = {
        i.file: periods.parse_code(quarter).end + timedelta(days=35)
        for i, (_, _, _, quarter) in zip(intakes, returns, strict=True)
    }
    results = commit_returns(intakes, file, user=user, received_on=received)
    return {
        "county_partnerships": 1 + len(C.DISTRICTS),
        "county_returns": len(results),
        "county_values": sum(r.rows_new + r.rows_changed for r in results),
    }
