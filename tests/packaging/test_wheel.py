"""A normal install works outside the checkout: the wheel carries the National Indicator
catalogue, the migrations and the spelling tables as package data, and `lsp init` run from
another folder, with only the wheel's copy of the code on the path, loads the catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def test__wheel__carries_the_catalogue_and_lsp_init_finds_it_from_another_folder(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", str(dist), str(ROOT)],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    [wheel] = dist.glob("lsp_performance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "analytics/reference/national_indicators.csv" in names
    assert "analytics/warehouse/migrations/0001_initial.sql" in names
    assert "analytics/ingest/header_synonyms.csv" in names
    # the wheel's code alone, installed into a folder of its own (dependencies from this venv)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "LSP_USER": "tester"}
    env.pop("LSP_WAREHOUSE", None)
    where = subprocess.run(
        [sys.executable, "-c", "import analytics; print(analytics.__file__)"],
        check=True, cwd=elsewhere, env=env, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(target)), where  # not the checkout
    warehouse = elsewhere / "warehouse.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "--warehouse", str(warehouse), "init"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        [(count,)] = con.execute("SELECT count(*) FROM catalogue_indicator").fetchall()
    finally:
        con.close()
    assert count >= 198
