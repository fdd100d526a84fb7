"""What phiguard keeps cannot be turned against it: cache entries are signed, rule files are keyed as loaded."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

PHI = "Our patient went home today, MRN 5530871.\n"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


def test_a_hand_edited_cache_entry_is_not_trusted(run_cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PHIGUARD_CACHE_DIR", str(cache))
    post = tmp_path / "p.md"
    post.write_text(PHI)
    assert run_cli("scan", str(post)).exit_code == 1
    [entry] = _entries(cache)
    entry.write_text(json.dumps({"findings": []}))  # as a commit or a colleague could
    assert run_cli("scan", str(post)).exit_code == 1
    forged = json.loads(entry.read_text())
    forged["findings"] = []
    entry.write_text(json.dumps(forged))  # a signed entry with its findings removed
    assert run_cli("scan", str(post)).exit_code == 1


def test_an_entry_made_under_another_secret_is_not_trusted(run_cli, tmp_path, monkeypatch):
    from phiguard import secret

    cache = tmp_path / "cache"
    monkeypatch.setenv("PHIGUARD_CACHE_DIR", str(cache))
    post = tmp_path / "p.md"
    post.write_text("Flu shots all week in the lobby.\n")
    monkeypatch.setenv("PHIGUARD_SECRET", "someone else's")
    secret.reset()
    assert run_cli("scan", str(post)).exit_code == 0
    [entry] = _entries(cache)
    clean = entry.read_text()
    post.write_text(PHI)
    assert run_cli("scan", str(post)).exit_code == 1
    for old in _entries(cache):  # the other machine's clean entry for the PHI text...
        old.write_text(clean)
    monkeypatch.delenv("PHIGUARD_SECRET")
    secret.reset()
    assert run_cli("scan", str(post)).exit_code == 1  # ...means nothing here


def test_cache_hits_are_counted_in_the_report(run_cli, tmp_path):
    post = tmp_path / "p.md"
    post.write_text(PHI)
    run_cli("scan", str(post))
    again = run_cli("scan", str(post), "--format", "json")
    doc = json.loads(again.stdout)
    assert doc["summary"]["cache_hits"] == 1
    assert any("from the result cache" in n for n in doc["notes"])


def test_only_yaml_files_are_rules_and_every_rule_file_keys_the_cache(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [house]\n")
    post = tmp_path / "s.md"
    post.write_text("Our patient went home today, MRN 5530871.\n")
    assert run_cli("scan", str(post)).exit_code == 1
    shadow = ("id: medical-record-number\nkind: pattern\npattern: 'ZZZ'\nidentifier: mrn\nseverity: high\n"
              "message: MRN\n")
    (tmp_path / "house" / "mrn.yaml.bak").write_text(shadow)  # not a rule file: not loaded
    assert run_cli("scan", str(post)).exit_code == 1
    (tmp_path / "house" / "mrn.yaml.bak").unlink()
    assert run_cli("scan", str(post)).exit_code == 1


def test_a_kept_rich_report_masks_baselined_findings_on_a_printed_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    post = tmp_path / "post.md"
    post.write_text("Our patient Marisol Quintero went home today.\n")
    assert run_cli("baseline", "create", str(post)).exit_code == 0
    post.write_text("Our patient Marisol Quintero went home today, MRN 5530871.\n")
    result = run_cli("scan", str(post), "--format", "rich", "-o", "report.txt", env={"CI": "true"})
    assert result.exit_code == 1
    kept = (tmp_path / "report.txt").read_text()
    assert "5530871" not in kept and "Quintero" not in kept and "[masked]" in kept


def test_overlapping_matches_are_masked_to_the_end_of_the_longer():
    from phiguard.findings import Finding, Severity
    from phiguard.reporters.rich_format import _snippet

    line = "call 617-555-0142 ext 88 now"

    def finding(start, end):
        return Finding("p", start, end, 1, start + 1, 1, end + 1, "body", "r", "E", "phone", Severity.HIGH, 1.0,
                       "m", line[start:end], "f")

    short, long = finding(5, 12), finding(9, 24)
    shown = _snippet(line, 1, [short, long], show=False, target=short).plain
    assert "0142" not in shown and "88" not in shown and shown.endswith(" now")


def test_an_interrupt_is_an_error_not_a_verdict(run_cli, tmp_path, monkeypatch):
    from phiguard import run

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "scan_sources", interrupted)
    (tmp_path / "p.md").write_text("Flu shots all week.\n")
    result = run_cli("scan", str(tmp_path / "p.md"), "--no-cache")
    assert result.exit_code == 2 and "interrupted" in result.output


@pytest.mark.parametrize("pattern", [".+", "[\\\\s\\\\S]+", ".{1,}", "\\\\S+", "[\\\\w@.-]+"],
                         ids=["dot-plus", "any-char", "dot-range", "non-space", "word-chars"])
def test_an_allowlist_pattern_that_allows_anything_is_refused(run_cli, tmp_path, pattern):
    (tmp_path / ".phiguard.yaml").write_text(f'allowlist:\n  patterns: ["{pattern}"]\n')
    (tmp_path / "p.md").write_text(PHI)
    result = run_cli("scan", str(tmp_path / "p.md"))
    assert result.exit_code == 2 and "every kind" in result.output


def test_a_narrow_allowlist_pattern_is_kept(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text('allowlist:\n  patterns: ["55308\\\\d\\\\d"]\n')
    (tmp_path / "p.md").write_text(PHI)
    assert run_cli("scan", str(tmp_path / "p.md")).exit_code == 0


def test_baseline_entries_match_on_path_and_rule_too(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(PHI)
    (tmp_path / "b.md").write_text(PHI)
    assert run_cli("baseline", "create", "a.md").exit_code == 0
    base = tmp_path / ".phiguard-baseline.json"
    doc = json.loads(base.read_text())
    doc["entries"] = [{**e, "path": "b.md"} for e in doc["entries"]]  # relabelled to another file
    base.write_text(json.dumps(doc))
    assert run_cli("scan", "b.md").exit_code == 1


ZIP_POST = "Our patient went home to zip code 02139 today.\n"


def _other_secret(monkeypatch, value: str | None) -> None:
    from phiguard import secret

    if value is None:
        monkeypatch.delenv("PHIGUARD_SECRET", raising=False)
    else:
        monkeypatch.setenv("PHIGUARD_SECRET", value)
    secret.reset()


def _zip_fingerprint(run_cli, post: Path) -> tuple[str, dict]:
    doc = json.loads(run_cli("scan", str(post), "--format", "json", "--no-cache", env={"CI": "true"}).stdout)
    [finding] = [f for f in doc["findings"] if f["rule"] == "zip-code"]
    return finding["fingerprint"], finding


def test_a_report_alone_does_not_confirm_a_guessed_value(run_cli, tmp_path, monkeypatch):
    import hashlib
    import hmac

    post = tmp_path / "p.md"
    post.write_text(ZIP_POST)
    mark, finding = _zip_fingerprint(run_cli, post)
    assert finding["match"] is None
    guesses = [f"{z:05d}" for z in range(2100, 2200)]  # the true value is among them
    for guess in guesses:
        message = f"{finding['rule']}\0{finding['path']}\0{guess}".encode()
        assert hashlib.sha256(message).hexdigest()[:32] != mark
        for key in (b"", finding["path"].encode(), finding["rule"].encode()):  # nothing in the output keys it
            assert hmac.new(key, message, hashlib.sha256).hexdigest()[:32] != mark
    assert _zip_fingerprint(run_cli, post)[0] == mark  # stable under the same secret
    _other_secret(monkeypatch, "a team secret kept in CI")
    assert _zip_fingerprint(run_cli, post)[0] != mark
    _other_secret(monkeypatch, None)


def test_a_baseline_keeps_no_key_and_another_secret_is_an_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.md").write_text(ZIP_POST)
    created = run_cli("baseline", "create", "p.md")
    assert created.exit_code == 0
    from phiguard import secret

    assert f"keyed with this machine's key file {secret.key_file()}" in created.stderr  # what a team must share
    assert "PHIGUARD_SECRET" in created.stderr
    doc = json.loads((tmp_path / ".phiguard-baseline.json").read_text())
    assert "salt" not in doc and "02139" not in json.dumps(doc)
    assert run_cli("scan", "p.md").exit_code == 0
    _other_secret(monkeypatch, "a secret the baseline was not made with")
    result = run_cli("scan", "p.md")
    assert result.exit_code == 2 and "another secret (this run uses the PHIGUARD_SECRET environment variable)" \
        in result.output
    _other_secret(monkeypatch, None)


def test_a_baseline_with_its_salt_in_the_file_is_refused(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.md").write_text(ZIP_POST)
    old = {"version": 1, "tool": "phiguard", "salt": "00" * 16, "entries": []}
    (tmp_path / ".phiguard-baseline.json").write_text(json.dumps(old))
    result = run_cli("scan", "p.md")
    assert result.exit_code == 2 and "salt" in result.output and "create --force" in result.output


@pytest.mark.parametrize("expires", ["2027-02-30", "2026-13-01", "2027-04-31"],
                         ids=["feb-30", "month-13", "april-31"])
def test_an_impossible_expiry_date_is_an_error_of_that_file_only(run_cli, tmp_path, expires):
    post = tmp_path / "auth.md"
    post.write_text(f"---\nphiguard-authorization: {{reference: AUTH-7, expires: {expires}}}\n---\n"
                    "Our patient went home today, MRN 5530871.\n")
    other = tmp_path / "other.md"
    other.write_text(PHI)
    result = run_cli("scan", str(post), str(other), "--format", "json", "--no-cache")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    [error] = doc["errors"]
    assert error["path"] == str(post) and "not a real calendar date" in error["message"]
    assert any(f["path"] == str(other) for f in doc["findings"])  # the other file is still scanned
