"""The library call every front end uses: the same verdicts as `phiguard scan`, streamed per file."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import phiguard
from phiguard.errors import PhiguardError

README = Path(__file__).resolve().parent.parent / "README.md"
PHI = "Our patient John Smith, SSN 123-45-6789, went home today.\n"
CLEAN = "Wash your hands and get your flu shot this winter.\n"


def test_files_and_texts_stream_in_order_with_a_summary(tmp_path):
    (tmp_path / "a.md").write_text(PHI)
    (tmp_path / "b.md").write_text(CLEAN)
    scan = phiguard.scan([tmp_path, phiguard.Text(PHI, name="draft.txt")], phiguard.Options(cache=False))
    results = list(scan)
    assert [Path(r.path).name for r in results] == ["a.md", "b.md", "draft.txt"]
    assert [bool(r.blocking(scan.fail_on)) for r in results] == [True, False, True]
    assert scan.summary.files == 3 and scan.summary.errors == 0 and scan.summary.exit_code == 1


def test_same_verdict_as_the_cli(run_cli, tmp_path):
    (tmp_path / "a.md").write_text(PHI + "Call 555-867-5309.\n")
    (tmp_path / ".phiguard.yaml").write_text("fail_on: high\n")
    cli = json.loads(run_cli("scan", str(tmp_path), "--format", "json", "--no-cache").stdout)
    scan = phiguard.scan([str(tmp_path)], phiguard.Options(cache=False))
    results = scan.collect()
    assert [f.fingerprint for r in results for f in r.findings] == [f["fingerprint"] for f in cli["findings"]]
    assert scan.fail_on.name.lower() == cli["fail_on"] == "high"
    assert scan.summary.exit_code == cli["summary"]["exit_code"]


def test_suppressed_findings_come_with_their_reason(tmp_path):
    (tmp_path / "a.md").write_text("Our patient John Smith went home. <!-- phiguard: disable-line person-name -->\n")
    [result] = phiguard.scan([tmp_path / "a.md"], phiguard.Options(cache=False)).collect()
    assert {s.finding.rule for s in result.suppressed} == {"person-name"}
    assert all(s.reason for s in result.suppressed)


def test_problems_before_any_file_raise(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PhiguardError, match="no files to scan"):
        phiguard.scan([tmp_path / "empty"])
    (tmp_path / "bad.yaml").write_text("fail_on: sometimes\n")
    with pytest.raises(PhiguardError):
        phiguard.scan([tmp_path], phiguard.Options(config=tmp_path / "bad.yaml"))


def test_a_file_that_cannot_be_checked_is_its_error(tmp_path):
    (tmp_path / "bad.md").write_bytes(b"caf\xe9 latin-1\n")
    scan = phiguard.scan([tmp_path / "bad.md", tmp_path / "missing.md"], phiguard.Options(cache=False))
    results = scan.collect()
    assert [bool(r.error) for r in results] == [True, True] and scan.summary.exit_code == 2


def test_a_scan_is_iterated_once():
    scan = phiguard.scan([phiguard.Text(CLEAN)], phiguard.Options(cache=False))
    assert scan.collect()[0].findings == []
    with pytest.raises(RuntimeError):
        list(scan)


def test_the_readme_example_runs(capsys, monkeypatch):
    monkeypatch.chdir(README.parent)
    section = README.read_text().split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == "1"  # examples/draft.md blocks
    assert any(line.startswith("examples/draft.md ") for line in printed)
    assert not any(line.startswith("welcome.md") for line in printed)


def test_no_verdict_before_the_scan_has_finished():
    scan = phiguard.scan([phiguard.Text(CLEAN), phiguard.Text(CLEAN)], phiguard.Options(cache=False))
    assert scan.summary.exit_code == 2  # nothing scanned yet: no pass
    for _ in scan:
        break
    assert scan.summary.exit_code == 2  # stopped after one of two
    finished = phiguard.scan([phiguard.Text(CLEAN)], phiguard.Options(cache=False))
    finished.collect()
    assert finished.summary.exit_code == 0


def test_a_session_gives_the_verdict_a_scan_gives(tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("fail_on: high\n")
    (tmp_path / "a.md").write_text(PHI)
    [scanned] = phiguard.scan([tmp_path / "a.md"], phiguard.Options(cache=False)).collect()
    session = phiguard.Session(start=tmp_path)
    checked = session.check(phiguard.Text(PHI, str(tmp_path / "a.md")))
    assert [f.fingerprint for f in checked.findings] == [f.fingerprint for f in scanned.findings]
    assert session.fail_on.name == "HIGH" and session.verdict(checked) == "blocked"
    assert session.verdict(session.check(phiguard.Text(CLEAN, "b.md"))) == "passes"
    assert session.fix(checked.findings[0])  # every reported rule says how to fix it


def test_a_session_keeps_directives_and_trusts_paths_only_when_told(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / ".phiguard.yaml").write_text(
        "authorizations:\n  - path: posts/x.md\n    reference: AUTH-7\n    expires: 2099-01-31\n")
    name = str(tmp_path / "posts" / "x.md")
    trusted = phiguard.Session(start=tmp_path)
    assert trusted.verdict(trusted.check(phiguard.Text(PHI, name))) == "passes"
    upload = phiguard.Session(phiguard.Options(config=tmp_path / ".phiguard.yaml"), trust_paths=False)
    assert upload.verdict(upload.check(phiguard.Text(PHI, name))) == "blocked"
    directive = "Our patient John Smith went home. <!-- phiguard: disable-line person-name -->\n"
    assert upload.verdict(upload.check(phiguard.Text(directive, "d.md"))) == "passes"


def test_a_session_reads_bytes_in_memory_and_says_when_its_config_changed(tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("fail_on: medium\n")
    session = phiguard.Session(start=tmp_path)
    result, source = session.check_bytes(PHI.encode(), "draft.md")
    assert session.verdict(result) == "blocked" and source.text == PHI
    bad, _ = session.check_bytes(b"caf\xe9\n", "draft.md")
    assert session.verdict(bad) == "not checked" and bad.error
    assert not session.stale()
    (tmp_path / ".phiguard.yaml").write_text("fail_on: high\n# changed\n")
    assert session.stale()
