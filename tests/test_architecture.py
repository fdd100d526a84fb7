"""The house has no circles: no module of phiguard imports, directly or through others, a module that
imports it back (function-level and type-checking imports included)."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "phiguard"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level):
                continue
            base = package.split(".")[:len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            submodules = {f"{target}.{a.name}" for a in node.names} & modules.keys()
            graph[name] |= submodules or {target}
    return graph


def _cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    found = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt == start and len(path) > 1:
                found.add(tuple(sorted(path)))
            elif nxt not in path and len(path) < 6:
                walk(start, nxt, path + [nxt])

    for name in list(graph):
        walk(name, name, [name])
    return found


def test_no_import_circles():
    assert _cycles(_imports(_modules())) == set()


def test_the_check_finds_a_circle():
    graph = {"phiguard.a": {"phiguard.b"}, "phiguard.b": {"phiguard.c"}, "phiguard.c": {"phiguard.a"}}
    assert _cycles(graph) == {("phiguard.a", "phiguard.b", "phiguard.c")}
