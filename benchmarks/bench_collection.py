"""Time the collection: the return form's check as a theme lead types, submitting it, the
reminder run's plan, and what the Board's accepted-only view costs the pages' reads.

    .venv/bin/python benchmarks/bench_collection.py [--partnerships 30] [--repeat 15]

(a) On the demo (built in a temporary folder): the form's check of one change (our template
    written with what was typed, read by the spreadsheet path, previewed for statuses), the
    submission (the same, then the commit with its statuses), and `lsp reminders send
    --dry-run`'s gathering and plan. Wall and CPU time, median of ``--repeat``.
(b) On a national-style warehouse of ``--partnerships`` partnerships (benchmarks/national.py):
    one partnership's statuses as at its latest quarter (the Board pages' read) and its
    statuses stored again (what every commit does), with the partnership's Board seeing every
    figure (``board_actual``: the values in force) and then only accepted ones (the latest
    accepted return's values). Reported as times and as the ratio, in one run.

Prints a markdown table and writes it to ``benchmarks/results/collection.md``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results" / "collection.md"
SAFER = "Communities that are safe and feel safe"
QUARTER = "2011/12 Q1"


def _timed(fn, repeat: int) -> tuple[float, float]:
    """(median wall s, median CPU s) of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def demo_times(folder: Path, repeat: int) -> dict[str, tuple[float, float]]:
    from analytics.access import Grant, User
    from analytics.collection import form, reminders
    from analytics.demo.build import build_demo
    from analytics.warehouse import queries
    from analytics.warehouse.connection import close_readers

    path = folder / "demo" / "warehouse.duckdb"
    build_demo(path)
    known = queries.partnerships(path)
    pid = int(known.query("indicators > 0")["partnership_id"].iloc[0])
    themes = queries.themes(path, pid).set_index("theme")["theme_id"]
    rows, history, info = queries.template_rows(path, pid, SAFER, QUARTER)
    context = queries.intake_context(path, pid, today=date(2011, 7, 20))
    typed = ["690", "3.4", "0.18", "3.2 per 1,000", "1.5", "19%"]
    entries = [{"code": c, "value": v, "dq_flag": "ok", "commentary": "", "remedial_action": ""}
               for c, v in zip(rows["code"], typed, strict=False)]  # fmt: skip
    out: dict[str, tuple[float, float]] = {}
    scratch = folder / "form"
    scratch.mkdir()
    out["form: check one change (write, read, preview)"] = _timed(
        lambda: form.check(path, scratch, context, info, SAFER, QUARTER, rows, history, entries),
        repeat,
    )
    grant = Grant("theme_lead", pid, frozenset({int(themes[SAFER])}))
    lead = User("lead@bench.example", "Lead", (grant,))
    copies = []
    for n in range(max(3, repeat // 5)):
        copy = folder / f"copy{n}" / "warehouse.duckdb"
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        copies.append(copy)
    close_readers()
    spent = iter(copies)

    def submit():
        copy = next(spent)
        form.submit(copy, pid, int(themes[SAFER]), context, info, SAFER, QUARTER, rows, history,
                    entries, 0, user=lead)  # fmt: skip

    out["form: submit (check, commit, statuses)"] = _timed(submit, len(copies))
    from analytics.collection.mail import MailSettings

    settings = MailSettings.from_env({}, dry_run=True)
    out["reminders: gather and plan a day (dry run)"] = _timed(
        lambda: reminders.run(path, date(2011, 7, 29), user=lead, dry_run=True, mail=settings,
                              partnership_ids=[pid]),
        repeat,
    )  # fmt: skip
    return out


def board_times(folder: Path, partnerships: int, repeat: int) -> tuple[dict, dict]:
    import national

    from analytics.warehouse import queries, views
    from analytics.warehouse.connection import close_readers, writer
    from analytics.warehouse.status_store import store_statuses

    path = folder / "national.duckdb"
    national.build(path, partnerships, seed=23, chunk=200_000)
    close_readers()
    known = queries.partnerships(path).query("indicators > 0")
    pid = int(known["partnership_id"].iloc[0])
    latest = queries.periods_with_data(path, pid)[0]
    counts = {"partnerships": len(known)}
    with writer(path) as con:
        counts["values"] = con.execute("SELECT count(*) FROM actual").fetchone()[0]
    out = {}
    for label, strict in (("every figure", False), ("accepted only", True)):
        with writer(path) as con:
            con.execute("DELETE FROM collection_setting")
            if strict:
                con.execute(
                    "INSERT INTO collection_setting (partnership_id, board_accepted_only,"
                    " updated_by) SELECT partnership_id, true, 'bench' FROM partnership"
                )
        close_readers()
        views.statuses_as_at(path, pid, latest)  # the snapshot opened once
        out[f"statuses as at {latest}, one partnership ({label})"] = _timed(
            lambda: views.statuses_as_at(path, pid, latest), repeat
        )

        def store():
            with writer(path) as con:
                store_statuses(con, pid)

        out[f"statuses stored again, one partnership ({label})"] = _timed(store, 3)
    return out, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-collection-") as tmp:
        folder = Path(tmp)
        demo = demo_times(folder, args.repeat)
        board, counts = board_times(folder, args.partnerships, args.repeat)
    lines = [
        f"# Collection benchmark ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"`benchmarks/bench_collection.py --partnerships {args.partnerships} --repeat "
        f"{args.repeat}`; the demo for (a), a national-style warehouse of "
        f"{counts['partnerships']} partnerships and {counts['values']:,} values for (b). "
        "Medians; CPU time beside wall time (the machine is shared).",
        "",
        "| step | wall (ms) | CPU (ms) |",
        "|---|---:|---:|",
    ]
    for name, (wall, cpu) in {**demo, **board}.items():
        lines.append(f"| {name} | {wall * 1000:,.0f} | {cpu * 1000:,.0f} |")
    keys = list(board)
    for what, (off, on) in (("read", keys[0:3:2]), ("store", keys[1:4:2])):
        ratio = board[on][1] / board[off][1] if board[off][1] else float("nan")
        lines.append(f"| accepted only / every figure, {what} (CPU) | {ratio:.2f}x | |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
