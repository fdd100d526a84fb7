"""The baseline: findings accepted once, identified by salted fingerprints, so only new findings fail.

An entry is HMAC-SHA256(salt, rule, path, normalised match): no line numbers (moving text keeps the
entry) and no plaintext. The random per-baseline salt stops anyone holding the file from confirming a
guessed value (a ZIP code, a birth date) by hashing candidates, which an unsalted hash would allow.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .config_keys import normalize
from .errors import ConfigError
from .findings import Finding

DEFAULT_NAME = ".phiguard-baseline.json"
VERSION = 1


@dataclass
class Baseline:
    path: Path
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    entries: list[dict] = field(default_factory=list)  # {"path", "rule", "fingerprint"}

    def relative(self, path: str) -> str:
        if path.startswith("<"):
            return path
        return Path(os.path.relpath(os.path.abspath(path), self.path.resolve().parent)).as_posix()

    def entry(self, finding: Finding) -> dict:
        path = self.relative(finding.path)
        message = f"{finding.rule}\0{path}\0{normalize(finding.match)}".encode("utf-8")
        digest = hmac.new(bytes.fromhex(self.salt), message, hashlib.sha256).hexdigest()[:32]
        return {"path": path, "rule": finding.rule, "fingerprint": digest}

    def contains(self, finding: Finding) -> bool:
        return self.entry(finding)["fingerprint"] in {e["fingerprint"] for e in self.entries}

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
        document = {"version": VERSION, "tool": "phiguard", "hash": "hmac-sha256(salt, rule, path, match)",
                    "salt": self.salt, "entries": self.entries}
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
    entries, salt = document.get("entries"), document.get("salt")
    if (document.get("version") != VERSION or not isinstance(salt, str) or not isinstance(entries, list)
            or not all(isinstance(e, dict) and {"path", "rule", "fingerprint"} <= e.keys() for e in entries)):
        raise ConfigError(f"{path}: not a phiguard baseline version {VERSION}: recreate it with "
                          "`phiguard baseline create`")
    try:
        bytes.fromhex(salt)
    except ValueError:
        raise ConfigError(f"{path}: the baseline's salt is not hexadecimal") from None
    return Baseline(path, salt, entries)
