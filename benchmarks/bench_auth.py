"""What signing in and the role check cost, on the demo and at national scale.

    .venv/bin/python benchmarks/national.py --out data/national.duckdb   # once
    .venv/bin/python benchmarks/bench_auth.py [--warehouse data/national.duckdb] [--repeat 5]

Sign-in lives in the accounts store (a SQLite file beside each warehouse here), so its cost
should not depend on the warehouse's size. On a copy of the demo warehouse (built afresh) and
a copy of the national one, taking turns so the machine's load falls on both alike:

(a) One sign-in, whole (read the account and the address's recent failures, one argon2id
    verify, one store transaction: the attempt, the session, the access log), median of
    ``--repeat``: goal, national within 1.25x of the demo. Beside it the argon2id verify alone.
(b) The four failures (an unknown address, a wrong password, a locked account, a disabled one)
    against each other: the same work, so the same time. And a throttled try (no verify, no
    write).
(c) What every page rerun adds once signed in (goal: under 5 ms): the session check served
    from memory (within ``sessions.RECHECK_AFTER`` of the last read; its last use written every
    ``sessions.TOUCH_INTERVAL``), the same check when it reads the store, and the
    role-filtered page list; median of ``--reruns``.
(d) The warehouse's data version before and after all of it: unchanged (no commit).
(e) The Overview page's warm run under AppTest on the national warehouse, with a stored
    session checked on every rerun and with the user set directly: median of ``--warm``.

Prints a markdown table and writes it to ``benchmarks/results/auth.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "auth.md"
PASSWORD = "bench-passphrase-for-timing"
GOAL_MS = 5.0
GOAL_RATIO = 1.25
BENCH = "bench@national.example"
LOCKED = "locked@national.example"
DISABLED = "disabled@national.example"


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def prepare(path: Path) -> None:
    """Three accounts: one to sign in, one locked, one disabled."""
    from analytics.access import cli_user, sessions, signin
    from analytics.warehouse import accounts

    for email in (BENCH, LOCKED, DISABLED):
        accounts.add_account(path, email, "Bench Officer", "officer", user=cli_user(),
                             password=PASSWORD)  # fmt: skip
    for _ in range(sessions.LOCK_AFTER_FAILURES):
        signin.sign_in(path, LOCKED, "wrong", client="192.0.2.250")
    accounts.set_disabled(path, DISABLED, user=cli_user())


def sign_in_times(paths: dict[str, Path], repeat: int) -> dict[str, dict[str, float]]:
    """Median ms of each kind of try on each warehouse, taking turns."""
    from analytics.access import signin

    tries = {
        "right password": (BENCH, PASSWORD),
        "unknown address": ("nobody@national.example", PASSWORD),
        "wrong password": (BENCH, "not the password"),
        "locked account": (LOCKED, PASSWORD),
        "disabled account": (DISABLED, PASSWORD),
    }
    samples: dict[str, dict[str, list[float]]] = {w: {k: [] for k in tries} for w in paths}
    for i in range(repeat):
        for kind, (email, password) in tries.items():
            for where, path in paths.items():
                client = f"198.51.100.{i % 200}"  # never near the throttle
                samples[where][kind].append(
                    _timed(
                        lambda p=path, e=email, pw=password, c=client: signin.sign_in(
                            p, e, pw, client=c
                        )
                    )  # fmt: skip
                )
    return {w: {k: _ms(v) for k, v in kinds.items()} for w, kinds in samples.items()}


def throttled_time(path: Path, repeat: int) -> float:
    from analytics.access import clients, signin

    os.environ[clients.FAILURES_ENV] = "3"
    try:
        for _ in range(3):
            signin.sign_in(path, "nobody@national.example", "x", client="203.0.113.250")
        return _ms([
            _timed(lambda: signin.sign_in(path, BENCH, PASSWORD, client="203.0.113.250"))
            for _ in range(repeat)
        ])  # fmt: skip
    finally:
        del os.environ[clients.FAILURES_ENV]


def rerun_times(path: Path, repeat: int) -> dict[str, float]:
    from analytics.access import sessions, signin
    from analytics.warehouse import queries
    from ui.navigation import PAGES, page_allowed, pages_for

    result = signin.sign_in(path, BENCH, PASSWORD)
    digest = sessions.token_hash(result.token)
    pid = int(queries.partnerships(path)["partnership_id"].iloc[0])
    memory, store, pages = [], [], []
    start = datetime.now()
    for i in range(repeat):
        due = start + sessions.RECHECK_AFTER * 2 * i  # past RECHECK_AFTER: reads the store
        t = time.perf_counter()
        state = signin.session_state(path, digest, due)
        store.append(time.perf_counter() - t)
        now = due + timedelta(seconds=1)  # the next rerun, within RECHECK_AFTER: from memory
        t = time.perf_counter()
        state = signin.session_state(path, digest, now)
        signin.seen_session(path, digest, state, now)  # written every TOUCH_INTERVAL
        memory.append(time.perf_counter() - t)
        assert state.active
        t = time.perf_counter()
        allowed = pages_for(result.user, pid)
        [page_allowed(result.user, spec, pid) for spec in PAGES]
        pages.append(time.perf_counter() - t)
        assert allowed
    return {"memory": _ms(memory), "store": _ms(store), "pages": _ms(pages)}


def page_times(path: Path, warm: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from analytics.access import sessions, signin

    result = signin.sign_in(path, BENCH, PASSWORD)
    out = {}
    for label, with_session in (("user only", False), ("session checked", True)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["user"] = result.user
        if with_session:
            at.session_state["session_sha256"] = sessions.token_hash(result.token)
        at.run()
        at.switch_page("pages/overview.py").run()
        assert not at.exception, at.exception
        samples = [_timed(at.run) for _ in range(warm)]
        assert not at.exception and at.title[0].value == "Overview"
        out[label] = _ms(samples)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "national.duckdb")
    parser.add_argument("--repeat", type=int, default=5, help="sign-ins of each kind")
    parser.add_argument("--reruns", type=int, default=200)
    parser.add_argument("--warm", type=int, default=5)
    args = parser.parse_args()
    if not args.warehouse.exists():
        print(f"No {args.warehouse}: build it with benchmarks/national.py first.")
        return 1
    from analytics.access import passwords, sessions
    from analytics.demo.build import build_demo
    from analytics.warehouse.connection import ENV_VAR, close_readers, data_version

    scratch = Path(tempfile.mkdtemp(prefix="lsp-bench-auth-"))
    paths = {"demo": scratch / "demo" / "warehouse.duckdb",
             "national": scratch / "national" / "national.duckdb"}  # fmt: skip
    build_demo(paths["demo"])
    paths["national"].parent.mkdir()
    shutil.copyfile(args.warehouse, paths["national"])  # the accounts go in a copy
    close_readers()
    sizes = {w: p.stat().st_size / 1e6 for w, p in paths.items()}
    for path in paths.values():
        prepare(path)
    versions = {w: data_version(p) for w, p in paths.items()}
    stored = passwords.hash_password(PASSWORD)
    verify = _ms([_timed(lambda: passwords.verify_password(stored, PASSWORD))
                  for _ in range(max(5, args.repeat))])  # fmt: skip
    tries = sign_in_times(paths, args.repeat)
    throttled = throttled_time(paths["national"], args.repeat)
    rerun = rerun_times(paths["national"], args.reruns)
    unchanged = all(data_version(p) == versions[w] for w, p in paths.items())
    os.environ[ENV_VAR] = str(paths["national"])
    pages = page_times(paths["national"], args.warm)
    ratio = tries["national"]["right password"] / tries["demo"]["right password"]
    wrong = tries["national"]["wrong password"]
    added = rerun["memory"] + rerun["pages"]
    rows = [("argon2id verify alone (one password check)", verify, verify, "")]
    for kind in tries["demo"]:
        demo_ms, national_ms = tries["demo"][kind], tries["national"][kind]
        if kind == "right password":
            note = f"national/demo {ratio:.2f}x"
        else:
            note = f"national: {national_ms / wrong:.2f}x a wrong password"
        rows.append((f"one sign-in, {kind}", demo_ms, national_ms, note))
    recheck = f"once per {sessions.RECHECK_AFTER.total_seconds():g} s per session"
    rows += [
        ("a throttled try (no check, no write)", None, throttled, ""),
        ("per rerun: session check from memory", None, rerun["memory"], ""),
        ("per rerun: session check when due (reads the store)", None, rerun["store"], recheck),
        ("per rerun: role-filtered page list (pages_for + page_allowed)", None, rerun["pages"],
         ""),
        (f"per rerun: total added (goal < {GOAL_MS:g} ms)", None, added, ""),
        ("Overview warm run, user set directly (AppTest)", None, pages["user only"], ""),
        ("Overview warm run, stored session checked every rerun (AppTest)", None,
         pages["session checked"], ""),
    ]  # fmt: skip

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:,.2f}"

    table = "\n".join(
        ["| What | Demo (ms) | National (ms) | Note |", "|---|---:|---:|---|",
         *(f"| {w} | {cell(d)} | {cell(n)} | {note} |" for w, d, n, note in rows)]
    )  # fmt: skip
    load = os.getloadavg()[0]
    text = (
        f"# Sign-in and role check\n\nRun {datetime.now():%Y-%m-%d %H:%M} on {platform.node()} "
        f"({os.cpu_count()} cores, load average {load:.1f}); demo warehouse "
        f"{sizes['demo']:.0f} MB, national {sizes['national']:.0f} MB ({args.warehouse.name}); "
        f"accounts in a SQLite store beside each; median of {args.repeat} sign-ins of each kind, "
        f"taking turns; `.venv/bin/python benchmarks/bench_auth.py --repeat {args.repeat}`.\n\n"
        f"{table}\n\n"
        f"Sign-in, national against demo: {ratio:.2f}x "
        f"({'within' if ratio <= GOAL_RATIO else 'OVER'} the {GOAL_RATIO:g}x goal). "
        f"Added per rerun: {added:.2f} ms ({'within' if added < GOAL_MS else 'OVER'} the "
        f"{GOAL_MS:g} ms goal). Warehouse data version unchanged by every sign-in, failure, "
        f"lock-out and session check: {'yes' if unchanged else 'NO'}.\n"
    )
    RESULTS.write_text(text)
    print(text)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
