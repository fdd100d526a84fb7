"""Broken environments and rule files: one line on stderr, exit 2, no traceback."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from phiguard.detection.model import DEFAULT_MODEL
from phiguard.policy.rules import shipped_rules_dir

POST = "Our patient John Smith went home today."


def _one_line_error(result) -> str:
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("phiguard: error: ")
    return lines[0]


@pytest.fixture()
def post(tmp_path) -> Path:
    path = tmp_path / "post.md"
    path.write_text(POST)
    return path


def test_model_not_installed(run_cli, post):
    line = _one_line_error(run_cli("scan", "--model", "no_such_model", str(post)))
    assert "'no_such_model' is not installed" in line and "spacy download no_such_model" in line


def _copy_model(tmp_path) -> Path:
    import spacy

    source = Path(spacy.util.get_package_path(DEFAULT_MODEL))
    target = tmp_path / "model"
    shutil.copytree(next(source.rglob("config.cfg")).parent, target)  # the model data directory
    assert (target / "meta.json").exists()
    return target


@pytest.mark.parametrize("breakage", ["meta-not-json", "config-garbage", "wrong-spacy-version", "no-ner"])
def test_broken_model_directory(run_cli, post, tmp_path, breakage):
    model = _copy_model(tmp_path)
    meta = json.loads((model / "meta.json").read_text())
    if breakage == "meta-not-json":
        (model / "meta.json").write_text("{not json")
    elif breakage == "config-garbage":
        (model / "config.cfg").write_text("[nlp\nthis is not a config")
    elif breakage == "wrong-spacy-version":
        meta["spacy_version"] = ">=2.0.0,<2.1.0"
        (model / "meta.json").write_text(json.dumps(meta))
    else:
        cfg = (model / "config.cfg").read_text()
        (model / "config.cfg").write_text(cfg.replace('"ner"]', "]").replace(',"ner"', ""))
    line = _one_line_error(run_cli("scan", "--model", str(model), str(post)))
    assert f"spaCy model '{model}'" in line
    print(line)


def test_intact_model_copy_loads(run_cli, post, tmp_path):
    """The control for the breakages above: the copied directory itself is a working model."""
    result = run_cli("scan", "--model", str(_copy_model(tmp_path)), str(post))
    assert result.exit_code == 1, result.stderr


RULE = """id: test-rule
kind: entity
message: A name
identifier: names
severity: medium
entities: [PERSON]
"""


@pytest.mark.parametrize(("content", "expected"), [
    (RULE + "colour: red\n", "test.yaml:7: unknown key 'colour'"),
    (RULE + "examples: [unclosed\n", "test.yaml:8: invalid YAML"),
    (RULE.replace("message: A name", "message: !!python/object/apply:os.system [echo hi]"),
     "test.yaml:3: 'message': could not determine a constructor for the tag"),
    (RULE.replace("kind: entity", "kind: regex"), "test.yaml:2: 'kind' must be one of"),
    ("\0\1\2 binary", "test.yaml"),
    (RULE + "---\n" + RULE, "test.yaml:7: invalid YAML: but found another document"),
])
def test_bad_rule_file(run_cli, post, tmp_path, monkeypatch, content, expected):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "test.yaml").write_text(content)
    config = tmp_path / ".phiguard.yaml"
    config.write_text("rules_dirs: [rules]\n")
    for args in (("scan", str(post), "--config", str(config)), ("rules", "--config", str(config))):
        assert expected in _one_line_error(run_cli(*args))
    assert not (Path.cwd() / "hi").exists()


def test_internal_error_fails_closed_without_matched_text(run_cli, post, monkeypatch):
    """A crash outside any one file's scan (here: writing the report) ends with exit 2 and the exception type
    only, never its (PHI-bearing) text. A crash inside one file's scan is that file's error (test_containment)."""
    def crash(report, stream):
        raise ValueError(f"cannot handle {report.findings[0].match!r}")

    monkeypatch.setattr("phiguard.reporters.json_format.write", crash)
    result = run_cli("scan", "--format", "json", str(post))
    line = _one_line_error(result)
    assert "internal error (ValueError)" in line and "PHIGUARD_DEBUG=1" in line
    assert "John" not in result.output and "John" not in result.stderr
    monkeypatch.setenv("PHIGUARD_DEBUG", "1")
    result = run_cli("scan", "--format", "json", str(post))
    assert result.exit_code == 2 and "Traceback" in result.stderr


def test_shipped_rules_still_load():
    assert any(shipped_rules_dir().glob("*.yaml"))


def test_missing_path_with_newline_is_still_one_line(run_cli, tmp_path):
    result = run_cli("scan", str(tmp_path / "no\nsuch.md"), "--format", "json")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"phiguard: {tmp_path}/no\\nsuch.md: No such file or directory"]


def test_output_closed_early_is_exit_2_with_one_line(tmp_path):
    """`phiguard scan ... | head -1`: the reader leaves; phiguard says so in one line and exits 2."""
    posts = tmp_path / "posts"
    posts.mkdir()
    for i in range(60):  # ~200 KB of report: more than a pipe holds
        (posts / f"{i}.txt").write_text(f"Our patient Zebediah Quillfeather {i} was seen on 3/4/2025.\n" * 20)
    proc = subprocess.Popen([sys.executable, "-m", "phiguard", "scan", "--format", "text", "--no-cache", str(posts)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2
    assert stderr.strip().splitlines() == ["phiguard: error: the output was closed before the report was complete"]


@pytest.mark.parametrize("command", [["rules"], ["explain", "person-name"]])
def test_information_read_in_part_is_a_normal_end(command):
    """`phiguard explain X | head`: a reader that leaves early is no error for a command that prints
    information (a scan's report cut short still is: the gate's verdict was not read)."""
    proc = subprocess.Popen([sys.executable, "-m", "phiguard", *command], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and stderr == ""
