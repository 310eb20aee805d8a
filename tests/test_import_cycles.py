"""No import cycle between the modules of ``analytics/``, counting imports inside functions.

A module's imports are read with :mod:`ast` (nothing is imported): ``import a.b``,
``from a import b`` (the submodule ``a.b`` when there is one, else ``a`` itself) and relative
imports, at module level and inside functions; imports under ``if TYPE_CHECKING:`` are left
out (they never run). Importing ``a.b`` also runs the package ``a``'s ``__init__``, but that is
not counted as an edge: a package that re-exports its submodules is not a cycle.

An import inside a function is fine for start-up speed (``lsp`` loading openpyxl only for the
commands that read a workbook). Such a lazy import never needs to close a loop, so any cycle
through one is an import put there to hide a cycle, and fails here like a module-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Cycles being removed by work in progress (none now): every other cycle fails at once.
IN_PROGRESS: tuple[frozenset[str], ...] = ()


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root``, by dotted name."""
    found = {}
    for file in sorted((root / package).rglob("*.py")):
        parts = list(file.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def import_graph(root: Path, package: str) -> dict[str, dict[str, set[str]]]:
    """``{"module": edges, "all": edges}``: each module's imports of other modules of the
    package, at module level only and including imports inside functions."""
    mods = modules(root, package)

    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, set[str]]] = {"module": {}, "all": {}}
    for name, file in mods.items():
        here = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]

        def visit(node: ast.AST, in_function: bool, name=name, here=here) -> None:
            for child in ast.iter_child_nodes(node):
                if _is_type_checking(child):
                    continue
                lazy = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                targets: list[str] = []
                if isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom):
                    base = child.module or ""
                    if child.level:
                        parent = here[: len(here) - (child.level - 1)]
                        base = ".".join([*parent, base] if base else parent)
                    targets = [
                        f"{base}.{alias.name}" if f"{base}.{alias.name}" in mods else base
                        for alias in child.names
                    ]
                for target in targets:
                    found = known(target)
                    if found and found != name:
                        graph["all"].setdefault(name, set()).add(found)
                        if not lazy:
                            graph["module"].setdefault(name, set()).add(found)
                visit(child, lazy)

        visit(ast.parse(file.read_text("utf-8"), str(file)), False)
    return graph


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def _described(groups: list[frozenset[str]], edges: dict[str, set[str]]) -> str:
    return "\n".join(
        "  " + ", ".join(f"{m} -> {sorted(edges[m] & g)}" for m in sorted(g)) for g in groups
    )


def test__import_cycles__none_between_analytics_modules_at_module_level():
    edges = import_graph(ROOT, "analytics")["module"]
    found = cycles(edges)
    assert not found, "import cycles at module level:\n" + _described(found, edges)


def test__import_cycles__none_hidden_by_an_import_inside_a_function():
    edges = import_graph(ROOT, "analytics")["all"]
    found = [g for g in cycles(edges) if not any(g <= known for known in IN_PROGRESS)]
    assert not found, (
        "import cycles through imports inside functions (move the shared code to a module "
        "both can import):\n" + _described(found, edges)
    )


def test__import_cycles__the_warehouse_writes_import_no_loop():
    """The section of issue 19 that removed load.py <-> scrutiny.py: nothing in the warehouse
    is in a cycle, even one still being removed elsewhere."""
    edges = import_graph(ROOT, "analytics")["all"]
    assert not [g for g in cycles(edges) if any(m.startswith("analytics.warehouse") for m in g)]


def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, "utf-8")


def test__import_graph__finds_a_cycle_at_module_level_and_one_hidden_in_a_function(tmp_path):
    _package(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import thing\n",
            "pkg/a.py": "from pkg import b\nthing = 1\n",
            "pkg/b.py": "from pkg.a import thing\n",
            "pkg/c.py": "def late():\n    from pkg.d import x\n",
            "pkg/d.py": "from . import c\nx = 1\n",
            "pkg/e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from pkg.f import y\n",
            "pkg/f.py": "import pkg.e\ny = 1\n",
            "pkg/g.py": "import pkg.a\n",  # the package's __init__ runs too: not a cycle
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert cycles(graph["module"]) == [frozenset({"pkg.a", "pkg.b"})]
    assert set(cycles(graph["all"])) == {
        frozenset({"pkg.a", "pkg.b"}),
        frozenset({"pkg.c", "pkg.d"}),
    }
