"""Run every benchmark, one after the other (what `make bench` does).

    .venv/bin/python benchmarks/run_all.py            # docs/benchmarks.md's runs (~30 min)
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, to see that they all run
    .venv/bin/python benchmarks/run_all.py --only status ingest

Each benchmark is its own process (so peak memory is its own), run with the arguments
docs/benchmarks.md gives; the national warehouse the pages benchmark reads is built first
when it is not there (``data/national.duckdb``, git-ignored). Full runs write their tables
to ``benchmarks/results/``; ``--quick`` runs write nothing there (their numbers are not the
ones docs/benchmarks.md reports). Exit status: 0 when every benchmark ran, else 1 (the
failures are listed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def plan(quick: bool, national: Path, scratch: Path) -> dict[str, list[list[str]]]:
    """Benchmark name -> the commands (argument lists after the script) it runs."""
    if quick:
        small = scratch / "national-quick.duckdb"
        return {
            "status": [
                ["bench_status.py", "--partnerships", "5", "--sample", "40", "--repeat", "1",
                 "--output", str(scratch / "status.md")],
            ],
            "ingest": [["bench_ingest.py", "--rows", "2000", "--repeat", "1"]],
            "spc": [["bench_spc.py", "--partnerships", "5", "--repeat", "1", "--no-write"]],
            "pages": [
                ["national.py", "--out", str(small), "--partnerships", "3"],
                ["bench_pages.py", "--warehouse", str(small), "--warm", "2", "--no-browser",
                 "--no-write"],
            ],
            # each builds the small warehouse itself, so --only can pick any of them
            "scrutiny": [["national.py", "--out", str(small), "--partnerships", "3"],
                         ["bench_scrutiny.py", "--warehouse", str(small), "--repeat", "1",
                          "--warm", "2", "--no-write"]],
            "site": [["national.py", "--out", str(small), "--partnerships", "3"],
                     ["bench_site.py", "--demo", "--repeat", "1", "--national", str(small),
                      "--out", str(scratch / "site.md")]],
            "county": [["national.py", "--out", str(small), "--partnerships", "3"],
                       ["bench_county.py", "--warehouse", str(small), "--warm", "2",
                        "--repeat", "1", "--no-write"]],
        }  # fmt: skip
    pages = [] if national.exists() else [["national.py", "--out", str(national)]]
    pages.append(["bench_pages.py", "--warehouse", str(national)])
    return {
        "status": [["bench_status.py", "--repeat", "3"]],
        "ingest": [["bench_ingest.py", "--rows", "100000", "--out", str(RESULTS / "ingest.md")]],
        "spc": [["bench_spc.py", "--partnerships", "350", "--repeat", "3"]],
        "pages": pages,
        "scrutiny": [["bench_scrutiny.py", "--warehouse", str(national)]],
        "site": [["bench_site.py", "--demo", "--national", str(national), "--workers", "2"]],
        "county": [["bench_county.py", "--warehouse", str(national)]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; results not written")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("status", "ingest", "spc", "pages", "scrutiny", "site", "county"),
        help="run only these",
    )
    parser.add_argument("--national", type=Path, default=ROOT / "data" / "national.duckdb")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    runs = plan(args.quick, args.national, scratch)
    failed = []
    for name, commands in runs.items():
        if args.only and name not in args.only:
            continue
        for command in commands:
            started = time.perf_counter()
            print(f"== {name}: {' '.join(command)}", flush=True)
            result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]],
                                    cwd=ROOT, check=False)  # fmt: skip
            took = time.perf_counter() - started
            print(f"== {name}: exit {result.returncode} after {took:.0f} s", flush=True)
            if result.returncode:
                failed.append(f"{name} ({command[0]})")
                break
    if failed:
        print("Failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    print("Every benchmark ran." + ("" if args.quick else " Tables in benchmarks/results/."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
