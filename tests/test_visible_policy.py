"""A weakened policy is never invisible: every report names the config in force and what it weakens."""
from __future__ import annotations

import json

import pytest

PHI = "Our patient Marisol Quintero went home today, SSN 536-22-8736.\n"


@pytest.fixture()
def repo_under_weak_parent(tmp_path, monkeypatch):
    (tmp_path / ".phiguard.yaml").write_text("fail_on: high\nrules:\n  ssn: off\n  person-name:\n    severity: low\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "posts").mkdir()
    (repo / "posts" / "p.md").write_text(PHI)
    monkeypatch.chdir(repo)
    return repo


def test_json_and_sarif_carry_the_policy(run_cli, repo_under_weak_parent):
    doc = json.loads(run_cli("scan", "posts", "--format", "json", "--no-cache").stdout)
    assert doc["policy"]["config"].endswith(".phiguard.yaml (outside this repository)")
    assert doc["policy"]["rules_off"] == ["ssn"]
    assert doc["policy"]["severity_lowered"] == ["person-name"]
    assert doc["policy"]["fail_on"] == "high"
    sarif = json.loads(run_cli("scan", "posts", "--format", "sarif", "--no-cache").stdout)
    assert sarif["runs"][0]["properties"]["policy"]["rules_off"] == ["ssn"]


@pytest.mark.parametrize("fmt", ["text", "rich", "github", "junit"])
def test_every_format_says_the_policy_is_weakened(run_cli, repo_under_weak_parent, fmt):
    result = run_cli("scan", "posts", "--format", fmt, "--no-cache", env={"GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 0
    assert "policy weakened" in result.stdout and "ssn" in result.stdout


def test_a_user_rule_replacing_a_shipped_id_is_named(run_cli, tmp_path, monkeypatch):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "ssn.yaml").write_text(
        "id: ssn\nkind: pattern\npattern: 'ZZZ'\nidentifier: ssn\nseverity: high\nmessage: SSN\n"
        "examples:\n  flag: ['ZZZ']\n  pass: ['SSN 536-22-8736']\n")
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [house]\n")
    (tmp_path / "p.md").write_text("His SSN is 536-22-8736.\n")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run_cli("scan", "p.md", "--format", "json", "--no-cache").stdout)
    assert doc["policy"]["replaced"] == ["ssn"]
    assert "shipped rules replaced: ssn" in run_cli("rules").output


def test_the_shipped_policy_adds_no_note(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.md").write_text(PHI)
    doc = json.loads(run_cli("scan", "p.md", "--format", "json", "--no-cache").stdout)
    assert doc["policy"] == {"config": None, "fail_on": "medium", "rules_off": [], "severity_lowered": [],
                             "replaced": [], "dropping_context": []}
    assert not any("policy" in n for n in doc["notes"])
