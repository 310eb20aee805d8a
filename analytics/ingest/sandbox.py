"""Untrusted files are read in reader processes, never in the app.

A reader process is a separate Python interpreter (``python -I``, started with
:mod:`subprocess`, never a fork of the threaded server) that imports only what reading needs
(python-calamine and :mod:`analytics.ingest.parse`: no pandas, no Streamlit) and then limits
itself before it reads any file:

- ``RLIMIT_AS``: its address space (``LSP_READER_MEMORY_MB``, default 2048). A runaway
  allocation fails inside it: a Python ``MemoryError``, or Rust aborting the process;
- ``RLIMIT_CPU``: CPU seconds per file, a backstop for the wall-clock limit the app keeps
  (``LSP_READER_TIMEOUT_S``, default 60; the app kills a reader that has not answered);
- ``RLIMIT_CORE`` 0 (no core files) and ``RLIMIT_FSIZE`` (it never needs to write a file);
- its environment is empty but for the locale and ``PATH`` (no secrets of the app), it has
  no file descriptors of the app but its pipes, and it runs in its own session.

A crash, a runaway allocation or a hang costs that file a refusal whose message starts
"this file could not be read safely: ..." (:class:`~analytics.ingest.errors.UnsafeToRead`),
never the app and never another user's file: each file has a reader to itself.

Readers are kept warm: started when first needed, reused for the next file, replaced after
a failure (a fresh one is started at once in the background) or when they have grown past
``LSP_READER_RECYCLE_MB`` (default 512) of resident memory or read 200 files. At most
``LSP_READER_WORKERS`` (default 2) read at once; more sessions reading at the same time wait
their turn.

What a reader sends back is pickled plain data, and the app unpickles it with an unpickler
that can build nothing but lists, tuples, sets, dicts, strings, numbers and the four
:mod:`datetime` types (any other class, and so any code, is refused), then checks the shape
of every sheet before building :class:`~analytics.ingest.grid.SheetGrid` from it.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import datetime
import gc
import io
import json
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from analytics.ingest import errors
from analytics.ingest.errors import IngestError, UnsafeToRead
from analytics.ingest.grid import ReadLimits, SheetGrid, WorkbookRead

ROOT = Path(__file__).resolve().parents[2]
SAFELY = "this file could not be read safely: "
FIX = (
    "open it in Excel, save it again as .xlsx (the return sheet only) and re-send it; if "
    "it still cannot be read, send it to the performance team"
)
DEFAULT_ENTRY = "from analytics.ingest.reader_child import main; main()"
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); {entry}"
_FRAME = struct.Struct("<Q")  # a request: its length, then JSON
_BOOT_TIMEOUT_S = 120.0
_REFUSALS = {
    cls.__name__: cls
    for cls in (
        errors.UnsupportedFile,
        errors.CorruptFile,
        errors.PasswordProtected,
        errors.FileTooLarge,
        errors.EmptyWorkbook,
    )
}
_CELL_TYPES = frozenset(
    {str, int, float, bool, datetime.datetime, datetime.date, datetime.time, datetime.timedelta}
)
_FORMATS = frozenset({"xlsx", "ods", "xls", "csv"})


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


@dataclass(frozen=True)
class PoolSettings:
    """How many reader processes, and how big each may be (from the environment)."""

    workers: int = 2  # LSP_READER_WORKERS: files read at the same time
    memory_mb: int = 2048  # LSP_READER_MEMORY_MB: the most any read may ask for
    recycle_mb: int = 512  # LSP_READER_RECYCLE_MB: replace a reader grown past this
    max_reads: int = 200  # replace a reader after this many files
    cpu_lifetime_s: int = 3600  # its hard RLIMIT_CPU; replaced at half of it

    @classmethod
    def from_env(cls) -> PoolSettings:
        return cls(
            workers=_env_int("LSP_READER_WORKERS", cls.workers),
            memory_mb=_env_int("LSP_READER_MEMORY_MB", cls.memory_mb),
            recycle_mb=_env_int("LSP_READER_RECYCLE_MB", cls.recycle_mb),
        )


class _ReaderLost(Exception):
    """The reader process died, hung or answered nonsense (``kind`` says which)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


class _NotSent(Exception):
    """The reader could not be given the request (it died idle or never started)."""


class _PlainUnpickler(pickle.Unpickler):
    """Builds containers, strings, numbers and datetimes; refuses every other class."""

    _ALLOWED = frozenset({"datetime", "date", "time", "timedelta"})

    def find_class(self, module: str, name: str):
        if module == "datetime" and name in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not something a reader sends")

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("persistent ids are not something a reader sends")


def decode(source: bytes | bytearray | memoryview | io.BufferedIOBase) -> object:
    """A reader's answer as plain data (never code), from bytes or from the pipe as they
    arrive. The cyclic garbage collector is held off meanwhile: it would otherwise walk the
    growing grid over and over."""
    if not isinstance(source, io.IOBase):
        source = io.BytesIO(source)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _PlainUnpickler(source).load()
    finally:
        if was_enabled:
            gc.enable()


class _Pipe(io.RawIOBase):
    """The reader's stdout, read within a deadline and up to a size (a reader that sends
    more than its own memory could hold is not answering)."""

    def __init__(self, fd: int, deadline: float, most: int) -> None:
        self.fd, self.deadline, self.left = fd, deadline, most
        self.selector = selectors.DefaultSelector()
        self.selector.register(fd, selectors.EVENT_READ)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        wait = self.deadline - time.monotonic()
        if wait <= 0 or not self.selector.select(wait):
            raise _ReaderLost("time")
        n = os.readv(self.fd, [memoryview(buffer)[: max(1, min(len(buffer), self.left))]])
        if n == 0:
            raise _ReaderLost("died")
        self.left -= n
        if self.left <= 0:
            raise _ReaderLost("garbled", "an answer larger than the reader's memory")
        return n

    def close(self) -> None:
        self.selector.close()
        super().close()


def _child_env(settings: PoolSettings) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MALLOC_ARENA_MAX": "2",  # glibc: two arenas, not eight per core of address space
        "LSP_READER_MEMORY_MB": str(settings.memory_mb),
        "LSP_READER_CPU_LIFETIME_S": str(settings.cpu_lifetime_s),
    }


class _Reader:
    """One reader process and its pipes; used by one thread at a time."""

    def __init__(self, settings: PoolSettings, entry: str) -> None:
        self.settings = settings
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the reader
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT.format(entry=entry), str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=_child_env(settings),
            close_fds=True,
            start_new_session=True,
            bufsize=0,
        )
        with contextlib.suppress(OSError, AttributeError):
            import fcntl

            fcntl.fcntl(self.process.stdout.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ: 1 MB
        self.ready = False
        self.reads = 0
        self.rss_mb = 0.0
        self.cpu_s = 0.0
        self.seconds = 0.0  # spent reading the last file, as the reader measured it

    def _receive(self, deadline: float) -> tuple:
        """The next answer, unpickled straight from the pipe as it arrives."""
        most = self.settings.memory_mb * 1024 * 1024
        with io.BufferedReader(_Pipe(self.process.stdout.fileno(), deadline, most),
                               1 << 20) as pipe:  # fmt: skip
            try:
                reply = decode(pipe)
            except _ReaderLost:
                raise
            except EOFError as exc:
                raise _ReaderLost("died") from exc
            except Exception as exc:  # anything else unreadable is the reader's fault
                raise _ReaderLost("garbled", type(exc).__name__) from exc
        return self._answer(reply)

    def call(self, request: dict, timeout_s: float) -> tuple:
        """Send one request, wait for its answer within ``timeout_s`` (the reader's boot,
        the first time, is not counted), and return it decoded. Raises :class:`_NotSent`
        if the reader was gone before it got the request (the file is not to blame)."""
        try:
            if not self.ready:
                self._receive(time.monotonic() + _BOOT_TIMEOUT_S)
                self.ready = True
            body = json.dumps(request).encode()
            self.process.stdin.write(_FRAME.pack(len(body)) + body)
        except (_ReaderLost, OSError) as exc:
            raise _NotSent() from exc
        reply = self._receive(time.monotonic() + timeout_s)
        self.reads += 1
        return reply

    def _answer(self, reply: object) -> tuple:
        if not (isinstance(reply, tuple) and len(reply) == 3 and isinstance(reply[2], tuple)):
            raise _ReaderLost("garbled", "not a reply")
        stats = reply[2]
        if len(stats) == 3 and all(isinstance(v, int | float) for v in stats):
            self.rss_mb, self.cpu_s, self.seconds = stats
        return reply

    def worn(self) -> bool:
        s = self.settings
        return (
            self.rss_mb > s.recycle_mb
            or self.reads >= s.max_reads
            or self.cpu_s > s.cpu_lifetime_s / 2
        )

    def stop(self) -> tuple[int | None, str]:
        """Kill it (if alive) and return its exit status and the end of its stderr."""
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        tail = ""
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0, os.SEEK_END)
            self.stderr.seek(max(0, self.stderr.tell() - 4096))
            tail = self.stderr.read().decode("utf-8", "replace")
            self.stderr.close()
        return self.process.returncode, tail


class ReaderPool:
    """Warm reader processes, shared by every session of the app (thread-safe)."""

    def __init__(self, settings: PoolSettings | None = None, entry: str = DEFAULT_ENTRY) -> None:
        self.settings = settings or PoolSettings.from_env()
        self._entry = entry
        self._idle: list[_Reader] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.settings.workers)
        self._closed = False
        self.started = 0  # reader processes started (a failed one is replaced)
        self.reads = 0  # files answered by a reader (read or refused)

    def _new_reader(self) -> _Reader:
        reader = _Reader(self.settings, self._entry)
        with self._lock:
            self.started += 1
        return reader

    def _take(self) -> _Reader:
        """A warm reader (one that died while idle is dropped), else a new one."""
        while True:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the reader pool is closed")
                reader = self._idle.pop() if self._idle else None
            if reader is None:
                return self._new_reader()
            if reader.process.poll() is None:
                return reader
            reader.stop()

    def _give_back(self, reader: _Reader) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.settings.workers:
                self._idle.append(reader)
                return
        reader.stop()

    def _replace_soon(self) -> None:
        """Start a reader in the background so the next file finds one warm."""

        def warm() -> None:
            with contextlib.suppress(Exception):
                reader = self._new_reader()
                try:
                    reader._receive(time.monotonic() + _BOOT_TIMEOUT_S)
                    reader.ready = True
                except _ReaderLost:
                    reader.stop()
                    return
                self._give_back(reader)

        threading.Thread(target=warm, name="lsp-reader-warm", daemon=True).start()

    def call(self, request: dict, limits: ReadLimits) -> tuple:
        """One request answered by a reader: ``(status, payload, stats)`` with status ``ok``
        or ``refused``; raises :class:`UnsafeToRead` (naming ``request['file']``) if the
        reader crashed, hung, ran out of memory or answered nonsense on it."""
        memory_mb = min(limits.reader_memory_mb, self.settings.memory_mb)
        request = {**request, "memory_mb": memory_mb, "timeout_s": limits.read_timeout_s}
        with self._slots:
            reader = self._take()
            try:
                try:
                    reply = reader.call(request, limits.read_timeout_s)
                except _NotSent:  # not the file's doing: once more with a new reader
                    reader.stop()
                    reader = self._new_reader()
                    reply = reader.call(request, limits.read_timeout_s)
            except _NotSent as exc:
                reader.stop()
                why = "no reader process could be started (the server may be short of memory)"
                raise UnsafeToRead(SAFELY + why, fix="try again in a moment",
                                   file=request["file"]) from exc  # fmt: skip
            except _ReaderLost as lost:
                status, tail = reader.stop()
                self._replace_soon()
                raise _unsafe(lost, status, tail, request["file"], limits, memory_mb) from None
            except BaseException:
                reader.stop()
                raise
            with self._lock:
                self.reads += 1
            if reply[0] not in ("ok", "refused") or reader.worn():
                reader.stop()
                self._replace_soon()
            else:
                self._give_back(reader)
        if reply[0] == "memory":
            why = f"reading it needed more than the {memory_mb:,} MB memory limit"
            raise UnsafeToRead(SAFELY + why, fix=FIX, file=request["file"])
        if reply[0] not in ("ok", "refused"):
            why = f"the reader failed on it ({_text(reply[1], 100)})"
            raise UnsafeToRead(SAFELY + why, fix=FIX, file=request["file"])
        return reply

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.stop()


def _unsafe(lost: _ReaderLost, status, tail: str, file: str, limits, memory_mb) -> UnsafeToRead:
    if lost.kind == "time" or status == -signal.SIGXCPU:
        why = f"reading it took longer than the {limits.read_timeout_s:g}-second limit"
    elif "memory allocation of" in tail or "MemoryError" in tail:
        why = f"reading it needed more than the {memory_mb:,} MB memory limit"
    elif lost.kind == "garbled":
        why = "the reader's answer was not plain data, so it was not used"
    elif status is not None and status < 0:
        why = f"the reader stopped on it ({signal.Signals(-status).name})"
    else:
        why = f"the reader stopped on it (exit status {status})"
    return UnsafeToRead(SAFELY + why, fix=FIX, file=file)


_pool: ReaderPool | None = None
_pool_lock = threading.Lock()


def pool() -> ReaderPool:
    """The app's reader pool (started lazily; closed when the app exits)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ReaderPool()
            atexit.register(_pool.close)
        return _pool


@contextlib.contextmanager
def using(replacement: ReaderPool) -> Iterator[ReaderPool]:
    """Read with ``replacement`` meanwhile (tests: a pool with a test entry point)."""
    global _pool
    with _pool_lock:
        previous, _pool = _pool, replacement
    try:
        yield replacement
    finally:
        with _pool_lock:
            _pool = previous


def read(path: Path, file: str, limits: ReadLimits, *, visible: bool, named: tuple[str, ...],
         workbooks_only: bool) -> WorkbookRead:  # fmt: skip
    """Read one file in a reader process (see :func:`analytics.ingest.read.read_sheets`)."""
    request = {
        "path": str(Path(path).resolve()),
        "file": file,
        "limits": dataclasses.asdict(limits),
        "visible": visible,
        "named": list(named),
        "workbooks_only": workbooks_only,
    }
    status, payload, _ = pool().call(request, limits)
    if status == "refused":
        raise _refusal(payload, file)
    return workbook_from_answer(payload, file, named)


def workbook_from_answer(payload: object, file: str, named: tuple[str, ...]) -> WorkbookRead:
    """The grids from a reader's answer, after checking its shape (raises
    :class:`UnsafeToRead` if it is not what a reader sends)."""
    try:
        return _workbook(payload, file, named)
    except (TypeError, ValueError) as exc:
        raise UnsafeToRead(
            SAFELY + "the reader's answer was not in the expected form, so it was not used",
            fix=FIX,
            file=file,
        ) from exc


def _text(value: object, limit: int = 1000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _refusal(payload: object, file: str) -> IngestError:
    if not (isinstance(payload, tuple) and len(payload) == 5):
        return UnsafeToRead(SAFELY + "the reader's answer was garbled", fix=FIX, file=file)
    kind, message, fix, sheet, cell = payload
    cls = _REFUSALS.get(kind if isinstance(kind, str) else "", errors.CorruptFile)
    return cls(_text(message), fix=_text(fix), file=file, sheet=_text(sheet) or None,
               cell=_text(cell) or None)  # fmt: skip


def _pairs(values: object) -> set[tuple[int, int]]:
    out = set(values)
    if not all(type(p) is tuple and len(p) == 2 and {type(p[0]), type(p[1])} == {int}
               for p in out):  # fmt: skip
        raise TypeError("cell positions")
    return out


def _merged(merged: object) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    if type(merged) is not list:
        raise TypeError("merged cells")
    for pair in merged:
        if type(pair) is not tuple or len(pair) != 2:
            raise TypeError("merged cells")
        _pairs(pair)
    return merged


def _rows(rows: object) -> list[list[object]]:
    if type(rows) is not list or not all(type(r) is list for r in rows):
        raise TypeError("rows")
    if not set(map(type, chain.from_iterable(rows))) <= _CELL_TYPES:
        raise TypeError("cell values")
    return rows


def _workbook(payload: object, file: str, named: tuple[str, ...]) -> WorkbookRead:
    """Check the shape of a reader's answer and build the grids from it."""
    file_format, sheets = payload
    if file_format not in _FORMATS or type(sheets) is not list:
        raise TypeError("format")
    out = WorkbookRead(file, file_format, [])
    for sheet in sheets:
        name, shown, rows, merged, percent, uncalculated = sheet
        if file_format == "csv" and name is None:
            name = Path(file).stem
        if type(name) is not str or type(shown) is not bool:
            raise TypeError("sheet")
        if rows is None or not shown:
            out.grids.append(SheetGrid(file, name, False, [], file_format=file_format))
            if rows is not None and name in named:
                out.named[name] = _rows(rows)
            continue
        grid = SheetGrid(file, name, True, _rows(rows), _merged(merged), _pairs(percent),
                         file_format, _pairs(uncalculated))  # fmt: skip
        out.grids.append(grid)
        if name in named:
            out.named[name] = grid.rows
    return out
