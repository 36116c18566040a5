"""The package's import graph has no circles.

Every ``import`` of a ``corridor`` module counts, at module level or inside a
function (a deferred import that closes a circle is still a circle); imports
under ``if TYPE_CHECKING:`` do not (they never run). A module importing a
package's ``__init__`` names that package, not its submodules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import corridor

_ROOT = Path(corridor.__file__).resolve().parent


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in _ROOT.rglob("*.py"):
        parts = list(path.relative_to(_ROOT.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts.pop()
        found[".".join(parts)] = (path, is_pkg)
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _imports(name: str, path: Path, is_pkg: bool, known: set[str]) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    skip = _type_checking_nodes(tree)
    package = name.split(".") if is_pkg else name.split(".")[:-1]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "corridor":
                    yield alias.name if alias.name in known else alias.name.rsplit(".", 1)[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "corridor":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield sub if sub in known else target


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {name: {t for t in _imports(name, path, is_pkg, known) if t != name}
            for name, (path, is_pkg) in mods.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_corridor() -> None:
    graph = import_graph()
    assert "corridor.service" in graph and graph["corridor.cli"]
    found = circles(graph)
    detail = [" <-> ".join(c) for c in found]
    assert not found, f"import circles: {detail}"
