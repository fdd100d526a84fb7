"""The baseline: findings accepted once, identified by keyed fingerprints, so only new findings fail.

An entry is HMAC-SHA256(local secret, rule, path, normalised match): no line numbers (moving text keeps
the entry) and no plaintext. The key is never in the file (see phiguard.secret), so whoever holds the
baseline alone cannot confirm a guessed value (a ZIP code, a birth date) by hashing candidates. The file
carries a check value of the key, so that a baseline made under another secret is an error, not a
silent mismatch. Entries match on path, rule and fingerprint together.
"""
from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import secret
from .config_keys import normalize
from .errors import ConfigError
from .findings import Finding

DEFAULT_NAME = ".phiguard-baseline.json"
VERSION = 2
KEY_CHECK_CHARS = 16


def key_check() -> str:
    """Tells which secret made a baseline, without telling the secret."""
    return secret.mac("baseline", "key check")[:KEY_CHECK_CHARS]


@dataclass
class Baseline:
    path: Path
    entries: list[dict] = field(default_factory=list)  # {"path", "rule", "fingerprint"}

    def relative(self, path: str) -> str:
        if path.startswith("<"):
            return path
        return Path(os.path.relpath(os.path.abspath(path), self.path.resolve().parent)).as_posix()

    def entry(self, finding: Finding) -> dict:
        path = self.relative(finding.path)
        digest = secret.mac("baseline", finding.rule, path, normalize(finding.match))[:32]
        return {"path": path, "rule": finding.rule, "fingerprint": digest}

    def contains(self, finding: Finding) -> bool:
        wanted = self.entry(finding)
        return any(e["fingerprint"] == wanted["fingerprint"] and e["path"] == wanted["path"]
                   and e["rule"] == wanted["rule"] for e in self.entries)

    def record(self, findings: list[Finding], scanned_paths: list[str]) -> tuple[int, int, int]:
        """Replace the entries of the scanned files with their current findings: (kept, added, dropped)."""
        scanned = {self.relative(p) for p in scanned_paths}
        old = {e["fingerprint"] for e in self.entries if e["path"] in scanned}
        others = [e for e in self.entries if e["path"] not in scanned]
        current = {e["fingerprint"]: e for e in map(self.entry, findings)}
        self.entries = sorted(others + list(current.values()), key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
        kept = len(old & current.keys())
        return kept, len(current) - kept, len(old - current.keys())

    def save(self) -> None:
        document = {"version": VERSION, "tool": "phiguard", "hash": "hmac-sha256(local secret, rule, path, match)",
                    "key_check": key_check(), "entries": self.entries}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


def load(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable phiguard baseline: {exc}") from None
    if not isinstance(document, dict):
        document = {}
    if document.get("version") == 1:
        raise ConfigError(f"{path}: a version 1 baseline keeps its salt in the file, so its holder can confirm "
                          "guessed values: recreate it with `phiguard baseline create --force`")
    entries = document.get("entries")
    if (document.get("version") != VERSION or not isinstance(document.get("key_check"), str)
            or not isinstance(entries, list)
            or not all(isinstance(e, dict) and {"path", "rule", "fingerprint"} <= e.keys() for e in entries)):
        raise ConfigError(f"{path}: not a phiguard baseline version {VERSION}: recreate it with "
                          "`phiguard baseline create`")
    if not hmac.compare_digest(document["key_check"], key_check()):
        raise ConfigError(f"{path}: recorded under another secret (this run uses {secret.where()}): set "
                          f"{secret.ENV} to the secret it was made with, or recreate it with "
                          "`phiguard baseline create --force`")
    return Baseline(path, entries)
