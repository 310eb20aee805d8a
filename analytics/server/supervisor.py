"""Start the app processes and the proxy, keep them running, stop them all.

The supervisor runs in the main thread of ``lsp serve`` and has no other thread:

- **start**: the app processes first (each on a free loopback port, kept for its restarts),
  then, once every one answers ``/_stcore/health``, Caddy in front; then it says where the app
  is (``ready on http://...``).
- **watch**: every :attr:`ServeOptions.check_every_s` it looks at each child. One that has
  exited is started again (at once the first time; after a pause growing to 30 s when it keeps
  dying young). An app process that has answered before but has not answered for
  :attr:`ServeOptions.unhealthy_after_s` is stopped and started again. Meanwhile Caddy's own
  health checks keep it out of rotation and its browsers go to another process.
- **stop**: on SIGTERM, SIGINT (Ctrl-C) or SIGHUP: Caddy first (no new requests), then the
  app processes, each asked to stop (SIGTERM) and killed after :attr:`ServeOptions.grace_s`.

Each child runs in a process group of its own (a terminal's Ctrl-C reaches only the
supervisor, which stops them in order) and is asked by the kernel to stop when the
supervisor dies (``PR_SET_PDEATHSIG``), so even ``kill -9`` of ``lsp serve`` leaves no orphan.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analytics.server import proxy, workers

_PR_SET_PDEATHSIG = 1
_STEP_S = 0.2  # how often the loop looks for a signal or an exited child
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class ServeError(RuntimeError):
    """The server could not start; the message says why and what to do."""


def default_workers() -> int:
    """One app process per core this process may use, at least 2."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(2, cores)


@dataclass
class ServeOptions:
    warehouse: Path
    workers: int
    host: str = "127.0.0.1"
    port: int = 8501
    caddyfile: Path | None = None  # None: our own (plain HTTP on host:port)
    check_every_s: float = 2.0
    unhealthy_after_s: float = 30.0
    start_timeout_s: float = 120.0
    grace_s: float = 10.0


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _healthy(port: int, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout_s
        ) as response:
            return response.status == 200
    except OSError:
        return False


_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None


def _ends_with_parent() -> None:
    """Run in the child before it execs: stop when the supervisor dies."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    """One process the supervisor keeps running: an app process, or the proxy."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path,
                 port: int | None = None, quiet: bool = False) -> None:  # fmt: skip
        self.name, self.argv, self.env, self.cwd, self.port = name, argv, env, cwd, port
        self.quiet = quiet  # standard output dropped (Streamlit's banner names its own port)
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.quick_deaths = 0  # exits within a minute of starting, in a row
        self.answered = False  # has answered its health check since it was started
        self.silent_since: float | None = None
        self.next_start = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, env=self.env, cwd=self.cwd, process_group=0,
            preexec_fn=_ends_with_parent, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if self.quiet else None,
        )  # fmt: skip
        self.started_at = time.monotonic()
        self.answered = False
        self.silent_since = None

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def ask_to_stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()


class Supervisor:
    def __init__(self, options: ServeOptions, say: Callable[[str], None]) -> None:
        self.options = options
        self._say = say
        self.stopping: int | None = None  # the signal that asked us to stop
        self.children: list[Child] = []
        self.proxy: Child | None = None

    def say(self, text: str) -> None:
        self._say(f"lsp serve: {text}")

    # --- signals ----------------------------------------------------------------------------

    def _on_signal(self, signum, _frame) -> None:
        if self.stopping is None:
            self.stopping = signum

    def _sleep(self, seconds: float) -> None:
        """Wait up to ``seconds``, in short steps, ending early when asked to stop."""
        end = time.monotonic() + seconds
        while self.stopping is None and time.monotonic() < end:
            time.sleep(min(_STEP_S, max(0.0, end - time.monotonic())))

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> int:
        options = self.options
        caddy = proxy.caddy_binary()
        caddyfile = options.caddyfile or proxy.DEFAULT_CADDYFILE
        if options.caddyfile is None and _port_taken(options.host, options.port):
            raise ServeError(
                f"{options.host}:{options.port} is already in use (another `lsp serve` or "
                "`make run`?). Stop it, or choose another with --port."
            )
        script = workers.serve_script()
        ports = _free_ports(options.workers)
        app_env, secret_source = workers.environment(dict(os.environ), options.warehouse)
        with tempfile.TemporaryDirectory(prefix="lsp-serve-") as run_dir:
            proxy_env = proxy.environment(
                dict(os.environ), host=options.host, port=options.port, ports=ports,
                run_dir=Path(run_dir), own_caddyfile=options.caddyfile is not None,
            )  # fmt: skip
            proxy.validate(caddy, caddyfile, proxy_env)
            previous = {s: signal.signal(s, self._on_signal) for s in _STOP_SIGNALS}
            try:
                self.children = [
                    Child(
                        f"app process {n}",
                        workers.command(port, script),
                        app_env,
                        script.parent,
                        port,
                        quiet=True,
                    )  # fmt: skip
                    for n, port in enumerate(ports, start=1)
                ]
                self.say(
                    f"serving {options.warehouse} with {options.workers} app processes "
                    f"behind Caddy {proxy.caddy_version(caddy)}; Streamlit's cookie secret "
                    f"{secret_source}."
                )
                for child in self.children:
                    self._start(child)
                self._wait_until_answering()
                if self.stopping is None:
                    self.proxy = Child("proxy", proxy.command(caddy, caddyfile), proxy_env,
                                       Path(run_dir))  # fmt: skip
                    self._start(self.proxy)
                    self._wait_for_proxy()
                if self.stopping is None:
                    where = (
                        f"http://{options.host}:{options.port}"
                        if options.caddyfile is None
                        else f"the addresses {caddyfile} names"
                    )
                    self.say(f"ready on {where}. Ctrl-C (or SIGTERM) stops it all.")
                    self._watch()
            finally:
                self._stop_all()
                for signum, handler in previous.items():
                    signal.signal(signum, handler)
        self.say(f"stopped ({signal.Signals(self.stopping).name if self.stopping else 'done'}).")
        return 0

    def _start(self, child: Child) -> None:
        child.start()
        where = f" on 127.0.0.1:{child.port}" if child.port else ""
        again = f" (restart {child.restarts})" if child.restarts else ""
        self.say(f"{child.name} is process {child.pid}{where}{again}.")

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + self.options.start_timeout_s
        waiting = list(self.children)
        while waiting and self.stopping is None:
            for child in list(waiting):
                code = child.exited()
                if code is not None:
                    raise ServeError(
                        f"{child.name} stopped as it started (exit status {code}); its "
                        "message is above. Nothing is served."
                    )
                if _healthy(child.port):
                    child.answered = True
                    waiting.remove(child)
            if waiting and time.monotonic() > deadline:
                raise ServeError(
                    f"{', '.join(c.name for c in waiting)} did not answer within "
                    f"{self.options.start_timeout_s:g} s; nothing is served."
                )
            self._sleep(0.25)

    def _wait_for_proxy(self) -> None:
        deadline = time.monotonic() + self.options.start_timeout_s
        host = self.options.host if self.options.host not in ("0.0.0.0", "::") else "127.0.0.1"
        while self.stopping is None:
            code = self.proxy.exited()
            if code is not None:
                raise ServeError(
                    f"Caddy stopped as it started (exit status {code}); its message is above."
                )
            if self.options.caddyfile is not None or _proxy_answers(host, self.options.port):
                return
            if time.monotonic() > deadline:
                raise ServeError("Caddy did not answer; nothing is served.")
            self._sleep(0.25)

    def _watch(self) -> None:
        every = self.options.check_every_s
        next_check = time.monotonic() + every
        while self.stopping is None:
            now = time.monotonic()
            for child in [*self.children, self.proxy]:
                self._revive_if_exited(child, now)
            if now >= next_check:
                next_check = now + every
                for child in self.children:
                    self._check_health(child, now)
            self._sleep(_STEP_S)

    def _revive_if_exited(self, child: Child, now: float) -> None:
        code = child.exited()
        if code is None:
            return
        if child.next_start == 0.0:  # just found dead: say so, and when it starts again
            young = now - child.started_at < 60
            child.quick_deaths = child.quick_deaths + 1 if young else 0
            pause = 0.0 if child.quick_deaths <= 1 else min(30.0, 2.0**child.quick_deaths)
            child.next_start = now + pause
            status = f"signal {signal.Signals(-code).name}" if code < 0 else f"status {code}"
            self.say(
                f"{child.name} (process {child.pid}) exited with {status}; starting it again"
                + (f" in {pause:g} s." if pause else ".")
            )
        if now >= child.next_start:
            child.next_start = 0.0
            child.restarts += 1
            self._start(child)

    def _check_health(self, child: Child, now: float) -> None:
        if child.exited() is not None:
            return
        if _healthy(child.port):
            child.answered, child.silent_since = True, None
            return
        if not child.answered:
            if now - child.started_at > self.options.start_timeout_s:
                self.say(f"{child.name} did not answer after starting; stopping it to start again.")
                self._restart_stuck(child)
            return
        child.silent_since = child.silent_since or now
        if now - child.silent_since >= self.options.unhealthy_after_s:
            self.say(
                f"{child.name} (process {child.pid}) has not answered for "
                f"{now - child.silent_since:.0f} s; stopping it to start it again."
            )
            self._restart_stuck(child)

    def _restart_stuck(self, child: Child) -> None:
        _stop([child], self.options.grace_s)
        child.next_start = time.monotonic()  # started again by the next look, without a pause

    def _stop_all(self) -> None:
        if self.proxy is not None:
            _stop([self.proxy], self.options.grace_s)
        _stop(self.children, self.options.grace_s)


def _proxy_answers(host: str, port: int) -> bool:
    target = f"[{host}]" if ":" in host else host
    try:
        with urllib.request.urlopen(f"http://{target}:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _stop(children: list[Child], grace_s: float) -> None:
    """Ask each to stop; kill whichever has not after ``grace_s``; reap them all."""
    for child in children:
        child.ask_to_stop()
    deadline = time.monotonic() + grace_s
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.process.wait()


def serve(options: ServeOptions, say: Callable[[str], None] = print) -> int:
    """Run the server until a signal stops it; the exit status."""
    if options.workers < 1:
        raise ServeError("--workers must be at least 1.")
    return Supervisor(options, say).run()
