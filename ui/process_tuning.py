"""How an app process shares its one interpreter among many sessions (serve.py applies it).

Streamlit runs every session's script in a thread of one process, so under load a page waits
for the interpreter behind the other sessions' reruns and behind the event loop that sends
their messages. Measured under load (benchmarks/bench_load.py, docs/benchmarks.md), three things
made those waits longer than the work itself:

- **A wake-up for every message.** Each element a script draws is handed to the event loop
  with ``call_soon_threadsafe``, which writes a byte to the loop's self-pipe: a system call
  that gives up the interpreter, which another session's script then holds for up to the
  switch interval before this one gets it back. An Exceptions page sends 700 messages; a
  fifth of a script's time was in that write, idle. The loop only needs waking once until it
  has read the self-pipe, so further writes are skipped until it has (:func:`coalesce_wakeups`).
- **Streamlit's config lock.** ``config.get_option`` takes a process-wide lock, and it is
  called for every message a page sends (``forward_msg_cache``) and for most elements. A thread
  that loses the interpreter while it holds that lock (the 5 ms switch interval) makes every
  other session queue behind it. An app process never changes its options once they are parsed
  (no file watcher, no config reload: ``analytics.server.workers``), so they are read without
  the lock; until they are parsed, and for a key Streamlit does not know, the original answers.
- **The switch interval** (how long a thread may hold the interpreter while another waits)
  stays Python's 5 ms unless ``LSP_SWITCH_INTERVAL_MS`` says otherwise. A shorter one let the
  event loop in sooner (0.5 ms: readers' page median 794 to 527 ms), but both full load runs
  with it (1 ms, and 0.5 ms in an earlier round) lost the officer's sign-in in a browser under
  load (the page came back to the sign-in form), which no run at 5 ms has done; until that is
  understood it is not the default.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

TUNING_ENV = "LSP_PROCESS_TUNING"  # "off": Streamlit's own behaviour (to compare)
SWITCH_INTERVAL_ENV = "LSP_SWITCH_INTERVAL_MS"
DEFAULT_SWITCH_INTERVAL_MS = 5.0  # Python's own: see the module's docstring


def options_without_lock(config) -> Callable[[str], Any]:
    """``config.get_option`` reading parsed options without the lock (the original else)."""
    locked = getattr(config.get_option, "__wrapped__", config.get_option)

    def get_option(key: str) -> Any:
        options = config._config_options
        if not options:
            return locked(key)
        option = options.get(key)
        return locked(key) if option is None else option.value

    get_option.__wrapped__ = locked
    get_option.__doc__ = locked.__doc__
    return get_option


def coalesce_wakeups(loop_class) -> None:
    """At most one wake-up byte in the self-pipe of ``loop_class``'s loops at a time (asyncio's
    selector loop). Safe: the flag is set just before a byte is written and cleared on the
    loop once it has read the pipe, before the callbacks queued meanwhile run (the loop does
    not block while any is queued), so a callback queued while the flag is set runs without
    another byte. The flag is cleared in ``_process_self_data``, which the loop calls for what
    it read: its reader was bound when the loop was made, possibly before this ran."""
    if loop_class.__dict__.get("_lsp_coalesced"):
        return
    write, read = loop_class._write_to_self, loop_class._process_self_data

    def _write_to_self(self) -> None:
        if self.__dict__.get("_lsp_wakeup_pending"):
            return
        self._lsp_wakeup_pending = True
        write(self)

    def _process_self_data(self, data) -> None:
        self._lsp_wakeup_pending = False
        read(self, data)

    _write_to_self.__wrapped__, _process_self_data.__wrapped__ = write, read
    loop_class._write_to_self, loop_class._process_self_data = _write_to_self, _process_self_data
    loop_class._lsp_coalesced = True


def switch_interval_s(env: dict[str, str]) -> float:
    """The interpreter's switch interval, in seconds, from ``LSP_SWITCH_INTERVAL_MS``."""
    raw = env.get(SWITCH_INTERVAL_ENV, "").strip()
    try:
        interval_ms = float(raw) if raw else DEFAULT_SWITCH_INTERVAL_MS
    except ValueError:
        interval_ms = DEFAULT_SWITCH_INTERVAL_MS
    return min(max(interval_ms, 0.1), 50.0) / 1000


def apply(env: dict[str, str] | None = None) -> None:
    """Tune this process (an app process): event-loop wake-ups coalesced, options read without
    the lock, and the switch interval. Idempotent; nothing when ``LSP_PROCESS_TUNING=off``."""
    import asyncio

    from streamlit import config

    env = os.environ if env is None else env
    if env.get(TUNING_ENV, "").strip().lower() == "off":
        return
    loop_class = asyncio.SelectorEventLoop  # the loop Streamlit runs on (no uvloop here)
    if hasattr(loop_class, "_write_to_self") and hasattr(loop_class, "_process_self_data"):
        coalesce_wakeups(loop_class)
    if hasattr(config, "_config_options"):  # the private name this relies on
        config.get_option = options_without_lock(config)
    sys.setswitchinterval(switch_interval_s(env))
