"""The package's import graph has no loop: executors depend on steps, never back (a module
imported inside a function counts too, since it is a loop all the same when it runs)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, anywhere in its code."""
    modules = _module_names()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm).

    >>> loops({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_loop_in_the_package() -> None:
    graph = import_graph()
    assert "pipeline.runner" in graph["pipeline.cli"]  # the graph is read at all
    assert loops(graph) == []


def test_engines_and_readers_import_downwards() -> None:
    graph = import_graph()
    for engine in ("pipeline.engines", "pipeline.engines.local", "pipeline.engines.dask"):
        assert "pipeline.runner" not in graph[engine], engine
    assert "pipeline.steps.read" not in graph["pipeline.steps.dumps"]


def test_extract_starts_without_the_inspection_modules() -> None:
    """The command line loads `show`/`report`/`export`'s modules only when one of them runs:
    `extract` on a tiny page should not pay for the report's templates (issue 20, start-up)."""
    code = (
        "import sys, pipeline.cli; print(sorted(m for m in sys.modules"
        " if m == 'pipeline.inspect' or m.startswith('pipeline.inspect.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"
