"""An upload's name is a label, never a path: the Returns page stores each upload under a
name the product makes, and the name the browser sent is only shown and recorded.

The red team's attempt: an absolute name, or one with ``../``, wrote the upload anywhere the
server could write (the kept raw returns, the ingest spelling tables, the service account's
files). Names with a NUL or a line break are tried too.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest.names import display_name, stored_name, upload_file_name, upload_slot
from analytics.warehouse.connection import ENV_VAR, close_readers
from tests.conftest import OFFICER
from tests.pages.returns_app import app_script
from tests.security.conftest import SAFER

RETURN = (
    f"{SAFER}\nPerformance return 2011/12 Q1\n\n"
    "PI code,Measure,Outturn,Comments\nNI 32,Repeat incidents,14.5,On track\n"
)


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("/etc/cron.d/evil.csv", "/etc/cron.d/evil.csv"),
        ("../../analytics/ingest/unit_spellings.csv", "../../analytics/ingest/unit_spellings.csv"),
        ("a\x00b.csv", "a?b.csv"),
        ("two\nlines.csv", "two?lines.csv"),
        ("", "unnamed file"),
    ],
)
def test__display_name__shows_the_name_as_sent_without_control_characters(sent, shown):
    assert display_name(sent) == shown


@pytest.mark.parametrize(
    "sent",
    ["/etc/passwd", "../../x.csv", "..", ".hidden.csv", "a\x00b.csv", "two\nlines.csv",
     "C:\\Windows\\evil.xlsx", "é" * 300 + ".xlsx", "=1+2+cmd|' -C calc'!A0.xlsx"],
)  # fmt: skip
def test__stored_and_upload_names__are_one_plain_component(sent):
    label = display_name(sent)
    for name in (stored_name(label, "ab" * 32), upload_file_name(label), upload_slot(sent)):
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", name), name
        assert ".." not in name and "/" not in name


def test__returns_page__hostile_upload_names_write_only_inside_its_own_folder(
    monkeypatch, tmp_path, demo_copy
):
    uploads = tmp_path / "uploads"
    outside = tmp_path / "outside" / "evil.csv"
    names = [str(outside), "../../escaped.csv", "two\nlines.csv", "tab\there.csv"]
    monkeypatch.setenv(ENV_VAR, str(demo_copy))
    close_readers()
    at = AppTest.from_file(str(app_script(tmp_path)), default_timeout=90)
    at.session_state["user"] = OFFICER
    at.session_state["returns_dir"] = str(uploads)
    at.run()
    at.file_uploader[0].set_value([(name, RETURN.encode(), "text/csv") for name in names])
    at.run()
    assert not at.exception
    written = sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*") if p.is_file())
    assert len(written) == len(names)
    assert all(re.fullmatch(r"[0-9a-f]{24}/upload\.csv", w) for w in written), written
    assert not outside.exists() and not (tmp_path / "escaped.csv").exists()
    assert {p for p in tmp_path.rglob("*") if p.is_file() and "evil" in p.name} == set()
    labels = [e.label for e in at.expander]
    assert any(label.endswith("tab?here.csv") for label in labels)
    assert any(label.endswith("two?lines.csv") for label in labels)
    # Commit the first: the name is recorded as a label; the kept file's name is ours.
    at.file_uploader[0].set_value((names[0], RETURN.encode(), "text/csv"))
    at.run()
    at.button(key="returns_commit").click()
    at.run()
    assert not at.exception
    close_readers()
    con = duckdb.connect(str(demo_copy), read_only=True)
    [(file_name, stored)] = con.execute(
        "SELECT file_name, stored_path FROM return_file WHERE period = '2011/12 Q1'"
    ).fetchall()
    con.close()
    assert file_name == str(outside)
    raw = demo_copy.parent / "raw"
    assert stored.startswith(str(raw)) and re.fullmatch(r"[0-9a-f]{12}_evil\.csv", stored[-21:])
    assert not outside.exists()


def test__returns_page__a_name_with_a_nul_is_refused_and_nothing_is_written(
    monkeypatch, tmp_path, demo_copy
):
    """Streamlit itself refuses a file name holding a NUL before the page runs, with its
    generic message (no details: .streamlit/config.toml); nothing is written and the
    warehouse is unchanged."""
    from tests.conftest import fingerprint

    uploads = tmp_path / "uploads"
    before = fingerprint(demo_copy)
    monkeypatch.setenv(ENV_VAR, str(demo_copy))
    close_readers()
    at = AppTest.from_file(str(app_script(tmp_path)), default_timeout=90)
    at.session_state["user"] = OFFICER
    at.session_state["returns_dir"] = str(uploads)
    at.run()
    at.file_uploader[0].set_value(("a\x00b.csv", RETURN.encode(), "text/csv"))
    at.run()
    [refused] = at.exception
    assert "redacted" in refused.message and not refused.stack_trace
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))
    assert fingerprint(demo_copy) == before
