"""A site of several partnerships: each in its own folder under one index, built in worker
processes, and rebuilt only where something new was published."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from analytics.access import cli_user
from analytics.site.build import build_site
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers
from analytics.warehouse.publication import publish_period, publish_periods

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_partnerships(tmp_path_factory):
    """A small national-style warehouse (benchmarks/national.py with 2 partnerships), 2014/15
    Q2 published for each."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import national
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path_factory.mktemp("two") / "warehouse.duckdb"
    national.build(path, 2, seed=7, chunk=50_000)
    # the two districts (their county's LAA framework publishes nothing here)
    known = queries.partnerships(path).query("indicators > 0 and tier == 'district'")
    publish_periods(path, [int(p) for p in known["partnership_id"]], "2014/15 Q2",
                    user=cli_user())  # fmt: skip
    close_readers()
    return path, known


def test__site__every_partnership_its_folder_then_only_the_changed_one_rebuilt(
    two_partnerships, tmp_path, monkeypatch
):
    path, known = two_partnerships
    out = tmp_path / "site"
    # built from a script a worker must not run again (as the app is, under Streamlit)
    script = tmp_path / "app_like.py"
    script.write_text("raise SystemExit('a worker ran the main script again')\n")
    main = types.ModuleType("__main__")
    main.__file__, main.__spec__ = str(script), None
    monkeypatch.setitem(sys.modules, "__main__", main)
    first = build_site(path, out, workers=2)  # two worker processes, as for the nation
    codes = [c.lower() for c in known["partnership_code"]]
    assert sorted(first.built) == sorted(known["name"]) and not first.skipped
    index = (out / "index.html").read_text(encoding="utf-8")
    for code in codes:
        assert (out / code / "index.html").is_file()
        assert f'href="{code}/"' in index
    assert first.cpu_seconds > 0 and first.pages > 2 * 200

    untouched = out / codes[1] / "indicators"
    stamps = {p: p.stat().st_mtime_ns for p in untouched.rglob("*.html")}
    changed = known.iloc[0]
    publish_period(path, int(changed["partnership_id"]), "2014/15 Q3", user=cli_user())
    close_readers()
    again = build_site(path, out, workers=2)
    assert again.built == [changed["name"]]
    assert sorted(again.skipped) == sorted(known["name"].iloc[1:])
    assert {p: p.stat().st_mtime_ns for p in untouched.rglob("*.html")} == stamps
    home = (out / codes[0] / "index.html").read_text(encoding="utf-8")
    assert "2014/15 Q3" in home
    assert "2014/15 Q3" not in (out / codes[1] / "index.html").read_text(encoding="utf-8")
