"""YAML policy rules: strict loading, errors that name the file and line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError
from ..findings import IDENTIFIERS, Severity
from ..schema import Doc, compose_file
from .filters import FILTERS

KINDS = ("entity",)
SEVERITIES = ("low", "medium", "high")
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


def parse_rule(doc: Doc) -> Rule:
    doc.reject_unknown({"id", "kind", "message", "identifier", "severity", "entities", "min_confidence",
                        "filters", "description", "enabled", "examples"})
    rule_id = doc.get("id", str, required=True)
    if not _ID.match(rule_id):
        raise doc.error(f"'id' must be lowercase words joined by '-' (got {rule_id!r})", doc.line_of("id"))
    kind = doc.choice("kind", KINDS, required=True)
    identifier = doc.choice("identifier", list(IDENTIFIERS), required=True)
    severity = Severity.parse(doc.choice("severity", SEVERITIES, required=True))
    confidence = doc.get("min_confidence", float, 0.5)
    if not 0.0 <= confidence <= 1.0:
        raise doc.error("'min_confidence' must be between 0 and 1", doc.line_of("min_confidence"))
    filters = doc.get("filters", list, [])
    for name in filters:
        if name not in FILTERS:
            raise doc.error(f"unknown filter '{name}' (known: {', '.join(FILTERS)})", doc.line_of("filters"))
    entities = doc.get("entities", list, required=True)
    if not entities:
        raise doc.error("'entities' must name at least one entity", doc.line_of("entities"))
    return Rule(
        id=rule_id, kind=kind, message=doc.get("message", str, required=True), identifier=identifier,
        severity=severity, entities=tuple(entities), min_confidence=confidence, filters=tuple(filters),
        description=doc.get("description", str, ""), enabled=doc.get("enabled", bool, True),
        examples=_examples(doc), source=f"{doc.path}:{doc.line}",
    )


def _examples(doc: Doc) -> Examples:
    if "examples" not in doc.items:
        return Examples()
    sub = doc.sub("examples")
    sub.reject_unknown({"flag", "pass"})
    return Examples(tuple(sub.get("flag", list, [])), tuple(sub.get("pass", list, [])))


def load_file(path: Path) -> list[Rule]:
    root = compose_file(path)
    if root is None:
        return []
    nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
    return [parse_rule(Doc(node, str(path), what="a rule")) for node in nodes]


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
