"""What the command line (or config) tells the sources."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceOptions:
    fields: tuple[str, ...] = ()           # export fields to check; empty: every field
    consent: frozenset[str] = frozenset()  # images with consent on file for faces (real paths)

    def has_consent(self, path: str) -> bool:
        return os.path.realpath(path) in self.consent

    @classmethod
    def build(cls, fields=(), consent=()) -> "SourceOptions":
        return cls(tuple(fields), frozenset(os.path.realpath(p) for p in consent))
