"""Build a national-scale warehouse for the page benchmarks, fast.

    .venv/bin/python benchmarks/national.py --out data/national.duckdb [--partnerships 350]

350 district partnerships (under 30 county partnerships), each adopting the 198 National
Indicators of the final set in six theme groups; ten financial years of targets (2005/06 to
2014/15, some refreshed, some profiled, a few placeholders); 40 quarters of values (annual
indicators once a year; a few values missing, a few returns missing, some resubmitted so their
first version is kept as superseded), about 2.8 million rows of ``actual``; county and England
comparators for some indicators; Board meetings every eight weeks; three actions per theme
with milestones; positive activities every quarter; and every status stored in
``indicator_status`` by ``analytics.status.compute_statuses``, as ``lsp`` would store it.
Each county has its Local Area Agreement (docs/county.md): 47 LAA indicators, each made from
its districts' by its rule (ratio, rate per population, sum; statutory education targets
county only), its districts' numerators and denominators and populations, their
contribution targets, four reward targets with the level expected without the stretch, its
own figures for its county-only indicators, and their statuses.

Everything is generated as whole numpy/pandas frames and written with bulk ``INSERT ...
SELECT`` from registered frames, through the project's ``writer()`` (migrations applied, one
transaction). Deterministic for a given ``--seed``. Prints the time of each step, the row
counts and the file size.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import periods as P  # noqa: E402
from analytics.access import cli_user  # noqa: E402
from analytics.county.aggregate import multiplier_of  # noqa: E402
from analytics.status import compute_statuses  # noqa: E402
from analytics.status.spc_readings import READING_COLUMNS, spc_readings  # noqa: E402
from analytics.warehouse.audit import audit  # noqa: E402
from analytics.warehouse.connection import close_readers, writer  # noqa: E402
from analytics.warehouse.load import init_warehouse  # noqa: E402

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)

FIRST_YEAR, YEARS = 2005, 10
YEAR_CODES = [P.fy_code(FIRST_YEAR + y) for y in range(YEARS)]
QUARTERS = [P.make_code(FIRST_YEAR + y, "quarter", q) for y in range(YEARS) for q in range(1, 5)]
PERIOD_END = {code: P.parse_code(code).end for code in QUARTERS + YEAR_CODES}
COUNTIES = 30

# The six blocks of the National Indicator Set, as theme groups (NI number ranges).
THEMES = (
    ("Stronger communities", "Stronger communities", 1, 14),
    ("Communities that are safe and feel safe", "Safer communities", 15, 49),
    ("Meeting the needs of children and young people", "Children and young people", 50, 118),
    ("Improving health and well-being", "Health and well-being", 119, 150),
    ("Economic success that is shared by all", "Economic success", 151, 174),
    ("A better environment for today and tomorrow", "Better environment", 175, 199),
)
PARTNERS = np.array(
    ["District Council", "County Council", "Police", "Primary Care Trust", "Fire and Rescue",
     "Jobcentre Plus", "CVS", "Housing Association"]
)  # fmt: skip
OFFICERS = np.array(
    ["Community Safety Manager", "Head of Environmental Services", "Economic Development Manager",
     "Health Improvement Lead", "Children's Services Locality Manager", "Partnership Manager",
     "Performance Officer", "Head of Housing"]
)  # fmt: skip
COMMENT_ON = np.array(
    ["On track; the new scheme is bedding in well.",
     "Performance ahead of profile this quarter.",
     "Steady improvement, in line with the delivery plan.",
     "Target met; partners will keep the current approach."]
)  # fmt: skip
COMMENT_OFF = np.array(
    ["Below profile: staff vacancies delayed delivery this quarter.",
     "Seasonal dip, expected to recover next quarter.",
     "Data provisional; the partner's system changed in the quarter.",
     "Demand rose faster than expected in the recession."]
)  # fmt: skip
REMEDIAL = np.array(
    ["Recovery plan agreed at the theme group; extra sessions from next month.",
     "Partners to share data monthly and target the worst-affected wards.",
     "Funding re-profiled to the areas of greatest need."]
)  # fmt: skip
PLACES = [a + b for a in ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gar", "Hol", "Ing",
                          "Kes", "Lang", "Mar", "Nor", "Oak", "Pen", "Rad", "Sal", "Thorn",
                          "Wick", "Yar")
          for b in ("ford", "ley", "ton", "bury", "field", "ham", "wood", "by", "worth",
                    "mere", "stow", "dale", "combe", "wich", "thorpe", "brook", "minster",
                    "well", "cote")]  # fmt: skip


def _step(label: str, started: float, timings: dict) -> float:
    now = time.perf_counter()
    timings[label] = now - started
    print(f"  {label:<34} {now - started:7.1f} s", flush=True)
    return now


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Bulk insert a frame into the columns of the same names."""
    name = f"{table}_in"
    con.register(name, frame)
    cols = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    con.unregister(name)
    return len(frame)


def _ids(con, sql: str) -> pd.DataFrame:
    return con.sql(sql).to_arrow_table().to_pandas()


# --- framework -------------------------------------------------------------------------------


def partnerships(n: int, rng) -> pd.DataFrame:
    counties = min(COUNTIES, max(1, n // 10))
    places = rng.permutation(PLACES)
    county = pd.DataFrame(
        {
            "partnership_code": [f"C{i + 1:02d}" for i in range(counties)],
            "name": [f"{places[i]}shire Partnership" for i in range(counties)],
            "tier": "county",
            "parent_code": None,
            "area_name": [f"{places[i]}shire" for i in range(counties)],
        }
    )
    district = pd.DataFrame(
        {
            "partnership_code": [f"D{i + 1:03d}" for i in range(n)],
            "name": [f"{places[counties + i]} Partnership" for i in range(n)],
            "tier": "district",
            "parent_code": [f"C{i % counties + 1:02d}" for i in range(n)],
            "area_name": [f"{places[counties + i]} District" for i in range(n)],
        }
    )
    return pd.concat([county, district], ignore_index=True)


def indicator_frame(catalogue: pd.DataFrame, district_ids: np.ndarray, rng) -> pd.DataFrame:
    """Every district adopts the whole final set; attributes drawn per (partnership, NI)."""
    per, n_p = len(catalogue), len(district_ids)
    n = per * n_p
    cat = catalogue.iloc[np.tile(np.arange(per), n_p)].reset_index(drop=True)
    number = cat["code"].str.extract(r"(\d+)")[0].astype(int).to_numpy()
    theme_no = np.searchsorted([t[3] for t in THEMES], number)  # 0..5
    polarity = cat["polarity"].fillna("none").replace("", "none").to_numpy()
    unit = cat["unit"].fillna("").to_numpy()
    is_pct = np.char.find(unit.astype(str), "%") >= 0
    is_count = unit == "count"
    cumulative = is_count | (~is_pct & (rng.random(n) < 0.15))
    annual = ~cumulative & (rng.random(n) < 0.05)
    rule = np.array(["pct_tolerance", "abs_tolerance", "ideal_minimum", "improved_last_year"])[
        rng.choice(4, n, p=[0.7, 0.1, 0.1, 0.1])
    ]
    rule = np.where(polarity == "none", "data_only", rule)
    level = np.where(is_pct, rng.uniform(20, 85, n), rng.uniform(50, 3000, n)).round(0)
    laa_draw = rng.random(n)
    laa_status = np.select(
        [laa_draw < 0.17, laa_draw < 0.25, laa_draw < 0.27], ["designated", "statutory", "reward"],
        "local",
    )  # fmt: skip
    decimals = np.where(is_pct, 1, 0)
    higher = polarity != "lower"
    return pd.DataFrame(
        {
            "partnership_id": np.repeat(district_ids, per),
            "code": cat["code"].to_numpy(),
            "catalogue_code": cat["code"].to_numpy(),
            "title": cat["title"].to_numpy(),
            "theme_no": theme_no,
            "polarity": polarity,
            "unit": unit,
            "decimals": decimals,
            "frequency": np.where(annual, "annual", "quarterly"),
            "measure_type": np.where(cumulative, "cumulative", "snapshot"),
            "laa_status": laa_status,
            "is_laa": laa_status != "local",
            "is_reward": laa_status == "reward",
            "data_source": "Partner systems",
            "lead_partner": PARTNERS[rng.integers(0, len(PARTNERS), n)],
            "lead_officer": OFFICERS[theme_no],
            "baseline_value": np.round(level * rng.uniform(0.85, 1.0, n), 1),
            "baseline_period": "2004/05",
            "status_rule": rule,
            "amber_tolerance_pct": np.where(rng.random(n) < 0.2, 10.0, np.nan),
            "amber_tolerance_abs": np.where(rule == "abs_tolerance", np.round(level * 0.05, 1),
                                            np.nan),
            "minimum_standard": np.where(rule == "ideal_minimum",
                                         np.round(level * np.where(higher, 0.9, 1.1), 1), np.nan),
            "dot_threshold": np.where(rng.random(n) < 0.3, np.round(level * 0.01, 1), np.nan),
            "level": level,
        }
    )  # fmt: skip


def target_frame(ind: pd.DataFrame, rng) -> pd.DataFrame:
    """One target a year, improving 2% a year in the better direction; 10% refreshed later in
    the year (version 2), cumulative measures profiled through the year, 1% placeholders."""
    n = len(ind)
    year = np.tile(np.arange(YEARS), n)
    sign = np.repeat(np.where(ind["polarity"].to_numpy() == "lower", -1.0, 1.0), YEARS)
    cumulative = np.repeat(ind["measure_type"].to_numpy() == "cumulative", YEARS)
    level = np.repeat(ind["level"].to_numpy(), YEARS)
    value = level * (1 + sign * 0.02 * year)
    value = np.where(level <= 100, np.minimum(value, 99.0), value).round(1)
    set_on = np.array([date(FIRST_YEAR + y, 4, 1) for y in range(YEARS)], dtype="datetime64[D]")
    base = pd.DataFrame(
        {
            "indicator_id": np.repeat(ind["indicator_id"].to_numpy(), YEARS),
            "financial_year": np.array(YEAR_CODES)[year],
            "version": 1,
            "target_value": value,
            "is_placeholder": rng.random(n * YEARS) < 0.01,
            "provenance": "framework",
            "set_on": set_on[year],
            "reason": None,
        }
    )
    for q, share in enumerate((0.22, 0.47, 0.73, 1.0), start=1):
        base[f"q{q}_value"] = np.where(cumulative, np.round(value * share, 1), np.nan)
    refresh = base[rng.random(len(base)) < 0.1].copy()
    refresh["version"] = 2
    refresh["target_value"] = np.round(refresh["target_value"] * 0.97, 1)
    for q in range(1, 5):
        refresh[f"q{q}_value"] = np.round(refresh[f"q{q}_value"] * 0.97, 1)
    refresh["provenance"] = "refresh"
    refresh["set_on"] = refresh["set_on"] + np.timedelta64(200, "D")
    refresh["reason"] = "Renegotiated at the LAA refresh"
    return pd.concat([base, refresh], ignore_index=True)


# --- returns and values ----------------------------------------------------------------------


def return_frame(themes: pd.DataFrame, rng) -> pd.DataFrame:
    """One return per theme group and quarter (0.5% never arrived); 3% were resubmitted, so
    a superseded first version exists too."""
    nt, nq = len(themes), len(QUARTERS)
    q = np.tile(np.arange(nq), nt)
    frame = pd.DataFrame(
        {
            "partnership_id": np.repeat(themes["partnership_id"].to_numpy(), nq),
            "theme_id": np.repeat(themes["theme_id"].to_numpy(), nq),
            "short": np.repeat(themes["short_name"].to_numpy(), nq),
            "code": np.repeat(themes["partnership_code"].to_numpy(), nq),
            "period": np.array(QUARTERS)[q],
            "q": q,
        }
    )
    frame = frame[rng.random(len(frame)) >= 0.005].reset_index(drop=True)
    frame["resubmitted"] = rng.random(len(frame)) < 0.03
    end = np.array([PERIOD_END[c] for c in QUARTERS], dtype="datetime64[D]")[frame["q"]]
    loaded = end + rng.integers(20, 45, len(frame)).astype("timedelta64[D]")
    frame["file_name"] = (
        frame["code"] + " " + frame["short"] + " " + frame["period"].str.replace("/", "-") + ".xlsx"
    )
    frame["stored_path"] = "raw/" + frame["code"] + "/" + frame["file_name"]
    frame["sha256"] = [hashlib.sha256(name.encode()).hexdigest() for name in frame["stored_path"]]
    frame["size_bytes"] = rng.integers(18_000, 60_000, len(frame))
    frame["loaded_by"] = "performance.officer"
    frame["loaded_at"] = loaded.astype("datetime64[s]") + np.timedelta64(10, "h")
    frame["received_on"] = loaded
    return frame


def value_frame(ind: pd.DataFrame, returns: pd.DataFrame, rng) -> pd.DataFrame:
    """Quarterly values (cumulative ones year to date), annual ones once a year, as a noisy
    walk around the target: a mix of green, amber and red. 2% of values left blank."""
    quarterly = ind[ind["frequency"] == "quarterly"]
    annual = ind[ind["frequency"] == "annual"]
    frames = []
    for part, grid, per_year in ((quarterly, QUARTERS, 4), (annual, YEAR_CODES, 1)):
        n, width = len(part), len(grid)
        sign = np.where(part["polarity"].to_numpy() == "lower", -1.0, 1.0)
        skill = rng.normal(0.01, 0.05, n)  # some partnerships do better than others
        walk = np.cumsum(rng.normal(0, 0.015, (n, width)), axis=1)
        deviation = skill[:, None] + walk + rng.normal(0, 0.03, (n, width))
        year = np.arange(width) // per_year
        level = part["level"].to_numpy()[:, None]
        target = level * (1 + sign[:, None] * 0.02 * year[None, :])
        value = target * (1 + sign[:, None] * deviation)
        if per_year == 4:
            share = np.where(
                part["measure_type"].to_numpy()[:, None] == "cumulative",
                ((np.arange(width) % 4) + 1)[None, :] / 4.0,
                1.0,
            )
            value = value * share
        value = np.where(level <= 100, np.clip(value, 0, 100), np.maximum(value, 0))
        value = np.round(value, 1)
        frame = pd.DataFrame(
            {
                "indicator_id": np.repeat(part["indicator_id"].to_numpy(), width),
                "partnership_id": np.repeat(part["partnership_id"].to_numpy(), width),
                "theme_id": np.repeat(part["theme_id"].to_numpy(), width),
                "period": np.tile(np.array(grid), n),
                # the return it came with: the quarter's, or the year's Q4 for annual values
                "quarter": np.tile(np.arange(width) * (4 // per_year) + (3 if per_year == 1
                                                                          else 0), n),
                "actual_value": value.reshape(-1),
                "off": (deviation < 0).reshape(-1),
            }
        )  # fmt: skip
        frames.append(frame)
    values = pd.concat(frames, ignore_index=True)
    values.loc[rng.random(len(values)) < 0.02, "actual_value"] = np.nan
    keys = returns[["theme_id", "q", "return_id", "superseded_id", "loaded_at"]].rename(
        columns={"q": "quarter"}
    )
    values = values.merge(keys, on=["theme_id", "quarter"], how="inner")  # no return, no value
    n = len(values)
    pick = rng.integers(0, 4, n)
    commented = rng.random(n) < 0.5
    values["commentary"] = np.where(
        commented, np.where(values["off"], COMMENT_OFF[pick], COMMENT_ON[pick]), None
    )
    values["remedial_action"] = np.where(
        values["off"] & (rng.random(n) < 0.4), REMEDIAL[pick % len(REMEDIAL)], None
    )
    values["dq_flag"] = np.where(rng.random(n) < 0.03, "provisional", "ok")
    values["period_end"] = values["period"].map(PERIOD_END)
    values["is_current"] = True
    first = values[values["superseded_id"].notna()].copy()
    first["return_id"] = first["superseded_id"].astype("int64")
    first["actual_value"] = np.round(first["actual_value"] * 1.04, 1)
    first["is_current"] = False
    first["loaded_at"] = first["loaded_at"] - pd.Timedelta(days=7)
    cols = ["indicator_id", "period", "period_end", "actual_value", "commentary",
            "remedial_action", "dq_flag", "return_id", "is_current", "loaded_at"]  # fmt: skip
    both = pd.concat([first[cols], values[cols]], ignore_index=True)
    # stored in the order returns arrive (quarter by quarter across the country), as a
    # warehouse loaded by `lsp` would hold them, not grouped by indicator
    return both.sort_values(["loaded_at", "return_id"], kind="stable", ignore_index=True)


# --- the rest of the framework ---------------------------------------------------------------


def comparator_frame(ind: pd.DataFrame, rng) -> pd.DataFrame:
    """County and England figures, yearly, for a quarter of the indicators."""
    has = ind[rng.random(len(ind)) < 0.25]
    n = len(has)
    year = np.tile(np.arange(YEARS), n)
    level = np.repeat(has["level"].to_numpy(), YEARS)
    rows = []
    for comparator, spread in (("county", 0.05), ("england", 0.08)):
        rows.append(
            pd.DataFrame(
                {
                    "indicator_id": np.repeat(has["indicator_id"].to_numpy(), YEARS),
                    "period": np.array(YEAR_CODES)[year],
                    "comparator": comparator,
                    "comparator_value": np.round(level * rng.normal(1, spread, n * YEARS), 1),
                    "source": "Audit Commission Area Profiles",
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    frame["period_end"] = frame["period"].map(PERIOD_END)
    return frame


def board_frame(district_ids: np.ndarray) -> pd.DataFrame:
    first, last = date(FIRST_YEAR, 5, 10), PERIOD_END[QUARTERS[-1]] + timedelta(days=90)
    dates = pd.date_range(first, last, freq="56D").date
    return pd.DataFrame(
        {
            "partnership_id": np.repeat(district_ids, len(dates)),
            "meeting_date": np.tile(dates, len(district_ids)),
            "title": "Partnership Board",
        }
    )


def action_frames(themes: pd.DataFrame, ind: pd.DataFrame, rng):
    """Three actions per theme group, three milestones each, due over the last three years:
    some done, some late, a few reprogrammed."""
    per_theme = 3
    t = themes.loc[themes.index.repeat(per_theme)].reset_index(drop=True)
    n = len(t)
    first_code = ind.groupby("theme_id")["code"].first()
    strand = (t.groupby("theme_id").cumcount() + 1).astype(str)
    actions = pd.DataFrame(
        {
            "partnership_id": t["partnership_id"],
            "theme_id": t["theme_id"],
            "action_code": t["short_name"].str[:3].str.upper() + "-" + strand,
            "title": "Deliver the " + t["short_name"].str.lower() + " plan, strand " + strand,
            "indicator_code": t["theme_id"].map(first_code),
            "lead_partner": PARTNERS[rng.integers(0, len(PARTNERS), n)],
            "lead_officer": OFFICERS[rng.integers(0, len(OFFICERS), n)],
            "start_date": date(2012, 4, 1),
            "due_date": date(2015, 3, 31),
        }
    )  # fmt: skip
    return actions


def milestone_frame(actions: pd.DataFrame, rng) -> pd.DataFrame:
    per = 3
    a = actions.loc[actions.index.repeat(per)].reset_index(drop=True)
    n = len(a)
    k = np.tile(np.arange(per), len(actions))
    due = pd.to_datetime(date(2013, 3, 31)) + pd.to_timedelta(
        k * 300 + rng.integers(0, 200, n), unit="D"
    )
    done = rng.random(n) < 0.55
    late_by = pd.to_timedelta(rng.integers(-20, 90, n), unit="D")
    completed = np.where(done & (due + late_by <= pd.Timestamp(2015, 3, 31)), due + late_by, pd.NaT)
    reprogrammed = ~done & (rng.random(n) < 0.05)
    return pd.DataFrame(
        {
            "action_id": a["action_id"],
            "milestone_code": [f"M{i + 1}" for i in k],
            "title": "Milestone " + pd.Series(k + 1).astype(str) + " of " + a["title"],
            "due_date": due.date,
            "revised_due_date": np.where(reprogrammed, (due + pd.Timedelta(days=180)).date, None),
            "completed_on": pd.to_datetime(completed).date,
            "percent_complete": np.where(done, 100.0, rng.integers(0, 90, n)).astype(float),
            "is_reprogrammed": reprogrammed,
            "progress_note": np.where(done, "Completed.", "In progress."),
        }
    )


def activity_frame(returns: pd.DataFrame, rng) -> pd.DataFrame:
    """One or two positive activities per theme group and quarter, from its return."""
    two = returns[rng.random(len(returns)) < 0.5]
    rows = pd.concat([returns, two], ignore_index=True)
    titles = np.array(
        ["Community event well attended", "New partnership agreement signed",
         "Funding bid successful", "Award for the project team", "Volunteers trained"]
    )  # fmt: skip
    pick = rng.integers(0, len(titles), len(rows))
    return pd.DataFrame(
        {
            "partnership_id": rows["partnership_id"],
            "theme_id": rows["theme_id"],
            "period": rows["period"],
            "title": titles[pick],
            "description": "Reported by the " + rows["short"] + " theme group for "
            + rows["period"] + ".",
            "return_id": rows["return_id"],
        }
    )  # fmt: skip


# --- statuses --------------------------------------------------------------------------------

ENGINE_INDICATOR_COLUMNS = [
    "indicator_id", "code", "theme_id", "polarity", "decimals", "unit", "frequency",
    "measure_type", "status_rule", "amber_tolerance_pct", "amber_tolerance_abs",
    "minimum_standard", "dot_threshold", "survey_years",
]  # fmt: skip
STATUS_COLUMNS = [
    "indicator_id", "period", "period_end", "actual_value", "period_value", "ytd_value",
    "target_value", "annual_target_value", "original_target_value", "target_version",
    "is_placeholder", "rag_status", "rag_reason", "dot_previous", "dot_last_year",
    "forecast_value", "forecast_status", "persistence_periods", "status_rule",
    *READING_COLUMNS,
]  # fmt: skip


def store_all_statuses(con, ind, targets, values, chunk: int, timings: dict) -> int:
    """compute_statuses over ``chunk`` partnerships at a time; rows stored as
    ``status_store.store_statuses`` stores them."""
    ind = ind.assign(survey_years=None)[ENGINE_INDICATOR_COLUMNS + ["partnership_id"]]
    current = values.loc[values["is_current"], ["indicator_id", "period", "actual_value"]]
    wanted = [c for y in range(YEARS) for c in (*QUARTERS[4 * y : 4 * y + 4], YEAR_CODES[y])]
    pids = np.sort(ind["partnership_id"].unique())
    stored, compute_s, spc_s = 0, 0.0, 0.0
    for start in range(0, len(pids), chunk):
        mine = ind[ind["partnership_id"].isin(pids[start : start + chunk])]
        ids = mine["indicator_id"]
        started = time.perf_counter()
        statuses = compute_statuses(
            mine.drop(columns="partnership_id").reset_index(drop=True),
            targets[targets["indicator_id"].isin(ids)].reset_index(drop=True),
            current[current["indicator_id"].isin(ids)].reset_index(drop=True),
            wanted,
        )
        compute_s += time.perf_counter() - started
        started = time.perf_counter()
        readings = spc_readings(statuses, mine)  # the SPC reading as at every period
        spc_s += time.perf_counter() - started
        statuses = pd.concat([statuses, readings], axis=1)
        statuses["period"] = statuses["period"].astype(str)
        statuses["period_end"] = statuses["period"].map(PERIOD_END)
        stored += _insert(con, "indicator_status", statuses.reindex(columns=STATUS_COLUMNS))
    timings["compute_statuses alone"] = compute_s
    timings["spc_readings alone"] = spc_s
    return stored


# --- the counties' Local Area Agreements ----------------------------------------------------

STATUTORY = 16  # statutory education targets per LAA (county only)


def county_laa(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The LAA indicators every county agreed (the same codes, chosen by unit, so a county's
    figure is made from its districts' by the right rule): percentages by ratio, rates per
    population, counts by sum, and statutory education targets measured at county level.
    code, aggregation_rule, laa_status."""
    cat = catalogue.assign(number=catalogue["code"].str.extract(r"(\d+)")[0].astype(int))
    cat = cat.sort_values("number")
    unit = cat["unit"].fillna("")
    education = cat["number"].between(72, 117) & unit.eq("%")
    pct = cat[unit.eq("%") & ~education]["code"].tolist()[::5][:18]
    rate = cat[unit.str.contains(r"per 1[\d,]*", regex=True)]["code"].tolist()[:8]
    count = cat[unit.eq("count")]["code"].tolist()[:5]
    statutory = cat[education]["code"].tolist()[:STATUTORY]
    rows = [(c, "ratio", "designated") for c in pct]
    rows += [(c, "rate_per_population", "designated") for c in rate]
    rows += [(c, "sum", "designated") for c in count]
    rows += [(c, "county_only", "statutory") for c in statutory]
    frame = pd.DataFrame(rows, columns=["code", "aggregation_rule", "laa_status"])
    for code in (pct[0], rate[0], count[0], pct[1]):  # four reward (stretch) targets
        frame.loc[frame["code"] == code, "laa_status"] = "reward"
    return frame


def district_populations(district_codes: pd.Series, rng) -> pd.DataFrame:
    """Each district's population per year: 60,000 to 200,000, growing 0.5% a year."""
    base = rng.integers(60_000, 200_000, len(district_codes))
    return pd.DataFrame(
        {
            "partnership_code": np.repeat(district_codes.to_numpy(), YEARS),
            "financial_year": np.tile(YEAR_CODES, len(district_codes)),
            "population": np.round(np.repeat(base, YEARS) * np.tile(1.005 ** np.arange(YEARS),
                                                                       len(district_codes))),
            "source": "ONS mid-year estimate",
        }
    )  # fmt: skip


def ratio_parts(values: pd.DataFrame, ind: pd.DataFrame, laa: pd.DataFrame, pops, rng):
    """Numerators and denominators of the districts' values of the county LAA's ratio and
    rate indicators (a ratio's denominator is the district's own; a rate's, its population)."""
    rule = dict(zip(laa["code"], laa["aggregation_rule"], strict=True))
    meta = ind[["indicator_id", "code", "partnership_id", "partnership_code", "unit"]].assign(
        rule=lambda f: f["code"].map(rule)
    )
    meta = meta[meta["rule"].isin(["ratio", "rate_per_population"])]
    meta = meta.assign(
        denominator=rng.integers(2_000, 60_000, len(meta)).astype(float),
        multiplier=[multiplier_of(u) for u in meta["unit"]],
    )
    out = values.merge(meta, on="indicator_id", how="left")
    fy = out["period"].str[:7]
    pop = pops.set_index(["partnership_code", "financial_year"])["population"]
    population = pd.Series(
        pop.reindex(list(zip(out["partnership_code"], fy, strict=True))).to_numpy(),
        index=out.index,
    )
    is_rate = out["rule"].eq("rate_per_population")
    den = np.where(is_rate, population, out["denominator"])
    num = np.round(out["actual_value"] * den / out["multiplier"])
    keep = out["rule"].notna() & out["actual_value"].notna()
    return values.assign(
        numerator_value=np.where(keep, num, np.nan), denominator_value=np.where(keep, den, np.nan)
    )


def county_frames(con, laa: pd.DataFrame, ind: pd.DataFrame, targets: pd.DataFrame,
                  values: pd.DataFrame, pops: pd.DataFrame, rng) -> dict[str, int]:  # fmt: skip
    """Each county's LAA framework (its themes, indicators with their aggregation rules,
    targets agreed with government, reward settings), its districts' contribution targets
    and populations, its own figures for its county-only indicators, and its statuses."""
    counts: dict[str, int] = {}
    counties = _ids(con, "SELECT partnership_id, partnership_code FROM partnership"
                         " WHERE tier = 'county' ORDER BY 1")  # fmt: skip
    con.execute("UPDATE partnership SET reward_grant_total = 3600000, reward_threshold_pct = 60,"
                " reward_capital_pct = 30 WHERE tier = 'county'")  # fmt: skip
    themes = pd.DataFrame({
        "partnership_id": np.repeat(counties["partnership_id"].to_numpy(), len(THEMES)),
        "name": [t[0] for t in THEMES] * len(counties),
        "short_name": [t[1] for t in THEMES] * len(counties),
        "sort_order": list(range(1, len(THEMES) + 1)) * len(counties),
    })  # fmt: skip
    counts["county theme"] = _insert(con, "theme", themes)
    tids = _ids(con, "SELECT theme_id, partnership_id, sort_order - 1 AS theme_no FROM theme"
                     " WHERE partnership_id IN (SELECT partnership_id FROM partnership"
                     " WHERE tier = 'county')")  # fmt: skip
    sample = ind.drop_duplicates("code").set_index("code")
    base = sample.loc[laa["code"]].reset_index().drop(
        columns=["laa_status", "is_laa", "is_reward", "partnership_id", "partnership_code",
                 "theme_id", "indicator_id"], errors="ignore")  # fmt: skip
    county_ind = base.merge(laa, on="code").merge(counties, how="cross")
    county_ind = county_ind.merge(tids, on=["partnership_id", "theme_no"])
    county_ind = county_ind.assign(
        is_laa=True, is_reward=county_ind["laa_status"].eq("reward"),
        frequency=np.where(county_ind["aggregation_rule"].eq("county_only"), "annual",
                           county_ind["frequency"]),
    )  # fmt: skip
    cols = [
        "partnership_id",
        "code",
        "catalogue_code",
        "title",
        "theme_id",
        "polarity",
        "unit",
        "decimals",
        "frequency",
        "measure_type",
        "laa_status",
        "is_laa",
        "is_reward",
        "baseline_value",
        "baseline_period",
        "status_rule",
        "amber_tolerance_pct",
        "amber_tolerance_abs",
        "minimum_standard",
        "dot_threshold",
        "aggregation_rule",
    ]
    counts["county indicator"] = _insert(con, "indicator", county_ind[cols])
    ids = _ids(con, "SELECT indicator_id, partnership_id, code FROM indicator WHERE"
                    " aggregation_rule IS NOT NULL")  # fmt: skip
    county_ind = county_ind.drop(columns=["indicator_id"], errors="ignore").merge(
        ids, on=["partnership_id", "code"])  # fmt: skip

    # the districts' own targets (version 1) are their contributions; the county's targets
    # are what they add up to (a level: weighted by population), rounded
    parent = _ids(con, "SELECT d.partnership_id, d.partnership_code AS district_code,"
                       " c.partnership_id AS county_id FROM partnership d JOIN partnership c"
                       " ON c.partnership_id = d.parent_id")  # fmt: skip
    mine = ind[ind["code"].isin(laa["code"])][["indicator_id", "code", "partnership_id"]]
    mine = mine.merge(parent, on="partnership_id")
    first = targets[targets["version"] == 1]
    shares = first.merge(mine, on="indicator_id")
    aggregated = laa[laa["aggregation_rule"] != "county_only"]["code"]
    contributions = shares[shares["code"].isin(aggregated)].merge(
        county_ind[["indicator_id", "partnership_id", "code"]].rename(
            columns={"indicator_id": "county_indicator_id", "partnership_id": "county_id"}),
        on=["county_id", "code"])  # fmt: skip
    counts["contribution_target"] = _insert(con, "contribution_target", pd.DataFrame({
        "indicator_id": contributions["county_indicator_id"],
        "district_code": contributions["district_code"],
        "financial_year": contributions["financial_year"],
        "contribution_value": contributions["target_value"],
        "set_on": contributions["set_on"],
        "reason": "LAA delivery plan",
    }))  # fmt: skip
    rule = dict(zip(laa["code"], laa["aggregation_rule"], strict=True))
    summed = (
        shares.assign(rule=shares["code"].map(rule))
        .groupby(["county_id", "code", "financial_year"])
        .agg(
            total=("target_value", "sum"),
            level=("target_value", "mean"),
            set_on=("set_on", "first"),
        )
        .reset_index()
    )
    summed["target_value"] = np.where(summed["code"].map(rule).eq("sum"), summed["total"],
                                      summed["level"]).round(1)  # fmt: skip
    county_targets = summed.merge(
        county_ind[["indicator_id", "partnership_id", "code", "polarity", "laa_status"]].rename(
            columns={"partnership_id": "county_id"}), on=["county_id", "code"])  # fmt: skip
    sign = np.where(county_targets["polarity"].eq("lower"), -1.0, 1.0)
    stretch = county_targets["laa_status"].eq("reward")
    counts["county target"] = _insert(con, "target", pd.DataFrame({
        "indicator_id": county_targets["indicator_id"],
        "financial_year": county_targets["financial_year"], "version": 1,
        "target_value": county_targets["target_value"],
        "target_without_stretch": np.where(
            stretch, (county_targets["target_value"] * (1 - sign * 0.02)).round(1), np.nan),
        "is_placeholder": False, "provenance": "framework", "set_on": county_targets["set_on"],
        "reason": "LAA as agreed with government",
    }))  # fmt: skip
    counts["population"] = _insert(con, "population", pops.assign(loaded_by_id=1))

    # the county's own figures of its county-only indicators: near the districts' mean
    only = laa[laa["aggregation_rule"] == "county_only"]["code"]
    current = values[values["is_current"]].merge(mine, on="indicator_id")
    current = current[current["code"].isin(only)]
    own = current.groupby(["county_id", "code", "period"])["actual_value"].mean().reset_index()
    own = own.merge(county_ind[["indicator_id", "partnership_id", "code", "frequency"]].rename(
        columns={"partnership_id": "county_id"}), on=["county_id", "code"])  # fmt: skip
    annual = own["frequency"].eq("annual")
    at_q4 = own["period"].str.endswith("Q4")
    own.loc[annual & at_q4, "period"] = own.loc[annual & at_q4, "period"].str[:7]
    own = own[own["period"].isin(YEAR_CODES) | ~annual]
    own = own.assign(actual_value=(own["actual_value"] * rng.uniform(0.98, 1.02, len(own)))
                     .round(1), period_end=own["period"].map(PERIOD_END), is_current=True,
                     dq_flag="ok")  # fmt: skip
    counts["county actual"] = _insert(
        con, "actual", own[["indicator_id", "period", "period_end", "actual_value", "dq_flag",
                            "is_current"]])  # fmt: skip
    engine = county_ind.assign(survey_years=None)[ENGINE_INDICATOR_COLUMNS]
    targets_in = _ids(con, "SELECT t.* FROM target t JOIN indicator i USING (indicator_id)"
                           " WHERE i.aggregation_rule IS NOT NULL")  # fmt: skip
    statuses = compute_statuses(engine, targets_in, own[["indicator_id", "period",
                                                          "actual_value"]],
                                [c for y in range(YEARS) for c in
                                 (*QUARTERS[4 * y: 4 * y + 4], YEAR_CODES[y])])  # fmt: skip
    statuses["period"] = statuses["period"].astype(str)
    statuses["period_end"] = statuses["period"].map(PERIOD_END)
    counts["county status"] = _insert(con, "indicator_status",
                                      statuses.reindex(columns=STATUS_COLUMNS))  # fmt: skip
    return counts


# --- main ------------------------------------------------------------------------------------


def build(out: Path, n_partnerships: int, seed: int, chunk: int) -> dict:
    rng = np.random.default_rng(seed)
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    close_readers()
    for stale in (out, out.with_name(out.name + ".wal")):
        stale.unlink(missing_ok=True)
    t0 = t = time.perf_counter()
    init_warehouse(out, user=ACTING)  # migrations and the National Indicator catalogue
    t = _step("schema and catalogue", t, timings)
    with writer(out) as con:
        catalogue = _ids(
            con, "SELECT code, title, polarity, unit FROM catalogue_indicator WHERE in_final_set"
        )
        parts = partnerships(n_partnerships, rng)
        counts["partnership"] = _insert(con, "partnership", parts.drop(columns="parent_code"))
        con.register("parents_in", parts[["partnership_code", "parent_code"]])
        con.execute(
            "UPDATE partnership SET parent_id = c.partnership_id FROM parents_in x, partnership c"
            " WHERE x.partnership_code = partnership.partnership_code"
            " AND c.partnership_code = x.parent_code"
        )
        con.unregister("parents_in")
        pmap = _ids(
            con, "SELECT partnership_id, partnership_code FROM partnership WHERE tier = 'district'"
        )
        district_ids = pmap["partnership_id"].to_numpy()
        themes = pd.DataFrame(
            {
                "partnership_id": np.repeat(district_ids, len(THEMES)),
                "name": [t[0] for t in THEMES] * len(district_ids),
                "short_name": [t[1] for t in THEMES] * len(district_ids),
                "chair": "Theme group chair",
                "lead_officer": list(OFFICERS[: len(THEMES)]) * len(district_ids),
                "sort_order": list(range(1, len(THEMES) + 1)) * len(district_ids),
            }
        )
        counts["theme"] = _insert(con, "theme", themes)
        themes = _ids(
            con,
            "SELECT t.theme_id, t.partnership_id, t.short_name, t.sort_order - 1 AS theme_no,"
            " p.partnership_code FROM theme t JOIN partnership p USING (partnership_id)",
        )
        ind = indicator_frame(catalogue, district_ids, rng)
        ind = ind.merge(themes[["partnership_id", "theme_no", "theme_id"]], how="left")
        cols = [c for c in ind.columns if c not in ("theme_no", "level")]
        counts["indicator"] = _insert(con, "indicator", ind[cols])
        ids = _ids(con, "SELECT indicator_id, partnership_id, code FROM indicator")
        ind = ind.merge(ids, on=["partnership_id", "code"])
        t = _step("partnerships, themes, indicators", t, timings)

        targets = target_frame(ind, rng)
        counts["target"] = _insert(con, "target", targets)
        t = _step("targets", t, timings)

        returns = return_frame(themes, rng)
        file_cols = ["partnership_id", "theme_id", "period", "file_name", "stored_path", "sha256",
                     "size_bytes", "loaded_by", "loaded_at", "received_on"]  # fmt: skip
        # every quarter signed off by the officer and locked after its Board (migration 0012)
        first = returns.loc[returns["resubmitted"], file_cols].assign(
            state="superseded", loaded_at=lambda f: f["loaded_at"] - pd.Timedelta(days=7),
            review_state="accepted",
        )  # fmt: skip
        _insert(con, "return_file", first)
        _insert(
            con, "return_file", returns[file_cols].assign(state="loaded", review_state="accepted")
        )
        locks = returns[["partnership_id", "period"]].drop_duplicates().assign(
            locks_on=lambda f: [PERIOD_END[p] + timedelta(days=90) for p in f["period"]],
            set_by="performance.officer",
        )  # fmt: skip
        counts["period_lock"] = _insert(con, "period_lock", locks)
        con.execute(
            "UPDATE return_file r SET supersedes_id = s.return_id FROM return_file s"
            " WHERE r.state = 'loaded' AND s.state = 'superseded' AND s.theme_id = r.theme_id"
            " AND s.period = r.period"
        )
        rids = _ids(
            con,
            "SELECT theme_id, period, return_id, supersedes_id AS superseded_id FROM return_file"
            " WHERE state = 'loaded'",
        )
        returns = returns.merge(rids, on=["theme_id", "period"])
        counts["return_file"] = len(returns) + len(first)
        t = _step("return files", t, timings)

        values = value_frame(ind, returns, rng)
        # the counties' LAA: its own random numbers, so the districts' data stay the same
        county_rng = np.random.default_rng(seed + 22)
        laa = county_laa(catalogue)
        ind = ind.merge(pmap, on="partnership_id")
        pops = district_populations(pmap["partnership_code"], county_rng)
        values = ratio_parts(values, ind, laa, pops, county_rng)
        counts["actual"] = _insert(con, "actual", values)
        t = _step("actual values", t, timings)

        counts["comparator"] = _insert(con, "comparator", comparator_frame(ind, rng))
        counts["board_meeting"] = _insert(con, "board_meeting", board_frame(district_ids))
        actions = action_frames(themes, ind, rng)
        counts["action"] = _insert(con, "action", actions)
        aids = _ids(con, "SELECT action_id, partnership_id, action_code, title FROM action")
        counts["milestone"] = _insert(con, "milestone", milestone_frame(aids, rng))
        counts["positive_activity"] = _insert(
            con, "positive_activity", activity_frame(returns, rng)
        )
        t = _step("comparators, Board, actions, activities", t, timings)

        counts["indicator_status"] = store_all_statuses(con, ind, targets, values, chunk, timings)
        print(f"  {'  of which compute_statuses':<34} {timings['compute_statuses alone']:7.1f} s")
        print(f"  {'  of which spc_readings':<34} {timings['spc_readings alone']:7.1f} s")
        t = _step("statuses computed and stored", t, timings)
        counts.update(county_frames(con, laa, ind, targets, values, pops, county_rng))
        t = _step("the counties' LAA frameworks", t, timings)
        audit(con, "load", "benchmark", "national", counts, actor="benchmarks/national.py")
    t = _step("commit", t, timings)
    con = duckdb.connect(str(out))
    con.execute("CHECKPOINT")
    con.close()
    _step("checkpoint", t, timings)
    timings["total"] = time.perf_counter() - t0
    return {"timings": timings, "counts": counts, "size_mb": out.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("data/national.duckdb"))
    parser.add_argument("--partnerships", type=int, default=350)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--chunk", type=int, default=50, help="partnerships per status batch")
    args = parser.parse_args()
    print(f"Building {args.out} ({args.partnerships} partnerships)")
    result = build(args.out, args.partnerships, args.seed, args.chunk)
    print()
    print("| table | rows |\n|---|---:|")
    for table, rows in result["counts"].items():
        print(f"| {table} | {rows:,} |")
    print(f"\nBuilt in {result['timings']['total']:.1f} s; file {result['size_mb']:.0f} MB")


if __name__ == "__main__":
    main()
