"""The Presidio classes we use, imported without importing all of Presidio.

`import presidio_analyzer` runs package `__init__`s that import every predefined recognizer (about
1 s at start-up: phone metadata, a huge URL regex, dozens of countries). Before importing, `install()`
puts a finder in front of Python's that gives each `presidio_analyzer` package a lazy `__init__`: the
names it would import are looked up on first use, and only those submodules load.

Side effect: Presidio's `RecognizerRegistry.load_predefined_recognizers()` finds recognizers through
`EntityRecognizer.__subclasses__()`, so it sees only the ones imported so far. We never call it: our
registry names its recognizers (detection/engine.py).
"""
from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import sys

ROOT = "presidio_analyzer"


def _exported_names(init_path: str, package: str) -> dict[str, tuple[str, str | None]]:
    """{name: (module, attribute or None for a submodule)} for each `from ... import` in an __init__."""
    with open(init_path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read(), init_path)
    statements = []
    for node in tree.body:
        statements.extend(node.body if isinstance(node, ast.Try) else [node])
    names: dict[str, tuple[str, str | None]] = {}
    for node in statements:
        if not isinstance(node, ast.ImportFrom):
            continue
        base = package.rsplit(".", node.level - 1)[0] if node.level else ""
        module = ".".join(filter(None, [base, node.module])) if node.level else node.module
        for alias in node.names:
            if node.module is None:  # from . import submodule
                names[alias.asname or alias.name] = (f"{module}.{alias.name}", None)
            else:
                names[alias.asname or alias.name] = (module, alias.name)
    return names


class _LazyInit(importlib.abc.Loader):
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        names = _exported_names(self.origin, module.__name__)

        def __getattr__(name: str):
            if name not in names:
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
            target, attribute = names[name]
            value = importlib.import_module(target)
            if attribute is not None:
                value = getattr(value, attribute)
            setattr(module, name, value)
            return value

        module.__getattr__ = __getattr__
        module.__all__ = list(names)


class _LazyPackages(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != ROOT and not fullname.startswith(ROOT + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.submodule_search_locations is not None and spec.origin:
            spec.loader = _LazyInit(spec.origin)
        return spec


def install() -> None:
    """Idempotent. Has no effect on packages of Presidio already imported."""
    if not any(isinstance(f, _LazyPackages) for f in sys.meta_path):
        sys.meta_path.insert(0, _LazyPackages())


def import_all_recognizers() -> None:
    """Import every predefined recognizer, for code in the same process that wants Presidio's default
    registry (`AnalyzerEngine()` / `load_predefined_recognizers()`), such as our benchmarks."""
    import presidio_analyzer.predefined_recognizers as predefined

    for name in getattr(predefined, "__all__", ()):
        getattr(predefined, name, None)
