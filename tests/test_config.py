"""Config discovery, overrides, user rules, and strict errors naming file and line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from phiguard import config
from phiguard.errors import ConfigError

POST = "Our patient went to room 412B.\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_found_upward_from_the_scanned_path(tmp_path):
    cfg = _write(tmp_path / ".phiguard.yaml", "fail_on: high\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert config.find_config(tmp_path / "a" / "b") == cfg
    assert config.load(cfg).fail_on.name == "HIGH"


def test_pyproject_section(tmp_path):
    _write(tmp_path / "pyproject.toml", "[project]\nname='x'\n[tool.phiguard]\nfail_on = 'low'\n"
           "[tool.phiguard.rules]\nroom-number = 'off'\n")
    found = config.find_config(tmp_path)
    settings = config.load(found)
    assert settings.fail_on.name == "LOW"
    assert not next(r for r in settings.rules() if r.id == "room-number").enabled


def test_pyproject_without_section_is_skipped(tmp_path):
    _write(tmp_path / "pyproject.toml", "[project]\nname='x'\n")
    assert config.find_config(tmp_path) is None


def test_overrides_change_the_scan(run_cli, tmp_path):
    post = _write(tmp_path / "post.txt", POST)
    doc = json.loads(run_cli("scan", str(post), "--format", "json").stdout)
    assert [f["rule"] for f in doc["findings"]] == ["room-number"]
    _write(tmp_path / ".phiguard.yaml", "rules:\n  room-number: off\n")
    assert run_cli("scan", str(post)).exit_code == 0
    _write(tmp_path / ".phiguard.yaml", "rules:\n  room-number: {severity: low}\n")
    assert run_cli("scan", str(post)).exit_code == 0
    assert run_cli("scan", str(post), "--fail-on", "low").exit_code == 1


def test_user_rule_directory_replaces_shipped_rule(run_cli, tmp_path):
    """A replaced rule brings its own patterns: the shipped rule's no longer run."""
    _write(tmp_path / ".phiguard.yaml", "rules_dirs: [my-rules]\n")
    _write(tmp_path / "my-rules" / "room.yaml", (
        "id: room-number\nkind: entity\nentities: [ROOM_NUMBER]\nidentifier: other\nseverity: high\n"
        "message: Room number (house rule)\npatterns:\n  - name: pod\n    score: 0.9\n"
        "    regex: '\\bpod\\s+(?P<id>{{day}})'\n"))
    post = _write(tmp_path / "post.txt", POST + "She moved to pod 7.\n")
    doc = json.loads(run_cli("scan", str(post), "--format", "json").stdout)
    assert [(f["rule"], f["severity"], f["message"], f["line"]) for f in doc["findings"]] == [
        ("room-number", "high", "Room number (house rule)", 2)]


@pytest.mark.parametrize(("text", "expected"), [
    ("colour: red\n", ".phiguard.yaml:1: unknown key 'colour'"),
    ("fail_on: severe\n", ".phiguard.yaml:1: 'fail_on' must be one of low, medium, high"),
    ("rules:\n  room-number: maybe\n", ".phiguard.yaml:2: rule 'room-number': expected off, on"),
    ("rules:\n  nope: off\n", ".phiguard.yaml:2: unknown rule id 'nope'"),
    ("rules:\n  date: {sevrity: high}\n", ".phiguard.yaml:2: unknown key 'sevrity'"),
    ("rules_dirs: [../outside]\n", "points outside"),
    ("fail_on: [\n", ".phiguard.yaml:2: invalid YAML"),
])
def test_config_errors_name_file_and_line(run_cli, tmp_path, text, expected):
    _write(tmp_path / ".phiguard.yaml", text)
    post = _write(tmp_path / "post.txt", POST)
    result = run_cli("scan", str(post))
    assert result.exit_code == 2
    assert expected in result.output, result.output
    assert "Traceback" not in result.output


RULE = "id: x-rule\nkind: entity\nentities: [PERSON]\nidentifier: names\nseverity: high\nmessage: X\n"


@pytest.mark.parametrize(("text", "expected"), [
    (RULE + "colour: red\n", "x.yaml:7: unknown key 'colour'"),
    (RULE.replace("severity: high", "severity: huge"), "x.yaml:5: 'severity' must be one of"),
    (RULE.replace("identifier: names", "identifier: shoe-size"), "x.yaml:4: 'identifier' must be one of"),
    (RULE.replace("id: x-rule", "id: X Rule"), "x.yaml:1: 'id' must be lowercase"),
    (RULE.replace("message: X\n", ""), "x.yaml:1: missing required key 'message'"),
    (RULE + "min_confidence: 2\n", "x.yaml:7: 'min_confidence' must be between 0 and 1"),
    (RULE + "filters: [nope]\n", "x.yaml:7: unknown filter 'nope'"),
    (RULE + "patterns: 'a'\n", "x.yaml:7: 'patterns' must be a list of mappings"),
    (RULE + "patterns:\n  - name: a\n", "x.yaml:8: missing required key 'regex'"),
    (RULE + "patterns:\n  - name: a\n    regex: '\\d+'\n    check: odd\n", "x.yaml:10: 'check' must be one of"),
    (RULE + "patterns:\n  - name: a\n    regex: '{{nope}}\\d'\n", "x.yaml:9: unknown fragment '{{nope}}'"),
    (RULE + "patterns:\n  - name: a\n    regex: '\\d+'\n    colour: red\n", "x.yaml:10: unknown key 'colour'"),
    (RULE.replace("message: X", "message: !!python/object/apply:os.system ['true']"),
     "x.yaml:6: 'message': could not determine a constructor for the tag"),
])
def test_rule_file_errors(tmp_path, text, expected):
    from phiguard.policy.rules import load_dir

    _write(tmp_path / "rules" / "x.yaml", text)
    with pytest.raises(ConfigError) as err:
        load_dir(tmp_path / "rules")
    assert expected in str(err.value)


def test_init_writes_a_valid_starter(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("init").exit_code == 0
    assert config.load(tmp_path / ".phiguard.yaml").fail_on.name == "MEDIUM"
    assert run_cli("init").exit_code == 2
    assert run_cli("init", "--force").exit_code == 0


@pytest.mark.parametrize("text", ["baseline: ../elsewhere.json\n", "cache_dir: /tmp/phiguard-elsewhere\n",
                                  "images:\n  consent: [../photo.jpg]\n"])
def test_config_cannot_point_phiguard_outside_its_folder(run_cli, tmp_path, text):
    _write(tmp_path / ".phiguard.yaml", text)
    post = _write(tmp_path / "post.txt", POST)
    result = run_cli("scan", str(post))
    assert result.exit_code == 2 and "points outside" in result.output


def test_without_a_config_cache_and_baseline_live_at_the_git_root(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    posts = tmp_path / "posts" / "2025"
    posts.mkdir(parents=True)
    monkeypatch.chdir(posts)
    assert config.Settings().base == tmp_path
    outside = tmp_path.parent / f"{tmp_path.name}-no-repo"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert config.Settings().base == outside
