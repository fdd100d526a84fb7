"""YAML policy rules: strict loading, errors that name the file and line."""
from __future__ import annotations

import functools

import re

import regex
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..detection.matchers import CHECKS, IdPattern
from ..errors import ConfigError
from ..findings import IDENTIFIERS, Severity
from ..schema import Doc, compose_file
from ..safe_regex import Pattern, compile_pattern
from ..tables import shipped_rules_dir, shipped_table
from .filters import FILTERS

# image: what a source found in an image itself (GPS, faces): like entity, but no text examples.
KINDS = ("entity", "image", "pattern", "terms", "context", "combination")
SEVERITIES = ("low", "medium", "high")
ACTIONS = ("low", "medium", "high", "escalate", "downgrade", "drop")
SCOPES = ("paragraph", "segment", "file")  # where a combination's signals must all be
CONTEXT_SCOPES = ("segment", "paragraph", "file")  # where `segment`, `unless` and `unless_found` look
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")
_PATTERN_KEYS = {"name", "regex", "score", "check", "case_sensitive", "entity"}
_COMMON = {"id", "kind", "message", "description", "enabled", "examples"}
_FINDING = {"identifier", "severity", "report", "fix"}
_KEYS = {
    "entity": _COMMON | _FINDING | {"entities", "min_confidence", "filters", "repeats", "patterns"},
    "image": _COMMON | _FINDING | {"entities", "min_confidence", "filters"},
    "pattern": _COMMON | _FINDING | {"entity", "pattern", "case_sensitive", "filters", "confidence", "repeats"},
    "terms": _COMMON | _FINDING | {"entity", "terms", "case_sensitive", "filters", "confidence", "repeats"},
    "context": _COMMON | {"applies_to", "before", "after", "near", "segment", "unless", "unless_found", "window",
                          "action", "scope", "filters", "min_paragraphs", "min_words"},
    "combination": _COMMON | _FINDING | {"signals", "min_signals", "required_signals", "scope"},
}


@dataclass(frozen=True)
class Examples:
    flag: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One declarative policy unit. Which fields matter depends on `kind` (see KEYS in the README)."""

    id: str
    kind: str
    message: str
    identifier: str = "other"
    severity: Severity = Severity.MEDIUM
    report: bool = True  # False: a signal for combination rules, never reported alone
    fix: str = ""  # what to change so the post can go out, in the rule's words
    entities: tuple[str, ...] = ()
    min_confidence: float = 0.5
    filters: tuple[str, ...] = ()  # a hit must pass these (for context rules: the hits they change)
    repeats: bool = False  # names: other mentions of the match's words are the same person (policy/mentions.py)
    patterns: tuple[IdPattern, ...] = ()  # entity rules: how the entity is found, beside the NER model
    pattern: Pattern | None = None  # pattern and terms rules
    confidence: float = 0.8
    applies_to: tuple[str, ...] = ()  # context rules: rule ids
    unless_found: tuple[str, ...] = ()  # context rules: not when these rules' findings block in scope
    before: Pattern | None = None
    after: Pattern | None = None
    near: Pattern | None = None
    segment: Pattern | None = None
    unless: Pattern | None = None
    window: int = 60
    min_paragraphs: int = 1  # context rules: only in texts of at least this many paragraphs (articles)
    min_words: int = 0  # file-scope context rules: only in files of at least this many words
    action: str = ""
    signals: tuple[tuple[str, ...], ...] = ()  # combination rules: each signal is a set of rule ids
    min_signals: int = 0
    required_signals: int = 0  # the first N signals must all be present
    scope: str = "segment"
    description: str = ""
    enabled: bool = True
    examples: Examples = field(default_factory=Examples)
    source: str = ""


def _regex(doc: Doc, key: str, case_sensitive: bool = False) -> Pattern | None:
    """A regex, or a list of regexes that match as alternatives."""
    if key not in doc.keys():
        return None
    parts = doc.get(key, list)
    if not parts:
        raise doc.error(f"'{key}' must not be empty", doc.line_of(key))
    source = parts[0] if len(parts) == 1 else "|".join(f"(?:{p})" for p in parts)
    return compile_pattern(_expand(source, doc, doc.line_of(key)), case_sensitive, doc.error, doc.line_of(key), key)


def fragments() -> dict[str, str]:
    """Regex fragments rule patterns share as {{name}} (rules/tables/fragments.yaml)."""
    return shipped_table("fragments.yaml")


def _expand(source: str, doc: Doc, line: int | None, depth: int = 0) -> str:
    """A pattern with each {{fragment}} written out (fragments may use fragments)."""
    def one(m: re.Match) -> str:
        if m.group(1) not in fragments():
            raise doc.error(f"unknown fragment '{{{{{m.group(1)}}}}}' (known: {', '.join(fragments())})", line)
        if depth > 5:
            raise doc.error("fragments nest more than 5 deep", line)
        return _expand(fragments()[m.group(1)], doc, line, depth + 1)

    return _FRAGMENT.sub(one, source)


def _id_patterns(doc: Doc, entity: str) -> tuple[IdPattern, ...]:
    """An entity rule's `patterns`: each a name, a regex with an `id` group for the value, a score, a check
    and the entity it finds (the rule's first by default)."""
    if "patterns" not in doc.keys():
        return ()
    node = doc.items["patterns"][0]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise doc.error("'patterns' must be a list of mappings", doc.line_of("patterns"))
    found = []
    for item in node.value:
        sub = Doc(item, doc.path, what="a pattern")
        sub.reject_unknown(_PATTERN_KEYS)
        regex_ = _regex(sub, "regex", sub.get("case_sensitive", bool, False))
        if regex_ is None:
            raise sub.error("missing required key 'regex'")
        found.append(IdPattern(sub.get("entity", str, entity), sub.get("name", str, required=True), regex_,
                               _fraction(sub, "score", 0.8),
                               sub.choice("check", list(CHECKS), "digit")))
    return tuple(found)


def _terms_pattern(doc: Doc, case_sensitive: bool) -> Pattern:
    terms = [t.strip() for t in doc.get("terms", list, required=True) if t.strip()]
    if not terms:
        raise doc.error("'terms' must list at least one phrase", doc.line_of("terms"))
    alternatives = "|".join(r"\s+".join(map(regex.escape, t.split())) for t in sorted(terms, key=len, reverse=True))
    return compile_pattern(rf"(?<!\w)(?:{alternatives})(?!\w)", case_sensitive, doc.error, doc.line_of("terms"), "terms")


def _finding_fields(doc: Doc) -> dict:
    return {
        "identifier": doc.choice("identifier", list(IDENTIFIERS), required=True),
        "severity": Severity.parse(doc.choice("severity", SEVERITIES, required=True)),
        "report": doc.get("report", bool, True),
        "fix": doc.get("fix", str, ""),
    }


def _filters(doc: Doc) -> tuple[str, ...]:
    filters = doc.get("filters", list, [])
    for name in filters:
        if name not in FILTERS:
            raise doc.error(f"unknown filter '{name}' (known: {', '.join(FILTERS)})", doc.line_of("filters"))
    return tuple(filters)


def _fraction(doc: Doc, key: str, default: float) -> float:
    value = doc.get(key, float, default)
    if not 0.0 <= value <= 1.0:
        raise doc.error(f"'{key}' must be between 0 and 1", doc.line_of(key))
    return value


def parse_rule(doc: Doc) -> Rule:
    kind = doc.choice("kind", KINDS, required=True)
    doc.reject_unknown(_KEYS[kind])
    rule_id = doc.get("id", str, required=True)
    if not _ID.match(rule_id):
        raise doc.error(f"'id' must be lowercase words joined by '-' (got {rule_id!r})", doc.line_of("id"))
    fields: dict = {
        "id": rule_id, "kind": kind, "message": doc.get("message", str, required=kind != "context") or "",
        "description": doc.get("description", str, ""), "enabled": doc.get("enabled", bool, True),
        "examples": _examples(doc), "source": f"{doc.path}:{doc.line}",
    }
    default_entity = rule_id.upper().replace("-", "_")
    if kind == "image" and (fields["examples"].flag or fields["examples"].allow):
        raise doc.error("'image' rules take no text examples", doc.line_of("examples"))
    if kind in ("entity", "image"):
        entities = doc.get("entities", list, required=True)
        if not entities:
            raise doc.error("'entities' must name at least one entity", doc.line_of("entities"))
        fields.update(_finding_fields(doc), entities=tuple(entities), filters=_filters(doc),
                      min_confidence=_fraction(doc, "min_confidence", 0.5),
                      repeats=doc.get("repeats", bool, False),  # image rules reject these keys above
                      patterns=_id_patterns(doc, entities[0]))
    elif kind in ("pattern", "terms"):
        case_sensitive = doc.get("case_sensitive", bool, False)
        pattern = (_regex(doc, "pattern", case_sensitive) if kind == "pattern"
                   else _terms_pattern(doc, case_sensitive))
        if pattern is None:
            raise doc.error("missing required key 'pattern'")
        fields.update(_finding_fields(doc), pattern=pattern, filters=_filters(doc),
                      entities=(doc.get("entity", str, default_entity),),
                      confidence=_fraction(doc, "confidence", 0.8), repeats=doc.get("repeats", bool, False))
    elif kind == "context":
        window = doc.get("window", int, 60)
        if not 1 <= window <= 1000:
            raise doc.error("'window' must be between 1 and 1000 characters", doc.line_of("window"))
        min_paragraphs = doc.get("min_paragraphs", int, 1)
        if min_paragraphs < 1:
            raise doc.error("'min_paragraphs' must be 1 or more", doc.line_of("min_paragraphs"))
        min_words = doc.get("min_words", int, 0)
        scope = doc.choice("scope", CONTEXT_SCOPES, "segment")
        if min_words < 0:
            raise doc.error("'min_words' must be 0 or more", doc.line_of("min_words"))
        cues = {k: _regex(doc, k) for k in ("before", "after", "near", "segment", "unless")}
        if scope == "file" and (cues["before"] or cues["after"] or cues["near"] or "unless_found" in doc.keys()
                                or "filters" in doc.keys() or doc.get("action", str, "") == "drop"):
            raise doc.error("a file-scope context rule takes only segment, unless and min_words, and does not drop",
                            doc.line_of("scope"))
        if not any(cues[k] for k in ("before", "after", "near", "segment")):
            raise doc.error("a context rule needs at least one of before, after, near, segment")
        fields.update(applies_to=tuple(doc.get("applies_to", list, required=True)), window=window,
                      unless_found=tuple(doc.get("unless_found", list, [])), filters=_filters(doc),
                      min_paragraphs=min_paragraphs, min_words=min_words,
                      action=doc.choice("action", ACTIONS, required=True), scope=scope, **cues)
    else:  # combination
        raw = doc.raw("signals") if "signals" in doc.keys() else None
        if not isinstance(raw, list) or not raw:
            raise doc.error("'signals' must be a list of rule ids or lists of rule ids", doc.line_of("signals"))
        signals = tuple((s,) if isinstance(s, str) else tuple(s) for s in raw)
        if not all(sig and all(isinstance(r, str) for r in sig) for sig in signals):
            raise doc.error("'signals' must be a list of rule ids or lists of rule ids", doc.line_of("signals"))
        min_signals = doc.get("min_signals", int, len(signals))
        if not 1 <= min_signals <= len(signals):
            raise doc.error(f"'min_signals' must be between 1 and {len(signals)}", doc.line_of("min_signals"))
        required = doc.get("required_signals", int, 0)
        if not 0 <= required <= len(signals):
            raise doc.error(f"'required_signals' must be between 0 and {len(signals)}",
                            doc.line_of("required_signals"))
        fields.update(_finding_fields(doc), signals=signals, min_signals=min_signals, required_signals=required,
                      scope=doc.choice("scope", SCOPES, "segment"))
    return Rule(**fields)


def check_references(rules: list[Rule]) -> None:
    """Context and combination rules must name rules that exist."""
    known = {r.id for r in rules}
    for rule in rules:
        names = rule.applies_to + rule.unless_found + tuple(r for sig in rule.signals for r in sig)
        for name in names:
            if name not in known:
                raise ConfigError(f"{rule.source}: rule '{rule.id}' refers to unknown rule '{name}'")


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
    for path in rule_files(directory):
        for rule in load_file(path):
            if rule.id in rules:
                raise ConfigError(f"{rule.source}: rule id '{rule.id}' is already defined at "
                                  f"{rules[rule.id].source}")
            rules[rule.id] = rule
    return list(rules.values())


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a folder: its .yaml and .yml files (not `house.yaml.xml`, not sub-folders' tables)."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@functools.lru_cache(maxsize=1)
def shipped_rules() -> tuple[Rule, ...]:
    """The shipped rules, loaded once per process (rules are immutable)."""
    return tuple(load_dir(shipped_rules_dir()))


