"""The shipped rules folder and its tables (word lists, places, fragments): read once per process, by
detection and policy alike (neither imports the other for them)."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from .schema import SAFE_LOADER


def shipped_rules_dir() -> Path:
    """`rules/` ships inside the wheel as phiguard/rules; in a checkout it is at the repo root."""
    packaged = Path(__file__).resolve().parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "rules"


@functools.lru_cache(maxsize=None)
def shipped_table(name: str) -> dict:
    """A table of rules/tables, read once per process (callers only read it)."""
    return yaml.load((shipped_rules_dir() / "tables" / name).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
