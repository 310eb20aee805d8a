"""The public site's build: the demo, the national warehouse, and a rebuild after one
partnership's new quarter. Timings only; never part of the tests.

    python benchmarks/bench_site.py --demo                       # demo: build, pages, sizes
    python benchmarks/bench_site.py --national data/national.duckdb --sample 10 --workers 2

``--national`` publishes every partnership of a warehouse made by ``benchmarks/national.py``
(in a copy: the one given is left as it was) up to ``--quarter`` (timed), builds the site
of ``--sample`` partnerships (all of them without it; the time for all 350 is then
extrapolated from the sample, and said so), then publishes the next quarter for one
partnership and rebuilds (only that one is rebuilt).
Writes a markdown table to ``benchmarks/results/site.md`` (``--out``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _pages(folder: Path) -> tuple[int, int, str]:
    sizes = [(p.stat().st_size, str(p.relative_to(folder))) for p in folder.rglob("*.html")]
    largest = max(sizes)
    return len(sizes), largest[0], largest[1]


def bench_demo(repeat: int) -> list[str]:
    from analytics.demo.build import build_demo
    from analytics.site.build import build_site
    from analytics.warehouse.connection import close_readers

    tmp = Path(tempfile.mkdtemp(prefix="bench_site_"))
    warehouse = tmp / "demo.duckdb"
    build_demo(warehouse)
    close_readers()
    times, cpu = [], []
    for _ in range(repeat):
        out = tmp / "site"
        shutil.rmtree(out, ignore_errors=True)
        started, started_cpu = time.perf_counter(), time.process_time()
        build_site(warehouse, out)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    started = time.perf_counter()
    again = build_site(warehouse, tmp / "site")
    unchanged = time.perf_counter() - started
    pages, largest, where = _pages(tmp / "site")
    shutil.rmtree(tmp)
    return [
        "### Demo site (Wyvern Vale, published to 2010/11 Q3 and the 2009/10 annual report)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| full build, median of {repeat} (goal under 10 s) | {statistics.median(times):.1f} s |",
        f"| best of {repeat} | {min(times):.1f} s |",
        f"| CPU time of the build, median (less sensitive to a busy machine) | "
        f"{statistics.median(cpu):.1f} s |",
        f"| build again, nothing changed (skipped: {len(again.skipped)}) | {unchanged:.2f} s |",
        f"| pages | {pages} |",
        f"| largest page before images (goal under 150 KB) | {largest / 1024:.0f} KB ({where}) |",
        f"| load average at the end | {os.getloadavg()[0]:.1f} |",
        "",
    ]


def bench_national(path: Path, quarter: str, sample: int | None, workers: int) -> list[str]:
    from analytics import periods
    from analytics.access import cli_user
    from analytics.site.build import build_site
    from analytics.warehouse import queries
    from analytics.warehouse.connection import close_readers
    from analytics.warehouse.partnerships import find_partnership
    from analytics.warehouse.publication import publish_period, publish_periods

    # publishing writes to the warehouse: work on a copy, so the one given stays as it was
    scratch = Path(tempfile.mkdtemp(prefix="bench_site_national_"))
    shutil.copyfile(path, scratch / path.name)
    path = scratch / path.name

    known = queries.partnerships(path).query("indicators > 0")
    ids = known["partnership_id"].tolist()
    user = cli_user()
    started = time.perf_counter()
    publish_periods(path, [int(pid) for pid in ids], quarter, user=user)
    publish_s = time.perf_counter() - started
    close_readers()
    chosen = known if sample is None else known.head(sample)
    out = Path(tempfile.mkdtemp(prefix="bench_national_site_"))
    started = time.perf_counter()
    if sample is None:
        report = build_site(path, out, workers=workers)
    else:
        # the same per-partnership build, for the sample only (a folder each)
        report = None
        for code in chosen["partnership_code"]:
            part = build_site(path, out / code, partnership=find_partnership(path, code))
            if report is None:
                report = part
            else:
                report.merge(part)
    build_s = time.perf_counter() - started
    per = build_s / len(chosen)
    cpu_per = report.cpu_seconds / len(chosen)
    all_s = per * len(ids) / (max(workers, 1) if sample is not None else 1)
    all_cpu_s = cpu_per * len(ids) / max(workers, 1)
    next_q = periods.shift(quarter, 1)
    one = int(chosen["partnership_id"].iloc[0])
    publish_period(path, one, next_q, user=user)
    close_readers()
    started = time.perf_counter()
    if sample is None:
        again = build_site(path, out, workers=workers)
    else:
        code = chosen["partnership_code"].iloc[0]
        again = build_site(path, out / code, partnership=find_partnership(path, code))
    rebuild_s = time.perf_counter() - started
    pages, largest, where = _pages(out)
    shutil.rmtree(out)
    close_readers()
    shutil.rmtree(scratch)
    scope = "all" if sample is None else f"a sample of {len(chosen)}"
    return [
        f"### National warehouse ({len(ids)} partnerships, {scope} built)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| publish {quarter} for every partnership (one transaction) | {publish_s:.0f} s |",
        f"| build {scope} ({pages} pages) | {build_s:.0f} s ({per:.1f} s a partnership) |",
        f"| all {len(ids)} with {workers} workers (goal under 10 min)"
        + (" (extrapolated)" if sample is not None else "")
        + f" | {all_s / 60:.1f} min |",
        f"| CPU time a partnership (each build's own process time) | {cpu_per:.2f} s |",
        f"| all {len(ids)} on {workers} idle cores, from the CPU time | {all_cpu_s / 60:.1f} min |",
        f"| rebuild after one partnership's new quarter {next_q} (goal under 30 s; rebuilt "
        f"{len(again.built)}) | {rebuild_s:.1f} s |",
        f"| largest page before images (goal under 150 KB) | {largest / 1024:.0f} KB ({where}) |",
        f"| load average at the end | {os.getloadavg()[0]:.1f} |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--national", type=Path, help="a warehouse from benchmarks/national.py")
    parser.add_argument("--quarter", default="2014/15 Q3", help="publish up to this quarter")
    parser.add_argument("--sample", type=int, help="build only this many partnerships")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "site.md")
    args = parser.parse_args()
    lines = ["# Public site build", "", f"Command: `{' '.join(sys.argv)}`", ""]
    if args.demo:
        lines += bench_demo(args.repeat)
    if args.national:
        lines += bench_national(args.national, args.quarter, args.sample, args.workers)
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
