"""Every LSP_* setting the code reads is in the configuration table, with its default."""

from __future__ import annotations

import re

import pytest

from tests.docs.links import DOCS, ROOT

TABLE = (DOCS / "operations" / "configuration.md").read_text(encoding="utf-8")
# read from the environment, or named by a constant that is (ENV_VAR = "LSP_WAREHOUSE")
_SETTING = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\(|=\s*)["'](LSP_[A-Z][A-Z0-9_]*)["']"""
)


def _settings() -> list[str]:
    found: set[str] = set()
    for folder in ("analytics", "ui", "pages", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.parent == ROOT / "tests" / "docs":
                continue
            found |= set(_SETTING.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "app.py", ROOT / "serve.py"):
        found |= set(_SETTING.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def test__configuration__finds_the_settings_it_checks():
    settings = _settings()
    assert {"LSP_WAREHOUSE", "LSP_WRITE_WAIT", "LSP_DOCS_URL"} <= set(settings)
    assert "LSP_REVIEW" not in settings  # a constant's name, not a setting


@pytest.mark.parametrize("setting", _settings())
def test__configuration__every_setting_has_a_row(setting):
    assert re.search(rf"^\| `{setting}` \| [^|]+ \| [^|]+ \|$", TABLE, re.M), (
        f"docs/operations/configuration.md has no row for {setting} (default, what it does)"
    )
