"""A small county built through the real import path (the ``county_warehouse`` fixture of
tests/conftest.py): Testshire (TSC) and three districts,
Ayford (AYF), Bexmoor (BXM) and Calder (CLD), with a sum, a ratio, a rate-per-population and
a county-only indicator, populations, contribution targets, two reward targets and returns
for two quarters (numerators and denominators where the rule needs them).

The ratio's figures are chosen so that the mean of the districts' percentages (40%) is not
the county's figure (1,150 / 3,100 = 37.1%)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.access import cli_user
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.ingest.intake import intake_file
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers
from analytics.warehouse.load import import_framework, init_warehouse
from analytics.warehouse.returns import commit_returns

ACTING = cli_user()
COUNTY = "Testshire Partnership"
DISTRICTS = {"AYF": "Ayford Partnership", "BXM": "Bexmoor Partnership", "CLD": "Calder Partnership"}
POPULATION = {"AYF": 50_000, "BXM": 20_000, "CLD": 80_000}
Q1, Q2 = "2009/10 Q1", "2009/10 Q2"

INDICATORS = [
    # code, theme, unit, decimals, frequency, measure_type, polarity, laa_status, rule
    ("NI 154", "Place", "homes", 0, "quarterly", "cumulative", "higher", "designated", "sum"),
    ("NI 192", "Place", "%", 1, "quarterly", "snapshot", "higher", "reward", "ratio"),
    ("NI 16", "Safety", "rate per 1,000 population", 2, "quarterly", "snapshot", "lower",
     "reward", "rate_per_population"),
    ("NI 1", "Safety", "%", 0, "quarterly", "snapshot", "higher", "designated", "county_only"),
]  # fmt: skip

# district -> code -> period -> (value, numerator, denominator)
DISTRICT_VALUES = {
    "AYF": {"NI 154": {Q1: (40, None, None), Q2: (90, None, None)},
            "NI 192": {Q1: (28.0, 280, 1000), Q2: (30.0, 300, 1000)},
            "NI 16": {Q1: (4.0, 200, None), Q2: (3.8, 190, None)}},
    "BXM": {"NI 154": {Q1: (10, None, None), Q2: (15, None, None)},
            "NI 192": {Q1: (50.0, 50, 100), Q2: (50.0, 50, 100)},
            "NI 16": {Q1: (6.0, None, None), Q2: (7.5, None, None)}},  # rates only: derived
    "CLD": {"NI 154": {Q1: (70, None, None), Q2: (140, None, None)},
            "NI 192": {Q1: (38.0, 760, 2000), Q2: (40.0, 800, 2000)},
            "NI 16": {Q1: (5.0, 400, None), Q2: (5.5, 440, None)}},
}  # fmt: skip
COUNTY_VALUES = {"NI 1": {Q1: 71, Q2: 72}, "NI 192": {Q1: 36.9, Q2: 37.5}}
# the county's targets (2009/10) and the districts' contributions
COUNTY_TARGETS = {"NI 154": 300, "NI 192": 38.0, "NI 16": 5.0, "NI 1": 75}
WITHOUT_STRETCH = {"NI 192": 35.0, "NI 16": 5.6}
CONTRIBUTIONS = {
    "NI 154": {"AYF": 100, "BXM": 40, "CLD": 140},  # 280: short of the county's 300
    "NI 192": {"AYF": 33.0, "BXM": 50.0, "CLD": 41.0},
}


def _indicators(with_rule: bool, codes=None) -> pd.DataFrame:
    rows = []
    for code, theme, unit, dec, freq, measure, pol, laa, rule in INDICATORS:
        if codes is not None and code not in codes:
            continue
        rows.append({"code": code, "theme": theme, "unit": unit, "decimals": dec,
                     "frequency": freq, "measure_type": measure, "polarity": pol,
                     "laa_status": laa, "is_laa": True,
                     "aggregation_rule": rule if with_rule else None})  # fmt: skip
    return pd.DataFrame(rows)


def county_sheets(**overrides) -> dict[str, pd.DataFrame]:
    sheets = {
        "Partnership": pd.DataFrame([{"partnership_code": "TSC", "name": COUNTY,
                                      "tier": "county", "reward_grant_total": 1_000_000,
                                      "reward_threshold_pct": 60, "reward_capital_pct": 30}]),
        "Themes": pd.DataFrame([{"theme": "Place"}, {"theme": "Safety"}]),
        "Indicators": _indicators(True),
        "Targets": pd.DataFrame([
            {"code": c, "year": "2009/10", "target_value": t,
             "target_without_stretch": WITHOUT_STRETCH.get(c), "set_on": date(2009, 4, 1)}
            for c, t in COUNTY_TARGETS.items()]),
        "Districts": pd.DataFrame([{"district_code": c, "name": n} for c, n in DISTRICTS.items()]),
        "Populations": pd.DataFrame([
            {"partnership_code": c, "year": "2009/10", "population": p}
            for c, p in POPULATION.items()]),
        "Contributions": pd.DataFrame([
            {"code": code, "district_code": d, "year": "2009/10", "contribution_target": v}
            for code, by in CONTRIBUTIONS.items() for d, v in by.items()]),
        "Reward allocations": pd.DataFrame([
            {"code": "NI 192", "partner": "Testshire County Council", "share_pct": 60},
            {"code": "NI 192", "partner": "District councils", "share_pct": 40}]),
        "Reward adjustments": pd.DataFrame([
            {"decided_on": date(2010, 10, 20), "adjustment": "withdrawn",
             "note": "reward for 2008-11 LAAs withdrawn"}]),
    }  # fmt: skip
    sheets.update(overrides)
    return sheets


def district_sheets(code: str, parent: str = COUNTY, **overrides) -> dict[str, pd.DataFrame]:
    sheets = {
        "Partnership": pd.DataFrame([{"partnership_code": code, "name": DISTRICTS.get(code, code),
                                      "tier": "district", "parent_name": parent}]),
        "Themes": pd.DataFrame([{"theme": "Place"}, {"theme": "Safety"}]),
        "Indicators": _indicators(False, ("NI 154", "NI 192", "NI 16")),
        "Targets": pd.DataFrame([
            {"code": c, "year": "2009/10", "target_value": by[code], "set_on": date(2009, 4, 1)}
            for c, by in CONTRIBUTIONS.items() if code in by]),
    }  # fmt: skip
    sheets.update(overrides)
    return sheets


def load(path: Path, sheets: dict, name: str = "framework.xlsx") -> dict:
    file = path.parent / name
    write_framework(file, sheets)
    return import_framework(read_framework(file), path, user=ACTING)


def write_return(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", "Period", "Actual", "Numerator", "Denominator"])
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def load_returns(path: Path, code: str, files: list[tuple[Path, str, str]]) -> list:
    pid = int(queries.partnerships(path).set_index("partnership_code").at[code, "partnership_id"])
    context = queries.intake_context(path, pid)
    close_readers(path)
    intakes = [intake_file(f, context, theme=theme, period=period) for f, theme, period in files]
    return commit_returns(intakes, path, user=ACTING)


def build_county(path: Path) -> Path:
    init_warehouse(path, user=ACTING)
    load(path, county_sheets(), "framework-tsc.xlsx")
    for code in DISTRICTS:
        load(path, district_sheets(code), f"framework-{code.lower()}.xlsx")
    folder = path.parent / "returns"
    folder.mkdir(exist_ok=True)
    for code, by in DISTRICT_VALUES.items():
        files = []
        for period in (Q1, Q2):
            for theme, codes in (("Place", ("NI 154", "NI 192")), ("Safety", ("NI 16",))):
                rows = [(c, period, *by[c][period]) for c in codes]
                name = f"{code}_{period.replace('/', '-').replace(' ', '_')}_{theme}.csv"
                files.append((write_return(folder / name, rows), theme, period))
        load_returns(path, code, files)
    files = []
    for period in (Q1, Q2):
        for theme, codes in (("Place", ("NI 192",)), ("Safety", ("NI 1",))):
            rows = [(c, period, COUNTY_VALUES[c][period], None, None) for c in codes]
            name = f"TSC_{period.replace('/', '-').replace(' ', '_')}_{theme}.csv"
            files.append((write_return(folder / name, rows), theme, period))
    load_returns(path, "TSC", files)
    close_readers()
    return path


def pid_of(path: Path, code: str) -> int:
    found = queries.partnerships(path).set_index("partnership_code")
    return int(found.at[code, "partnership_id"])
