"""docs/architecture.md names every package under analytics/ (each folder with Python in it,
as its path: `analytics/reports/writers/`) and every top-level module (`formatting.py`), so
a new one cannot land without its rule written down."""

from __future__ import annotations

import pytest

from tests.docs.links import DOCS, ROOT

ANALYTICS = ROOT / "analytics"
PAGE = (DOCS / "architecture.md").read_text(encoding="utf-8")


def _packages() -> list[str]:
    folders = {path.parent for path in ANALYTICS.rglob("*.py") if "__pycache__" not in path.parts}
    return sorted(str(f.relative_to(ROOT)) for f in folders if f != ANALYTICS)


def _modules() -> list[str]:
    return sorted(p.name for p in ANALYTICS.glob("*.py") if p.name != "__init__.py")


def test__architecture__finds_the_packages_it_checks():
    packages = _packages()
    assert "analytics/warehouse" in packages and "analytics/reports/writers" in packages
    assert "analytics/ingest" in packages  # a folder of modules without __init__.py
    assert "analytics/warehouse/migrations" not in packages  # SQL only


@pytest.mark.parametrize("package", _packages())
def test__architecture__names_every_package_under_analytics(package):
    assert f"`{package}/`" in PAGE or f"`{package}`" in PAGE, (
        f"docs/architecture.md does not name {package}/: add it to the Modules table "
        "with the rule of that layer"
    )


@pytest.mark.parametrize("module", _modules())
def test__architecture__names_every_top_level_module(module):
    assert f"`analytics/{module}`" in PAGE or f"`{module}`" in PAGE, (
        f"docs/architecture.md does not name analytics/{module}: add it to the Modules table"
    )


def test__architecture__keeps_its_sections():
    for heading in ("## Modules", "## The warehouse", "## How the warehouse is shared",
                    "## Many machines", "## The accounts store"):  # fmt: skip
        assert f"\n{heading}\n" in PAGE, heading
