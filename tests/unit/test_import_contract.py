"""The import contract of kiosk/: no import circle anywhere, and the core below the interfaces.

The graph is built from the source (every `import` statement, also inside functions and under
TYPE_CHECKING), so an import moved into a function to dodge a circle still counts. Like
import-linter, `from a.b import c` points at module a.b.c when that is a module, else at a.b.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kiosk"

# Circles known and being fixed by another open issue: exactly these modules, nothing more.
# Remove the entry when the circle is gone (the test below then says so).
EXPECTED_TO_BE_FIXED: list[frozenset[str]] = []

# The core must not reach up into the interfaces, nor pull in the terminal UI toolkit.
CORE = "kiosk.core"
CORE_FORBIDDEN = ("kiosk.ui", "kiosk.cli", "kiosk.web", "textual", "rich")


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the package (packages by __init__)."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name the module imports, anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # a.b.c when c is a module, else a.b (resolved against the package below)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    modules = module_files(package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            # the longest prefix that is one of our modules: a.b.c (module) or a.b (name c in it)
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
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


def a_path(graph: dict[str, set[str]], group: frozenset[str]) -> str:
    """One circle through the group, for the message: a -> b -> a."""
    start = min(group)
    path, seen = [start], {start}
    while True:
        node = path[-1]
        nxt = sorted(t for t in graph[node] if t in group)
        back = start if start in nxt else None
        if back and len(path) > 1:
            return " -> ".join([*path, start])
        step = next((t for t in nxt if t not in seen), None)
        if step is None:
            return " -> ".join([*path, nxt[0]])
        path.append(step)
        seen.add(step)


def test_no_import_circle_in_kiosk():
    graph = import_graph()
    assert {"kiosk.core.config", "kiosk.core.config.site", "kiosk.cli"} <= set(graph)
    found = circles(graph)
    unexpected = [group for group in found if group not in EXPECTED_TO_BE_FIXED]
    assert not unexpected, "import circles:\n" + "\n".join(a_path(graph, g) for g in unexpected)
    fixed = [group for group in EXPECTED_TO_BE_FIXED if group not in found]
    assert not fixed, (
        f"this circle is gone: remove it from EXPECTED_TO_BE_FIXED: {sorted(min(fixed))}"
    )


def test_core_imports_nothing_above_it_and_no_toolkit():
    modules = module_files(PACKAGE)
    wrong = []
    for name, path in sorted(modules.items()):
        if name != CORE and not name.startswith(CORE + "."):
            continue
        for imported in sorted(imported_names(name, path)):
            if any(imported == f or imported.startswith(f + ".") for f in CORE_FORBIDDEN):
                wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_the_graph_sees_imports_inside_functions(tmp_path):
    # The contract is only worth something if a circle hidden in a function counts.
    package = tmp_path / "kiosk"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from kiosk.b import thing\n")
    (package / "b.py").write_text("def thing():\n    from kiosk import a\n    return a\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package)
    assert graph["kiosk.b"] == {"kiosk.a"}
    assert graph["kiosk.c"] == {"kiosk.a"}
    assert circles(graph) == [frozenset({"kiosk.a", "kiosk.b"})]
    assert a_path(graph, circles(graph)[0]) == "kiosk.a -> kiosk.b -> kiosk.a"
