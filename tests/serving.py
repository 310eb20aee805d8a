"""`lsp serve` for the tests: started on free loopback ports, its lines read as they come,
its app processes found by what it says, and every process it started found in /proc.

Waits are bounded and end on what the server says or does, never on a fixed sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AFFINITY_SECRET = "tests-affinity-secret"  # so a test can tell which process a cookie names
STARTED = re.compile(r"app process (\d+) is process (\d+) on 127\.0\.0\.1:(\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `lsp serve`: its lines so far, its URL, its app processes."""

    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, timeout_s: float = 180, after: int = 0) -> re.Match:
        """The first line (from line ``after`` on) matching ``pattern``, waiting for it."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for line in self.lines[after:]:
                    found = regex.search(line)
                    if found:
                        return found
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"lsp serve ended before {pattern!r}:\n{self.text()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no line {pattern!r} within {timeout_s} s:\n{self.text()}")
                self._changed.wait(remaining)

    def text(self) -> str:
        return "\n".join(self.lines)

    def app_processes(self) -> dict[int, tuple[int, int]]:
        """App process number -> (pid, port), as last said."""
        found = {}
        for line in self.lines:
            m = STARTED.search(line)
            if m:
                found[int(m[1])] = (int(m[2]), int(m[3]))
        return found

    def number_for_cookie(self, cookie_value: str) -> int:
        """Which app process an affinity cookie (``lsp_worker``) keeps a browser on."""
        for number, (_pid, port) in self.app_processes().items():
            digest = hmac.new(
                AFFINITY_SECRET.encode(), f"127.0.0.1:{port}".encode(), hashlib.sha256
            ).hexdigest()
            if digest == cookie_value:
                return number
        raise AssertionError(f"no app process has the affinity cookie {cookie_value}")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_gone(pids: set[int], timeout_s: float = 60) -> set[int]:
    """The processes of ``pids`` still running after waiting up to ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = {pid for pid in pids if alive(pid)}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)  # polling interval of a bounded wait


@contextmanager
def lsp_serve(warehouse: Path, workers: int = 2, env: dict | None = None):
    """`lsp serve --workers N` on a free port serving ``warehouse``, ready; stopped after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "--warehouse", str(warehouse), "serve",
         "--workers", str(workers), "--port", str(port)],
        cwd=ROOT, env={**os.environ, "LSP_AFFINITY_SECRET": AFFINITY_SECRET, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    served = Served(process, port)
    try:
        served.wait_for(r"lsp serve: ready on ")
        yield served
    finally:
        if process.poll() is None:
            everything = descendants(process.pid)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for pid in wait_until_gone(everything, 30):
                os.kill(pid, signal.SIGKILL)
