"""The bounded regex helper the policy layer uses for user-supplied patterns."""
from __future__ import annotations

import pytest

from phiguard.errors import ConfigError
from phiguard.safe_regex import RegexTimeout, compile_pattern


def test_matches_like_re():
    pattern = compile_pattern(r"\bMRN\s*\d+", "rules/mrn.yaml:4", ignore_case=True)
    assert list(pattern.finditer("mrn 12 and MRN34")) == [(0, 6), (11, 16)]


def test_catastrophic_pattern_times_out_naming_the_rule():
    pattern = compile_pattern(r"(x+x+)+y", "rules/evil.yaml:7", timeout=0.2)
    with pytest.raises(RegexTimeout, match=r"^rules/evil.yaml:7: pattern took longer than 0.2s"):
        list(pattern.finditer("x" * 5000))


@pytest.mark.parametrize(("pattern", "message"), [
    ("(unclosed", "invalid pattern: missing )"),
    ("", "non-empty string"),
    (42, "non-empty string"),
    ("a*", "matches the empty string"),
    ("a" * 1001, "longer than 1000"),
])
def test_bad_patterns_are_config_errors_naming_the_rule(pattern, message):
    with pytest.raises(ConfigError, match=r"^rules/x.yaml:3: ") as info:
        compile_pattern(pattern, "rules/x.yaml:3")
    assert message in str(info.value)
