"""How an app process shares its one interpreter among many sessions (serve.py applies it).

Streamlit runs every session's script in a thread of one process, so under load a page waits
for the interpreter behind the other sessions' reruns and behind the event loop that sends
their messages. Measured under load (benchmarks/bench_load.py, docs/benchmarks.md), three things
made those waits longer than the work itself (and one more made a view's own work longer):

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
- **A styled table's cells, set one column at a time.** For a table whose status cells are
  coloured (a pandas Styler: ``ui.components.status_table``), Streamlit sends the cells' display
  text too, and writes it into a copy of the table with one ``iloc`` assignment per column,
  each of which rebuilds the column's array (pyarrow strings): 17 ms of a 12-row History
  table's 39 on the Indicator page. :func:`display_values_by_column` makes the same table
  from each column's values in one go (the same text, dtypes and index).
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


def display_values_by_column(original: Callable) -> Callable:
    """Streamlit's ``_use_display_values`` (a styled table's cells as the Styler displays
    them, all as text), building each changed column once instead of assigning it into the
    frame: the same frame (text, dtypes, index, column names)."""
    import re
    from enum import Enum

    import pandas as pd

    cell_id = re.compile(r"row(\d+)_col(\d+)")

    def _use_display_values(df, styles):
        new_df = df.astype(str)  # as Streamlit does: every cell text, one type per column
        arrays = [column.array for _, column in new_df.items()]
        changed: dict[int, list] = {}
        for row in styles.get("body", []):
            for cell in row:
                found = cell_id.match(cell.get("id") or "")
                if not found:
                    continue
                row_idx, col_idx = map(int, found.groups())
                values = changed.get(col_idx)
                if values is None:
                    values = changed[col_idx] = list(arrays[col_idx])
                shown = cell.get("display_value")
                values[row_idx] = str(shown.value) if isinstance(shown, Enum) else str(shown)
        if not changed:
            return new_df
        for col_idx, values in changed.items():
            arrays[col_idx] = pd.array(values, dtype=arrays[col_idx].dtype)
        out = pd.DataFrame(dict(enumerate(arrays)), index=new_df.index)
        out.columns = new_df.columns
        return out

    _use_display_values.__wrapped__ = original
    _use_display_values.__doc__ = original.__doc__
    return _use_display_values


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
    the lock, a styled table's display text set a column at a time, and the switch interval.
    Idempotent; nothing when ``LSP_PROCESS_TUNING=off``."""
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
    from streamlit.elements.lib import pandas_styler_utils as styler_utils

    original = getattr(styler_utils, "_use_display_values", None)
    if original is not None and not hasattr(original, "__wrapped__"):
        styler_utils._use_display_values = display_values_by_column(original)
    sys.setswitchinterval(switch_interval_s(env))
