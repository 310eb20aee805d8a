"""Many people at once: readers browsing while the officer commits returns in the app and `lsp`
imports them, against one app process and against `lsp serve`, in one run.

    .venv/bin/python benchmarks/bench_load.py [--warehouse data/warehouse.duckdb]
        [--servers one,serve] [--workers 2] [--rounds 2] [--duration 90]
        [--readers 25] [--commit-every 10] [--import-every 20] [--think 2]
    .venv/bin/python benchmarks/bench_load.py --warehouse data/national.duckdb   # national

The servers (``--servers``):

- ``one``: one app process alone, started as `lsp serve` starts each of its own
  (``analytics.server.workers``: serve.py, the same settings and environment), reached directly;
- ``serve``: ``lsp serve --workers N``: N such processes behind Caddy.

They take turns, ``--rounds`` times (A B, B A, ...), so that the other work on a shared
machine, which drifts, weighs on both alike; each round works on a fresh copy of the warehouse
(under ``benchmarks/out/``), so the one given is left as it was. A round:

1. Idle: one reader opens each page (Overview, Exceptions, Trends, Indicator) ``--idle``
   times, nobody writing.
2. Under load, for ``--duration`` seconds at once:
   - ``--readers`` simulated Board members, each its own Streamlit session over the app's
     websocket (the protocol the browser speaks: a rerun request per page, the page's
     elements back), signed in one after another as board@wyvernvale.example, going round
     the four pages with ``--think`` seconds between pages. Page time is from the request to
     the server's "script finished" (the page's data, built and sent; the browser's drawing is
     not included: bench_pages.py measures that). A page error is an exception or an error
     box on the page, or a page that does not finish.
   - the officer in headless Chromium on the Returns page: every ``--commit-every`` seconds
     uploads a filled-in return (a new value each time), waits for the preview, presses
     Commit and waits for "Committed: <file>" (signed in as officer@wyvernvale.example).
     Commit time is from pressing Commit to that message.
   - every ``--import-every`` seconds ``lsp import`` of a return of another theme group (a
     new value each time), as a separate process, timed from start to exit.
3. Afterwards, values lost: for every commit that reported success, the warehouse must hold
   its return with every value it carried, and each theme group's current values must be
   those of its last commit.
4. The server processes' CPU time under load (per page view: robust to the machine's other
   load, unlike page times) and peak resident memory (VmHWM from /proc).

Prints a markdown report, the servers side by side as ratios of the same run, and writes it to
``benchmarks/results/load.md`` (``--no-write``: not).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_pages import CHROMIUM, CHROMIUM_FLAGS, memory_mb  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load.md"
OUT = ROOT / "benchmarks" / "out" / "load"
BOARD = ("board@wyvernvale.example", "wyvern-vale-demo")
OFFICER = ("officer@wyvernvale.example", "wyvern-vale-demo")
PAGE_TIMEOUT_S = 120


# --- the returns the writers load -------------------------------------------------------------


@dataclass
class Writer:
    """One stream of returns: a theme group's template, filled with a new value each time."""

    who: str  # "app" or "lsp"
    theme: str
    period: str
    template: Path
    out: Path
    done: list[dict] = field(default_factory=list)  # {file, value, seconds, ok, error}

    def next_file(self) -> tuple[Path, float, int]:
        """The next return: (file, the value in every cell, how many values)."""
        import openpyxl

        from analytics.status.ratios import ratio_of

        k = len(self.done) + 1
        value = (10.0 if self.who == "app" else 20.0) + k / 100  # plausible for any unit
        out = self.out / f"{self.who}_{k:03d}.xlsx"
        book = openpyxl.load_workbook(self.template)
        sheet = book["Return"]
        # the template's columns by their headers (row 4): code, unit, value, numerator, ...
        column = {cell.value: cell.column for cell in sheet[4] if cell.value}
        n = 0
        for row in range(5, sheet.max_row + 1):
            if sheet.cell(row, column["code"]).value:
                sheet.cell(row, column["value"], value)
                if not sheet.cell(row, column["numerator"]).protection.locked:
                    # a ratio (the template leaves its parts open): value = num / den x k
                    _, multiplier = ratio_of(sheet.cell(row, column["unit"]).value)
                    sheet.cell(row, column["numerator"], value * 1000 / multiplier)
                    sheet.cell(row, column["denominator"], 1000)
                n += 1
        book.save(out)
        return out, value, n


def _lsp(*args: str) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "analytics.cli", *args], cwd=ROOT, capture_output=True, text=True
    )
    return done.returncode, done.stdout, done.stderr


def add_accounts(work: Path) -> None:
    """The Board member and the officer, where the app has sign-in and the warehouse (the
    national one) lacks them: added through `lsp`'s own account code."""
    try:
        from analytics.warehouse import accounts
    except ImportError:  # before sign-in existed
        return
    from analytics.access import cli_user

    accounts.store_for(work)  # moves an older warehouse's accounts into its store, once
    for (email, password), role, name in ((BOARD, "board", "Load-test Board member"),
                                          (OFFICER, "officer", "Load-test officer")):  # fmt: skip
        if accounts.find_account(work, email) is None:
            accounts.add_account(work, email, name, role, user=cli_user(), password=password)


def serving_copy(warehouse: Path, out: Path) -> Path:
    """A copy of ``warehouse`` in ``out`` to serve, with the benchmark's accounts (the sign-in
    writes to its accounts store)."""
    from analytics.warehouse.connection import close_readers, remove_warehouse

    out.mkdir(parents=True, exist_ok=True)
    work = out / "warehouse.duckdb"
    remove_warehouse(work)
    shutil.copyfile(warehouse, work)
    close_readers()
    add_accounts(work)
    close_readers()
    return work


def prepare(warehouse: Path, out: Path) -> tuple[Path, dict]:
    """Copy the warehouse into ``out``; pick the partnership, two theme groups, a period, an
    indicator; make the two templates."""
    from analytics.warehouse import queries
    from analytics.warehouse.connection import close_readers

    work = serving_copy(warehouse, out)
    parts = queries.partnerships(work).query("indicators > 0")
    pid, code = int(parts["partnership_id"].iloc[0]), str(parts["partnership_code"].iloc[0])
    themes = queries.themes(work, pid)
    period = queries.periods_with_data(work, pid)[0]  # the latest quarter: a resubmission
    indicators = queries.framework_indicators(work, pid)["code"].tolist()
    indicator = "NI 191" if "NI 191" in indicators else indicators[0]
    writers = []
    _reopen(work, pid, themes["theme_id"].iloc[:2].tolist(), period)
    for who, theme in (("app", themes["theme"].iloc[0]), ("lsp", themes["theme"].iloc[1])):
        template = out / f"template_{who}.xlsx"
        args = ["--theme", theme, "--period", period, "--partnership", code, "-o", str(template)]
        rc, _, err = _lsp("--warehouse", str(work), "template", *args)
        if rc:
            sys.exit(f"lsp template failed: {err}")
        writers.append(Writer(who, theme, period, template, out))
    close_readers()
    info = {"pid": pid, "code": code, "indicator": indicator, "period": period,
            "writers": writers, "name": str(parts["name"].iloc[0])}  # fmt: skip
    return work, info


def _reopen(work: Path, pid: int, theme_ids: list[int], period: str) -> None:
    """Reopen the quarter for the writers' two theme groups where it has locked (the demo's
    quarters lock after their Board; a locked quarter refuses every commit), as an officer
    would for a correction, with the reason kept in the audit log."""
    from analytics.access import cli_user
    from analytics.warehouse import collection

    for theme_id in theme_ids:
        with contextlib.suppress(collection.CollectionError):  # not locked: nothing to do
            collection.reopen(work, pid, int(theme_id), period,
                              "Load benchmark: resubmissions while the Board browses",
                              user=cli_user())  # fmt: skip


def commit_cost(work: Path, repeat: int = 5) -> dict:
    """What every commit costs beyond its own work, idle: a one-row write through
    ``writer()`` (checkpoint, copy to a new snapshot, publish), and the copy alone."""
    from analytics.warehouse.connection import _copy, close_readers, reader, writer

    totals, copies = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        with writer(work) as con:
            con.execute("CREATE OR REPLACE TEMP TABLE bench_probe AS SELECT 1 AS i")
        totals.append(time.perf_counter() - started)
        started = time.perf_counter()
        _copy(work, work.parent / "copy_probe.duckdb")
        copies.append(time.perf_counter() - started)
        (work.parent / "copy_probe.duckdb").unlink()
    started = time.perf_counter()
    reader(work).execute("SELECT count(*) FROM actual").fetchall()
    first_read = time.perf_counter() - started
    close_readers()
    return {"commit_s": statistics.median(totals), "copy_s": statistics.median(copies),
            "first_read_s": first_read, "repeat": repeat}  # fmt: skip


# --- readers: Streamlit sessions over the websocket -------------------------------------------


@dataclass
class Run:
    page: str
    seconds: float
    errors: list[str]
    at: float  # monotonic time it started


class Session:
    """One browser tab's worth of Streamlit session, without the browser."""

    def __init__(self, url: str):
        self.url = url
        self.ws = None
        self.hashes: dict[str, str] = {}  # url path -> page script hash (from "navigation")
        self.affinity: str | None = None  # the proxy's affinity cookie (lsp serve)
        self.received = [0, 0]  # ForwardMsgs and their bytes so far (bench_page_cpu.py)

    async def open(self) -> None:
        import websockets

        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url, subprotocols=["streamlit"], origin=self.url, max_size=None
        )
        for header in self.ws.response.headers.get_all("Set-Cookie"):
            if header.startswith("lsp_worker="):
                self.affinity = header.split(";", 1)[0].split("=", 1)[1]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page: str, query: str = "", widgets=None) -> tuple[float, list, list]:
        """Ask for ``page``; return (seconds, errors, elements) once the script has finished."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_name = page
        back.rerun_script.page_script_hash = self.hashes.get(page, "")
        if widgets:
            back.rerun_script.widget_states.widgets.extend(widgets)
        started = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        errors, elements = [], []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), PAGE_TIMEOUT_S)
            self.received[0] += 1
            self.received[1] += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    errors.append(f"{element.exception.type}: {element.exception.message}")
                elif what == "alert" and element.alert.format == Alert.ERROR:
                    errors.append(element.alert.body)
                elements.append(element)
            elif kind == "navigation":
                for spec in msg.navigation.app_pages:
                    self.hashes[spec.url_pathname] = spec.page_script_hash
            elif kind == "page_not_found":
                errors.append(f"page not found: {page}")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    errors, elements = [], []  # st.rerun(): a new run follows
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("script failed to compile")
                return time.perf_counter() - started, errors, elements

    async def sign_in_if_asked(self, page: str, who: tuple[str, str]) -> bool:
        """When the page shows the sign-in form (Email, Password, "Sign in"), fill it in."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        _, _, elements = await self.run(page)
        inputs = {e.text_input.label: e.text_input.id for e in elements
                  if e.WhichOneof("type") == "text_input"}  # fmt: skip
        buttons = [e.button for e in elements if e.WhichOneof("type") == "button"]
        button = next((b.id for b in buttons if b.label == "Sign in"), None)
        if not {"Email", "Password"} <= inputs.keys() or button is None:
            return False
        states = []
        for label, value in (("Email", who[0]), ("Password", who[1])):
            state = WidgetState(id=inputs[label])
            state.string_value = value
            states.append(state)
        states.append(WidgetState(id=button, trigger_value=True))
        _, errors, _ = await self.run(page, widgets=states)
        if errors:
            raise RuntimeError(f"sign-in failed: {errors}")
        return True


def spread(sessions: list, pids: list[int]) -> list[int]:
    """How many reader sessions each app process has (by the affinity cookie Caddy set on
    each session's websocket; a cookie names one process), most first."""
    if len(pids) < 2:
        return [len(sessions)]
    counts: dict[str, int] = {}
    for session in sessions:
        cookie = session.affinity or ""
        counts[cookie] = counts.get(cookie, 0) + 1
    return sorted(counts.values(), reverse=True)


async def signed_in(url: str, page: str) -> Session:
    session = Session(url)
    await session.open()
    await session.sign_in_if_asked(page, BOARD)
    return session


async def reader_loop(n: int, session: Session, pages: list, until: float, think: float,
                      out: list):  # fmt: skip
    url = session.url
    try:
        k = n  # readers start on different pages
        while time.monotonic() < until:
            label, page, query = pages[k % len(pages)]
            k += 1
            at = time.monotonic()
            try:
                seconds, errors, _ = await session.run(page, query)
            except Exception as exc:  # noqa: BLE001 - a page that never finished
                seconds, errors = time.monotonic() - at, [f"{type(exc).__name__}: {exc}"]
                out.append(Run(label, seconds, errors, at))
                await session.close()
                session = Session(url)
                await session.open()
                continue
            out.append(Run(label, seconds, errors, at))
            await asyncio.sleep(think)  # a person reading the page
    finally:
        await session.close()


# --- writers ------------------------------------------------------------------------------------


async def officer_loop(url: str, writer: Writer, every: float, until: float) -> None:
    """The officer in headless Chromium: upload, preview, Commit, "Committed: <file>"."""
    from playwright.async_api import async_playwright, expect

    from analytics.ingest.view import commit_label

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
        await page.goto(f"{url}/returns")
        await page.locator("h1").first.wait_for()
        if await page.get_by_role("button", name="Sign in").count():  # then on to /returns
            await page.get_by_label("Email").fill(OFFICER[0])
            await page.get_by_label("Password", exact=True).fill(OFFICER[1])
            await page.get_by_role("button", name="Sign in").click()
            await page.get_by_role("button", name="Sign out").wait_for()
            if not await page.get_by_role("heading", name="Returns").count():
                await page.get_by_role("link", name="Returns").click()  # the sidebar's link
        # .first: while a rerun replaces the page, its old elements show beside the new ones
        try:
            await page.get_by_role("heading", name="Returns").first.wait_for()
        except Exception:  # say what the officer saw instead, then stop the run
            shot = OUT / "officer_no_returns_page.png"
            await page.screenshot(path=str(shot), full_page=True)
            seen = " ".join((await page.locator("body").inner_text()).split())[:600]
            raise RuntimeError(
                f"the officer's browser showed no Returns page within {PAGE_TIMEOUT_S} s of "
                f"signing in ({page.url}); it showed: {seen!r}; screenshot {shot}"
            ) from None
        due = time.monotonic()
        while due < until:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            due += every
            file, value, n = writer.next_file()
            record = {"file": file.name, "value": value, "values": n, "ok": False, "error": ""}
            step = "open the Load returns tab"
            try:
                await page.get_by_role("tab", name="Load returns").click()
                uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
                # one uploader: the last commit's rerun has finished
                step = "find the uploader"
                await expect(uploader).to_have_count(1, timeout=PAGE_TIMEOUT_S * 1000)
                step = "upload the file"
                await uploader.set_input_files(str(file))
                button = page.get_by_role("button", name=commit_label(1), exact=True)
                step = "wait for the preview and its Commit button"
                await button.wait_for()
                await page.get_by_role("heading", name="Preview").first.wait_for()
                started = time.perf_counter()
                step = "press Commit and wait for 'Committed'"
                await button.click()
                await page.get_by_text(f"Committed: {file.name}").first.wait_for()
                record["seconds"] = time.perf_counter() - started
                record["ok"] = True
            except Exception as exc:  # noqa: BLE001 - a failed commit, reported
                # what the page said then (an error or warning box), to tell why
                alerts = await page.locator("[data-testid='stAlert']").all_inner_texts()
                said = " | ".join(" ".join(a.split())[:200] for a in alerts[:3]) or "no message"
                record["error"] = (
                    f"{type(exc).__name__} at '{step}': {str(exc).splitlines()[0][:120]};"
                    f" the page said: {said}"
                )
                record["seconds"] = float("nan")
                await page.goto(f"{url}/returns")
            writer.done.append(record)
        await browser.close()


async def import_loop(warehouse: Path, code: str, writer: Writer, every: float, until: float):
    due = time.monotonic()
    while due < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        due += every
        file, value, n = writer.next_file()
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "analytics.cli", "--warehouse", str(warehouse), "import",
            "--partnership", code, str(file),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await process.communicate()
        seconds, text = time.perf_counter() - started, err.decode()
        writer.done.append(
            {"file": file.name, "value": value, "values": n, "seconds": seconds,
             "ok": process.returncode == 0, "waited": "waiting" in text,
             "error": "" if process.returncode == 0 else text.strip()[-300:]}
        )  # fmt: skip


async def memory_loop(pids: list[int], until: float, peaks: dict) -> None:
    """Each server process's resident memory, once a second (``peaks``: pid -> samples)."""
    while time.monotonic() < until:
        for pid in pids:
            with contextlib.suppress(OSError, KeyError):
                peaks.setdefault(pid, []).append(memory_mb(pid)[0])
        await asyncio.sleep(1.0)  # sampling interval


# --- values lost ----------------------------------------------------------------------------


def values_lost(warehouse: Path, partnership_id: int, writers: list[Writer]) -> dict:
    """Committed values the warehouse does not hold as committed (goal: none)."""
    from analytics.warehouse.connection import close_readers, reader

    close_readers()
    cur = reader(warehouse)
    lost, checked, problems = 0, 0, []
    for writer in writers:
        ok = [d for d in writer.done if d["ok"]]
        for d in ok:
            rows = cur.execute(
                "SELECT a.actual_value FROM actual a JOIN return_file r USING (return_id)"
                " WHERE r.file_name = ?",
                [d["file"]],
            ).fetchall()
            good = [r for r in rows if r[0] == d["value"]]
            checked += d["values"]
            if len(good) != d["values"] or len(rows) != d["values"]:
                lost += max(d["values"] - len(good), 1)
                problems.append(f"{d['file']}: {len(good)} of {len(rows)} values as committed")
        if ok:
            current = cur.execute(
                "SELECT DISTINCT a.actual_value FROM actual a JOIN return_file r"
                " USING (return_id) JOIN theme t ON t.theme_id = r.theme_id"
                " WHERE a.is_current AND t.partnership_id = ? AND t.name = ? AND r.period = ?",
                [partnership_id, writer.theme, writer.period],
            ).fetchall()
            if [r[0] for r in current] != [ok[-1]["value"]]:
                lost += 1
                values = [r[0] for r in current][:5]
                problems.append(f"{writer.theme} {writer.period}: current values {values}, "
                                f"last commit {ok[-1]['value']}")  # fmt: skip
        files = cur.execute(
            "SELECT count(*) FROM return_file WHERE file_name LIKE ?", [f"{writer.who}_%"]
        ).fetchall()[0][0]
        if files != len(ok):
            problems.append(f"{writer.who}: {files} returns stored for {len(ok)} commits")
            lost += abs(files - len(ok))
    cur.close()
    return {"lost": lost, "checked": checked, "problems": problems}


# --- the run ------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def machine_busy_s() -> tuple[float, float]:
    """(CPU seconds the whole machine has been busy, and in all), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), sum(fields) / os.sysconf("SC_CLK_TCK")


def cpu_s(pids: list[int]) -> float:
    """CPU time (user and system) the processes have used so far, in seconds."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def load(url: str, pids: list[int], proxy: list[int], work: Path, info: dict,
               args) -> dict:  # fmt: skip
    pages = [
        ("Overview", "", ""),  # the default page: no url path
        ("Exceptions", "exceptions", ""),
        ("Trends", "trends", ""),
        ("Indicator", "indicator", "indicator=" + info["indicator"].replace(" ", "%20")),
    ]
    # warm up and idle: one reader, nobody writing
    idle: list[Run] = []
    session = Session(url)
    await session.open()
    await session.sign_in_if_asked("", BOARD)
    for _label, page, query in pages:  # warm-up: caches filled once
        await session.run(page, query)
    load_idle = os.getloadavg()[0]
    for _ in range(args.idle):
        for label, page, query in pages:
            at = time.monotonic()
            seconds, errors, _ = await session.run(page, query)
            idle.append(Run(label, seconds, errors, at))
    await session.close()
    idle_rss = sum(memory_mb(pid)[0] for pid in pids)

    app_writer, lsp_writer = info["writers"]
    runs: list[Run] = []
    rss: dict[int, list[float]] = {}
    # The readers arrive one after another (each sign-in verifies an argon2id hash, 64 MiB
    # for a moment; 25 at the same instant would be a spike no real morning has).
    sessions = [await signed_in(url, pages[0][1]) for _ in range(args.readers)]
    load_start = os.getloadavg()[0]
    cpu_start = cpu_s(pids), cpu_s(proxy)
    machine_start = machine_busy_s()
    started = time.monotonic()
    until = started + args.duration
    tasks = [reader_loop(n, s, pages, until, args.think, runs) for n, s in enumerate(sessions)]
    tasks.append(memory_loop(pids, until, rss))
    if not args.no_writes:
        tasks += [
            officer_loop(url, app_writer, args.commit_every, until),
            import_loop(work, info["code"], lsp_writer, args.import_every, until),
        ]
    await asyncio.gather(*tasks)
    cpu = (cpu_s(pids) - cpu_start[0], cpu_s(proxy) - cpu_start[1])
    machine_end = machine_busy_s()
    machine = (machine_end[0] - machine_start[0], machine_end[1] - machine_start[1])
    return {"idle": idle, "runs": runs, "rss": rss, "idle_rss": idle_rss, "cpu": cpu,
            "machine": machine, "spread": spread(sessions, pids),
            "elapsed": time.monotonic() - started,
            "loadavg": [(load_idle, load_start, os.getloadavg()[0])]}  # fmt: skip


@contextlib.contextmanager
def lsp_serve_server(work: Path, workers: int):
    """`lsp serve --workers N` on a free port serving ``work``: (url, app process ids)."""
    import re
    import signal
    import subprocess

    from bench_pages import _free_port

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "--warehouse", str(work), "serve",
         "--workers", str(workers), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    pids, proxy = [], []
    try:
        for line in process.stdout:  # until it says it is ready (or ends)
            found = re.search(r"app process \d+ is process (\d+)", line)
            if found:
                pids.append(int(found[1]))
            found = re.search(r"proxy is process (\d+)", line)
            if found:
                proxy.append(int(found[1]))
            if "ready on" in line:
                break
        else:
            raise RuntimeError(f"lsp serve ended with {process.wait()}")
        yield f"http://127.0.0.1:{port}", pids, proxy
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def merged(rounds: list[dict]) -> dict:
    """One server's rounds as one result: page views, commits and values lost pooled."""
    first = rounds[0]
    info = dict(first["info"])
    info["writers"] = [
        Writer(
            w.who,
            w.theme,
            w.period,
            w.template,
            w.out,
            [d for r in rounds for d in r["info"]["writers"][i].done],
        )  # fmt: skip
        for i, w in enumerate(first["info"]["writers"])
    ]
    lost = {"lost": sum(r["lost"]["lost"] for r in rounds),
            "checked": sum(r["lost"]["checked"] for r in rounds),
            "problems": [p for r in rounds for p in r["lost"]["problems"]]}  # fmt: skip
    return {
        "idle": [x for r in rounds for x in r["idle"]],
        "runs": [x for r in rounds for x in r["runs"]],
        "cpu": tuple(sum(r["cpu"][i] for r in rounds) for i in range(2)),
        "machine": tuple(sum(r["machine"][i] for r in rounds) for i in range(2)),
        "spread": [r["spread"] for r in rounds],
        "elapsed": sum(r["elapsed"] for r in rounds),
        "idle_rss": max(r["idle_rss"] for r in rounds),
        "peaks": {pid: mb for r in rounds for pid, mb in r["peaks"].items()},
        "loadavg": [x for r in rounds for x in r["loadavg"]],
        "info": info,
        "lost": lost,
    }


def measure(mode: str, args) -> dict:
    """One server (``one``: a single process as `make run` serves it; ``serve``: `lsp serve
    --workers N`) on its own copy of the warehouse: idle, then under load, then values lost."""
    work, info = prepare(args.warehouse, OUT / mode)
    info["cost"] = commit_cost(work)
    print(
        f"[{mode}] serving a copy: {work} ({info['name']}); writers: "
        + ", ".join(f"{w.who} -> {w.theme} {w.period}" for w in info["writers"]),
        flush=True,
    )
    server = lsp_serve_server(work, args.workers) if mode == "serve" else _single(work)
    with server as (url, pids, proxy):
        result = asyncio.run(load(url, pids, proxy, work, info, args))
        peaks = {pid: max([memory_mb(pid)[1], *result["rss"].get(pid, [])]) for pid in pids}
    result["peaks"] = peaks
    result["info"] = info
    result["lost"] = values_lost(work, info["pid"], info["writers"])
    return result


@contextlib.contextmanager
def _single(work: Path):
    """One app process alone, started as `lsp serve` starts each of its own (serve.py, the
    same settings and environment), reached directly: what one process can do."""
    import subprocess

    from bench_pages import _free_port

    from analytics.server import workers

    port = _free_port()
    env, _ = workers.environment(dict(os.environ), work)
    process = subprocess.Popen(
        workers.command(port, workers.serve_script()), cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app process did not start ({process.poll()})")
            time.sleep(0.2)  # polling interval of a bounded wait
        yield url, [process.pid], []
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


MODES = {"one": "one app process", "serve": "`lsp serve`"}


def _p50(runs: list[Run]) -> float:
    return _pct([r.seconds * 1000 for r in runs], 50)


def comparison(results: dict, args) -> list[str]:
    """The two servers side by side, as ratios of the same run."""
    modes = list(results)
    names = [MODES[m] + (f" --workers {args.workers}" if m == "serve" else "") for m in modes]
    lines = [
        "| | " + " | ".join(names) + " | goal |",
        "|---|" + "---:|" * len(modes) + "---|",
    ]

    def row(label: str, values: list[str], goal: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(values) + f" | {goal} |")

    idle = {m: _p50(r["idle"]) for m, r in results.items()}
    busy = {m: _p50(r["runs"]) for m, r in results.items()}
    row("page p50 idle (ms)", [f"{idle[m]:,.0f}" for m in modes])
    row("page p50 under load (ms)", [f"{busy[m]:,.0f}" for m in modes])
    row(
        "page p95 under load (ms)",
        [f"{_pct([x.seconds * 1000 for x in results[m]['runs']], 95):,.0f}" for m in modes],
    )
    row("under load / idle, p50", [f"{busy[m] / idle[m]:.1f}x" for m in modes],
        "within 3x with --workers 2")  # fmt: skip
    if len(modes) == 2:
        row("one process / `lsp serve`, p50 under load",
            ["", f"{busy['one'] / busy['serve']:.1f}x"], "at least 2x")  # fmt: skip
    row("page views under load", [f"{len(results[m]['runs']):,}" for m in modes])
    row("server CPU a page view under load, app processes (+ proxy) (ms)",
        [f"{results[m]['cpu'][0] * 1000 / max(1, len(results[m]['runs'])):,.0f}"
         + (f" (+ {results[m]['cpu'][1] * 1000 / max(1, len(results[m]['runs'])):,.0f})"
            if m == "serve" else "") for m in modes])  # fmt: skip
    row("machine busy under load, all processes / of which the app processes (cores)",
        [f"{results[m]['machine'][0] / results[m]['machine'][1] * (os.cpu_count() or 1):.2f} / "
         f"{results[m]['cpu'][0] / results[m]['machine'][1] * (os.cpu_count() or 1):.2f}"
         for m in modes])  # fmt: skip
    row(
        "reader sessions on each app process, each round",
        ["; ".join("/".join(map(str, x)) for x in results[m]["spread"]) for m in modes],
    )
    row("page errors", [str(sum(len(x.errors) for x in results[m]["runs"] + results[m]["idle"]))
                        for m in modes], "0")  # fmt: skip
    failed = {m: sum(not d["ok"] for w in results[m]["info"]["writers"] for d in w.done)
              for m in modes}  # fmt: skip
    row("failed commits (app and `lsp import`)", [str(failed[m]) for m in modes], "0")
    row("values lost", [f"{results[m]['lost']['lost']} of {results[m]['lost']['checked']:,}"
                        for m in modes], "0")  # fmt: skip
    row(
        "load average: idle phase / load start / load end",
        [
            "; ".join(" / ".join(f"{x:.1f}" for x in triple) for triple in results[m]["loadavg"])
            for m in modes
        ],  # fmt: skip
    )
    row("server peak memory, largest process / all (MB)",
        [f"{max(results[m]['peaks'].values()):,.0f} / {sum(results[m]['peaks'].values()):,.0f}"
         for m in modes])  # fmt: skip
    return lines


def report(mode: str, result: dict, args) -> str:
    info, lost = result["info"], result["lost"]
    peak = max(result["peaks"].values())
    idle, runs = result["idle"], result["runs"]
    errors = [e for r in runs + idle for e in r.errors]
    app_writer, lsp_writer = info["writers"]
    lines = [
        f"**{MODES[mode]}**"
        + (f" with {args.workers} app processes" if mode == "serve" else "")
        + f": {args.readers} readers for {result['elapsed']:.0f} s in all"
        + (", nobody writing (`--no-writes`)." if args.no_writes else "."),
        "",
        "| what | result | goal |",
        "|---|---:|---|",
        f"| page views under load | {len(runs):,} | |",
        f"| page errors | {len(errors)} | 0 |",
        f"| commits in the app (Returns page, Chromium) | {sum(d['ok'] for d in app_writer.done)}"
        f" of {len(app_writer.done)} | all |",
        f"| `lsp import` runs | {sum(d['ok'] for d in lsp_writer.done)} of "
        f"{len(lsp_writer.done)} (waited for a turn: "
        f"{sum(d.get('waited', False) for d in lsp_writer.done)}) | all |",
        f"| values lost (of {lost['checked']:,} committed values checked) | {lost['lost']} | 0 |",
        f"| server peak memory (VmHWM), largest process | {peak:,.0f} MB (idle, all processes: "
        f"{result['idle_rss']:,.0f} MB) | < 500 MB |",
        "",
        "Page time, request to the page's data sent (ms; idle: one reader, nobody writing, "
        f"{args.idle} views of each page):",
        "",
        "| page | idle p50 | idle p95 | load p50 | load p95 | load views |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label in ("Overview", "Exceptions", "Trends", "Indicator", None):
        i = [r.seconds * 1000 for r in idle if label in (None, r.page)]
        u = [r.seconds * 1000 for r in runs if label in (None, r.page)]
        lines.append(
            f"| {label or 'all'} | {_pct(i, 50):,.0f} | {_pct(i, 95):,.0f} | "
            f"{_pct(u, 50):,.0f} | {_pct(u, 95):,.0f} | {len(u):,} |"
        )
    lines += ["", "Commit time under load (s):", "",
              "| writer | commits | p50 | p95 | max |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for label, writer in (("app: Commit pressed to \"Committed\" shown", app_writer),
                          ("`lsp import`, whole process", lsp_writer)):  # fmt: skip
        times = [d["seconds"] for d in writer.done if d["ok"]]
        lines.append(
            f"| {label} | {len(times)} | {_pct(times, 50):.2f} | {_pct(times, 95):.2f} | "
            f"{max(times, default=float('nan')):.2f} |"
        )
    cost = info["cost"]
    lines += [
        "",
        f"Cost of every commit beyond its own work, idle (median of {cost['repeat']}): a one-row "
        f"write through `writer()` {cost['commit_s'] * 1000:,.0f} ms, of which copying the file"
        f" to a new snapshot {cost['copy_s'] * 1000:,.0f} ms; a reader's first query on a new "
        f"snapshot {cost['first_read_s'] * 1000:,.0f} ms.",
    ]
    shown = sorted(set(errors))[:10]
    failed = [f"{d['file']}: {d['error']}" for w in (app_writer, lsp_writer) for d in w.done
              if not d["ok"]]  # fmt: skip
    if shown or failed or lost["problems"]:
        lines += ["", "Problems:", ""]
        lines += [f"- page error: {e[:200]}" for e in shown]
        lines += [f"- failed commit: {f[:300]}" for f in failed[:10]]
        lines += [f"- values: {p[:300]}" for p in lost["problems"][:10]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--servers", default="one,serve",
                        help="which servers, in order: one (a single process), serve "
                        "(`lsp serve`); default both")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="app processes of lsp serve")
    parser.add_argument("--readers", type=int, default=25)
    parser.add_argument("--duration", type=float, default=90,
                        help="seconds under load, each round")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds of every server, taking turns (default 2)")  # fmt: skip
    parser.add_argument("--commit-every", type=float, default=10, help="app commit, seconds")
    parser.add_argument("--import-every", type=float, default=20, help="lsp import, seconds")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between pages")
    parser.add_argument("--idle", type=int, default=5, help="idle views of each page")
    parser.add_argument("--no-writes", action="store_true", help="readers only (to compare)")
    parser.add_argument("--no-write", action="store_true", help="do not write results/load.md")
    args = parser.parse_args()
    modes = [m.strip() for m in args.servers.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        sys.exit(f"--servers: a comma-separated list of {', '.join(MODES)}")
    if not args.warehouse.exists():
        sys.exit(f"No warehouse at {args.warehouse} (`lsp init --demo`, or "
                 f"`.venv/bin/python benchmarks/national.py --out {args.warehouse}`)")  # fmt: skip
    # Rounds in the order A B, B A, A B, ...: a machine whose other load drifts during the run
    # weighs on both servers alike.
    rounds: dict[str, list[dict]] = {mode: [] for mode in modes}
    for n in range(args.rounds):
        for mode in modes if n % 2 == 0 else modes[::-1]:
            rounds[mode].append(measure(mode, args))
    results = {mode: merged(rounds[mode]) for mode in modes}
    info = results[modes[0]]["info"]
    command = (
        f"`.venv/bin/python benchmarks/bench_load.py --warehouse {args.warehouse} --servers "
        f"{','.join(modes)} --rounds {args.rounds} --workers {args.workers} --readers "
        f"{args.readers} --duration "
        f"{args.duration:g} --commit-every {args.commit_every:g} --import-every "
        f"{args.import_every:g} --think {args.think:g}"
        + (" --no-writes" if args.no_writes else "")
        + "`"
    )
    text = "\n".join(
        [
            f"Command: {command}  ",
            f"Run {datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores (shared with other "
            f"work), Python {platform.python_version()}; warehouse {args.warehouse.name} "
            f"({args.warehouse.stat().st_size / 2**20:,.0f} MB), partnership {info['name']}; the "
            f"servers taking turns, {args.rounds} rounds of {args.duration:g} s under load each "
            "(A B, B A, ...), each round on a fresh copy of the warehouse. Load averages are "
            "the machine's (1 minute): at the idle phase, and at the start and end of the load, "
            "for each round.",
            "",
            *comparison(results, args),
            "",
            *(report(mode, results[mode], args) for mode in modes),
        ]
    )
    print()
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        title = "# Many people at once: load test\n\n"
        previous = RESULTS.read_text() if RESULTS.exists() else ""
        sections = {s.split("\n", 1)[0]: s for s in previous.split("\n## ")[1:]}
        heading = args.warehouse.name + (", readers only" if args.no_writes else "")
        sections[heading] = f"{heading}\n\n{text}"
        RESULTS.write_text(title + "".join(f"## {s}\n" for s in sections.values()))


if __name__ == "__main__":
    main()
