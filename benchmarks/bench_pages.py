"""Time every page against the national-scale warehouse: server side, and in a real browser.

    .venv/bin/python benchmarks/national.py --out data/national.duckdb   # once, ~20 s
    .venv/bin/python benchmarks/bench_pages.py [--warehouse data/national.duckdb] [--warm 10]

(a) Server side: each page run with ``streamlit.testing.v1.AppTest`` (the partnership the
    sidebar picks, the latest period): the first run of the page in this process (cold: its
    queries miss ``st.cache_data``) and the median of ``--warm`` reruns (warm: cached).
(b) Browser: ``streamlit run app.py`` on a free loopback port against the warehouse, and in the
    same run a second server with a one-line page (``st.write("hello")``) and two bare pages of
    one three-point chart: ``st.plotly_chart`` (Streamlit's floor) and the app's own chart
    (``ui.plotly_component``, our floor). Headless Chromium (Debian's, through Playwright) times
    ``page.goto`` to: the one-line page's text; the Overview's status summary (its tiles) and
    its status chart drawn; the NI 191 trend chart drawn on ``/indicator?indicator=NI%20191``;
    each bare chart drawn. Each server is warmed by one navigation first; each sample is a
    fresh browser context (a first visit), then a new tab in a kept context (a returning
    visitor); median of ``--samples``.
(c) The app server's resident memory after the browser runs (and its peak), from /proc.

Prints a markdown table and writes it to ``benchmarks/results/pages.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "pages.md"
COMMAND = ".venv/bin/python benchmarks/bench_pages.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TREND_CODE = "NI 191"
PAGES = [
    ("Overview", "pages/overview.py", {}),
    ("Exceptions", "pages/exceptions.py", {}),
    ("Trends", "pages/trends.py", {}),
    ("Theme group", "pages/theme.py", {}),
    ("Indicator (NI 191)", "pages/indicator.py", {"indicator": TREND_CODE}),
    ("Actions", "pages/actions.py", {}),
    ("Returns", "pages/returns.py", {}),
    ("Framework", "pages/framework.py", {}),
]
SERVER_TARGET_MS = 150
OVERVIEW_RATIO, TREND_RATIO, MEMORY_TARGET_MB = 1.5, 2.5, 400


# --- (a) server side ---------------------------------------------------------------------------


def _state(at, key: str):
    return at.session_state[key] if key in at.session_state else None  # noqa: SIM401


def server_side(warehouse: Path, warm: int) -> list[dict]:
    from streamlit.testing.v1 import AppTest

    from analytics.warehouse.connection import ENV_VAR, close_readers

    os.environ[ENV_VAR] = str(warehouse)
    close_readers()
    # Streamlit and the app's modules imported once, so "cold" is the page's own work.
    boot = AppTest.from_string('import streamlit as st\nst.write("hello")', default_timeout=60)
    boot.run()
    import analytics.charts  # noqa: F401
    import analytics.present  # noqa: F401

    rows = []
    for label, script, params in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["user"] = _bench_user()  # signed in (see benchmarks/bench_auth.py)
        for key, value in params.items():
            at.query_params[key] = value
        if script != PAGES[0][1]:
            at.run()  # the default page (already measured), then the page itself
            at.switch_page(script)
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
        rows.append(
            {
                "page": label,
                "cold_ms": cold,
                "warm_ms": statistics.median(times),
                "warm_max_ms": max(times),
                "title": at.title[0].value if len(at.title) else "",
                "error": errors[0].splitlines()[0][:120] if errors else "",
                "partnership": _state(at, "partnership_id"),
                "period": _state(at, "period"),
            }
        )
        print(
            f"  {label:<22} cold {cold:8.0f} ms   warm {rows[-1]['warm_ms']:6.0f} ms"
            + (f"   ERROR {rows[-1]['error']}" if errors else ""),
            flush=True,
        )
    return rows


# --- (b) browser -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(script: Path, cwd: Path, env: dict):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"streamlit did not answer at {url}") from None
            time.sleep(0.2)  # polling interval of a bounded wait
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process, in MB, from /proc/<pid>/status."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def _bench_user():
    from analytics.access import Grant, User

    return User("bench@national.example", "Benchmark officer", (Grant("officer"),))


_SESSION: dict[str, str] = {}


def bench_session(warehouse: Path) -> str:
    """A signed-in session for the browser runs (an officer account added once to the
    national warehouse, before any server opens it): its cookie's token."""
    from analytics.access import cli_user, signin
    from analytics.warehouse import accounts
    from analytics.warehouse.connection import close_readers

    password = "bench-passphrase-for-timing"
    accounts.store_for(warehouse)
    if accounts.find_account(warehouse, "bench@national.example") is None:
        accounts.add_account(warehouse, "bench@national.example", "Benchmark officer",
                             "officer", user=cli_user(), password=password)  # fmt: skip
    token = signin.sign_in(warehouse, "bench@national.example", password).token
    close_readers()
    return token


def _context(browser, url: str):
    """A browser context signed in by the benchmark session's cookie."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if _SESSION:
        context.add_cookies([{"name": "lsp_session", "value": _SESSION["token"],
                              "url": url.split("/indicator")[0]}])  # fmt: skip
    return context


def _timed(browser, url: str, selectors: list[str], context=None) -> list[float]:
    """Seconds from ``goto`` to each selector visible, in a new tab: of a fresh context (a
    first visit: nothing cached) unless ``context`` is given (a returning visitor: the
    browser's cache of the app's scripts kept, as for a Board member who has been before)."""
    own = context is None
    context = _context(browser, url) if own else context
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        out = []
        for selector in selectors:
            page.locator(selector).first.wait_for(state="visible")
            out.append(time.perf_counter() - started)
        return out
    finally:
        page.close()
        if own:
            context.close()


def browser_runs(warehouse: Path, samples: int) -> dict:
    from playwright.sync_api import sync_playwright

    hello_text = "hello from a one-line page"
    # the Overview's status summary: one tile per status, its count an h2 (st.header)
    summary = "[data-testid='stMain'] [data-testid='stHeading'] h2"
    # the app's charts (ui/plotly_component.py: plotly.js's basic bundle in a component)
    trend = ".lsp-plotly-chart svg.main-svg .scatterlayer .trace"
    bars = ".lsp-plotly-chart svg.main-svg .barlayer .trace"  # the Overview's bars
    plotly_chart = "[data-testid='stPlotlyChart'] svg.main-svg .scatterlayer .trace"  # the floor
    trend_url = "/indicator?indicator=" + TREND_CODE.replace(" ", "%20")
    _SESSION["token"] = bench_session(warehouse)
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(f'import streamlit as st; st.write("{hello_text}")\n')
        # the floor st.plotly_chart itself sets: a bare page of one three-point chart
        bare = Path(tmp) / "bare_chart.py"
        bare.write_text(
            "import plotly.graph_objects as go, streamlit as st\n"
            "st.plotly_chart(go.Figure(go.Scatter(y=[1, 3, 2])))\n"
        )
        # and the floor of the app's own chart: the same three points drawn by
        # ui.plotly_component, its bundle served from static/ beside the script as the app's is
        ours = Path(tmp) / "bare_ours.py"
        ours.write_text(
            f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "import plotly.graph_objects as go\n"
            "from ui.plotly_component import plotly_chart\n"
            "plotly_chart(go.Figure(go.Scatter(y=[1, 3, 2])), alt='Three points', key='bare')\n"
        )
        (Path(tmp) / "static").symlink_to(ROOT / "static")
        static = {"STREAMLIT_SERVER_ENABLE_STATIC_SERVING": "true"}
        env = {"LSP_WAREHOUSE": str(warehouse.resolve())}
        with (
            streamlit_server(ROOT / "app.py", ROOT, env) as (app_url, app_pid),
            streamlit_server(hello, Path(tmp), {}) as (hello_url, _),
            streamlit_server(bare, Path(tmp), {}) as (bare_url, _),
            streamlit_server(ours, Path(tmp), static) as (ours_url, _),
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            hello_sel = f"text={hello_text}"
            cases = {
                "hello": (hello_url, [hello_sel]),
                "overview": (app_url, [summary, bars]),
                "trend": (app_url + trend_url, [trend]),
                "bare_chart": (bare_url, [plotly_chart]),
                "bare_ours": (ours_url, [trend]),
            }
            for url, selectors in cases.values():  # warm each server and its caches
                _timed(browser, url, selectors)
            results = {"hello": [], "overview_summary": [], "overview_chart": [], "trend": [],
                       "bare_chart": [], "bare_ours": []}  # fmt: skip
            for _ in range(samples):  # interleaved, so drift hits every case alike
                results["hello"] += _timed(browser, *cases["hello"])
                m, c = _timed(browser, *cases["overview"])
                results["overview_summary"].append(m)
                results["overview_chart"].append(c)
                results["trend"] += _timed(browser, *cases["trend"])
                results["bare_chart"] += _timed(browser, *cases["bare_chart"])
                results["bare_ours"] += _timed(browser, *cases["bare_ours"])
            # returning visitors: one context per case, its cache warmed by a first visit
            returning = {"hello": [], "trend": [], "bare_chart": [], "bare_ours": []}
            kept = {name: _context(browser, cases[name][0]) for name in returning}
            for name, context in kept.items():
                _timed(browser, *cases[name], context=context)
            for _ in range(samples):
                for name, context in kept.items():
                    returning[name] += _timed(browser, *cases[name], context=context)
            for context in kept.values():
                context.close()
            browser.close()
            rss, peak = memory_mb(app_pid)
    medians = {k: statistics.median(v) * 1000 for k, v in results.items()}
    medians.update({f"returning_{k}": statistics.median(v) * 1000 for k, v in returning.items()})
    return {"median_ms": medians, "samples": results, "rss_mb": rss, "peak_rss_mb": peak}


# --- report ------------------------------------------------------------------------------------


def _ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def report(warehouse: Path, server: list[dict], browser: dict | None, args) -> str:
    from analytics.warehouse.connection import reader

    con = reader(warehouse)
    try:
        n_actual, n_status, n_part = con.execute(
            "SELECT (SELECT count(*) FROM actual), (SELECT count(*) FROM indicator_status),"
            " (SELECT count(DISTINCT partnership_id) FROM indicator)"
        ).fetchall()[0]
    finally:
        con.close()
    first = server[0] if server else {}
    lines = [
        f"Command: `{COMMAND} --warehouse {args.warehouse} --warm {args.warm} "
        f"--samples {args.samples}`  ",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; warehouse {warehouse.name}: {n_part} partnerships with "
        f"a framework, {n_actual:,} values, {n_status:,} stored statuses; partnership id "
        f"{first.get('partnership')}, period {first.get('period')}. Load average at the "
        f"end {os.getloadavg()[0]:.1f} (other work on the machine slows the browser most).",
        "",
        f"Server side (AppTest; warm = median of {args.warm} reruns; target under "
        f"{SERVER_TARGET_MS} ms warm):",
        "",
        "| page | cold (ms) | warm (ms) | under target |",
        "|---|---:|---:|---|",
    ]
    for row in server:
        note = f" (error: {row['error']})" if row["error"] else ""
        lines.append(
            f"| {row['page']}{note} | {row['cold_ms']:,.0f} | {row['warm_ms']:,.0f} | "
            f"{_ok(row['warm_ms'] < SERVER_TARGET_MS and not row['error'])} |"
        )
    if browser:
        med = browser["median_ms"]
        hello = med["hello"]
        lines += [
            "",
            f"Browser (headless Chromium, `page.goto` to visible, fresh context each time, "
            f"warm servers, median of {args.samples}):",
            "",
            "| what shows | ms | x one-line page | target |",
            "|---|---:|---:|---|",
            f"| one-line page: its text | {hello:,.0f} | 1.00 | |",
            f"| Overview: status summary | {med['overview_summary']:,.0f} | "
            f"{med['overview_summary'] / hello:.2f} | within {OVERVIEW_RATIO}x: "
            f"{_ok(med['overview_summary'] / hello <= OVERVIEW_RATIO)} |",
            f"| Overview: status bars drawn | {med['overview_chart']:,.0f} | "
            f"{med['overview_chart'] / hello:.2f} | |",
            f"| Indicator {TREND_CODE}: trend chart drawn | {med['trend']:,.0f} | "
            f"{med['trend'] / hello:.2f} | within {TREND_RATIO}x: "
            f"{_ok(med['trend'] / hello <= TREND_RATIO)} |",
            f"| a bare page of one three-point `st.plotly_chart`: drawn | "
            f"{med['bare_chart']:,.0f} | {med['bare_chart'] / hello:.2f} | (Streamlit's floor) |",
            f"| a bare page of the same three points in our chart: drawn | "
            f"{med['bare_ours']:,.0f} | {med['bare_ours'] / hello:.2f} | (our floor) |",
            "",
            "A returning visitor (the browser's cache kept: a new tab in the same context, after "
            "one visit; the app's scripts, plotly.js among them, come from the cache, or are "
            "revalidated):",
            "",
            "| what shows | ms | x one-line page | target |",
            "|---|---:|---:|---|",
            f"| one-line page: its text | {med['returning_hello']:,.0f} | 1.00 | |",
            f"| Indicator {TREND_CODE}: trend chart drawn | {med['returning_trend']:,.0f} | "
            f"{med['returning_trend'] / med['returning_hello']:.2f} | within {TREND_RATIO}x: "
            f"{_ok(med['returning_trend'] / med['returning_hello'] <= TREND_RATIO)} |",
            f"| a bare page of one three-point `st.plotly_chart`: drawn | "
            f"{med['returning_bare_chart']:,.0f} | "
            f"{med['returning_bare_chart'] / med['returning_hello']:.2f} | (Streamlit's floor) |",
            f"| a bare page of the same three points in our chart: drawn | "
            f"{med['returning_bare_ours']:,.0f} | "
            f"{med['returning_bare_ours'] / med['returning_hello']:.2f} | (our floor) |",
            "",
            f"App server memory after the browser runs: {browser['rss_mb']:,.0f} MB resident "
            f"(peak {browser['peak_rss_mb']:,.0f} MB); target under {MEMORY_TARGET_MB} MB: "
            f"{_ok(browser['peak_rss_mb'] < MEMORY_TARGET_MB)}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/national.duckdb"))
    parser.add_argument("--warm", type=int, default=10, help="warm reruns per page")
    parser.add_argument("--samples", type=int, default=9, help="browser samples per case")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write results/pages.md")
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(
            f"No warehouse at {args.warehouse}: build it with "
            f"`.venv/bin/python benchmarks/national.py --out {args.warehouse}`"
        )
    print("Server side (AppTest):", flush=True)
    server = server_side(args.warehouse, args.warm)
    browser = None
    if not args.no_browser:
        print("Browser (headless Chromium):", flush=True)
        from analytics.warehouse.connection import close_readers

        close_readers()
        browser = browser_runs(args.warehouse, args.samples)
        for key, value in browser["median_ms"].items():
            print(f"  {key:<22} {value:8.0f} ms")
    text = report(args.warehouse, server, browser, args)
    print()
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("# Pages at national scale\n\n" + text)


if __name__ == "__main__":
    main()
