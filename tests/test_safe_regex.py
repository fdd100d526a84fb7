"""The bounded regex helper the policy layer uses for rule-file patterns."""
from __future__ import annotations

import pytest

from phiguard.errors import ConfigError
from phiguard.safe_regex import RegexTimeout, compile_pattern


def _error(message, line):
    return ConfigError(f"rules/x.yaml:{line}: {message}")


def test_matches_like_re():
    pattern = compile_pattern(r"\bMRN\s*\d+", False, _error, 4, "pattern")
    assert [m.span() for m in pattern.finditer("mrn 12 and MRN34")] == [(0, 6), (11, 16)]


def test_catastrophic_pattern_times_out_naming_the_rule(monkeypatch):
    monkeypatch.setattr("phiguard.safe_regex.TIMEOUT_SECONDS", 0.2)
    pattern = compile_pattern(r"(x+x+)+y", True, _error, 7, "pattern")
    with pytest.raises(RegexTimeout, match=r"^rules/x.yaml:7: pattern took longer than 0.2s"):
        list(pattern.finditer("x" * 5000))


@pytest.mark.parametrize(("pattern", "message"), [
    ("(unclosed", "is not a valid regular expression"),
    ("", "non-empty"),
    ("a*", "matches the empty string"),
    ("a" * 5001, "longer than 5000"),
])
def test_bad_patterns_are_config_errors_naming_the_rule(pattern, message):
    with pytest.raises(ConfigError, match=r"^rules/x.yaml:3: ") as info:
        compile_pattern(pattern, False, _error, 3, "pattern")
    assert message in str(info.value)


def test_a_rule_file_with_a_catastrophic_pattern_fails_the_scan(run_cli, tmp_path):
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / "evil.yaml").write_text(
        "id: evil\nkind: pattern\nidentifier: other\nseverity: high\nmessage: Evil\n"
        "pattern: '(x+x+)+y'\ncase_sensitive: true\n")
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [my-rules]\n")
    (tmp_path / "post.txt").write_text("x" * 20000 + "\n")
    result = run_cli("scan", str(tmp_path / "post.txt"), "--no-cache")
    assert result.exit_code == 2
    assert "evil.yaml" in result.output and "took longer than" in result.output
