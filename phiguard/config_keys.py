"""Config keys for deliberate decisions and CI: allowlist, authorizations, baseline path, cache."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
import yaml

from .safe_regex import TIMEOUT_SECONDS, Pattern, RegexTimeout, compile_pattern
from .schema import Doc

ALLOWLIST_KEYS = {"terms", "patterns"}
AUTHORIZATION_KEYS = {"path", "reference", "expires"}
FRONT_MATTER_AUTHORIZATION_KEYS = {"reference", "expires"}


def normalize(text: str) -> str:
    """Case- and whitespace-insensitive form of a matched term."""
    return " ".join(text.split()).casefold()


@dataclass
class Allowlist:
    terms: frozenset[str] = frozenset()
    patterns: list[Pattern] = field(default_factory=list)

    def allows(self, match: str) -> str | None:
        """What allows this match (`term` or `pattern /.../`), or None."""
        if normalize(match) in self.terms:
            return "term"
        for p in self.patterns:
            try:
                if p.compiled.fullmatch(match, timeout=TIMEOUT_SECONDS):
                    return f"pattern /{p.source}/"
            except TimeoutError:
                raise RegexTimeout(f"{p.origin}: allowlist pattern took longer than {TIMEOUT_SECONDS}s") from None
        return None


@dataclass(frozen=True)
class Authorization:
    """A written HIPAA authorization covering the findings of the files it names, until it expires."""

    path: str  # posix path or glob, relative to the config's folder; "" in front matter (the file itself)
    reference: str
    expires: dt.date
    origin: str  # file:line, for messages

    def expired(self, today: dt.date) -> bool:
        return today > self.expires


def mappings(doc: Doc, key: str) -> list[Doc]:
    """A list of mappings under `key`, each as a Doc with its own line numbers."""
    value, line = doc.items[key]
    if isinstance(value, yaml.SequenceNode):
        return [Doc(item, doc.path, what=f"each '{key}' entry") for item in value.value]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [Doc(item, doc.path, line) for item in value]
    raise doc.error(f"'{key}' must be a list of mappings", line)


def expiry(doc: Doc, key: str) -> dt.date:
    try:
        value = doc.raw(key) if key in doc.keys() else None
    except ValueError:  # YAML reads an unquoted 2027-02-30 as a date and fails on it
        raise doc.error(f"'{key}' is not a real calendar date (YYYY-MM-DD)", doc.line_of(key)) from None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if value is None:
        raise doc.error(f"missing required key '{key}' (a date, YYYY-MM-DD)")
    raise doc.error(f"'{key}' must be a date, YYYY-MM-DD (got {value!r})", doc.line_of(key))


def authorization(doc: Doc, allowed: set[str], path: str = "") -> Authorization:
    doc.reject_unknown(allowed)
    if "path" in allowed:
        path = doc.get("path", str, required=True).strip()
        if not path:
            raise doc.error("'path' must not be empty", doc.line_of("path"))
    reference = doc.get("reference", str, required=True).strip()
    if not reference:
        raise doc.error("'reference' must name the written authorization", doc.line_of("reference"))
    return Authorization(path, reference, expiry(doc, "expires"), f"{doc.path}:{doc.line}")


# Synthetic identifiers of different kinds: an allowlist pattern that allows three of them allows anything.
_PROBES = ("x", "John Smith", "536-22-8736", "jane@example.org", "617-555-0142", "MRN 4471129", "02139")


def _allows_anything(pattern: Pattern) -> bool:
    return sum(1 for probe in _PROBES if pattern.compiled.fullmatch(probe) is not None) >= 3


def load_extra(doc: Doc, base: Path) -> dict:
    """The settings these keys give (allowlist, authorizations, baseline, cache), by Settings field name."""
    settings: dict = {}
    if "allowlist" in doc.keys():
        sub = doc.sub("allowlist")
        sub.reject_unknown(ALLOWLIST_KEYS)
        terms = sub.get("terms", list, [])
        if any(not t.strip() for t in terms):
            raise sub.error("'terms' entries must not be empty", sub.line_of("terms"))
        patterns = [compile_pattern(p, True, sub.error, sub.line_of("patterns"), "patterns")
                    for p in sub.get("patterns", list, [])]
        for pattern in patterns:
            if _allows_anything(pattern):
                raise sub.error(f"allowlist pattern /{pattern.source}/ matches identifiers of every kind "
                                "(it would allow any finding): name the terms or a narrow pattern",
                                sub.line_of("patterns"))
        settings["allowlist"] = Allowlist(frozenset(normalize(t) for t in terms), patterns)
    if "authorizations" in doc.keys():
        settings["authorizations"] = [authorization(d, AUTHORIZATION_KEYS) for d in mappings(doc, "authorizations")]
    if "baseline" in doc.keys():
        settings["baseline"] = _inside(base, doc, "baseline")
    settings["cache"] = doc.get("cache", bool, True)
    if "cache_dir" in doc.keys():
        settings["cache_dir"] = _inside(base, doc, "cache_dir")
    return settings


def _inside(base: Path, doc: Doc, key: str) -> Path:
    """A path the config names for phiguard to write: it must stay inside the config's folder."""
    relative = doc.get(key, str)
    target = (base / relative).resolve()
    if target != base.resolve() and base.resolve() not in target.parents:
        raise doc.error(f"'{key}' '{relative}' points outside {base}", doc.line_of(key))
    return base / relative
