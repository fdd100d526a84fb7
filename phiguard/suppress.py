"""Deliberate decisions that take a finding out of the blocking set, each counted and reported:
inline directives, the config allowlist, HIPAA authorizations, and the baseline."""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import yaml

from .config_keys import FRONT_MATTER_AUTHORIZATION_KEYS, Allowlist, Authorization, authorization
from .errors import ConfigError, InputError
from .findings import Finding
from .schema import Doc
from .sources import exports
from .sources.markdown import compose_front_matter

KINDS = ("inline", "allowlist", "authorization", "baseline")
VERBS = ("disable-line", "disable-next-line")
FRONT_MATTER_KEY = "phiguard-authorization"
MARKDOWN_SUFFIXES = (".md", ".markdown")
MARKUP_SUFFIXES = MARKDOWN_SUFFIXES + (".html", ".htm")  # only `<!-- -->` directives: `# ...` is a heading

# `<!-- phiguard: VERB RULES -->` anywhere on a line; `# phiguard: VERB RULES` (or //, ;, --, %) on its own line.
_HTML_DIRECTIVE = re.compile(r"<!--\s*phiguard:(?P<body>.*?)-->")
_LINE_DIRECTIVE = re.compile(r"^\s*(?:#+|//+|;+|--|%+)\s*phiguard:(?P<body>.*)$")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    kind: str  # one of KINDS
    reason: str  # no matched text: "directive at line 3", "allowlist term", "authorization AUTH-1 ..."


@dataclass
class Decisions:
    """Everything that can suppress a finding in this run."""

    rule_ids: set[str]
    allowlist: Allowlist = field(default_factory=Allowlist)
    authorizations: list[Authorization] = field(default_factory=list)
    base: Path = field(default_factory=Path.cwd)  # config authorizations' paths are relative to it
    baseline: object | None = None  # baseline.Baseline
    today: dt.date = field(default_factory=dt.date.today)


def directives(path: str, text: str, rule_ids: set[str]) -> dict[int, set[str]]:
    """Line number → rule ids disabled on that line. Directives must name known rules."""
    disabled: dict[int, set[str]] = {}
    markup = PurePath(path).suffix.lower() in MARKUP_SUFFIXES
    for number, line in enumerate(text.split("\n"), start=1):
        bodies = [m.group("body") for m in _HTML_DIRECTIVE.finditer(line)]
        own_line = None if markup else _LINE_DIRECTIVE.match(line)
        if own_line and not bodies:
            bodies.append(own_line.group("body"))
        for body in bodies:
            verb, _, rest = body.strip().partition(" ")
            if verb not in VERBS:
                raise InputError(f"{path}:{number}: unknown phiguard directive at line {number} "
                                 f"(use {' or '.join(VERBS)} followed by rule ids)")
            rules = [r for r in re.split(r"[\s,]+", rest.strip()) if r]
            if not rules:
                raise InputError(f"{path}:{number}: '{verb}' names no rule: name the rules to disable, "
                                 f"e.g. 'phiguard: {verb} person-name'")
            unknown = [r for r in rules if r not in rule_ids]
            if unknown:
                raise InputError(f"{path}:{number}: unknown rule id in directive at line {number} "
                                 "(see `phiguard rules`)")
            target = number if verb == "disable-line" else number + 1
            disabled.setdefault(target, set()).update(rules)
    return disabled


def _record_of(segment: str) -> str:
    return segment.partition(",")[0]


def export_directives(path: str, text: str, rule_ids: set[str]) -> dict[str, set[str]] | None:
    """For an export: record → rule ids its own fields disable (a directive never reaches another
    record on the same line); None for other files."""
    if PurePath(path).suffix.lower() not in exports.SUFFIXES:
        return None
    disabled: dict[str, set[str]] = {}
    for segment in exports.segments(path, text, (exports.EVERY_FIELD,)):
        if "phiguard:" in segment.text:
            rules = set().union(*directives(path, segment.text, rule_ids).values())
            disabled.setdefault(_record_of(segment.kind), set()).update(rules)
    return disabled


def front_matter_authorization(path: str, text: str) -> Authorization | None:
    """`phiguard-authorization: {reference, expires}` in a Markdown file's front matter."""
    if PurePath(path).suffix.lower() not in MARKDOWN_SUFFIXES:
        return None
    fm = _FRONT_MATTER.match(text)
    if not fm or not fm.group(1):
        return None
    root = compose_front_matter("\n" + fm.group(1))  # "\n": lines match the file's
    if not isinstance(root, yaml.MappingNode):  # none, invalid or too complex: no authorization
        return None
    # Only our key is read strictly: other keys are the site's, and Jekyll and Hugo accept repeated ones.
    ours = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == FRONT_MATTER_KEY]
    if not ours:
        return None
    try:
        if len(ours) > 1:
            raise ConfigError(f"{path}:{ours[1][0].start_mark.line + 1}: duplicate key '{FRONT_MATTER_KEY}'")
        return authorization(Doc(ours[0][1], path, what=f"'{FRONT_MATTER_KEY}'"), FRONT_MATTER_AUTHORIZATION_KEYS)
    except ConfigError as exc:
        raise InputError(str(exc)) from None


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()


def _authorizations_for(path: str, text: str, decisions: Decisions) -> list[Authorization]:
    found = [a for a in decisions.authorizations
             if fnmatch.fnmatchcase(_relative(path, decisions.base), a.path)]
    own = front_matter_authorization(path, text)
    return found + ([own] if own else [])


# A reference shaped like a record id ("AUTH-2026-014") is shown; free text ("Signed consent - <name>, MRN ...")
# may hold the very PHI it authorizes, and is never copied into a report.
_REFERENCE_ID = re.compile(r"[A-Z]{2,10}-\d{1,6}(?:-\d{1,6})?")  # "AUTH-2026-014"; not a name, date, SSN or phone


def _named(authorization: Authorization, where: bool = False) -> str:
    """"authorization AUTH-1" (with where: its file:line too), or "authorization at file:line"."""
    if _REFERENCE_ID.fullmatch(authorization.reference):
        return f"authorization {authorization.reference}" + (f" ({authorization.origin})" if where else "")
    return f"authorization at {authorization.origin}"


def apply(path: str, text: str, findings: list[Finding], decisions: Decisions
          ) -> tuple[list[Finding], list[Suppressed], list[str]]:
    """(still active, suppressed, notes) for one file's findings."""
    if not findings:
        directives(path, text, decisions.rule_ids)  # a bad directive is an error even in a clean file
        return [], [], []
    disabled = directives(path, text, decisions.rule_ids)
    records = export_directives(path, text, decisions.rule_ids) if disabled else None
    auths = _authorizations_for(path, text, decisions)
    valid = next((a for a in auths if not a.expired(decisions.today)), None)
    notes = [f"{path}: {_named(a, where=True)} expired on {a.expires.isoformat()}: "
             "its findings block again" for a in auths if a.expired(decisions.today)] if valid is None else []
    active, suppressed = [], []
    for f in findings:
        same_record = records is None or f.rule in records.get(_record_of(f.segment), ())
        if f.rule in disabled.get(f.line, ()) and same_record:
            suppressed.append(Suppressed(f, "inline", f"phiguard directive for line {f.line}"))
        elif (allowed := decisions.allowlist.allows(f.match)) is not None:
            suppressed.append(Suppressed(f, "allowlist", f"allowlist {allowed}"))
        elif valid is not None:
            suppressed.append(Suppressed(f, "authorization",
                                         f"{_named(valid)} until {valid.expires.isoformat()}"))
        elif decisions.baseline is not None and decisions.baseline.contains(f):
            suppressed.append(Suppressed(f, "baseline", "in the baseline"))
        else:
            active.append(f)
    return active, suppressed, notes


def counts(suppressed: list[Suppressed]) -> dict[str, int]:
    return {kind: sum(1 for s in suppressed if s.kind == kind) for kind in KINDS}
