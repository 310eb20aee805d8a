"""The reader process's main loop (started by :mod:`analytics.ingest.sandbox`; never imported
by the app). It imports what reading needs, limits itself, says it is ready, then answers one
request at a time on its pipes until the app closes them.

A request is an 8-byte little-endian length and JSON; an answer is a pickle of plain data
written straight into the pipe (the app unpickles it as it arrives): ``(status, payload,
(resident MB, CPU seconds, seconds spent on it))`` with ``status`` one of ``ok`` (payload:
the file format and sheets), ``refused`` (the
:class:`~analytics.ingest.errors.IngestError`'s class name, message, fix, sheet, cell),
``memory`` or ``failed``.

The collector is off while a request is answered: an answer is a tree of hundreds of
thousands of lists and values, and the collections its building would trigger (each walking
everything alive) cost the read as much again. Nothing a read builds makes a cycle that
matters; the collector runs after each answer is sent, while the app decodes it.
"""

from __future__ import annotations

import gc
import io
import json
import math
import os
import pickle
import resource
import struct
import sys
import time

from analytics.ingest import parse
from analytics.ingest.errors import IngestError

_FRAME = struct.Struct("<Q")
_MB = 1024 * 1024


def _limit_self() -> None:
    memory = int(os.environ.get("LSP_READER_MEMORY_MB", "2048")) * _MB
    cpu = int(os.environ.get("LSP_READER_CPU_LIFETIME_S", "3600"))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * _MB, 1024 * _MB))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _resident_mb() -> float:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / _MB
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read_exactly(fd: int, n: int) -> bytes | None:
    out = bytearray()
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        if not chunk:
            return None
        out += chunk
    return bytes(out)


def send(out: io.BufferedWriter, reply: tuple) -> None:
    """Pickle the reply straight into the pipe (plain data only: see the app's decoder,
    :func:`analytics.ingest.sandbox.decode`, which unpickles it as it arrives)."""
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the answer is a tree, and this is 10x faster
    pickler.dump(reply)
    out.flush()


def answer(request: dict, read=parse.read_request) -> tuple[str, object]:
    """(status, payload) for one request; never raises for anything the file does."""
    if request.get("op") == "modules":
        return "ok", sorted(sys.modules)
    try:
        return "ok", read(request)
    except IngestError as error:
        return "refused", (type(error).__name__, error.message, error.fix, error.sheet,
                           error.cell)  # fmt: skip
    except MemoryError:
        return "memory", None
    except RecursionError:
        return "failed", "RecursionError"


def main(read=parse.read_request) -> None:
    requests, replies = 0, os.fdopen(os.dup(1), "wb", buffering=1 << 20)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    _limit_self()
    gc.freeze()  # what was imported stays: no collection walks it again
    gc.disable()
    hard_memory = resource.getrlimit(resource.RLIMIT_AS)[1]
    hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]
    send(replies, ("ready", None, (_resident_mb(), _cpu_seconds(), 0.0)))
    while True:
        header = _read_exactly(requests, _FRAME.size)
        if header is None:
            return
        body = _read_exactly(requests, _FRAME.unpack(header)[0])
        if body is None:
            return
        request = json.loads(body)
        memory = min(int(request.get("memory_mb", 0)) * _MB or hard_memory, hard_memory)
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard_memory))
        budget = math.ceil(_cpu_seconds() + 2 * float(request.get("timeout_s", 60)) + 5)
        resource.setrlimit(resource.RLIMIT_CPU, (min(budget, hard_cpu), hard_cpu))
        started = time.perf_counter()
        status, payload = answer(request, read)
        stats = (_resident_mb(), _cpu_seconds(), time.perf_counter() - started)
        try:
            send(replies, (status, payload, stats))
        except MemoryError:  # half an answer may be in the pipe: end, the app will know
            os.write(2, b"MemoryError while sending the answer\n")
            os._exit(3)
        payload = None
        gc.collect()
