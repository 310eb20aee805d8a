"""A router for AppTests that click on the sign-in form, the sidebar's Sign out or the Users
page: app.py itself, run from a folder with no ``pages/`` beside it (see returns_app.py for
why clicks need that). Its pages are given by absolute path, so they are the real ones."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def app_script(folder: Path) -> Path:
    script = folder / "signin_router.py"
    script.write_text(f"exec(open({str(ROOT / 'app.py')!r}).read())\n")
    return script
