"""Many people at once: readers while writers commit, writers taking turns, several processes.

Every wait here is on an event, a barrier or a line from another process; nothing sleeps.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.cli import main
from analytics.warehouse import connection, queries
from analytics.warehouse.connection import (
    WAIT_ENV_VAR,
    WarehouseBusy,
    WarehouseError,
    close_readers,
    reader,
    remove_warehouse,
    snapshot_dir,
    writer,
)

ROOT = Path(__file__).resolve().parents[2]
SAFER = "Communities that are safe and feel safe"
ROWS_PER_COMMIT = 50
TIMEOUT_S = 120  # bound on every wait for another process or thread (never reached when well)


def _count(path, sql: str) -> int:
    cur = reader(path)
    try:
        return cur.execute(sql).fetchall()[0][0]
    finally:
        cur.close()


def _make_probe(path: Path) -> None:
    with writer(path) as con:
        con.execute("CREATE TABLE probe_a (commit_no INTEGER, i INTEGER)")
        con.execute("CREATE TABLE probe_b (commit_no INTEGER, i INTEGER)")


def _commit_rows(path: Path, commit_no: int) -> None:
    with writer(path) as con:
        for table in ("probe_a", "probe_b"):  # two statements: a reader must see both or none
            con.execute(
                f"INSERT INTO {table} SELECT ?, range FROM range({ROWS_PER_COMMIT})", [commit_no]
            )


def _run(script: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    """A second Python process running ``script`` (with the project importable)."""
    import os

    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lsp(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "analytics.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def _filled_return(warehouse: Path, folder: Path, value: float) -> Path:
    out = folder / "safer.xlsx"
    code = main(["--warehouse", str(warehouse), "template", "--partnership", "WVP", "--theme",
                 SAFER, "--period", "2011/12 Q1", "-o", str(out)])  # fmt: skip
    assert code == 0
    book = openpyxl.load_workbook(out)
    sheet = book["Return"]
    for row in range(5, sheet.max_row + 1):
        sheet.cell(row, 11, value)
    book.save(out)
    return out


# --- threads in one process -------------------------------------------------------------------


def test__concurrency__readers_see_whole_commits_while_another_thread_commits(empty_warehouse):
    path = empty_warehouse
    _make_probe(path)
    commits, readers_n = 8, 4
    errors: list[BaseException] = []
    seen: list[int] = []
    started = threading.Barrier(readers_n + 1)
    done = threading.Event()

    def read_until_done() -> None:
        try:
            started.wait(TIMEOUT_S)
            while True:
                finished = done.is_set()
                cur = reader(path)  # a cursor of its own, on one snapshot
                a = cur.execute("SELECT count(*), max(commit_no) FROM probe_a").fetchall()[0]
                b = cur.execute("SELECT count(*), max(commit_no) FROM probe_b").fetchall()[0]
                cur.close()
                assert a == b, f"half a commit seen: probe_a {a}, probe_b {b}"
                assert a[0] % ROWS_PER_COMMIT == 0, f"part of a commit seen: {a}"
                seen.append(a[0])
                if finished:
                    return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def forget_readers_while_reading() -> None:  # what used to close a busy connection
        try:
            started.wait(TIMEOUT_S)
            while not done.is_set():
                close_readers()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=read_until_done) for _ in range(readers_n - 1)]
    threads.append(threading.Thread(target=forget_readers_while_reading))
    for thread in threads:
        thread.start()
    try:
        started.wait(TIMEOUT_S)
        for commit_no in range(1, commits + 1):
            _commit_rows(path, commit_no)
    finally:
        done.set()
        for thread in threads:
            thread.join(TIMEOUT_S)
    assert errors == []
    assert max(seen) == commits * ROWS_PER_COMMIT  # the last read after the end saw it all
    assert _count(path, "SELECT count(*) FROM probe_b") == commits * ROWS_PER_COMMIT


def test__concurrency__a_reader_that_keeps_losing_the_race_to_a_publish_still_reads(
    empty_warehouse, monkeypatch
):
    """A commit between reading the pointer and opening its snapshot removes that snapshot.
    Here a commit lands there on every attempt that does not hold the writers' turn; the
    reader opens its third attempt in a writer's turn (no publish can remove it then) and
    reads the newest commit."""
    path = empty_warehouse
    _make_probe(path)
    real_open = connection._open_snapshot
    key = connection._key(path)
    attempts: list[bool] = []  # per attempt: did the reader hold the writers' turn?

    def open_after_a_commit(snapshot, size=None):
        holds_turn = connection._owners.get(key) == threading.get_ident()
        attempts.append(holds_turn)
        if not holds_turn:
            _commit_rows(path, len(attempts))  # publishes anew and removes ``snapshot``
        return real_open(snapshot, size)

    close_readers()
    monkeypatch.setattr(connection, "_open_snapshot", open_after_a_commit)
    assert _count(path, "SELECT count(*) FROM probe_b") == 2 * ROWS_PER_COMMIT
    assert attempts == [False, False, True]
    assert connection._owners.get(key) is None  # the turn is given back


def test__concurrency__a_write_attaches_the_file_only_for_its_turn(empty_warehouse):
    """Between writes this process holds the main file nowhere: another process opens it
    read-write; a write that failed leaves it closed too, and the next write works."""
    path = empty_warehouse
    _make_probe(path)
    with pytest.raises(RuntimeError), writer(path) as con:
        con.execute("INSERT INTO probe_a VALUES (1, 1)")
        raise RuntimeError("given up half-way")
    opened = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()",
         str(path)],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    _commit_rows(path, 1)
    assert _count(path, "SELECT count(*) FROM probe_a") == ROWS_PER_COMMIT  # not the 1 above


def test__concurrency__threads_writing_different_warehouses_keep_their_writes_apart(tmp_path):
    """One process writing several warehouses at once (threads): each write attaches its
    file under its own name on its own cursor, so none lands in another's file."""
    paths = [tmp_path / f"w{i}.duckdb" for i in range(3)]
    for path in paths:
        _make_probe(path)
    errors: list[BaseException] = []
    started = threading.Barrier(len(paths))

    def write_many(path: Path, commits: int = 10) -> None:
        try:
            started.wait(TIMEOUT_S)
            for commit_no in range(1, commits + 1):
                _commit_rows(path, commit_no)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write_many, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert errors == []
    for path in paths:
        assert _count(path, "SELECT count(*) FROM probe_a") == 10 * ROWS_PER_COMMIT
        assert _count(path, "SELECT count(*) FROM probe_b") == 10 * ROWS_PER_COMMIT


def test__concurrency__a_warehouse_path_with_quotes_is_attached_as_a_path(tmp_path):
    """The file is attached by a quoted SQL string: a folder named with quotes (or a crafted
    LSP_WAREHOUSE) is a path, never SQL."""
    path = tmp_path / "O'Brien's; DETACH memory; --" / "warehouse.duckdb"
    _make_probe(path)
    _commit_rows(path, 1)
    assert _count(path, "SELECT count(*) FROM probe_b") == ROWS_PER_COMMIT


def test__concurrency__a_write_while_this_process_has_the_file_open_itself(empty_warehouse):
    """A script that opened the main file itself (DuckDB keeps one instance per file in a
    process) can still write through the one write path: it shares that instance."""
    path = empty_warehouse
    _make_probe(path)
    own = duckdb.connect(str(path))
    try:
        _commit_rows(path, 1)
        assert own.execute("SELECT count(*) FROM probe_b").fetchall() == [(ROWS_PER_COMMIT,)]
    finally:
        own.close()
    assert _count(path, "SELECT count(*) FROM probe_b") == ROWS_PER_COMMIT


def test__concurrency__a_reader_cursor_survives_the_next_commit(empty_warehouse):
    _make_probe(empty_warehouse)
    _commit_rows(empty_warehouse, 1)
    before = queries.data_version(empty_warehouse)
    old = reader(empty_warehouse)
    _commit_rows(empty_warehouse, 2)
    assert queries.data_version(empty_warehouse) > before
    # the old cursor still reads its own snapshot, whole; a new one reads the commit
    assert old.execute("SELECT count(*) FROM probe_a").fetchall()[0][0] == ROWS_PER_COMMIT
    assert _count(empty_warehouse, "SELECT count(*) FROM probe_a") == 2 * ROWS_PER_COMMIT
    old.close()
    # older ones removed: at rest, one snapshot (the old cursor read its unlinked file)
    assert len(list(snapshot_dir(empty_warehouse).glob("*.duckdb"))) == 1


def test__concurrency__two_writers_take_turns_and_the_second_says_it_waits(empty_warehouse):
    _make_probe(empty_warehouse)
    first_in, second_waiting, release = threading.Event(), threading.Event(), threading.Event()
    said: list[str] = []
    order: list[str] = []
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with writer(empty_warehouse) as con:
                first_in.set()
                release.wait(TIMEOUT_S)
                con.execute("INSERT INTO probe_a VALUES (1, 1)")
                order.append("first")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def told(message: str) -> None:
        said.append(message)
        second_waiting.set()

    def second() -> None:
        try:
            with writer(empty_warehouse, on_wait=told) as con:
                seen = con.execute("SELECT count(*) FROM probe_a").fetchall()[0][0]
                con.execute("INSERT INTO probe_a VALUES (2, ?)", [seen])
                order.append("second")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    a = threading.Thread(target=first)
    a.start()
    assert first_in.wait(TIMEOUT_S)
    b = threading.Thread(target=second)
    b.start()
    assert second_waiting.wait(TIMEOUT_S)
    assert order == []  # the second has not gone ahead while the first writes
    release.set()
    a.join(TIMEOUT_S)
    b.join(TIMEOUT_S)
    assert errors == []
    assert order == ["first", "second"]
    assert "being written by" in said[0] and "waiting" in said[0] and WAIT_ENV_VAR in said[0]
    assert said[-1].startswith("Going ahead")
    rows = reader(empty_warehouse).execute("SELECT * FROM probe_a ORDER BY 1").fetchall()
    assert rows == [(1, 1), (2, 1)]  # the second saw the first's commit


def test__concurrency__a_writer_that_waits_too_long_fails_clearly_and_writes_nothing(
    empty_warehouse,
):
    _make_probe(empty_warehouse)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer(empty_warehouse):
            holding.set()
            release.wait(TIMEOUT_S)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(TIMEOUT_S)
        with pytest.raises(WarehouseBusy) as caught, writer(empty_warehouse, wait=0) as con:
            con.execute("INSERT INTO probe_a VALUES (9, 9)")
    finally:
        release.set()
        thread.join(TIMEOUT_S)
    text = str(caught.value)
    assert str(empty_warehouse) in text and "still being written by" in text
    assert "nothing was written" in text and WAIT_ENV_VAR in text
    assert _count(empty_warehouse, "SELECT count(*) FROM probe_a") == 0


def test__concurrency__a_write_inside_a_write_is_refused_not_deadlocked(empty_warehouse):
    refused = pytest.raises(WarehouseError, match="inside another write")
    with refused, writer(empty_warehouse), writer(empty_warehouse):
        pass


def test__concurrency__wait_setting_that_is_not_a_number_is_explained(empty_warehouse, monkeypatch):
    monkeypatch.setenv(WAIT_ENV_VAR, "soon")
    with pytest.raises(WarehouseError, match="not a number of seconds"), writer(empty_warehouse):
        pass


# --- other processes --------------------------------------------------------------------------

HOLD_READER = """
import sys
from analytics.warehouse.connection import reader
path = sys.argv[1]
sql = "SELECT count(*) FROM return_file"
cur = reader(path)
print(cur.execute(sql).fetchall()[0][0], flush=True)
sys.stdin.readline()  # holds its open snapshot until told
print(cur.execute(sql).fetchall()[0][0], reader(path).execute(sql).fetchall()[0][0], flush=True)
"""

HOLD_WRITER = """
import sys
from analytics.warehouse.connection import writer
with writer(sys.argv[1]) as con:
    con.execute("CREATE TABLE held_by_child (i INTEGER)")
    print("holding", flush=True)
    sys.stdin.readline()
    con.execute("INSERT INTO held_by_child VALUES (1)")
print("done", flush=True)
"""


def test__concurrency__lsp_import_while_another_process_reads(demo_copy, tmp_path):
    file = _filled_return(demo_copy, tmp_path, 12.5)
    child = _run(HOLD_READER, str(demo_copy))
    try:
        before = int(child.stdout.readline())
        result = _lsp("--warehouse", str(demo_copy), "import", str(file))
        assert result.returncode == 0, result.stderr
        assert "loaded" in result.stdout
        out, err = child.communicate("go\n", timeout=TIMEOUT_S)
    finally:
        child.kill()
    assert child.returncode == 0, err
    old_cursor, new_reader = (int(n) for n in out.split())
    assert old_cursor == before  # its snapshot, untouched and whole
    assert new_reader == before + 1  # the next read sees the import
    assert _count(demo_copy, "SELECT count(*) FROM return_file") == before + 1


def test__concurrency__writers_in_two_processes_take_turns(empty_warehouse):
    child = _run(HOLD_WRITER, str(empty_warehouse))
    said: list[str] = []

    def told(message: str) -> None:  # told it waits: let the other process finish
        said.append(message)
        if len(said) == 1:
            child.stdin.write("go\n")
            child.stdin.flush()

    try:
        assert child.stdout.readline().strip() == "holding"
        with writer(empty_warehouse, on_wait=told) as con:
            held = con.execute("SELECT count(*) FROM held_by_child").fetchall()[0][0]
        out, err = child.communicate(timeout=TIMEOUT_S)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert held == 1  # went ahead only once the other process had committed
    assert "process" in said[0] and "waiting" in said[0]
    assert said[-1].startswith("Going ahead")


def test__concurrency__lsp_gives_up_with_a_clear_message_when_the_wait_runs_out(
    demo_copy, tmp_path
):
    file = _filled_return(demo_copy, tmp_path, 7.0)
    before = _count(demo_copy, "SELECT count(*) FROM return_file")
    child = _run(HOLD_WRITER, str(demo_copy))
    try:
        assert child.stdout.readline().strip() == "holding"
        result = _lsp("--warehouse", str(demo_copy), "import", str(file), env={WAIT_ENV_VAR: "0"})
        child.communicate("go\n", timeout=TIMEOUT_S)
    finally:
        child.kill()
    assert result.returncode == 1
    assert "is being written by" in result.stderr  # it said it waited...
    assert "still being written by" in result.stderr  # ...and why it gave up
    assert "nothing was written" in result.stderr and WAIT_ENV_VAR in result.stderr
    assert _count(demo_copy, "SELECT count(*) FROM return_file") == before


# --- files replaced under the readers ---------------------------------------------------------


def test__concurrency__a_warehouse_file_copied_over_is_read_afresh(demo_warehouse, empty_warehouse):
    assert _count(empty_warehouse, "SELECT count(*) FROM return_file") == 0
    shutil.copyfile(demo_warehouse, empty_warehouse)  # a restore, or a test's copy
    assert _count(empty_warehouse, "SELECT count(*) FROM return_file") > 0


def test__concurrency__init_force_replaces_the_warehouse_under_a_reader(demo_copy):
    held = reader(demo_copy)
    returns = held.execute("SELECT count(*) FROM return_file").fetchall()[0][0]
    assert main(["--warehouse", str(demo_copy), "init", "--force"]) == 0
    assert held.execute("SELECT count(*) FROM return_file").fetchall()[0][0] == returns
    assert _count(demo_copy, "SELECT count(*) FROM return_file") == 0
    remove_warehouse(demo_copy)
    with pytest.raises(WarehouseError, match="There is no warehouse"):
        reader(demo_copy)


def test__concurrency__the_app_says_on_the_page_that_a_write_waits():
    from analytics.warehouse.connection import WAIT_LISTENERS
    from ui import data

    assert WAIT_LISTENERS["page"] is data._say_on_page  # a toast when in a page's run
    data._say_on_page("waiting")  # outside the app: says nothing, fails nothing
    assert "stderr" in WAIT_LISTENERS  # lsp and the server log say it too
