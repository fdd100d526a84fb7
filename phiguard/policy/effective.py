"""The policy in force, as every report states it: which config, and what it changes from the shipped policy.

A weakened policy must never be invisible: a parent folder's config that turns rules off, a user rule that
replaces a shipped id, a lowered severity or fail level, a context rule that drops findings.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..findings import Severity
from ..tables import shipped_rules_dir
from .rules import Rule, shipped_rules

SHIPPED_FAIL_ON = Severity.MEDIUM


def _repository_top(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _config_label(config: Path | None, start: Path) -> str | None:
    if config is None:
        return None
    top = _repository_top(start.resolve())
    folder = config.resolve().parent
    outside = top is not None and folder != top and top not in folder.parents
    return f"{os.path.relpath(config)}{' (outside this repository)' if outside else ''}"


def _from_user(rule: Rule, shipped_dir: Path) -> bool:
    return shipped_dir not in Path(rule.source.rsplit(":", 1)[0]).resolve().parents


def describe(config: Path | None, rules: list[Rule], fail_on: Severity, start: Path) -> dict:
    """{"config", "fail_on", "rules_off", "severity_lowered", "replaced", "dropping_context"}."""
    shipped = {r.id: r for r in shipped_rules()}
    shipped_dir = shipped_rules_dir().resolve()
    live = [r for r in rules if r.enabled]
    return {
        "config": _config_label(config, start),
        "fail_on": str(fail_on),
        "rules_off": sorted(r.id for r in rules if not r.enabled and r.id in shipped and shipped[r.id].enabled),
        "severity_lowered": sorted(r.id for r in live if r.id in shipped and r.severity < shipped[r.id].severity),
        "replaced": sorted(r.id for r in rules if r.id in shipped and _from_user(r, shipped_dir)),
        "dropping_context": sorted(r.id for r in live if r.kind == "context" and r.action == "drop"
                                   and _from_user(r, shipped_dir)),
    }


def notes(policy: dict) -> list[str]:
    """One line for a report when the policy differs from the shipped one (else nothing)."""
    changes = []
    if policy["fail_on"] != str(SHIPPED_FAIL_ON):
        changes.append(f"fail level {policy['fail_on']} (shipped: {SHIPPED_FAIL_ON})")
    for key, label in (("rules_off", "rules turned off"), ("severity_lowered", "severity lowered"),
                       ("replaced", "shipped rules replaced"), ("dropping_context", "context rules that drop")):
        if policy[key]:
            changes.append(f"{label}: {', '.join(policy[key])}")
    if not changes:
        return []
    where = f"config {policy['config']}" if policy["config"] else "the command line"
    return [f"policy weakened by {where}: " + "; ".join(changes)]
