"""None of our regexes (shipped rules' patterns and cues, Markdown/HTML readers) backtracks catastrophically.

Each adversarial 1 MB text is scanned end to end in a child process with a generous timeout: a
quadratic regex takes hours on it, a linear one seconds. The first part times each regex alone.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from phiguard.policy.rules import shipped_rules
from phiguard.sources import html, markdown

N = 1_000_000
ADVERSARIAL = {
    "spaces after cues": ("MRN" + " " * 5000 + "x ") * (N // 5005),
    "cue repeated": "MRN room member fax VIN " * (N // 24),
    "digits": "1" * N,
    "digits and dashes": "12-" * (N // 3),
    "letters": "A" * N,
    "image openers": "![" * (N // 2),
    "link openers": "[a](x" * (N // 5),
    "angle links": "[a](<" * (N // 5),
    "attribute colons": "<a " + "x:" * (N // 2),
    "script openers": "<script" * (N // 7),
    "comment openers": "<!--" * (N // 4),
    "ages": "95 -" * (N // 4),
}
RULE_REGEXES = [(f"{rule.id}: {p.name}", p.pattern.compiled) for rule in shipped_rules() for p in rule.patterns] + [
    (f"{rule.id}: {key}", getattr(rule, key).compiled) for rule in shipped_rules()
    for key in ("pattern", "before", "after", "near", "segment", "unless") if getattr(rule, key) is not None
]
OUR_REGEXES = RULE_REGEXES + [
    (f"{mod.__name__}.{name}", value) for mod in (html, markdown)
    for name, value in vars(mod).items() if isinstance(value, re.Pattern)
]


def test_every_rule_pattern_is_checked():
    assert sum(1 for label, _ in RULE_REGEXES if label.startswith("zip-code: ")) == 4
    assert len(RULE_REGEXES) > 50


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_each_regex_is_linear_on_adversarial_text(name):
    text = ADVERSARIAL[name][:100_000]
    for label, regex in OUR_REGEXES:
        started = time.perf_counter()
        for _ in regex.finditer(text):
            pass
        assert time.perf_counter() - started < 2.0, f"{label} on {name}"  # quadratic: minutes


@pytest.mark.parametrize("suffix", [".md"])  # Markdown runs the HTML regexes too
def test_full_scan_of_adversarial_megabyte_finishes(tmp_path, suffix):
    path = tmp_path / f"adversarial{suffix}"
    path.write_text("\n".join(text[:N // len(ADVERSARIAL)] for text in ADVERSARIAL.values()))
    proc = subprocess.run([sys.executable, "-m", "phiguard", "scan", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.returncode in (0, 1), proc.stderr
