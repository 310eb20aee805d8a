"""A received file's name is a label, never a path (pure).

The name a browser sends with an upload (or a file's name in a folder) is chosen by whoever
sent it: it can be absolute, hold ``../``, a NUL or a line break. It is shown and recorded
as a label (:func:`display_name`); the files the product keeps get names the product makes
(:func:`stored_name`, :func:`upload_slot`), always one plain component inside the folder
meant for them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_LABEL_CHARS = 200
MAX_STORED_CHARS = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def display_name(raw: object) -> str:
    """The name as sent, made safe to show and record: control characters (NUL, line
    breaks, tabs, ...) become ``?``, and at most :data:`MAX_LABEL_CHARS` characters are
    kept. Everything else, slashes and dots included, is shown as sent: it is a label."""
    text = "" if raw is None else str(raw)
    cleaned = "".join("?" if unicodedata.category(ch).startswith("C") else ch for ch in text)
    cleaned = cleaned.strip() or "unnamed file"
    if len(cleaned) > MAX_LABEL_CHARS:
        cleaned = cleaned[: MAX_LABEL_CHARS - 1] + "…"
    return cleaned


def _slug(label: str) -> str:
    """The label's last part in letters, digits, dots, dashes and underscores only."""
    last = re.split(r"[\\/]", label)[-1]
    ascii_text = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("_", ascii_text).strip("._-")
    return slug[-MAX_STORED_CHARS:].lstrip("._-") or "file"


def stored_name(label: str, sha256: str) -> str:
    """The name a kept file gets: ``<sha256 prefix>_<slug of its label>``, e.g.
    ``3f2a9c81d0e4_safer_Q2_return.xlsx``; one component, never ``..``, never hidden."""
    if not re.fullmatch(r"[0-9a-f]{12,64}", sha256):
        raise ValueError("sha256 must be the file's hexadecimal digest")
    return f"{sha256[:12]}_{_slug(label)}"


def upload_slot(key: object) -> str:
    """A folder name for one upload, made from the uploader's key (stable across reruns of
    the page, so the file is written once and read again from the same place)."""
    return hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:24]


ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def upload_file_name(label: str) -> str:
    """The name an upload is written under in its slot: ``upload`` with the label's suffix
    when it is one of :data:`ACCEPTED_SUFFIXES` (the reader decides the kind of file by its
    content either way)."""
    slug = _slug(label).lower()
    suffix = next((s for s in ACCEPTED_SUFFIXES if slug.endswith(s)), "")
    return "upload" + suffix
