"""A reader process for the tests only: the real reader, plus misbehaviour on demand.

Started as the entry point of a test pool (``ReaderPool(entry=ENTRY)``), never by the app,
so nothing here can be triggered by a file the app reads. A file whose display name starts
with one of these words makes the reader:

- ``hang``: never answer (the app's time limit must end it);
- ``abort``: abort the process (SIGABRT, as a Rust panic in a native reader does);
- ``exhaust``: allocate until Python runs out of memory;
- ``unmeasured``: skip the size check before building, so python-calamine itself tries to
  build a sheet as large as the file says (the memory limit must contain it);
- ``forged``: answer with a pickle that would run a command if the app unpickled it freely
  (the command touches the file named in the path's ``.marker`` sibling).
"""

from __future__ import annotations

import os
import time

ENTRY = "from tests.security.reader_hooks import main; main()"


class _Forged:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _read(request: dict):
    from analytics.ingest import parse

    word = request["file"].split("-", 1)[0]
    if word == "hang":
        time.sleep(3600)
    if word == "abort":
        os.abort()
    if word == "exhaust":
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    if word == "forged":
        return _Forged(request["path"] + ".marker")
    if word == "unmeasured":
        measured = parse.check_span
        parse.check_span = lambda *args, **kwargs: None
        try:
            return parse.read_request(request)
        finally:
            parse.check_span = measured
    return parse.read_request(request)


def main() -> None:
    from analytics.ingest import reader_child

    reader_child.main(read=_read)
