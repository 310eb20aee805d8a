"""Where the warehouse lives, its one write path, and how many people read it at once.

DuckDB lets one process hold a file read-write or several hold it read-only, never both, and
a connection runs one call at a time. So the warehouse is shared like this (the README's
"How the warehouse is shared" says the same for operators):

- **Writers take turns on the main file** (``data/warehouse.duckdb``). A writer first takes
  an OS file lock (``flock`` on ``<file>.snapshots/writer.lock``), which works across threads,
  app processes and ``lsp`` commands alike. One that finds another writing says so, waits
  (``LSP_WRITE_WAIT`` seconds, default 60) and goes ahead; it fails with
  :class:`WarehouseBusy` only when the wait runs out. Nothing is written before it has its
  turn, so nothing is half-written. The main file is open only during a turn: attached to an
  in-memory DuckDB the process keeps (starting a database costs more than a
  small write) and detached at the end.
- **Readers never open the main file.** After every commit the writer checkpoints and detaches
  the main file, copies it to a new, never-modified snapshot
  ``<file>.snapshots/<version>.duckdb`` (a temporary name, then renamed) and names it in
  ``<file>.snapshots/current.json`` (also replaced by a rename). :func:`reader` reads the
  newest snapshot read-only: it never waits for a writer, never blocks one, and sees all of a
  commit or none of it. Any number of processes (a second app replica, a reporting job) read
  at once.
- **In a process each snapshot is opened once**; every :func:`reader` call gets its own
  cursor. When a newer snapshot appears the next call opens it and the older connection is
  only forgotten, never closed, so a query still running on it in another thread finishes;
  DuckDB frees it with its last cursor. A new snapshot has a new file name, because DuckDB
  keeps one database instance per path in a process.
- **Old snapshots** are removed by the publish that replaces them: at rest the folder holds
  the main file's one snapshot. A process that still has an old one open keeps reading it:
  Linux keeps an unlinked file readable for whoever has it open. A reader that finds its
  snapshot already gone reads the pointer again; one that loses that race twice (commits
  coming faster than it opens a snapshot) opens the next in a writer's turn.
- **A damaged snapshot** (it will not open, or is not the size it was written at) is replaced
  from the main file in a writer's turn; a reader waits for a busy writer, whose own commit
  publishes a fresh one.
- **A main file changed behind our back** (copied in by a test or a restore, written by a
  script that opened it itself, or made before snapshots existed) is noticed by the next
  reader: the pointer records the main file's identity (inode, size, mtime) when it was
  copied, and a reader that finds it different publishes a fresh snapshot when no writer is
  busy (and reads the last one meanwhile).

The cost is one file copy per commit: milliseconds on the demo, about a second on the
national-scale benchmark warehouse (README, "How the warehouse is shared").
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.warehouse.migrations import apply_migrations

DEFAULT_PATH = Path("data/warehouse.duckdb")
ENV_VAR = "LSP_WAREHOUSE"
WAIT_ENV_VAR = "LSP_WRITE_WAIT"
DEFAULT_WAIT_S = 60.0
_OPEN_ATTEMPTS = 5
_RACES_BEFORE_TURN = 2  # lost races to a publish before a reader opens in a writer's turn
_FICLONE = 0x40049409  # Linux ioctl: share the blocks (btrfs, XFS); else a plain copy


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or is not in the state an operation needs."""


class WarehouseBusy(WarehouseError):
    """Another writer kept the warehouse for longer than this writer was willing to wait."""


def warehouse_path(path: str | os.PathLike | None = None) -> Path:
    """The warehouse file: ``path`` if given, else ``$LSP_WAREHOUSE``, else the default."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def snapshot_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder beside the warehouse holding its snapshots, pointer and writer lock."""
    file = warehouse_path(path)
    return file.with_name(file.name + ".snapshots")


def write_wait_s() -> float:
    """How long a writer waits for another to finish: ``$LSP_WRITE_WAIT`` seconds, default 60."""
    raw = os.environ.get(WAIT_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_WAIT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise WarehouseError(
            f"{WAIT_ENV_VAR}={raw!r} is not a number of seconds. Set it to how long a write "
            f"should wait for another to finish, e.g. {WAIT_ENV_VAR}=120, or unset it for "
            f"the default ({DEFAULT_WAIT_S:g} s)."
        )
    return value


# --- saying that a writer waits -------------------------------------------------------------


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


#: Everyone told when a writer has to wait and when it goes ahead: name -> callable(message).
#: The CLI's messages go to stderr (the default); the app adds a toast on the page.
WAIT_LISTENERS: dict[str, Callable[[str], None]] = {"stderr": _to_stderr}


def _tell(message: str, on_wait: Callable[[str], None] | None) -> None:
    for listener in [*WAIT_LISTENERS.values(), *([on_wait] if on_wait else [])]:
        with contextlib.suppress(Exception):  # a listener's failure never stops a write
            listener(message)


# --- writers take turns -----------------------------------------------------------------------

_thread_locks: dict[Path, threading.Lock] = {}
_owners: dict[Path, int] = {}  # warehouse -> thread that has its turn (in this process)
_meta = threading.Lock()


def _key(file: Path) -> Path:
    return file.resolve()


def _thread_lock(key: Path) -> threading.Lock:
    with _meta:
        return _thread_locks.setdefault(key, threading.Lock())


def _who_am_i() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name in ("", "-c", "-m", "python", "python3"):
        name = "a Python program"
    elif name == "lsp" or (name == "cli.py" and "analytics" in sys.argv[0]):
        name = " ".join(["lsp", *sys.argv[1:2]])
    elif "streamlit" in name or (len(sys.argv) > 1 and sys.argv[1:2] == ["run"]):
        name = "the app"
    return f"{name} (process {os.getpid()})"


def _holder(lock_file: Path) -> str:
    try:
        text = lock_file.read_text("utf-8").strip()
    except OSError:
        text = ""
    return text or "another writer"


def _busy(file: Path, wait_s: float, holder: str) -> WarehouseBusy:
    return WarehouseBusy(
        f"The warehouse {file} is still being written by {holder} after waiting "
        f"{wait_s:g} s, so nothing was written. Try again when it has finished, or let "
        f"writes wait longer: set {WAIT_ENV_VAR} to a number of seconds (now {wait_s:g})."
    )


@contextmanager
def _turn(
    file: Path,
    wait_s: float,
    *,
    doing: str = "writing",
    on_wait: Callable[[str], None] | None = None,
    quiet: bool = False,
) -> Iterator[None]:
    """This process's and thread's turn to write ``file``: a thread lock for writers in this
    process, then ``flock`` for writers in others. Waits up to ``wait_s`` seconds."""
    key = _key(file)
    if _owners.get(key) == threading.get_ident():
        raise WarehouseError(
            f"A write to {file} was started inside another write to it. Do everything in one "
            "`with writer(...)` block (this is a programming error, not a data problem)."
        )
    side = snapshot_dir(file)
    side.mkdir(parents=True, exist_ok=True)
    lock_file = side / "writer.lock"
    started = time.monotonic()
    deadline = started + wait_s
    waited = False

    def say_waiting() -> None:
        nonlocal waited
        waited = True
        if not quiet:
            _tell(
                f"The warehouse {file} is being written by {_holder(lock_file)}; waiting for "
                f"it to finish (up to {wait_s:g} s, set by {WAIT_ENV_VAR})…",
                on_wait,
            )

    lock = _thread_lock(key)
    if not lock.acquire(blocking=False):
        say_waiting()
        if wait_s <= 0 or not lock.acquire(timeout=wait_s):
            raise _busy(file, wait_s, _holder(lock_file))
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            delay = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not waited:
                        say_waiting()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise _busy(file, wait_s, _holder(lock_file)) from None
                    time.sleep(min(delay, remaining))  # polling interval of a bounded wait
                    delay = min(delay * 2, 0.1)
            if waited and not quiet:
                _tell(
                    f"Going ahead: {file} is free after waiting "
                    f"{time.monotonic() - started:.1f} s.",
                    on_wait,
                )
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{_who_am_i()}, {doing} since {datetime.now():%H:%M:%S}".encode(), 0)
            _owners[key] = threading.get_ident()
            try:
                yield
            finally:
                _owners.pop(key, None)
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # releases the flock
    finally:
        lock.release()


@contextmanager
def writer(
    path: str | os.PathLike | None = None,
    *,
    migrate: bool = True,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one write path: a read-write connection inside one transaction.

    Everything done inside the ``with`` block is committed together, or not at all. Writers
    take turns (waiting up to ``wait`` seconds, default ``$LSP_WRITE_WAIT`` or 60, and
    telling ``on_wait`` and :data:`WAIT_LISTENERS` that they wait); readers see the commit
    once the block has ended, all of it at once.
    """
    file = warehouse_path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    wait_s = write_wait_s() if wait is None else wait
    with _turn(file, wait_s, on_wait=on_wait):
        opened = _open_for_write(file)
        con = opened.con
        committed = False
        try:
            if migrate:
                apply_migrations(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            committed = True
            with contextlib.suppress(duckdb.Error):  # if not here, _publish folds the log in
                con.execute(opened.checkpoint)  # everything into the main file, so a copy is whole
        finally:
            opened.close()
            if committed:
                try:
                    _publish(file)
                except (OSError, WarehouseError) as exc:  # committed; the next reader retries
                    _to_stderr(
                        f"Committed to {file}, but its snapshot for readers could not "
                        f"be written ({exc}); readers will retry."
                    )
            # Not committed: only migrations may have changed the file; the next reader
            # notices (the file's identity changed) and publishes it.


# --- the writer's connection ------------------------------------------------------------------

# Starting a DuckDB database costs tens of milliseconds (more than a small return's whole
# write), attaching a file to one already started a few. So the process keeps one in-memory
# "host" database, and a write attaches the main file to it (on a cursor of its own, under a
# name of its own) for its turn and detaches it after, which closes the file: between writes
# this process holds nothing open, as before. Writes to different warehouses in different
# threads each have their own cursor, so their transactions and ``USE`` stay apart.
_host: duckdb.DuckDBPyConnection | None = None
_host_lock = threading.Lock()
_attachments = itertools.count(1)


@dataclass
class _ForWrite:
    con: duckdb.DuckDBPyConnection
    checkpoint: str
    close: Callable[[], None]


def _the_host() -> duckdb.DuckDBPyConnection:
    global _host
    with _host_lock:
        if _host is None:
            _host = duckdb.connect(":memory:")
        return _host


def _forget_host(host: duckdb.DuckDBPyConnection) -> None:
    """After a detach failed: the next write starts a new host. This one is not closed (a
    write to another warehouse may be using it); DuckDB closes it with its last cursor."""
    global _host
    with _host_lock:
        if _host is host:
            _host = None


def _open_for_write(file: Path) -> _ForWrite:
    """The main file opened read-write for this turn: attached to this process's host, or
    (when this process already has the file open some other way, as a script that connected
    to it itself) a connection of its own."""
    host = _the_host()
    con = host.cursor()
    name = f"lsp_write_{next(_attachments)}"
    try:
        con.execute(f"ATTACH {_sql_text(str(file))} AS {name}")
        con.execute(f"USE {name}")
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DETACH DATABASE IF EXISTS {name}")
        con.close()
        if isinstance(exc, duckdb.ResourceInUseException):  # open in this process already:
            own = _connect_main(file)  # share that instance
            return _ForWrite(own, "CHECKPOINT", own.close)
        if isinstance(exc, duckdb.IOException | duckdb.ConnectionException):
            raise _held_elsewhere(file, exc) from exc
        raise

    def detach() -> None:
        try:
            con.execute("USE memory")
            con.execute(f"DETACH {name}")
        except BaseException:
            _forget_host(host)  # whatever state it is in, the next write starts a new one
            raise
        finally:
            con.close()

    return _ForWrite(con, f"CHECKPOINT {name}", detach)


def _connect_main(file: Path) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(file))
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        raise _held_elsewhere(file, exc) from exc
    return con


def _held_elsewhere(file: Path, exc: BaseException) -> WarehouseError:
    return WarehouseError(
        f"The warehouse {file} is open in a program other than `lsp` and the app (a "
        f"DuckDB shell, or a script that opened the file itself). Close it and try "
        f"again. ({exc})"
    )


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def remove_warehouse(path: str | os.PathLike | None = None) -> None:
    """Delete the warehouse and its snapshots (``lsp init --force``), in a writer's turn so no
    write is cut short. Readers elsewhere then find no warehouse until one is made."""
    file = warehouse_path(path)
    with _turn(file, write_wait_s(), doing="replacing the warehouse"):
        file.unlink(missing_ok=True)
        Path(f"{file}.wal").unlink(missing_ok=True)
        side = snapshot_dir(file)
        (side / "current.json").unlink(missing_ok=True)
        for old in side.glob("*.duckdb*"):
            old.unlink(missing_ok=True)
    close_readers(file)


# --- snapshots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What ``current.json`` says: the snapshot readers should use and where it came from."""

    version: int  # unique per publish and increasing: the data version caches key on
    file: str  # name inside the snapshot folder
    source: tuple[int, int, int]  # main file (inode, size, mtime ns) when it was copied


def _identity(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


_pointers: dict[Path, tuple[tuple[int, int, int], Snapshot]] = {}  # pointer file stat -> parsed


def _read_pointer(side: Path) -> Snapshot | None:
    pointer = side / "current.json"
    try:
        st = os.stat(pointer)
    except FileNotFoundError:
        return None
    ident = _identity(st)
    cached = _pointers.get(pointer)
    if cached is not None and cached[0] == ident:
        return cached[1]
    try:
        data = json.loads(pointer.read_text("utf-8"))
        snap = Snapshot(int(data["version"]), str(data["file"]), tuple(data["source"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: treated as no snapshot, so a fresh one is published
    _pointers[pointer] = (ident, snap)
    return snap


def _copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
            return
        except OSError:
            pass
    shutil.copyfile(src, dst)  # sendfile on Linux: in the kernel, no Python buffers


def _publish(file: Path) -> Snapshot:
    """Copy the closed, checkpointed main file to a new snapshot and point readers at it.
    The caller has the writer's turn."""
    _checkpoint_main(file)
    side = snapshot_dir(file)
    before = _read_pointer(side)
    source = _identity(os.stat(file))
    version = max(time.time_ns(), before.version + 1 if before else 0)
    name = f"{version}.duckdb"
    tmp = side / f"{name}.tmp"
    _copy(file, tmp)
    os.replace(tmp, side / name)
    snap = Snapshot(version, name, source)
    pointer_tmp = side / f"current.json.{os.getpid()}.tmp"
    pointer_tmp.write_text(
        json.dumps({"version": version, "file": name, "source": list(source)}), "utf-8"
    )
    os.replace(pointer_tmp, side / "current.json")
    for old in side.glob("*.duckdb"):
        if old.name != name:
            old.unlink(missing_ok=True)  # whoever has it open keeps reading it
    for stray in side.glob("*.tmp"):  # left by a publisher that died mid-copy
        stray.unlink(missing_ok=True)
    return snap


def _checkpoint_main(file: Path) -> None:
    """Fold a write-ahead log left by something other than :func:`writer` into the file."""
    if not Path(f"{file}.wal").exists():
        return
    try:
        con = duckdb.connect(str(file))
    except duckdb.Error as exc:
        raise WarehouseError(
            f"The warehouse {file} is open in a program other than `lsp` and the app; close "
            f"it so the app can read the latest data. ({exc})"
        ) from exc
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _no_warehouse(file: Path) -> WarehouseError:
    return WarehouseError(
        f"There is no warehouse at {file}. Run `lsp init` (empty) or "
        "`lsp init --demo` (the demo partnership) first."
    )


def current_snapshot(path: str | os.PathLike | None = None) -> Snapshot:
    """The snapshot a reader opens now: the published one, republished first when the main
    file has changed without a publish (and no writer is busy)."""
    file = warehouse_path(path)
    side = snapshot_dir(file)
    try:
        main = _identity(os.stat(file))
    except FileNotFoundError:
        raise _no_warehouse(file) from None
    snap = _read_pointer(side)
    if snap is not None and snap.source == main:
        return snap
    if _owners.get(_key(file)) == threading.get_ident():
        if snap is not None:
            return snap  # read inside this thread's own write: the data as it was before it
        raise WarehouseError(
            f"{file} was read inside its very first write, before there is anything to read; "
            "read it after the `with writer(...)` block (a programming error)."
        )
    try:
        # Without any snapshot a reader has to wait; with one it reads that meanwhile.
        with _turn(file, write_wait_s() if snap is None else 0, doing="publishing", quiet=True):
            fresh = _read_pointer(side)
            if not file.exists():
                raise _no_warehouse(file)
            if fresh is not None and fresh.source == _identity(os.stat(file)):
                return fresh
            return _publish(file)
    except (WarehouseError, OSError) as exc:
        if snap is None or not file.exists():
            raise
        if not isinstance(exc, WarehouseBusy):
            _to_stderr(f"Could not refresh the snapshot of {file} ({exc}); reading the last one.")
        return snap


# --- readers ----------------------------------------------------------------------------------


@dataclass
class _Opened:
    version: int
    con: duckdb.DuckDBPyConnection


_readers: dict[Path, _Opened] = {}
_readers_lock = threading.Lock()


def close_readers(path: str | os.PathLike | None = None) -> None:
    """Forget this process's open snapshots (all of them, or those of one file).

    They are not closed: a cursor another thread is using keeps working, and DuckDB closes a
    snapshot when its last cursor goes. The next :func:`reader` opens the newest one."""
    with _readers_lock:
        targets = list(_readers) if path is None else [_key(warehouse_path(path))]
        for key in targets:
            _readers.pop(key, None)
        _pointers.clear()


def _open_snapshot(snapshot: Path, size: int | None = None) -> duckdb.DuckDBPyConnection:
    """A snapshot opened read-only and asked one question of its catalogue, so a damaged
    file fails here, where it can be replaced, not in the middle of a page. ``size``: the
    main file's size when it was copied (a snapshot of another size was cut short)."""
    if size is not None and snapshot.stat().st_size != size:
        raise duckdb.IOException(f"snapshot {snapshot.name} is not the size it was written at")
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
    except BaseException:
        con.close()
        raise
    return con


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error is the storage's, not the query's: what a damaged snapshot
    gives (unreadable, truncated, a block whose checksum does not match)."""
    if isinstance(exc, duckdb.IOException | duckdb.SerializationException):
        return True
    return isinstance(exc, duckdb.Error) and "Corrupt database file" in str(exc)


def replace_snapshot(
    path: str | os.PathLike | None = None, damaged: str | None = None, wait: float = 0
) -> bool:
    """Replace a damaged snapshot (``damaged``: its file name; None: whichever is current)
    by a fresh copy of the main file, and tell this process's readers to open it. Done in a
    writer's turn, waiting up to ``wait`` seconds for a busy writer (whose commit publishes
    a fresh snapshot itself). True when the damaged snapshot is no longer current."""
    file = warehouse_path(path)
    side = snapshot_dir(file)
    try:
        with _turn(file, wait, doing="replacing a damaged snapshot", quiet=True):
            _pointers.clear()
            snap = _read_pointer(side)
            if snap is not None and damaged is not None and snap.file != damaged:
                return True  # a writer published a fresh one meanwhile
            if not file.exists():
                return False
            if snap is not None:
                (side / snap.file).unlink(missing_ok=True)
            _publish(file)
    except (WarehouseError, OSError) as exc:
        _to_stderr(f"A damaged snapshot of {file} could not be replaced yet ({exc}).")
        return False
    finally:
        close_readers(file)
    _to_stderr(f"A damaged snapshot of {file} ({damaged or 'current'}) was replaced from the "
               "main file.")  # fmt: skip
    return True


def reader(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor of its own on the newest snapshot of the warehouse (read-only). Close it, or
    let it go, when done; never share it between threads.

    A snapshot that is there but will not open (damaged on disk) is replaced from the main
    file, after a busy writer has finished."""
    file = warehouse_path(path)
    key = _key(file)
    side = snapshot_dir(file)
    last_error: Exception | None = None
    for attempt in range(_OPEN_ATTEMPTS):
        # A snapshot is removed by the publish that replaces it. A reader that keeps losing
        # that race (commits coming faster than it can open one) opens the next one in a
        # writer's turn, when no publish can remove it.
        chased = attempt >= _RACES_BEFORE_TURN and _owners.get(key) != threading.get_ident()
        guard = (
            _turn(file, write_wait_s(), doing="reading", quiet=True)
            if chased
            else contextlib.nullcontext()
        )
        with guard:
            snap = current_snapshot(file)
            with _readers_lock:
                opened = _readers.get(key)
                if opened is not None and opened.version == snap.version:
                    return opened.con.cursor()
                try:
                    con = _open_snapshot(side / snap.file, snap.source[1])
                except (duckdb.Error, FileNotFoundError) as exc:
                    last_error = exc
                    _pointers.pop(side / "current.json", None)
                    if not (side / snap.file).exists():
                        continue  # removed since we read the pointer: read it again
                else:
                    opened = _readers[key] = _Opened(snap.version, con)  # the old: forgotten
                    return opened.con.cursor()
        # damaged: replace it from the main file (waiting for a busy writer, which publishes
        # a fresh one when it commits)
        replace_snapshot(file, snap.file, wait=write_wait_s())
    raise WarehouseError(
        f"The warehouse {file} could not be read: its snapshot kept changing or could not be "
        f"opened ({last_error}). Try again; if it persists, delete the folder {side} (it is "
        "rebuilt from the warehouse on the next read)."
    )


def data_version(path: str | os.PathLike | None = None) -> int:
    """Changes with every commit (the published snapshot's version): what caches key on."""
    return current_snapshot(path).version


def first_row(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of a result, reading it to the end (DuckDB wants results finished)."""
    rows = result.fetchall()
    return rows[0] if rows else None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """A query's result as a pandas DataFrame, through Arrow (much faster than ``.df()`` on
    text columns)."""
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()
