"""The app process's tuning (ui/process_tuning.py): wake-ups coalesced without losing or
reordering a callback, options read without the lock giving the same answers, the switch
interval from the environment, and the off switch."""

from __future__ import annotations

import asyncio
import sys
import threading

import pytest
from streamlit import config

from ui import process_tuning


def _asyncio_own(name: str):
    """asyncio's own method, even when this process's loops are already coalesced (serve.py
    imported by another test applies the tuning to the whole process)."""
    method = getattr(asyncio.SelectorEventLoop, name)
    return getattr(method, "__wrapped__", method)


class _Loop(asyncio.SelectorEventLoop):
    """A loop class of its own, with asyncio's own wake-ups: coalescing it leaves asyncio's
    class as it was."""

    _write_to_self = _asyncio_own("_write_to_self")
    _process_self_data = _asyncio_own("_process_self_data")


def _run(loop, coroutine) -> None:
    """``loop.run_until_complete`` in a thread of its own: this thread may already be running
    a loop (the browser tests' Playwright keeps one running for the whole session)."""
    failed: list[BaseException] = []

    def target() -> None:
        try:
            loop.run_until_complete(coroutine)
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the test
            failed.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@pytest.fixture
def coalesced_loop():
    class Loop(_Loop):
        pass

    writes = []
    original = Loop._write_to_self

    def counting(self):
        writes.append(1)
        original(self)

    Loop._write_to_self = counting  # counts the bytes really written
    process_tuning.coalesce_wakeups(Loop)
    loop = Loop()
    yield loop, writes
    loop.close()


def test__coalesced__every_callback_from_many_threads_runs_in_order_with_far_fewer_writes(
    coalesced_loop,
):
    loop, writes = coalesced_loop
    per_thread, threads = 5000, 4
    got: dict[int, list[int]] = {n: [] for n in range(threads)}
    done = asyncio.Event()

    def note(n: int, i: int) -> None:
        got[n].append(i)
        if sum(map(len, got.values())) == per_thread * threads:
            done.set()

    def worker(n: int) -> None:
        for i in range(per_thread):
            loop.call_soon_threadsafe(note, n, i)

    async def main() -> None:
        workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for w in workers:
            w.start()
        await asyncio.wait_for(done.wait(), timeout=60)
        for w in workers:
            w.join()

    _run(loop, main())
    assert all(got[n] == list(range(per_thread)) for n in range(threads))
    assert len(writes) < per_thread * threads / 2  # most wake-ups were not needed


def test__coalesced__a_lone_callback_from_a_thread_still_wakes_a_sleeping_loop(coalesced_loop):
    loop, _ = coalesced_loop

    async def main() -> None:
        for _ in range(50):  # each time the loop is asleep in select() with no timeout
            future = loop.create_future()
            thread = threading.Thread(
                target=lambda f=future: loop.call_soon_threadsafe(f.set_result, "woken")
            )
            thread.start()
            assert await asyncio.wait_for(future, timeout=30) == "woken"
            thread.join()

    _run(loop, main())


def test__coalesced__twice_is_once():
    class Loop(_Loop):
        pass

    process_tuning.coalesce_wakeups(Loop)
    first = Loop._write_to_self
    process_tuning.coalesce_wakeups(Loop)
    assert Loop._write_to_self is first


def test__options_without_lock__the_same_answers_as_streamlit():
    config.get_config_options()  # parsed, as in a running app
    fast = process_tuning.options_without_lock(config)
    for key in config._config_options:
        assert fast(key) == config.get_option(key), key
    with pytest.raises(RuntimeError, match="not defined"):
        fast("no.suchOption")


def _styled_frames():
    import numpy as np
    import pandas as pd

    words = pd.DataFrame({"Period": ["2010/11 Q4", "2010/11 Q3", None],
                          "Status": ["▲ Red", "● Green", "◆ Amber"],
                          "Value": [1.5, np.nan, 3.0], "Count": [1, 2, 3]},
                         index=[7, 3, 5])  # fmt: skip
    yield words.style.map(lambda v: "color: red" if v == "▲ Red" else "", subset=["Status"])
    yield words.style.format({"Value": "{:.2f}"}).highlight_null()
    twice = pd.DataFrame([[1, "a"], [2, None]], columns=["x", "x"])  # the same name twice
    yield twice.style  # (a Styler maps no function over duplicate names)
    yield pd.DataFrame({"when": pd.to_datetime(["2024-01-01", None])}).style
    yield pd.DataFrame(columns=["Code", "Status"]).style  # no rows


def test__display_values_by_column__the_same_table_as_streamlit_builds():
    import pandas as pd
    from streamlit import dataframe_util
    from streamlit.elements.lib import pandas_styler_utils as styler_utils

    own = getattr(styler_utils._use_display_values, "__wrapped__",
                  styler_utils._use_display_values)  # fmt: skip
    fast = process_tuning.display_values_by_column(own)
    for styler in _styled_frames():
        styler._compute()
        styles = styler._translate(False, False)
        expected, got = own(styler.data, styles), fast(styler.data, styles)
        pd.testing.assert_frame_equal(got, expected)
        if got.columns.is_unique:  # (Arrow takes no duplicate names, from either)
            assert dataframe_util.convert_pandas_df_to_arrow_bytes(
                got
            ) == dataframe_util.convert_pandas_df_to_arrow_bytes(expected)


def test__switch_interval__from_the_environment_within_bounds():
    env = process_tuning.SWITCH_INTERVAL_ENV
    assert process_tuning.switch_interval_s({}) == 0.005  # Python's own unless set
    assert process_tuning.switch_interval_s({env: "5"}) == 0.005
    assert process_tuning.switch_interval_s({env: "0"}) == 0.0001
    assert process_tuning.switch_interval_s({env: "1e9"}) == 0.05
    assert process_tuning.switch_interval_s({env: "fast"}) == 0.005


def test__apply__off_leaves_the_process_as_it_was(monkeypatch):
    before = sys.getswitchinterval(), config.get_option
    process_tuning.apply({process_tuning.TUNING_ENV: "off"})
    assert (sys.getswitchinterval(), config.get_option) == before


def test__apply__tunes_and_can_be_undone(monkeypatch):
    from streamlit.elements.lib import pandas_styler_utils as styler_utils

    monkeypatch.setattr(config, "get_option", config.get_option)  # restored after the test
    monkeypatch.setattr(styler_utils, "_use_display_values", styler_utils._use_display_values)
    interval = sys.getswitchinterval()
    loop_class = asyncio.SelectorEventLoop
    saved = {name: loop_class.__dict__.get(name)
             for name in ("_write_to_self", "_process_self_data", "_lsp_coalesced")}  # fmt: skip
    try:
        process_tuning.apply({process_tuning.SWITCH_INTERVAL_ENV: "2"})
        assert sys.getswitchinterval() == pytest.approx(0.002)
        assert config.get_option("server.headless") == config.get_option.__wrapped__(
            "server.headless"
        )
        assert loop_class.__dict__.get("_lsp_coalesced") is True
        assert hasattr(styler_utils._use_display_values, "__wrapped__")
    finally:
        sys.setswitchinterval(interval)
        for name, value in saved.items():
            if value is None:
                if name in loop_class.__dict__:
                    delattr(loop_class, name)
            else:
                setattr(loop_class, name, value)
