"""Time a 100,000-row return validated and committed, beside pandas+openpyxl reading it.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 100000] [--keep DIR]

Writes a long-layout .xlsx (openpyxl write_only): 2,000 indicators x 50 quarters. Times, in
the same run: our steps (read_workbook -> propose_mapping -> apply_mapping -> validate), the
whole intake (:func:`analytics.ingest.intake.intake_file`), and the commit into a warehouse
whose framework has those 2,000 indicators with targets (:func:`commit_returns`: compare,
bulk insert through a registered frame, statuses of the whole partnership recomputed and
stored, audit, all in one transaction), each time into a fresh warehouse; beside
``pandas.read_excel(path, engine="openpyxl")`` on the same file. read_workbook reads the file
as the app does, in a warm reader process (:mod:`analytics.ingest.sandbox`); what that costs
is shown apart: the reader's own work (timed in this process), decoding and checking its
answer in the app, and starting a reader (once per app). Every timing is repeated
``--repeat`` times (3): the steps report their best, intake + commit and pandas their median
(and best). Then a quarter's returns of the demo partnership the same way
(:func:`quarter_of_returns`). Prints markdown tables (and writes them with ``--out``).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.access import cli_user  # noqa: E402
from analytics.ingest.intake import intake_file  # noqa: E402
from analytics.ingest.mapping import apply_mapping, propose_mapping  # noqa: E402
from analytics.ingest.read import ReadLimits, read_workbook  # noqa: E402
from analytics.ingest.validate import validate  # noqa: E402
from analytics.periods import make_code  # noqa: E402
from analytics.warehouse import queries  # noqa: E402
from analytics.warehouse.connection import close_readers, writer  # noqa: E402
from analytics.warehouse.load import init_warehouse  # noqa: E402
from analytics.warehouse.returns import commit_returns  # noqa: E402

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)

QUARTERS = [make_code(year, "quarter", q) for year in range(1998, 2011) for q in range(1, 5)][:50]
QUARTER = "2010/11 Q3"  # the demo's latest quarter with every theme group's return


def write_return(path: Path, rows: int) -> pd.DataFrame:
    indicators = rows // len(QUARTERS)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Return")
    ws.append(["Theme group quarterly return (benchmark)"])
    ws.append([])
    ws.append(["Period", "Ref", "Indicator", "Actual", "Target", "Comments", "DQ"])
    for i in range(indicators):
        for q, period in enumerate(QUARTERS):
            actual = 50 + (i % 40) + q * 0.5 if (i + q) % 97 else "n/a"
            ws.append([period, f"LOC {i}", f"Indicator {i}", actual, 60, "On track", ""])
    wb.save(path)
    return pd.DataFrame(
        {
            "code": [f"LOC {i}" for i in range(indicators)],
            "title": [f"Indicator {i}" for i in range(indicators)],
            "unit": "number",
            "measure_type": "snapshot",
        }
    )


def make_warehouse(path: Path, known: pd.DataFrame) -> int:
    """A partnership whose framework holds the return's indicators, with yearly targets."""
    init_warehouse(path, user=ACTING)
    years = sorted({q[:7] for q in QUARTERS})
    with writer(path) as con:
        con.execute(
            "INSERT INTO partnership (partnership_code, name) VALUES ('BIG', 'Benchmark LSP')"
        )
        con.execute("INSERT INTO theme (partnership_id, name) VALUES (1, 'Everything')")
        indicators = known.assign(partnership_id=1, theme_id=1, polarity="higher")
        con.register("ind_in", indicators)
        con.execute(
            "INSERT INTO indicator (partnership_id, code, title, theme_id, polarity, unit)"
            " SELECT partnership_id, code, title, theme_id, polarity, unit FROM ind_in"
        )
        targets = pd.DataFrame(
            [(i + 1, y, 60.0) for i in range(len(known)) for y in years],
            columns=["indicator_id", "financial_year", "target_value"],
        )
        con.register("tgt_in", targets)
        con.execute(
            "INSERT INTO target (indicator_id, financial_year, version, target_value, set_on)"
            " SELECT indicator_id, financial_year, 1, target_value, DATE '1998-04-01'"
            " FROM tgt_in"
        )
    return 1


def timed(fn, repeat: int, before=None):
    """(best, median) seconds of ``repeat`` runs of ``fn`` and its last result; ``before``
    runs untimed ahead of each (a fresh warehouse for a commit)."""
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def quarter_of_returns(directory: Path, repeat: int, quarter: str = QUARTER) -> list[str]:
    """The demo partnership's returns for ``quarter`` (every theme group's, in our template),
    loaded as the officer would: each file through intake, then one commit, into a copy of
    the demo warehouse holding every earlier quarter; beside pandas reading the same files
    (every sheet, as we read every sheet). Median of ``repeat``; markdown lines."""
    from analytics.demo.build import generate, write_files
    from analytics.framework.read import read_framework
    from analytics.warehouse.load import import_framework

    framework, files = write_files(generate(), directory / "demo")
    prefix = quarter.replace("/", "-").replace(" ", "_") + "_"
    ours = sorted(f for f in files if f.name.startswith(prefix))
    earlier = [f for f in files if f.name[:10] < prefix[:10]]
    base = directory / "quarter_base.duckdb"
    base.unlink(missing_ok=True)
    init_warehouse(base, user=ACTING)
    import_framework(read_framework(framework), base, user=ACTING)
    pid = int(queries.partnerships(base).query("indicators > 0")["partnership_id"].iloc[0])
    context = queries.intake_context(base, pid)
    close_readers()
    commit_returns([intake_file(f, context) for f in earlier], base, user=ACTING)
    work = directory / "quarter.duckdb"
    state = {}

    def fresh_copy() -> None:
        close_readers()
        shutil.rmtree(directory / "raw", ignore_errors=True)
        shutil.copyfile(base, work)
        # written out before the clock starts: an officer's warehouse is not freshly copied
        # before each quarter, and the commit's first sync would otherwise write the copy too
        os.sync()
        state["context"] = queries.intake_context(work, pid)
        close_readers()

    cpu_s: list[float] = []  # this process's CPU time of each load (not the readers')

    def load_quarter():
        started = time.process_time()
        intakes = [intake_file(f, state["context"]) for f in ours]
        assert all(i.ok for i in intakes), [m.format() for i in intakes for m in i.errors]
        state["intakes"] = intakes
        results = commit_returns(intakes, work, user=ACTING)
        cpu_s.append(time.process_time() - started)
        return results

    best, median, results = timed(load_quarter, repeat, before=fresh_copy)
    p_best, p_median, _ = timed(
        lambda: [pd.read_excel(f, engine="openpyxl", sheet_name=None) for f in ours], repeat
    )
    values = sum(r.rows_new + r.rows_changed for r in results)
    rows = sum(len(intake.values) for intake in state["intakes"])
    return [
        f"{len(ours)} returns for {quarter} (every theme group of the demo partnership, "
        f"{rows} rows, {values} values loaded) into a warehouse holding "
        f"{len(earlier)} earlier returns:",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| ours: intake of each file + one commit (best {best:.3f}) | {median:.3f} |",
        f"| the same loads, CPU time of this process (all its threads; the reader processes' "
        f"not counted; best {min(cpu_s):.3f}) | {statistics.median(cpu_s):.3f} |",
        f"| pandas.read_excel(engine='openpyxl', sheet_name=None), read alone "
        f"(best {p_best:.3f}) | {p_median:.3f} |",
        f"| **speed-up (pandas / ours, medians)** | **{p_median / median:.1f}x** |",
    ]


def reader_costs(path: Path, limits: ReadLimits, repeat: int) -> dict[str, float]:
    """What reading in a reader process adds: the reader's own work (measure, calamine, cell
    facts; run here in this process to time it), pickling the answer, decoding and checking
    it in the app (restricted unpickler, shape of every sheet), and a cold start."""
    import dataclasses

    from analytics.ingest import parse, reader_child, sandbox

    request = {
        "path": str(path), "file": path.name, "limits": dataclasses.asdict(limits),
        "visible": True, "named": [], "workbooks_only": False,
    }  # fmt: skip
    t_parse, _, answer = timed(lambda: parse.read_request(request), repeat)

    def encode() -> bytes:
        out = io.BytesIO()
        reader_child.send(out, ("ok", answer, (0, 0, 0)))
        return out.getvalue()

    t_encode, _, frame = timed(encode, repeat)
    t_decode, _, _ = timed(
        lambda: sandbox.workbook_from_answer(sandbox.decode(frame)[1], path.name, ()), repeat
    )
    tiny = path.with_name("tiny.csv")
    tiny.write_text("Ref,Actual\nNI 1,1\n")

    def cold() -> None:
        pool = sandbox.ReaderPool()
        with sandbox.using(pool):
            read_workbook(tiny)
        pool.close()

    t_cold, _, _ = timed(cold, repeat)
    return {"parse": t_parse, "encode": t_encode, "decode": t_decode, "cold": t_cold,
            "answer_mb": len(frame) / 1e6}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--out", type=Path, help="write the table (markdown) here")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "bench_return.xlsx"
    known = write_return(path, args.rows)
    limits = ReadLimits(max_rows=max(args.rows * 2, 250_000))

    read_workbook(path, limits)  # the reader process started (the app keeps it warm)
    t_read, _, grids = timed(lambda: read_workbook(path, limits), args.repeat)
    costs = reader_costs(path, limits, args.repeat)
    grid = next(g for g in grids if g.visible)
    t_map, _, mapping = timed(lambda: propose_mapping(grid), args.repeat)
    t_apply, _, frame = timed(lambda: apply_mapping(grid, mapping), args.repeat)
    t_validate, _, messages = timed(
        lambda: validate(frame, known_indicators=known, today=date(2010, 6, 1)),
        args.repeat,
    )
    ours = t_read + t_map + t_apply + t_validate
    warehouse = directory / "bench.duckdb"
    state = {}

    def fresh_warehouse() -> None:
        close_readers()
        warehouse.unlink(missing_ok=True)
        shutil.rmtree(directory / "raw", ignore_errors=True)
        pid = make_warehouse(warehouse, known)
        state["context"] = queries.intake_context(warehouse, pid, today=date(2011, 6, 1))

    def intake_and_commit():
        start = time.perf_counter()
        intake = intake_file(path, state["context"], theme="Everything", limits=limits)
        assert intake.ok, [m.format() for m in intake.errors[:5]]
        middle = time.perf_counter()
        results = commit_returns([intake], warehouse, user=ACTING)
        state.setdefault("split", []).append((middle - start, time.perf_counter() - middle))
        return results

    best, t_ours, results = timed(intake_and_commit, args.repeat, before=fresh_warehouse)
    t_intake = statistics.median(i for i, _ in state["split"])
    t_commit = statistics.median(c for _, c in state["split"])
    p_best, t_pandas, raw = timed(lambda: pd.read_excel(path, engine="openpyxl"), args.repeat)

    size = path.stat().st_size
    loaded = results[0].rows_new
    lines = [
        f"{len(frame):,} rows mapped, {len(messages):,} messages, {loaded:,} values committed "
        f"({len(known):,} indicators x {len(QUARTERS)} quarters), file {size:,} bytes",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    for name, seconds in [
        ("read_workbook, in a warm reader process (all of the next four)", t_read),
        (
            "- the reader's own read: zip parts inflated within their sizes, used range "
            "measured, calamine, cell facts (timed in this process)",
            costs["parse"],
        ),
        (f"- the answer pickled in the reader ({costs['answer_mb']:.1f} MB)", costs["encode"]),
        (
            "- the answer decoded in the app (restricted unpickler, shape of every sheet)",
            costs["decode"],
        ),
        (
            "- the rest: the pipe, the request (the difference)",
            max(0.0, t_read - costs["parse"] - costs["encode"] - costs["decode"]),
        ),
        ("propose_mapping (header row, synonyms)", t_map),
        ("apply_mapping (long frame, value parsing)", t_apply),
        ("validate", t_validate),
        ("**ours: read+map+parse+validate** (sum of the best of each)", ours),
        ("intake_file (all of the above, theme, targets, values to load)", t_intake),
        ("commit_returns (compare, bulk insert, statuses of 100,000 cells, audit)", t_commit),
        (f"**ours: intake + commit** (best {best:.3f})", t_ours),
        (f"pandas.read_excel(engine='openpyxl') read alone (best {p_best:.3f})", t_pandas),
    ]:
        lines.append(f"| {name} | {seconds:.3f} |")
    lines.append(f"| **speed-up, validate (pandas best / ours best)** | **{p_best / ours:.1f}x** |")
    lines.append(
        f"| **speed-up, validate + commit (pandas / ours, medians)** | "
        f"**{t_pandas / t_ours:.1f}x** |"
    )
    lines.append("")
    lines.append(
        f"Starting a reader process and reading a two-line CSV with it: {costs['cold']:.3f} s "
        "(once per app; a reader is replaced in the background after a failure)."
    )
    quarter = quarter_of_returns(directory, args.repeat)
    table = "\n".join(lines)
    print("\n" + table + "\n\n" + "\n".join(quarter))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        repeat = f" --repeat {args.repeat}" if args.repeat != 3 else ""
        command = (
            f".venv/bin/python benchmarks/bench_ingest.py --rows {args.rows}{repeat} "
            f"--out {args.out}"
        )
        args.out.write_text(
            "# Ingest benchmark: a 100,000-row return validated and committed\n\n"
            f"Command: `{command}` (same file, same run; the separate steps best of "
            f"{args.repeat}; intake + commit, each time into a fresh warehouse, and pandas: "
            f"median of {args.repeat}, best in brackets). Load average at the end "
            f"{os.getloadavg()[0]:.1f}.\n\n" + table + "\n\n"
            "## A quarter's returns for a partnership\n\n" + "\n".join(quarter) + "\n"
        )
    assert len(raw) >= args.rows - len(QUARTERS)


if __name__ == "__main__":
    main()
