"""Strict reading of YAML/TOML mappings: unknown keys and bad values are errors naming file and line."""
from __future__ import annotations

from typing import Any

import yaml

from .errors import ConfigError


def _construct(node: yaml.Node) -> Any:
    """Plain data only: SafeLoader refuses tags such as !!python/object."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


class Doc:
    """A mapping (a YAML node with line numbers, or a plain dict from TOML) being validated."""

    def __init__(self, source: yaml.Node | dict, path: str, line: int | None = None, what: str = "this") -> None:
        self.path = path
        self.items: dict[str, tuple[Any, int | None]] = {}
        if isinstance(source, dict):
            self.line = line
            self.items = {str(k): (v, line) for k, v in source.items()}
            return
        self.line = source.start_mark.line + 1
        if not isinstance(source, yaml.MappingNode):
            raise self.error(f"{what} must be a mapping of keys to values")
        for key, value in source.value:
            key_line = key.start_mark.line + 1
            if not isinstance(key, yaml.ScalarNode):
                raise self.error("keys must be plain names", key_line)
            if key.value in self.items:
                raise self.error(f"duplicate key '{key.value}'", key_line)
            self.items[key.value] = (value, key_line)

    def error(self, message: str, line: int | None = None) -> ConfigError:
        line = line or self.line
        return ConfigError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def line_of(self, key: str) -> int | None:
        return self.items[key][1] if key in self.items else self.line

    def keys(self) -> list[str]:
        return list(self.items)

    def reject_unknown(self, allowed: set[str]) -> None:
        for key, (_, line) in self.items.items():
            if key not in allowed:
                raise self.error(f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})", line)

    def raw(self, key: str) -> Any:
        value, line = self.items[key]
        if not isinstance(value, yaml.Node):
            return value
        try:
            return _construct(value)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise self.error(f"'{key}': {problem}", line) from None

    def sub(self, key: str) -> "Doc":
        value, line = self.items[key]
        if isinstance(value, yaml.Node):
            return Doc(value, self.path, what=f"'{key}'")
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a mapping", line)
        return Doc(value, self.path, line)

    def get(self, key: str, kind: type, default: Any = None, required: bool = False) -> Any:
        if key not in self.items:
            if required:
                raise self.error(f"missing required key '{key}'")
            return default
        value, line = self.raw(key), self.items[key][1]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(f"'{key}' must be {kind.__name__} (got {type(value).__name__})", line)
        if kind is list and not all(isinstance(v, str) for v in value):
            raise self.error(f"'{key}' must be a list of strings", line)
        return value

    def choice(self, key: str, allowed, default: Any = None, required: bool = False) -> Any:
        value = self.get(key, str, default, required)
        if value is not None and value not in allowed:
            raise self.error(f"'{key}' must be one of {', '.join(allowed)} (got {value!r})", self.line_of(key))
        return value


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 5x faster


def compose_file(path) -> yaml.Node | None:
    """Parse a YAML file into nodes (safe: no object construction); errors name file and line."""
    try:
        text = open(path, encoding="utf-8").read()
        return yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ConfigError(f"{path}:{line}: invalid YAML: {exc.problem or exc}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: cannot read: {first_line}") from None
