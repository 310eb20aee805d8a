"""Time every SPC summary at national scale, beside the row-by-row version of the same rules.

    .venv/bin/python benchmarks/bench_spc.py [--partnerships 350] [--repeat 3] [--sample N]

Builds in memory 350 partnerships x 198 indicators = 69,300 series of 40 quarters (2005/06 to
2014/15, about 2.8M values; a noisy walk around a level, 3% of values missing, 30% of series
cumulative in year, every polarity, a target per year, 2% of series rebased once), then times
what ``lsp status`` would do for the latest quarter: period codes to orders, cumulative values
to quarterly increments, and ``spc_summary`` with the sentences (``reasons=True``). The first
run is the cold one (a fresh process); then the best and median of ``--repeat``.

Beside it, in the same process: ``spc_summary`` alone, ``spc_points`` (the chart frame for
every series) and the row-by-row version of the same rules
(``analytics.status.spc_rowwise.spc_summary_rowwise``, one series and one point at a time)
on ``--sample`` series (default: all), extrapolated when sampled, and checked to give the same
summaries. Prints a markdown table (wall times, ratio, load average, peak RSS) and writes it
to ``benchmarks/results/spc.md`` (``--output`` to change, ``--no-write`` not to).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import periods as P  # noqa: E402
from analytics.status.spc import (  # noqa: E402
    period_orders,
    quarterly_increments,
    spc_points,
    spc_summary,
)
from analytics.status.spc_rowwise import spc_summary_rowwise  # noqa: E402

FIRST_YEAR, YEARS = 2005, 10
QUARTERS = [P.make_code(FIRST_YEAR + y, "quarter", q) for y in range(YEARS) for q in range(1, 5)]
COMMAND = ".venv/bin/python benchmarks/bench_spc.py"
RESULTS = Path(__file__).resolve().parent / "results" / "spc.md"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(partnerships: int, per: int = 198, seed: int = 2009):
    """(values frame, rebases frame): one row per series and quarter, as the warehouse has."""
    rng = np.random.default_rng(seed)
    n, nq = partnerships * per, len(QUARTERS)
    cumulative = rng.random(n) < 0.3
    level = rng.choice([50.0, 300.0, 2500.0], n)
    polarity = np.array(["higher", "lower", "none"])[rng.choice(3, n, p=[0.55, 0.4, 0.05])]
    values = rng.normal(0, 0.06, (n, nq))
    np.cumsum(values, axis=1, out=values)
    values *= 0.3
    values += rng.normal(0, 0.05, (n, nq))
    values += 1.0
    values *= np.where(cumulative[:, None], (np.arange(nq) % 4 + 1) / 4.0, 1.0)
    values *= level[:, None]
    values[rng.random((n, nq)) < 0.03] = np.nan
    np.round(values, 3, out=values)
    year = np.arange(nq) // 4
    targets = level[:, None] * (1 + 0.02 * year)[None, :]
    frame = pd.DataFrame(
        {
            "series_id": np.repeat(np.arange(1, n + 1), nq),
            "period": pd.Categorical.from_codes(
                np.tile(np.arange(nq, dtype=np.int8), n), categories=QUARTERS
            ),
            "value": values.reshape(-1),
            "polarity": pd.Categorical(np.repeat(polarity, nq)),
            "target_value": np.round(targets, 1).reshape(-1),
            "is_cumulative": np.repeat(cumulative, nq),
        },
        copy=False,
    )
    rebased = np.flatnonzero(rng.random(n) < 0.02)
    rebases = pd.DataFrame(
        {
            "series_id": rebased + 1,
            "period_order": period_orders(np.array(QUARTERS)[rng.integers(8, nq, len(rebased))]),
        }
    )
    return frame, rebases


def every_summary(frame: pd.DataFrame, rebases: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """What ``lsp status --period P`` needs: codes to orders, increments, summaries, words."""
    points = frame.assign(period_order=period_orders(frame["period"]))
    points = quarterly_increments(points)
    return spc_summary(points, rebases=rebases, as_of=as_of, reasons=True)


def timed(fn, *args, **kwargs):
    """(wall seconds, result); the process's CPU seconds are added to ``CPU`` under the
    function's name (on a shared machine the wall time includes waiting for a CPU)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    CPU.setdefault(fn.__name__, []).append(time.process_time() - cpu)
    return time.perf_counter() - started, result


CPU: dict[str, list[float]] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=350)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=0, help="row-by-row series (0 = all)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    frame, rebases = synthetic(args.partnerships)
    n_series = frame["series_id"].nunique()
    as_of = int(period_orders([QUARTERS[-1]])[0])
    rss_inputs = peak_rss_mb()
    load_before = os.getloadavg()[0]

    cold, summary = timed(every_summary, frame, rebases, as_of)
    warm = [timed(every_summary, frame, rebases, as_of)[0] for _ in range(args.repeat)]
    points = quarterly_increments(frame.assign(period_order=period_orders(frame["period"])))
    only = min(timed(spc_summary, points, rebases=rebases, as_of=as_of)[0] for _ in range(2))
    chart_time, chart = timed(spc_points, points, rebases=rebases, as_of=as_of)
    load_after = os.getloadavg()[0]
    rss_fast = peak_rss_mb()

    ids = summary["series_id"].to_numpy()
    if args.sample and args.sample < n_series:
        ids = np.random.default_rng(1).choice(ids, args.sample, replace=False)
    sample = points[points["series_id"].isin(ids)]
    sample_rebases = rebases[rebases["series_id"].isin(ids)]
    slow_time, slow = timed(spc_summary_rowwise, sample, rebases=sample_rebases, as_of=as_of)
    fast = spc_summary(sample, rebases=sample_rebases, as_of=as_of)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, check_exact=True)
    slow_all = slow_time * n_series / len(ids)

    kinds = summary["spc_variation"].value_counts()
    lines = [
        f"SPC benchmark: `{COMMAND} --partnerships {args.partnerships} --repeat {args.repeat}"
        + (f" --sample {args.sample}`" if args.sample else "`"),
        "",
        f"| {n_series:,} series x {len(QUARTERS)} quarters = {len(frame):,} rows, "
        f"{os.cpu_count()} CPUs | value |",
        "|---|---|",
        f"| every SPC summary as at {QUARTERS[-1]} (orders, increments, summaries, sentences), "
        f"first run in the process | {cold:.2f} s |",
        f"| the same, best / median of {args.repeat} | {min(warm):.2f} s / "
        f"{statistics.median(warm):.2f} s |",
        f"| the same, CPU time of the process: first run / best | {CPU['every_summary'][0]:.2f} s"
        f" / {min(CPU['every_summary'][1:]):.2f} s |",
        f"| `spc_summary` alone (best of 2; CPU {min(CPU['spc_summary']):.2f} s) | {only:.2f} s |",
        f"| `spc_points`, the chart frame for every series ({len(chart):,} points; CPU "
        f"{CPU['spc_points'][0]:.2f} s) | {chart_time:.2f} s |",
        "| row-by-row `spc_summary_rowwise`"
        + (
            f", extrapolated from {len(ids):,} series ({slow_time:.1f} s)"
            if len(ids) < n_series
            else ", every series"
        )
        + f" (CPU {CPU['spc_summary_rowwise'][0]:.1f} s) | {slow_all:.1f} s |",
        f"| speed-up of `spc_summary` over row-by-row: wall / CPU | {slow_all / only:.0f}x / "
        f"{CPU['spc_summary_rowwise'][0] * n_series / len(ids) / min(CPU['spc_summary']):.0f}x |",
        f"| summaries compared with the row-by-row version, identical | {len(ids):,} |",
        f"| load average (1 min) before / after the vectorised runs | {load_before:.2f} / "
        f"{load_after:.2f} |",
        f"| peak RSS: inputs built / after the vectorised runs / at the end | "
        f"{rss_inputs:.0f} / {rss_fast:.0f} / {peak_rss_mb():.0f} MB |",
        "| latest-point variation: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items()) + " | |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
