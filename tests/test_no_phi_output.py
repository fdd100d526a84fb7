"""Kept output (not a terminal, or CI set) never holds the matched text."""
from __future__ import annotations

import json

import pytest

POST = "Our patient John Smith (MRN 4471129) went home today."


@pytest.mark.parametrize("fmt", ["json", "text", "rich"])
@pytest.mark.parametrize("env", [{}, {"CI": "true"}])
def test_matches_are_masked_in_kept_output(run_cli, tmp_path, fmt, env):
    path = tmp_path / "post.md"
    path.write_text(POST)
    result = run_cli("scan", "--format", fmt, str(path), env=env)
    assert result.exit_code == 1
    assert "John" not in result.output and "4471129" not in result.output
    if fmt == "json":
        findings = json.loads(result.stdout)["findings"]
        assert findings and all(f["match"] is None for f in findings)
