"""The `lsp` package's shape: one module per command group, each importing only `common`
from the package (at the top or inside a function); `common` imports no group; `__init__`
registers the groups. So there is no import cycle to hide."""

import ast
from pathlib import Path

import analytics.cli as cli

PACKAGE = Path(cli.__file__).parent
GROUPS = {group.__name__.rsplit(".", 1)[1] for group in cli.GROUPS}


def _imported(path: Path) -> set[str]:
    """Every analytics.cli module ``path`` imports, wherever the import is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "analytics.cli":
                names.update(f"analytics.cli.{a.name}" for a in node.names)
            elif node.module.startswith("analytics.cli"):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("analytics.cli"))
    return names


def test__layout__every_group_imports_common_and_no_other_module_of_the_package():
    assert {"setup", "returns", "reminders", "status", "reports", "users", "recommendations",
                      "publish", "server", "backup"} == GROUPS  # fmt: skip
    for name in GROUPS:
        assert _imported(PACKAGE / f"{name}.py") == {"analytics.cli.common"}, name


def test__layout__common_imports_no_module_of_the_package():
    assert _imported(PACKAGE / "common.py") == set()


def test__layout__the_old_modules_are_gone():
    old = ["cli.py", "cli_returns.py", "cli_reports.py", "cli_users.py", "cli_scrutiny.py",
           "cli_publish.py", "cli_annual.py"]  # fmt: skip
    assert not [name for name in old if (PACKAGE.parent / name).exists()]
