"""`lsp backup` and `lsp restore`: a consistent copy of everything a council would lose.

A backup is a folder:

    warehouse.duckdb        the newest snapshot of the warehouse (whole commits only)
    raw/...                 the files received, kept as received, up to that snapshot
    accounts.sqlite         the accounts store (SQLite's online backup), or
    accounts.pgdump         its tables dumped from PostgreSQL (pg_dump, custom format)
    manifest.json           written last: every file's SHA-256 and size, the versions, when

**Made while the app serves.** The warehouse comes from the snapshot readers use
(:mod:`analytics.warehouse.connection`): a file that is never changed once published, so
copying it needs no writer's lock and holds up nobody; it is opened before it is copied, so a
commit that replaces it meanwhile changes nothing (Linux keeps an unlinked file readable). Raw
files are written before their return commits, so every return in the snapshot has its file;
files newer than the snapshot (a later commit's, or one being written) are left for the next
backup. The accounts store is copied by its own consistent means. The manifest is written
last, under a temporary name, then renamed: a folder without one is not a backup.

**Restored only into an empty place, after every check.** :func:`restore` reads the manifest,
checks every file's size and SHA-256 and that nothing was added, and that the target
warehouse, its snapshots, its ``raw/`` folder and its accounts store do not exist; only then
does it write anything, the warehouse last but one (under a temporary name, then renamed) and
the store last.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from analytics.warehouse.connection import (
    WarehouseError,
    close_readers,
    current_snapshot,
    snapshot_dir,
    warehouse_path,
)

MANIFEST = "manifest.json"
FORMAT = 1  # the layout of a backup folder; restore refuses one it does not know
WAREHOUSE_FILE = "warehouse.duckdb"
RAW = "raw"
_BLOCK = 1 << 20


class BackupError(WarehouseError):
    """A backup cannot be made, or a backup folder cannot be restored; nothing was written
    where it would have gone. The message says what is wrong and what to do."""


@dataclass(frozen=True)
class BackupDone:
    folder: Path
    manifest: dict

    def summary(self) -> str:
        m = self.manifest
        files = m["files"]
        raw = [f for f in files if f["path"].startswith(f"{RAW}/")]
        total = sum(f["bytes"] for f in files)
        store = m["accounts"]
        return (
            f"Backup written to {self.folder}: the warehouse as at data version "
            f"{m['warehouse']['data_version']} (schema {m['warehouse']['schema_version']}), "
            f"{len(raw)} raw file(s), the accounts store "
            + (f"({store['kind']}, {store['file']})" if store["file"] else "(none yet)")
            + f"; {len(files)} files, {total / 2**20:,.1f} MB, each with its SHA-256 in "
            f"{MANIFEST}."
        )


def _copy_hashed(source, target: Path) -> tuple[int, str]:
    """Copy an open binary file to ``target``; (bytes, SHA-256)."""
    digest = hashlib.sha256()
    size = 0
    with open(target, "xb") as out:
        for block in iter(lambda: source.read(_BLOCK), b""):
            digest.update(block)
            out.write(block)
            size += len(block)
    return size, digest.hexdigest()


def _hash(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _entry(folder: Path, path: Path, size: int, sha256: str) -> dict:
    return {"path": path.relative_to(folder).as_posix(), "bytes": size, "sha256": sha256}


def _empty_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            f"{folder} already exists and is not an empty folder: a backup never writes over "
            "anything. Name a new folder (e.g. with the date) with -o."
        )
    folder.mkdir(parents=True, exist_ok=True)


def _snapshot_copy(file: Path, target: Path) -> tuple[int, str, int]:
    """Copy the newest snapshot of ``file``: (bytes, SHA-256, data version)."""
    side = snapshot_dir(file)
    for _ in range(5):
        snap = current_snapshot(file)
        try:
            handle = open(side / snap.file, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            continue  # replaced since the pointer was read: read it again
        with handle:
            if os.fstat(handle.fileno()).st_size != snap.source[1]:
                raise BackupError(
                    f"The snapshot {side / snap.file} is not the size it was written at; "
                    "run any `lsp` command (it replaces a damaged snapshot), then back up again."
                )
            size, sha256 = _copy_hashed(handle, target)
        return size, sha256, snap.version
    raise BackupError(f"The snapshot of {file} kept changing; try the backup again.")


def _schema_version(warehouse_file: Path) -> int:
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        return int(con.execute("SELECT max(version) FROM _migrations").fetchall()[0][0] or 0)
    finally:
        con.close()


def _copy_raw(raw: Path, folder: Path, up_to_ns: int) -> tuple[list[dict], int]:
    """Raw files written before the snapshot (``up_to_ns``); (entries, files left out)."""
    entries, later = [], 0
    if not raw.is_dir():
        return entries, later
    for path in sorted(raw.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_mtime_ns > up_to_ns:
                later += 1  # a later commit's file, or one being written: the next backup's
                continue
            target = folder / RAW / path.relative_to(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            size, sha256 = _copy_hashed(handle, target)
        entries.append(_entry(folder, target, size, sha256))
    return entries, later


def _versions() -> dict:
    from importlib import metadata

    try:
        lsp = metadata.version("lsp-performance")
    except metadata.PackageNotFoundError:
        lsp = "unknown"
    return {"lsp_performance": lsp, "duckdb": duckdb.__version__,
            "python": platform.python_version()}  # fmt: skip


def backup(path: str | os.PathLike | None, folder: Path) -> BackupDone:
    """Back up the warehouse ``path``, its raw files and its accounts store into ``folder``
    (new or empty)."""
    from analytics.authstore.backup import backup_store

    file = warehouse_path(path)
    if not file.exists():
        raise BackupError(f"There is no warehouse at {file} to back up.")
    folder = Path(folder)
    _empty_folder(folder)
    made_at = datetime.now(UTC)
    size, sha256, version = _snapshot_copy(file, folder / WAREHOUSE_FILE)
    files = [{"path": WAREHOUSE_FILE, "bytes": size, "sha256": sha256}]
    raw, later = _copy_raw(file.parent / RAW, folder, up_to_ns=version)
    files += raw
    store = backup_store(file, folder)
    if store.file:
        files.append(_entry(folder, folder / store.file, *_hash(folder / store.file)))
    manifest = {
        "format": FORMAT,
        "made_by": "lsp backup",
        "made_at": made_at.isoformat(timespec="seconds"),
        "versions": _versions(),
        "warehouse": {
            "source": str(file.resolve()),
            "data_version": version,
            "snapshot_published_at": datetime.fromtimestamp(version / 1e9, UTC).isoformat(
                timespec="seconds"
            ),
            "schema_version": _schema_version(folder / WAREHOUSE_FILE),
        },
        "raw": {"files": len(raw), "left_for_the_next_backup": later},
        "accounts": {
            "kind": store.kind,
            "file": store.file,
            "source": store.source,
            "tool": store.tool,
        },  # fmt: skip
        "files": files,
    }
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    os.replace(tmp, folder / MANIFEST)
    return BackupDone(folder, manifest)


# --- restore ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, checked for its shape (not yet the files)."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{folder} is not a backup: it has no {MANIFEST} (a backup cut short has none). "
            "Name a folder `lsp backup` wrote."
        )
    try:
        manifest = json.loads(path.read_text("utf-8"))
        files = manifest["files"]
        ok = isinstance(files, list) and all(
            isinstance(f["path"], str) and isinstance(f["bytes"], int) and len(f["sha256"]) == 64
            for f in files
        )
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise BackupError(f"{path} cannot be read as a backup manifest; the backup is refused.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup of format {manifest.get('format')!r}; this version of lsp "
            f"restores format {FORMAT}. Restore it with the version that made it "
            f"({manifest.get('versions', {}).get('lsp_performance', 'unknown')})."
        )
    return manifest


def verify(folder: Path) -> dict:
    """Check every file of a backup against its manifest: present, the same size and SHA-256,
    inside the folder, and nothing added. The manifest, or :class:`BackupError` listing every
    problem."""
    folder = Path(folder).resolve()
    manifest = read_manifest(folder)
    problems = []
    listed = set()
    for entry in manifest["files"]:
        path = (folder / entry["path"]).resolve()
        listed.add(path)
        if folder not in path.parents:
            problems.append(f"{entry['path']}: names a place outside the backup folder")
            continue
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
            continue
        size, sha256 = _hash(path)
        if size != entry["bytes"]:
            problems.append(f"{entry['path']}: {size:,} bytes where the manifest says "
                            f"{entry['bytes']:,}")  # fmt: skip
        elif sha256 != entry["sha256"]:
            problems.append(f"{entry['path']}: its SHA-256 is not the one in the manifest "
                            "(the file was changed or damaged)")  # fmt: skip
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST and path.resolve() not in listed:
            problems.append(f"{path.relative_to(folder)}: not in the manifest (added later)")
    if WAREHOUSE_FILE not in {e["path"] for e in manifest["files"]}:
        problems.append(f"{WAREHOUSE_FILE}: not in the manifest")
    if problems:
        raise BackupError(
            f"The backup {folder} does not match its manifest, so nothing was restored:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\nRestore another backup (an older one, or a copy kept elsewhere)."
        )
    return manifest


def _in_the_way(file: Path) -> list[str]:
    from analytics.authstore.backup import store_in_the_way

    found = []
    for what, path in (("the warehouse", file), ("its write-ahead log", Path(f"{file}.wal")),
                       ("its snapshots", snapshot_dir(file))):  # fmt: skip
        if path.exists():
            found.append(f"{what} {path}")
    raw = file.parent / RAW
    if raw.is_dir() and any(p.is_file() for p in raw.rglob("*")):
        found.append(f"received files in {raw}")
    store = store_in_the_way(file)
    if store:
        found.append(store)
    return found


@dataclass(frozen=True)
class RestoreDone:
    warehouse: Path
    raw_files: int
    accounts: str
    manifest: dict

    def summary(self) -> str:
        w = self.manifest["warehouse"]
        return (
            f"Restored {self.warehouse} (data version {w['data_version']}, backed up "
            f"{self.manifest['made_at']}), {self.raw_files} raw file(s) into "
            f"{self.warehouse.parent / RAW}, and "
            + (
                f"the accounts store into {self.accounts}. "
                if self.accounts
                else "no accounts store (the backup had none). "
            )  # fmt: skip
            + "Every file matched its SHA-256 first."
        )


def restore(folder: Path, path: str | os.PathLike | None) -> RestoreDone:
    """Restore a backup folder to the warehouse ``path`` (which, with its snapshots, raw files
    and accounts store, must not exist), after checking every file."""
    from analytics.authstore.backup import StoreBackup, check_store_kind, restore_store

    folder = Path(folder)
    file = warehouse_path(path)
    manifest = verify(folder)
    accounts = manifest.get("accounts") or {}
    store = StoreBackup(accounts.get("kind", "sqlite"), accounts.get("file"),
                        accounts.get("source", ""), accounts.get("tool", ""))  # fmt: skip
    if store.file is not None:
        check_store_kind(file, store.kind)
    in_the_way = _in_the_way(file)
    if in_the_way:
        raise BackupError(
            f"Nothing was restored: {file} is not an empty place. Already there: "
            + "; ".join(in_the_way)
            + ". A restore never writes over data: name a new place with --warehouse, or move "
            "these aside first."
        )
    file.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for entry in manifest["files"]:
            if entry["path"].startswith(f"{RAW}/"):
                target = file.parent / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                written.append(target)
                shutil.copyfile(folder / entry["path"], target)
        tmp = file.with_name(file.name + ".restoring")
        written += [tmp, file]
        shutil.copyfile(folder / WAREHOUSE_FILE, tmp)
        os.replace(tmp, file)
        close_readers(file)
        where = restore_store(file, folder, store)
    except BaseException:
        for path in written:  # the place was empty: leave it so
            path.unlink(missing_ok=True)
        shutil.rmtree(snapshot_dir(file), ignore_errors=True)
        raise
    return RestoreDone(file, len(written) - 2, where, manifest)
