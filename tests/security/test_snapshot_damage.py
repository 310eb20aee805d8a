"""A damaged snapshot is replaced, and a page that fails says so plainly.

The red team's attempt: with the newest snapshot damaged on disk, every page (sign-in
included) showed a Python traceback with file paths until the next write, though the main
file and the previous snapshot were fine. Each kind of damage is tried: a truncated file,
a file of garbage, and a block in the middle whose checksum no longer matches.
"""

from __future__ import annotations

import os
import threading

import pytest

from analytics.warehouse import connection
from analytics.warehouse.connection import (
    close_readers,
    current_snapshot,
    reader,
    snapshot_dir,
    writer,
)


def _damage(file, how: str) -> None:
    size = file.stat().st_size
    if how == "truncated":
        os.truncate(file, size // 2)
    elif how == "garbage":
        with open(file, "r+b") as handle:
            handle.write(os.urandom(8192))
    else:  # blocks in the middle: the file opens, then they fail their checksums when read
        with open(file, "r+b") as handle:
            handle.seek(size // 4)
            handle.write(os.urandom(size // 2))


def _count(path) -> int:
    cur = reader(path)
    try:
        return cur.execute("SELECT count(*) FROM actual").fetchall()[0][0]
    finally:
        cur.close()


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test__reader__replaces_a_damaged_snapshot_from_the_main_file(demo_copy, how):
    expected = _count(demo_copy)
    damaged = current_snapshot(demo_copy).file
    close_readers()  # as a process that has not opened it yet
    _damage(snapshot_dir(demo_copy) / damaged, how)
    assert _count(demo_copy) == expected
    assert current_snapshot(demo_copy).file != damaged


def test__reader__waits_for_a_busy_writer_then_reads_its_fresh_snapshot(demo_copy):
    before = _count(demo_copy)
    damaged = current_snapshot(demo_copy).file
    close_readers()
    _damage(snapshot_dir(demo_copy) / damaged, "garbage")
    holding, release = threading.Event(), threading.Event()
    counted: list[int] = []

    def busy_writer() -> None:
        with writer(demo_copy) as con:
            con.execute("DELETE FROM actual WHERE actual_id IN (SELECT min(actual_id) FROM actual)")
            holding.set()
            release.wait(timeout=60)

    def page_reader() -> None:
        counted.append(_count(demo_copy))

    writing = threading.Thread(target=busy_writer)
    writing.start()
    assert holding.wait(timeout=60)
    reading = threading.Thread(target=page_reader)
    reading.start()  # it waits for the writer's turn (or finds the writer's fresh snapshot)
    release.set()
    writing.join()
    reading.join()
    assert counted == [before - 1]  # the committed state, whole; never an error
    assert [p.name for p in snapshot_dir(demo_copy).glob("*.duckdb")] == [
        current_snapshot(demo_copy).file
    ]


def test__snapshots__at_rest_the_folder_holds_one(demo_copy):
    for _ in range(3):
        with writer(demo_copy) as con:
            con.execute("CREATE OR REPLACE TABLE scratch AS SELECT 1 AS x")
    assert len(list(snapshot_dir(demo_copy).glob("*.duckdb"))) == 1


def test__app__a_damaged_snapshot_shows_the_pages_not_a_traceback(app, demo_copy, monkeypatch):
    expected = _count(demo_copy)
    damaged = current_snapshot(demo_copy).file
    close_readers()
    _damage(snapshot_dir(demo_copy) / damaged, "checksum")
    signed_out = app(demo_copy, user=None)  # the sign-in page
    assert not signed_out.exception and not signed_out.error
    assert signed_out.text_input(key="signin_email") is not None
    overview = app(demo_copy)
    assert not overview.exception and not overview.error
    assert overview.title[0].value == "Overview"
    assert _count(demo_copy) == expected


def test__app__a_failing_page_shows_a_plain_message_with_a_reference(app, demo_copy, monkeypatch):
    from analytics.warehouse import page_data

    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/lsp/secret/path.py")

    monkeypatch.setattr(page_data, "overview", broken)
    at = app(demo_copy)
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert "Something went wrong" in message and "reference" in message
    assert "/srv" not in message and "RuntimeError" not in message and "boom" not in message


def test__is_damage__tells_the_storages_errors_from_a_querys_own():
    """A query's own error (a programming error) is not damage: nothing is replaced for it."""
    import duckdb

    assert not connection.is_damage(duckdb.CatalogException("no such table"))
    assert not connection.is_damage(RuntimeError("Corrupt database file"))
    assert connection.is_damage(duckdb.IOException("Could not read enough bytes"))
    assert connection.is_damage(duckdb.Error("Corrupt database file: computed checksum ..."))


def test__lsp__a_snapshot_damaged_in_the_middle_is_replaced_and_the_command_answers(
    demo_copy, capsys
):
    from analytics.cli import main

    assert main(["--warehouse", str(demo_copy), "status", "--format", "csv",
                 "--partnership", "WVP"]) == 0  # fmt: skip
    expected = capsys.readouterr().out
    damaged = current_snapshot(demo_copy).file
    close_readers()
    _damage(snapshot_dir(demo_copy) / damaged, "checksum")
    assert main(["--warehouse", str(demo_copy), "status", "--format", "csv",
                 "--partnership", "WVP"]) == 0  # fmt: skip
    printed = capsys.readouterr()
    assert printed.out == expected
    assert f"A damaged snapshot of {demo_copy}" in printed.err and "was replaced" in printed.err
    assert current_snapshot(demo_copy).file != damaged
