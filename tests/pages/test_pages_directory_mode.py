"""Streamlit's first multipage mode, which ``ui.context.route_through_app`` switches off (see
its docstring). When a Streamlit upgrade drops the mode or its flag, these fail: then the
workaround can go."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

ROOT = Path(__file__).resolve().parents[2]


def test__streamlit__an_app_with_a_pages_folder_starts_in_the_pages_directory_mode(monkeypatch):
    assert callable(script_runner._mpa_v1)  # runs a pages/ script on its own
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(ROOT / "app.py"), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True


def test__streamlit__a_main_script_with_no_pages_folder_beside_it_does_not(monkeypatch, tmp_path):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(tmp_path / "router.py"), setup_watcher=False)
    assert PagesManager.uses_pages_directory is False
