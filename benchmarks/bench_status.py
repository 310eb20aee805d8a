"""Time compute_statuses at national scale, against a naive row-wise version of the same rules.

    .venv/bin/python benchmarks/bench_status.py [--partnerships 350] [--sample 400] [--repeat 3]

Builds in memory 350 partnerships x 198 indicators x 40 quarters (about 2.8M values, ten
financial years of targets with refreshes, profiles and placeholders; every polarity, rule and
measure type), times ``compute_statuses`` over all of it, runs a row-wise pandas version
(``iterrows``) on a sample of indicators and extrapolates it, checks that both give identical
results on the sampled rows, and prints a markdown table with wall time, speed-up and peak RSS
(the whole process's, ``ru_maxrss``), also written to ``benchmarks/results/status.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import math
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import periods as P  # noqa: E402
from analytics.status import compute_statuses, format_value  # noqa: E402

FIRST_YEAR, YEARS = 2005, 10
QUARTERS = [P.make_code(FIRST_YEAR + y, "quarter", q) for y in range(YEARS) for q in range(1, 5)]


def release_memory() -> None:
    """Hand freed memory back to the system (glibc keeps it otherwise, and the next run's
    high-water mark would count it twice); a no-op elsewhere."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(partnerships: int, per: int = 198, seed: int = 2009):
    rng = np.random.default_rng(seed)
    n = partnerships * per
    ids = np.arange(1, n + 1)
    rules = np.array(
        ["pct_tolerance", "abs_tolerance", "ideal_minimum", "improved_last_year", "data_only"]
    )
    rule = rules[rng.choice(5, n, p=[0.55, 0.15, 0.1, 0.15, 0.05])]
    polarity = np.array(["higher", "lower", "none"])[rng.choice(3, n, p=[0.55, 0.4, 0.05])]
    cumulative = rng.random(n) < 0.3
    level = rng.choice([50.0, 300.0, 2500.0], n)
    indicators = pd.DataFrame(
        {
            "indicator_id": ids,
            "code": [f"NI {i % per + 1}" for i in range(n)],
            "theme_id": ids % 7,
            "polarity": polarity,
            "decimals": rng.choice([0, 1, 2], n),
            "unit": np.array(["%", "", "£", "days"])[rng.choice(4, n)],
            "frequency": np.where(rng.random(n) < 0.1, "monthly", "quarterly"),
            "measure_type": np.where(cumulative, "cumulative", "snapshot"),
            "status_rule": rule,
            "amber_tolerance_pct": np.where(rng.random(n) < 0.3, 10.0, np.nan),
            "amber_tolerance_abs": np.where(rule == "abs_tolerance", level * 0.05, np.nan),
            "minimum_standard": np.nan,
            "dot_threshold": np.where(rng.random(n) < 0.3, level * 0.01, np.nan),
            "survey_years": None,
        }
    )
    higher = polarity != "lower"
    indicators["minimum_standard"] = np.where(
        rule == "ideal_minimum", np.where(higher, level * 0.9, level * 1.1), np.nan
    )

    # targets: one per year, a refresh (version 2) for 20%, placeholders 2%, profiles 20%
    fy_codes = pd.Categorical.from_codes(
        np.tile(np.arange(YEARS, dtype=np.int8), n),
        categories=[P.fy_code(FIRST_YEAR + y) for y in range(YEARS)],
    )
    t_year = fy_codes.codes
    t_level = np.repeat(level * np.where(cumulative, 4, 1), YEARS) * (1 + 0.02 * t_year)
    set_on = np.array([f"{FIRST_YEAR + y}-04-01" for y in range(YEARS)], dtype="datetime64[ns]")
    base = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, YEARS),
            "financial_year": fy_codes,
            "version": np.ones(len(t_year), dtype=np.int8),
            "target_value": np.round(t_level, 1),
            "is_placeholder": rng.random(len(t_year)) < 0.02,
            "set_on": set_on[t_year],
        }
    )
    del t_level
    profiled = rng.random(len(base)) < 0.2
    for q in range(1, 5):
        share = np.where(np.repeat(cumulative, YEARS), [0.2, 0.45, 0.7, 1.0][q - 1], 1.0)
        base[f"q{q}_value"] = np.where(profiled, np.round(base["target_value"] * share, 1), np.nan)
    refresh = base[rng.random(len(base)) < 0.2].copy()
    refresh["version"] = np.int8(2)
    refresh["target_value"] = np.round(refresh["target_value"] * 0.95, 1)
    refresh["set_on"] = refresh["set_on"] + pd.Timedelta(days=200)
    targets = pd.concat([base, refresh], ignore_index=True)
    del base, refresh

    # actuals: a noisy walk around the target; cumulative ones year to date; 3% missing.
    # Built in place, in compact dtypes (the period a categorical): the benchmark's peak
    # memory is the engine's, not the generator's.
    nq = len(QUARTERS)
    values = rng.normal(0, 0.06, (n, nq))
    np.cumsum(values, axis=1, out=values)
    values *= 0.3
    values += rng.normal(0, 0.05, (n, nq))
    values += 1.0
    share = np.where(cumulative[:, None], (np.arange(nq) % 4 + 1) / 4.0, 1.0)
    values *= share
    del share
    values *= (level * np.where(cumulative, 4, 1))[:, None]
    values[rng.random((n, nq)) < 0.03] = np.nan
    np.round(values, 3, out=values)
    actuals = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, nq),
            "period": pd.Categorical.from_codes(
                np.tile(np.arange(nq, dtype=np.int8), n), categories=QUARTERS
            ),
            "actual_value": values.reshape(-1),
        },
        copy=False,
    )
    return indicators, targets, actuals


# --- naive row-wise reference ---------------------------------------------------------------


def _round(x: float, d: int) -> float:
    if x is None or math.isnan(x):
        return math.nan
    return math.copysign(math.floor(abs(x) * 10**d + 0.5 + 1e-9) / 10**d, x) if x else 0.0


def _direction(cur, prev, sign, thr):
    if sign == 0 or math.isnan(cur) or math.isnan(prev):
        return None
    delta = cur - prev
    if abs(delta) <= thr + 1e-9 * (1 + abs(prev)):
        return "no_change"
    return "improving" if sign * delta > 0 else "worsening"


def _rag(v, t, ly_dot, ind, placeholder, has_target):
    """(status, reason) for one value, the row-wise way."""
    sign = {"higher": 1, "lower": -1}.get(ind["polarity"], 0)
    d, unit, rule = int(ind["decimals"]), ind["unit"], ind["status_rule"]

    def f(x):
        return format_value(x, d, unit)

    def g(x):
        return format_value(x, d, unit, gap=True)

    if math.isnan(v):
        return "missing", "no value reported for this period"
    if rule == "data_only" or sign == 0:
        return "no_target", "data only: no status"
    if not has_target or math.isnan(t):
        return "no_target", None  # the fy is filled in by the caller
    if placeholder:
        return "no_target", f"placeholder target {f(t)}: no status until the target is confirmed"
    gap = sign * (v - t)
    if gap > -0.5 * 10.0**-d:
        return "green", f"met target {f(t)} (actual {f(v)})"
    short = -gap
    tiny = 1e-9 * (1 + abs(t))
    where = "below" if sign > 0 else "above"
    lob = " (lower is better)" if sign < 0 else ""
    head = f"{g(abs(v - t))} {where} target {f(t)}{lob}"
    if rule == "abs_tolerance":
        tol = ind["amber_tolerance_abs"]
        tol0 = 0.0 if math.isnan(tol) else tol
        inside = short <= tol0 + tiny
        word = "within" if inside else "beyond"
        return (
            "amber" if inside else "red"
        ), f"{head}, {word} the tolerance of {g(tol)} (actual {f(v)})"
    if rule == "ideal_minimum":
        m = _round(ind["minimum_standard"], d)
        if math.isnan(m):
            return "red", (
                f"{g(abs(v - t))} {where} the ideal target {f(t)}{lob}, and no minimum "
                f"standard is set (actual {f(v)})"
            )
        if short <= max(sign * (t - m), 0.0) + tiny:
            return "amber", (
                f"{g(abs(v - t))} {where} the ideal target {f(t)}{lob}, within the "
                f"minimum standard {f(m)} (actual {f(v)})"
            )
        return (
            "red",
            f"{where} the minimum standard {f(m)}{lob} (ideal target {f(t)}, actual {f(v)})",
        )
    if rule == "improved_last_year":
        return ly_dot, head  # finished by the caller, which knows last year's value
    tol = ind["amber_tolerance_pct"]
    tol = 5.0 if math.isnan(tol) else tol
    inside = short <= tol / 100 * abs(t) + tiny
    rel = abs(v - t) / abs(t) * 100 if t else math.nan
    rel_text = "n/a" if math.isnan(rel) else format_value(rel, 1, "%")
    word = "within" if inside else "beyond"
    return ("amber" if inside else "red"), (
        f"{g(abs(v - t))} ({rel_text}) {where} target {f(t)}{lob}, {word} the {tol:,.6g}% "
        f"tolerance (actual {f(v)})"
    )


def naive(indicators, targets, actuals, periods):
    """compute_statuses for quarterly indicators, row by row (iterrows), as_of=None."""
    tgt = {}
    for _, r in targets.iterrows():
        key = (r["indicator_id"], r["financial_year"])
        if key not in tgt or r["version"] > tgt[key]["version"]:
            tgt[key] = r
    val = {(r["indicator_id"], r["period"]): r["actual_value"] for _, r in actuals.iterrows()}
    rows = []
    for _, ind in indicators.iterrows():
        sign = {"higher": 1, "lower": -1}.get(ind["polarity"], 0)
        d, cum = int(ind["decimals"]), ind["measure_type"] == "cumulative"
        thr = 0.0 if math.isnan(ind["dot_threshold"]) else ind["dot_threshold"]
        run = 0
        prev_base = math.nan
        history: dict[str, float] = {}
        for code in QUARTERS:  # the whole history, for persistence and comparisons
            p = P.parse_code(code)
            a = val.get((ind["indicator_id"], code), math.nan)
            history[code] = a
            prev_code = P.previous_period(code)
            prev_a = history.get(prev_code, math.nan)
            inc = a - prev_a if cum and p.number > 1 else a
            t_row = tgt.get((ind["indicator_id"], p.financial_year))
            ann = t_row["target_value"] if t_row is not None else math.nan
            prof = t_row[f"q{p.number}_value"] if t_row is not None else math.nan
            target = prof if not math.isnan(prof) else (ann * p.number / 4 if cum else ann)
            v, t = _round(a, d), _round(target, d)
            ly = _round(history.get(P.same_period_last_year(code), math.nan), d)
            dot_ly = _direction(v, ly, sign, thr)
            base = _round(inc, d) if cum else v
            dot_prev = _direction(base, prev_base, sign, thr)
            prev_base = base
            placeholder = bool(t_row["is_placeholder"]) if t_row is not None else False
            status, reason = _rag(v, t, dot_ly, ind, placeholder, t_row is not None)
            if reason is None:
                reason = f"no target set for {p.financial_year}"
            if ind["status_rule"] == "improved_last_year" and status not in (
                "green",
                "missing",
                "no_target",
            ):
                if math.isnan(ly):
                    status, reason = (
                        "red",
                        (
                            f"{reason}, and no value for the same period last "
                            f"year to compare (actual {format_value(v, d, ind['unit'])})"
                        ),
                    )
                else:
                    lyt, vt = format_value(ly, d, ind["unit"]), format_value(v, d, ind["unit"])
                    phrase = {
                        "improving": ("amber", "but improved on"),
                        "no_change": ("amber", "but no worse than"),
                    }.get(dot_ly, ("red", "and worse than"))
                    status = phrase[0]
                    reason = f"{reason}, {phrase[1]} the same period last year ({lyt}; actual {vt})"
            run = run + 1 if status in ("amber", "red") else 0
            forecast = a * 4 / p.number if cum else a
            if code in periods:
                rows.append(
                    {
                        "indicator_id": ind["indicator_id"],
                        "period": code,
                        "period_value": inc,
                        "target_value": target,
                        "rag_status": status,
                        "rag_reason": reason,
                        "dot_previous": dot_prev,
                        "dot_last_year": dot_ly,
                        "forecast_value": forecast,
                        "persistence_periods": run,
                    }
                )
    return pd.DataFrame(rows)


def compare(fast: pd.DataFrame, slow: pd.DataFrame) -> int:
    cols = ["rag_status", "rag_reason", "dot_previous", "dot_last_year", "persistence_periods"]
    merged = slow.merge(
        fast.assign(period=fast["period"].astype(str)),
        on=["indicator_id", "period"],
        suffixes=("_slow", ""),
    )
    assert len(merged) == len(slow), "row sets differ"
    for c in cols:
        a = merged[c].astype(object).where(merged[c].notna(), None).tolist()
        b = merged[f"{c}_slow"].astype(object).where(merged[f"{c}_slow"].notna(), None).tolist()
        bad = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        assert not bad, f"{c} differs, e.g. {merged.iloc[bad[0]].to_dict()}"
    for c in ["period_value", "target_value", "forecast_value"]:
        assert np.allclose(merged[c], merged[f"{c}_slow"], equal_nan=True), c
    return len(merged)


COMMAND = ".venv/bin/python benchmarks/bench_status.py"
RESULTS = Path(__file__).resolve().parent / "results" / "status.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=350)
    parser.add_argument("--sample", type=int, default=400, help="indicators run row-wise")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args()

    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    t0 = time.perf_counter()
    indicators, targets, actuals = synthetic(args.partnerships)
    print(
        f"built {len(indicators):,} indicators, {len(targets):,} targets, "
        f"{len(actuals):,} values in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    release_memory()
    rss_inputs = peak_rss_mb()
    sample_ids = np.random.default_rng(1).choice(indicators["indicator_id"], args.sample, False)

    # each result is dropped before the next run (only the sampled rows are kept, to check
    # against the row-wise version): the peak is one run's, as in the warehouse
    timings, core, n_rows, fast = [], [], 0, None
    for reasons, times in ((True, timings), (False, core)):
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = compute_statuses(indicators, targets, actuals, QUARTERS, reasons=reasons)
            times.append(time.perf_counter() - t0)
            n_rows = len(result)
            if reasons and fast is None:
                fast = result[result["indicator_id"].isin(sample_ids)].copy()
            del result
            release_memory()
            print(f"  reasons={reasons}: {times[-1]:.2f} s", flush=True)
    rss_fast = peak_rss_mb()
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    full, without = min(timings), min(core)

    s_ind = indicators[indicators["indicator_id"].isin(sample_ids)]
    s_tgt = targets[targets["indicator_id"].isin(sample_ids)]
    s_act = actuals[actuals["indicator_id"].isin(sample_ids)]
    t0 = time.perf_counter()
    slow = naive(s_ind, s_tgt, s_act, set(QUARTERS))
    slow_time = time.perf_counter() - t0
    per_row = slow_time / len(slow)
    slow_full = per_row * n_rows
    extrapolated = slow_full > 120
    if not extrapolated:  # small enough to run in full
        t0 = time.perf_counter()
        slow = naive(indicators, targets, actuals, set(QUARTERS))
        slow_full = time.perf_counter() - t0
        fast = compute_statuses(indicators, targets, actuals, QUARTERS)
    checked = compare(fast, slow)

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    how = (
        f"extrapolated from {len(slow):,} rows ({slow_time:.1f} s)" if extrapolated else "full run"
    )
    command = f"{COMMAND} --partnerships {args.partnerships} --repeat {args.repeat}"
    lines = [
        f"Status engine benchmark: `{command}`",
        "",
        f"| {len(indicators):,} indicators x {len(QUARTERS)} quarters = {n_rows:,} rows, "
        f"{cpus} CPUs | value |",
        "|---|---|",
        f"| compute_statuses, every status with reasons (best of {args.repeat}) | {full:.2f} s |",
        f"| compute_statuses, with reasons (median of {args.repeat}) "
        f"| {statistics.median(timings):.2f} s |",
        f"| compute_statuses, without reasons (`reasons=False`, best) | {without:.2f} s |",
        f"| load average (1 min) before / after the timed runs "
        f"| {load_start:.2f} / {load_end:.2f} |",
        f"| row-wise pandas (iterrows), {how} | {slow_full:,.0f} s |",
        f"| speed-up (with reasons) | {slow_full / full:,.0f}x |",
        f"| peak RSS, inputs built | {rss_inputs:,.0f} MB |",
        f"| peak RSS, whole process after compute_statuses | {rss_fast:,.0f} MB |",
        f"| peak RSS, whole process at the end | {peak_rss_mb():,.0f} MB |",
        f"| rows compared with the row-wise version, identical | {checked:,} |",
    ]
    text = "\n".join(lines) + "\n"
    print()
    print(text, end="")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        print(f"\n(written to {args.output})")


if __name__ == "__main__":
    main()
