"""YAML policy rules: strict loading, errors that name the file and line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError
from ..findings import IDENTIFIERS, Severity
from .filters import FILTERS

KINDS = ("entity",)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Examples:
    flag: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    message: str
    identifier: str
    severity: Severity
    entities: tuple[str, ...]
    min_confidence: float = 0.5
    filters: tuple[str, ...] = ()
    description: str = ""
    enabled: bool = True
    examples: Examples = field(default_factory=Examples)
    source: str = ""


class _Doc:
    """A YAML mapping with the line of each key, for error messages."""

    def __init__(self, node: yaml.Node, path: str) -> None:
        self.path = path
        self.line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise self.error("a rule must be a mapping of keys to values")
        self.items: dict[str, tuple[yaml.Node, int]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise ConfigError(f"{path}:{key.start_mark.line + 1}: keys must be plain names")
            if key.value in self.items:
                raise ConfigError(f"{path}:{key.start_mark.line + 1}: duplicate key '{key.value}'")
            self.items[key.value] = (value, key.start_mark.line + 1)

    def error(self, message: str, line: int | None = None) -> ConfigError:
        return ConfigError(f"{self.path}:{line or self.line}: {message}")

    def reject_unknown(self, allowed: set[str]) -> None:
        for key, (_, line) in self.items.items():
            if key not in allowed:
                raise self.error(f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})", line)

    def get(self, key: str, kind: type, default=None, required: bool = False):
        if key not in self.items:
            if required:
                raise self.error(f"missing required key '{key}'")
            return default
        node, line = self.items[key]
        try:
            value = _construct(node)
        except yaml.YAMLError as exc:  # e.g. a !!python/object tag: SafeLoader builds no objects
            raise self.error(f"'{key}': {getattr(exc, 'problem', None) or exc}", line) from None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(f"'{key}' must be {kind.__name__} (got {type(value).__name__})", line)
        if kind is list and not all(isinstance(v, str) for v in value):
            raise self.error(f"'{key}' must be a list of strings", line)
        return value

    def line_of(self, key: str) -> int:
        return self.items[key][1] if key in self.items else self.line


def _construct(node: yaml.Node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _choice(doc: _Doc, key: str, value: str, allowed) -> str:
    if value not in allowed:
        raise doc.error(f"'{key}' must be one of {', '.join(allowed)} (got {value!r})", doc.line_of(key))
    return value


def parse_rule(doc: _Doc) -> Rule:
    doc.reject_unknown({"id", "kind", "message", "identifier", "severity", "entities", "min_confidence",
                        "filters", "description", "enabled", "examples"})
    rule_id = doc.get("id", str, required=True)
    if not _ID.match(rule_id):
        raise doc.error(f"'id' must be lowercase words joined by '-' (got {rule_id!r})", doc.line_of("id"))
    kind = _choice(doc, "kind", doc.get("kind", str, required=True), KINDS)
    identifier = _choice(doc, "identifier", doc.get("identifier", str, required=True), list(IDENTIFIERS))
    severity = Severity.parse(_choice(doc, "severity", doc.get("severity", str, required=True),
                                      ["low", "medium", "high"]))
    confidence = doc.get("min_confidence", float, 0.5)
    if not 0.0 <= confidence <= 1.0:
        raise doc.error("'min_confidence' must be between 0 and 1", doc.line_of("min_confidence"))
    filters = doc.get("filters", list, [])
    for name in filters:
        _choice(doc, "filters", name, list(FILTERS))
    entities = doc.get("entities", list, required=True)
    if not entities:
        raise doc.error("'entities' must name at least one entity", doc.line_of("entities"))
    return Rule(
        id=rule_id, kind=kind, message=doc.get("message", str, required=True), identifier=identifier,
        severity=severity, entities=tuple(entities), min_confidence=confidence, filters=tuple(filters),
        description=doc.get("description", str, ""), enabled=doc.get("enabled", bool, True),
        examples=_examples(doc), source=f"{doc.path}:{doc.line}",
    )


def _examples(doc: _Doc) -> Examples:
    if "examples" not in doc.items:
        return Examples()
    node, _ = doc.items["examples"]
    sub = _Doc(node, doc.path)
    sub.reject_unknown({"flag", "pass"})
    return Examples(tuple(sub.get("flag", list, [])), tuple(sub.get("pass", list, [])))


def load_file(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{path}:{line}: invalid YAML: {exc.problem or exc}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: cannot read rule file: {first_line}") from None
    if root is None:
        return []
    nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
    return [parse_rule(_Doc(node, str(path))) for node in nodes]


def load_dir(directory: Path) -> list[Rule]:
    if not directory.is_dir():
        raise ConfigError(f"{directory}: rule directory not found")
    rules: dict[str, Rule] = {}
    for path in sorted(directory.glob("*.y*ml")):
        for rule in load_file(path):
            if rule.id in rules:
                raise ConfigError(f"{rule.source}: rule id '{rule.id}' is already defined at "
                                  f"{rules[rule.id].source}")
            rules[rule.id] = rule
    return list(rules.values())


def shipped_rules_dir() -> Path:
    """`rules/` ships inside the wheel as phiguard/rules; in a checkout it is at the repo root."""
    packaged = Path(__file__).resolve().parent.parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "rules"
