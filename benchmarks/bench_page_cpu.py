"""Server CPU a page view, page by page: one app process, one reader, nobody else.

    .venv/bin/python benchmarks/bench_page_cpu.py [--warehouse data/warehouse.duckdb]
        [--views 20] [--pages Overview,Exceptions,Trends,Indicator] [--py-spy out.txt]

The server is one app process started as `lsp serve` starts each of its own
(``analytics.server.workers``: serve.py, the same settings and environment; as
``bench_load.py --servers one``), on a copy of the warehouse under ``benchmarks/out/``. One
reader (``bench_load.Session``: a Streamlit session over the websocket, speaking the
browser's protocol) signs in as board@wyvernvale.example, views each page once to fill the
caches, then goes round the pages ``--views`` times, as bench_load's readers do (Overview,
Exceptions, Trends, Indicator; the next page asked for as soon as the last has finished).

For each view: the app process's CPU time (user and system, every thread: the script, the
event loop sending the messages, the websocket) from ``/proc/<pid>/stat`` before the request
and after "script finished", the ForwardMsgs and bytes that came back, and the wall time.
The table gives, per page, the mean CPU a view (the sum over the views divided by them:
``/proc`` counts in 10 ms ticks, so one view's reading is coarse, the sum is not), the
median wall time, messages and KB a view. Being idle and sequential it measures what a view
costs, not the queue a load makes (bench_load.py measures that); on a shared machine the
CPU a view is the steadier number, the wall time is not.

``--py-spy FILE``: also record the app process with py-spy while the views run (collapsed
stacks, ``--format raw``, every thread, idle samples left out), to see where the CPU goes;
``--pages`` picks which pages go round (one page: its views alone).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import BOARD, Session, _single, cpu_s, serving_copy  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "page_cpu"
PAGES = {  # label: (url path, query string); the Indicator page on the load test's indicator
    "Overview": ("", ""),
    "Exceptions": ("exceptions", ""),
    "Trends": ("trends", ""),
    "Indicator": ("indicator", "indicator=NI%20191"),
}


async def views(url: str, pid: int, pages: list[str], n: int, warmed=None) -> dict:
    """Each page in ``pages`` viewed once (warm-up; then ``warmed()`` is called), then ``n``
    rounds of them: per page, a dict per view (cpu_s, wall_s, messages, bytes, errors)."""
    session = Session(url)
    await session.open()
    try:
        await session.sign_in_if_asked("", BOARD)
        for label in pages:  # warm-up: caches filled once
            await session.run(*PAGES[label])
        if warmed is not None:
            warmed()
        out: dict[str, list[dict]] = {label: [] for label in pages}
        for _ in range(n):
            for label in pages:
                before = session.received.copy()
                cpu = cpu_s([pid])
                seconds, errors, elements = await session.run(*PAGES[label])
                out[label].append({
                    "cpu_s": cpu_s([pid]) - cpu, "wall_s": seconds,
                    "messages": session.received[0] - before[0],
                    "bytes": session.received[1] - before[1], "errors": errors,
                    "digest": digest(elements),
                })  # fmt: skip
        return out
    finally:
        await session.close()


# what differs from one view or server to the next without the page changing: a styled
# table's random id, a widget id's hash (of the script's path), a download's file id
_VARIES = [
    (re.compile(r"T_[0-9a-f]{5}|uuid: \"[0-9a-f]{5}\""), "uuid"),
    (re.compile(r"\$\$ID-[0-9a-f]+-"), "$$ID-"),
    (re.compile(r"deferred_file_id: \"[0-9a-f]+\""), "deferred_file_id"),
]


def digest(elements: list) -> str:
    """What a view showed, as a short hash of its elements with what varies by itself taken
    out (:data:`_VARIES`): the same digest before and after a change to the code says the page
    sends what it sent."""
    import hashlib

    from google.protobuf import text_format

    text = "\n".join(text_format.MessageToString(e) for e in elements)
    for pattern, replacement in _VARIES:
        text = pattern.sub(replacement, text)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def table(results: dict[str, list[dict]]) -> list[str]:
    lines = [
        "| page | CPU a view (ms) | wall p50 (ms) | messages a view | KB a view | errors "
        "| elements' digest |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    every = [v for rows in results.values() for v in rows]
    for label, rows in [*results.items(), ("all", every)]:
        k = len(rows)
        lines.append(
            f"| {label} | {sum(v['cpu_s'] for v in rows) * 1000 / k:,.0f} "
            f"| {statistics.median(v['wall_s'] for v in rows) * 1000:,.0f} "
            f"| {sum(v['messages'] for v in rows) / k:,.0f} "
            f"| {sum(v['bytes'] for v in rows) / k / 1024:,.1f} "
            f"| {sum(len(v['errors']) for v in rows)} "
            f"| {', '.join(sorted({v['digest'] for v in rows})) if label in results else ''} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--views", type=int, default=20, help="rounds of the pages measured")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help=f"which pages go round, in order (of {', '.join(PAGES)})")  # fmt: skip
    parser.add_argument("--py-spy", type=Path, help="record the app process into this file")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    if not pages or set(pages) - set(PAGES):
        sys.exit(f"--pages: a comma-separated list of {', '.join(PAGES)}")
    if not args.warehouse.exists():
        sys.exit(f"No warehouse at {args.warehouse} (`lsp init --demo`)")
    work = serving_copy(args.warehouse, OUT)
    with _single(work) as (url, pids, _):
        pid = pids[0]
        spies = []

        def record() -> None:  # after the warm-up: the measured views only
            spies.append(subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid),
                 "--format", "raw", "--rate", "250", "--threads", "-o", str(args.py_spy)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
            time.sleep(1.0)  # py-spy attaching

        load = os.getloadavg()[0]
        results = asyncio.run(views(url, pid, pages, args.views, record if args.py_spy else None))
        for spy in spies:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
    print(f"One app process, one reader, {args.views} rounds of {', '.join(pages)} after a "
          f"warm-up round; warehouse {args.warehouse.name}; load average {load:.1f} at the "
          f"start, {os.getloadavg()[0]:.1f} at the end.\n")  # fmt: skip
    print("\n".join(table(results)))
    errors = sorted({e for rows in results.values() for v in rows for e in v["errors"]})
    for error in errors[:10]:
        print(f"- page error: {error[:300]}")


if __name__ == "__main__":
    main()
