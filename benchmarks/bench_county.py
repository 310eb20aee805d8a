"""Time the county view and the county LAA pack at national scale.

    .venv/bin/python benchmarks/national.py --out data/national.duckdb   # once (with counties)
    .venv/bin/python benchmarks/bench_county.py [--warehouse data/national.duckdb] [--warm 10]

The national warehouse has 30 counties over 350 districts, each county with its Local Area
Agreement (47 indicators made from its districts' by their rules). For the county with the
most districts and its latest quarter:

(a) the county view as a person reads it (``analytics.warehouse.county.county_view_for``: the
    warehouse read, the aggregation by rule, contributions, gaps and the reward forecast), the
    first call in the process (cold) and the median of ``--warm`` calls (warm: the reader's
    connection open), with the read and the computation apart, in wall time and CPU time;
(b) the County LAA page in ``streamlit.testing.v1.AppTest`` as its officer: the first run and
    the median of ``--warm`` reruns (cached per data version, as every page);
(c) the county pack: gathered once, then written as xlsx, docx and html (median of
    ``--repeat``), the data and each format's writing apart.

Goals (issue 22): the county view under 150 ms warm, the pack under 3 s. Prints a markdown
table and writes it to ``benchmarks/results/county.md`` (not with ``--no-write``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "county.md"
COMMAND = ".venv/bin/python benchmarks/bench_county.py"
VIEW_TARGET_MS, PACK_TARGET_S = 150, 3.0


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def the_county(path: Path) -> tuple[int, str, str, int]:
    """(id, name, latest quarter, districts) of the county with the most districts."""
    from analytics.warehouse.county import county_quarters, partnership_tree

    tree = partnership_tree(path)
    counties = tree[(tree["districts"] > 0) & (tree["indicators"] > 0)]
    if counties.empty:
        raise SystemExit(f"{path} has no county with an LAA: build it with benchmarks/national.py")
    row = counties.sort_values(["districts", "partnership_id"], ascending=[False, True]).iloc[0]
    cid = int(row["partnership_id"])
    return cid, str(row["name"]), county_quarters(path, cid)[0], int(row["districts"])


def view_times(path: Path, cid: int, period: str, warm: int) -> dict:
    from analytics.access import cli_user
    from analytics.county.view import county_view
    from analytics.warehouse.county import county_inputs, county_view_for

    user = cli_user()
    view, cold, cold_cpu = _timed(lambda: county_view_for(path, user, cid, period))
    walls, cpus, reads, computes = [], [], [], []
    for _ in range(warm):
        _, wall, cpu = _timed(lambda: county_view_for(path, user, cid, period))
        walls.append(wall)
        cpus.append(cpu)
        inputs, read, _ = _timed(lambda: county_inputs(path, cid, period))
        _, compute, _ = _timed(lambda inputs=inputs: county_view(inputs))
        reads.append(read)
        computes.append(compute)
    return {
        "cold_ms": cold, "cold_cpu_ms": cold_cpu, "warm_ms": statistics.median(walls),
        "warm_cpu_ms": statistics.median(cpus), "warm_max_ms": max(walls),
        "read_ms": statistics.median(reads), "compute_ms": statistics.median(computes),
        "indicators": len(view.rows), "cells": len(view.cells),
    }  # fmt: skip


def page_times(path: Path, cid: int, warm: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from analytics.access import Grant, User
    from analytics.warehouse.connection import ENV_VAR, close_readers

    os.environ[ENV_VAR] = str(path)
    close_readers()
    boot = AppTest.from_string('import streamlit as st\nst.write("hello")', default_timeout=60)
    boot.run()  # Streamlit imported once: "cold" is the page's own work
    officer = User("county.officer@bench.example", "County officer", (Grant("officer", cid),))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["user"] = officer
    at.run()
    at.switch_page("pages/county.py")
    started = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - started) * 1000
    errors = [str(e.value) for e in at.exception]
    times = []
    for _ in range(warm):
        started = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - started) * 1000)
        errors += [str(e.value) for e in at.exception]
    return {"cold_ms": cold, "warm_ms": statistics.median(times), "warm_max_ms": max(times),
            "title": at.title[0].value if len(at.title) else "",
            "error": errors[0].splitlines()[0][:120] if errors else ""}  # fmt: skip


def pack_times(path: Path, cid: int, period: str, repeat: int) -> dict:
    from analytics.reports.county import county_pack_data, render

    county_pack_data(path, cid, period)  # warm the reader, as the CLI's second run
    datas, out = [], {}
    for _ in range(repeat):
        pack, wall, _ = _timed(lambda: county_pack_data(path, cid, period))
        datas.append(wall)
    out["data_ms"] = statistics.median(datas)
    for fmt in ("xlsx", "docx", "html"):
        walls, sizes = [], []
        for _ in range(repeat):
            data, wall, _ = _timed(lambda fmt=fmt: render(pack, fmt))
            walls.append(wall)
            sizes.append(len(data))
        out[f"{fmt}_ms"], out[f"{fmt}_bytes"] = statistics.median(walls), sizes[-1]
        out[f"{fmt}_total_s"] = (out["data_ms"] + out[f"{fmt}_ms"]) / 1000
    return out


def table(meta: dict, view: dict, page: dict, pack: dict) -> str:
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    lines = [
        "# County view and county pack at national scale",
        "",
        f"`{COMMAND} --warehouse {meta['warehouse']} --warm {meta['warm']} --repeat "
        f"{meta['repeat']}` on {meta['when']} ({meta['machine']}; load average "
        f"{meta['load']}). The county: {meta['county']} ({meta['districts']} districts, "
        f"{view['indicators']} LAA indicators, {view['cells']} district cells), as at "
        f"{meta['period']}.",
        "",
        "| what | cold (ms) | warm (ms) | goal | met |",
        "|---|---:|---:|---|---|",
        f"| county view, read and computed (`county_view_for`) | {view['cold_ms']:,.0f} | "
        f"{view['warm_ms']:,.0f} | under {VIEW_TARGET_MS} ms warm | "
        f"{yes(view['warm_ms'] < VIEW_TARGET_MS)} |",
        f"| of which the warehouse read | | {view['read_ms']:,.0f} | | |",
        f"| of which the computation (pure pandas) | | {view['compute_ms']:,.0f} | | |",
        f"| CPU time of the warm view | | {view['warm_cpu_ms']:,.0f} | | |",
        f"| County LAA page (AppTest, as the county officer) | {page['cold_ms']:,.0f} | "
        f"{page['warm_ms']:,.0f} | under {VIEW_TARGET_MS} ms warm | "
        f"{yes(page['warm_ms'] < VIEW_TARGET_MS)} |",
        "",
        "| county pack | gather (ms) | write (ms) | total (s) | size | under "
        f"{PACK_TARGET_S:g} s |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for fmt in ("xlsx", "docx", "html"):
        lines.append(
            f"| {fmt} | {pack['data_ms']:,.0f} | {pack[f'{fmt}_ms']:,.0f} | "
            f"{pack[f'{fmt}_total_s']:.2f} | {pack[f'{fmt}_bytes'] / 1024:,.0f} KB | "
            f"{yes(pack[f'{fmt}_total_s'] < PACK_TARGET_S)} |"
        )
    if page["error"]:
        lines += ["", f"The page raised: {page['error']}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "national.duckdb")
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not args.warehouse.exists():
        raise SystemExit(f"no {args.warehouse}: build it with benchmarks/national.py first")
    cid, name, period, districts = the_county(args.warehouse)
    print(f"{name}: {districts} districts, as at {period}", flush=True)
    view = view_times(args.warehouse, cid, period, args.warm)
    print(f"  view: cold {view['cold_ms']:.0f} ms, warm {view['warm_ms']:.0f} ms", flush=True)
    page = page_times(args.warehouse, cid, args.warm)
    print(f"  page: cold {page['cold_ms']:.0f} ms, warm {page['warm_ms']:.0f} ms", flush=True)
    pack = pack_times(args.warehouse, cid, period, args.repeat)
    print(f"  pack: data {pack['data_ms']:.0f} ms", flush=True)
    meta = {
        "warehouse": os.path.relpath(args.warehouse, ROOT), "warm": args.warm,
        "repeat": args.repeat, "when": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()), "county": name,
        "districts": districts, "period": period,
    }  # fmt: skip
    text = table(meta, view, page, pack)
    print()
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 1 if page["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
