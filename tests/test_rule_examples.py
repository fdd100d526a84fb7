"""Every rule's own examples: the texts it must flag and the texts it must pass.

- entity, pattern and terms rules: a "flag" text yields a blocking finding (medium or above, the default
  fail level) of that rule, a "pass" text none (a low-severity notice may remain). A rule whose own
  severity is low (a notice) flags when it reports at all.
- context rules: in a "flag" text a rule it applies to still blocks (medium or above); in a "pass" text
  none of them blocks. Over notices only (the conduct pack), "flag" means a finding of those rules remains
  and "pass" that none does.
- combination rules: a "flag" text has a blocking finding raised or made by the combination; a "pass"
  text has none.
- rules with `report: false` are signals for combinations and carry no examples.
- image rules (GPS, faces, ...) take no text examples: tests/test_images.py covers each of them.
"""
from __future__ import annotations

import pytest

from phiguard.findings import Severity
from phiguard.policy.rules import load_dir, shipped_rules_dir

RULES = [r for r in load_dir(shipped_rules_dir()) if r.kind != "image"]  # image rules: tests/test_images.py
CASES = [(r, "flag", t) for r in RULES for t in r.examples.flag] + \
        [(r, "pass", t) for r in RULES for t in r.examples.allow]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_reported_rule_has_examples_both_ways(rule):
    if not rule.report:
        assert not rule.examples.flag and not rule.examples.allow
        return
    assert rule.examples.flag, f"{rule.id} has no example to flag"
    assert rule.examples.allow, f"{rule.id} has no example to pass"


BY_ID = {r.id: r for r in RULES}


def _advisory(rule) -> bool:
    """A context rule over notices only (the conduct pack): it acts by dropping them, not by unblocking."""
    return all(BY_ID[r].identifier == "conduct" for r in rule.applies_to if r in BY_ID)


def _fires(rule, findings, expect) -> bool:
    if rule.kind == "context" and _advisory(rule):
        return any(f.rule in rule.applies_to for f in findings)
    if rule.kind == "context":
        return any(f.rule in rule.applies_to and f.severity >= Severity.MEDIUM for f in findings)
    if rule.kind == "combination":
        return any(f.severity >= rule.severity and (f.rule == rule.id or rule.message in f.message)
                   for f in findings)
    if rule.severity == Severity.LOW and expect == "flag":
        return any(f.rule == rule.id for f in findings)
    return any(f.rule == rule.id and f.severity >= Severity.MEDIUM for f in findings)


@pytest.mark.parametrize(("rule", "expect", "text"), CASES,
                         ids=[f"{c[0].id}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_example(scanner, rule, expect, text):
    findings = scanner.scan_text(text)
    got = [(f.rule, str(f.severity), f.message) for f in findings]
    assert _fires(rule, findings, expect) == (expect == "flag"), f"{rule.id} {expect}: {text!r} -> {got}"
