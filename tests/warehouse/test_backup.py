"""`lsp backup` / `lsp restore`: a backup made while a writer commits holds whole commits and
every one made before it; a restore checks every file first and refuses a changed, missing or
added one, or a place that is not empty, writing nothing; the accounts store comes back, from
SQLite or from a real PostgreSQL."""

from __future__ import annotations

import json
import threading

import pytest

from analytics.cli import main
from analytics.warehouse.backup import BackupError, backup, restore, verify
from analytics.warehouse.connection import close_readers, reader, writer

PROBE = "CREATE TABLE IF NOT EXISTS backup_probe (k INTEGER PRIMARY KEY)"


def _probe_values(warehouse) -> list[int]:
    close_readers()
    return [
        r[0] for r in reader(warehouse).execute("SELECT k FROM backup_probe ORDER BY k").fetchall()
    ]


def _emails(warehouse) -> set[str]:
    from analytics.warehouse import accounts

    return set(accounts.list_accounts(warehouse)["email"])


def test__backup__made_during_writes_holds_every_value_committed_before_it(demo_copy, tmp_path):
    with writer(demo_copy) as con:
        con.execute(PROBE)
    committed: list[int] = []
    stop = threading.Event()
    enough = threading.Event()

    def keep_writing() -> None:
        k = 0
        while not stop.is_set() and k < 400:
            k += 1
            with writer(demo_copy) as con:
                con.execute("INSERT INTO backup_probe VALUES (?)", [k])
            committed.append(k)  # the commit has ended: readers may see it
            if k == 5:
                enough.set()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        assert enough.wait(timeout=120)
        before = list(committed)  # committed before the backup began
        done = backup(demo_copy, tmp_path / "backup")
    finally:
        stop.set()
        thread.join(timeout=120)
    target = tmp_path / "restored" / "warehouse.duckdb"
    restore(tmp_path / "backup", target)
    values = _probe_values(target)
    assert set(before) <= set(values)  # every value committed before the backup
    assert values == list(range(1, len(values) + 1))  # whole commits, in order, no gap
    assert len(values) <= len(committed)
    assert done.manifest["warehouse"]["schema_version"] >= 9
    assert _emails(target) == _emails(demo_copy)  # the accounts store came back too


def test__backup__the_manifest_lists_every_file_with_its_size_and_sha256(demo_copy, tmp_path):
    raw = demo_copy.parent / "raw" / "2010-11" / "Q4"  # before the snapshot the backup publishes
    raw.mkdir(parents=True)
    (raw / "health_q4.csv").write_bytes(b"PI ref,Result\nNI 8,23.5\n")
    done = backup(demo_copy, tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest == done.manifest
    paths = {f["path"]: f for f in manifest["files"]}
    assert {"warehouse.duckdb", "accounts.sqlite", "raw/2010-11/Q4/health_q4.csv"} <= set(paths)
    assert paths["raw/2010-11/Q4/health_q4.csv"]["bytes"] == 24
    assert manifest["accounts"]["kind"] == "sqlite"
    assert set(manifest["versions"]) == {"lsp_performance", "duckdb", "python"}
    assert manifest["made_at"].endswith("+00:00")
    assert verify(tmp_path / "b") == manifest
    target = tmp_path / "r" / "warehouse.duckdb"
    restore(tmp_path / "b", target)
    restored = target.parent / "raw" / "2010-11" / "Q4" / "health_q4.csv"
    assert restored.read_bytes() == b"PI ref,Result\nNI 8,23.5\n"


def test__backup__a_raw_file_newer_than_the_snapshot_waits_for_the_next_backup(demo_copy, tmp_path):
    with writer(demo_copy) as con:
        con.execute(PROBE)
    later = demo_copy.parent / "raw" / "later.csv"
    later.parent.mkdir(exist_ok=True)
    later.write_bytes(b"written after the last commit\n")
    done = backup(demo_copy, tmp_path / "b")
    assert "raw/later.csv" not in {f["path"] for f in done.manifest["files"]}
    assert done.manifest["raw"]["left_for_the_next_backup"] == 1


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        (lambda b: _flip_a_byte(b / "warehouse.duckdb"), "warehouse.duckdb: its SHA-256"),
        (lambda b: (b / "accounts.sqlite").unlink(), "accounts.sqlite: missing"),
        (lambda b: (b / "extra.duckdb").write_bytes(b"x"), "extra.duckdb: not in the manifest"),
        (lambda b: (b / "accounts.sqlite").write_bytes(b"short"), "accounts.sqlite: 5 bytes"),
        (lambda b: (b / "manifest.json").unlink(), "is not a backup: it has no manifest.json"),
    ],
)
def test__restore__a_tampered_backup_is_refused_and_nothing_is_written(
    demo_copy, tmp_path, tamper, said
):
    backup(demo_copy, tmp_path / "b")
    tamper(tmp_path / "b")
    target = tmp_path / "r" / "warehouse.duckdb"
    with pytest.raises(BackupError) as refused:
        restore(tmp_path / "b", target)
    assert said in str(refused.value)
    assert not (tmp_path / "r").exists()


def _flip_a_byte(path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test__restore__refuses_a_place_that_is_not_empty(demo_copy, tmp_path):
    backup(demo_copy, tmp_path / "b")
    before = demo_copy.read_bytes()
    with pytest.raises(BackupError, match="not an empty place") as refused:
        restore(tmp_path / "b", demo_copy)
    assert "the warehouse" in str(refused.value) and "accounts store" in str(refused.value)
    assert demo_copy.read_bytes() == before


def test__backup__refuses_a_folder_that_is_not_empty(demo_copy, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not an empty folder"):
        backup(demo_copy, tmp_path / "b")
    assert (tmp_path / "b" / "notes.txt").read_text() == "keep me"


def test__backup__the_accounts_in_a_real_postgresql_are_dumped_and_restored(
    accounts_copy, store_backend, tmp_path, monkeypatch, postgres_server
):
    from analytics.authstore import ENV_VAR, forget_stores

    emails = _emails(accounts_copy)
    assert "board@wyvernvale.example" in emails
    done = backup(accounts_copy, tmp_path / "b")
    expected = {"sqlite": "accounts.sqlite", "postgresql": "accounts.pgdump"}[store_backend]
    assert done.manifest["accounts"]["file"] == expected
    if store_backend == "postgresql":
        assert "pg_dump" in done.manifest["accounts"]["tool"]
        with pytest.raises(BackupError, match="not an empty place"):  # its tables are there
            restore(tmp_path / "b", tmp_path / "r" / "warehouse.duckdb")
        forget_stores()
        monkeypatch.setenv(ENV_VAR, postgres_server.new_database())
    target = tmp_path / "r" / "warehouse.duckdb"
    restore(tmp_path / "b", target)
    assert _emails(target) == emails


def test__restore__a_sqlite_backup_is_not_poured_into_postgresql(
    demo_copy, tmp_path, monkeypatch, postgres_server
):
    from analytics.authstore import ENV_VAR

    backup(demo_copy, tmp_path / "b")
    monkeypatch.setenv(ENV_VAR, postgres_server.new_database())
    with pytest.raises(Exception, match="unset it to restore them beside the warehouse"):
        restore(tmp_path / "b", tmp_path / "r" / "warehouse.duckdb")
    assert not (tmp_path / "r" / "warehouse.duckdb").exists()


def test__cli__backup_then_restore(demo_copy, tmp_path, capsys):
    assert main(["--warehouse", str(demo_copy), "backup", "-o", str(tmp_path / "b")]) == 0
    assert "Backup written to" in capsys.readouterr().out
    target = tmp_path / "r" / "warehouse.duckdb"
    assert main(["restore", str(tmp_path / "b"), "--warehouse", str(target)]) == 0
    assert "Every file matched its SHA-256" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "b"), "--warehouse", str(target)]) == 1
    assert "not an empty place" in capsys.readouterr().err
    assert main(["--warehouse", str(demo_copy), "backup", "-o", str(tmp_path / "b")]) == 1
    assert "not an empty folder" in capsys.readouterr().err
