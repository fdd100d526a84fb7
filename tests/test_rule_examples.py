"""Every rule's own examples: the texts it must flag and the texts it must pass."""
from __future__ import annotations

import pytest

from phiguard.policy.rules import load_dir, shipped_rules_dir

RULES = [r for r in load_dir(shipped_rules_dir()) if r.kind == "entity"]  # image rules: tests/test_images.py
CASES = [(r.id, "flag", t) for r in RULES for t in r.examples.flag] + \
        [(r.id, "pass", t) for r in RULES for t in r.examples.allow]


def test_every_rule_has_examples_both_ways():
    for rule in RULES:
        assert rule.examples.flag, f"{rule.id} has no example to flag"
        assert rule.examples.allow, f"{rule.id} has no example to pass"


@pytest.mark.parametrize(("rule_id", "expect", "text"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_example(scanner, rule_id, expect, text):
    rules = [f.rule for f in scanner.scan_text(text)]
    if expect == "flag":
        assert rule_id in rules, f"{rule_id} did not flag: {text!r} (got {rules})"
    else:
        assert rule_id not in rules, f"{rule_id} flagged: {text!r}"
