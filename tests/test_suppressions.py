"""Suppressions: inline directives, allowlist, authorizations, baseline. Counted, listed, never silent."""
from __future__ import annotations

import json

import pytest

PHI_POST = "Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"


def _scan(run_cli, *args):
    result = run_cli("scan", *args, "--format", "json", "--show-matches")
    return result.exit_code, json.loads(result.stdout) if result.stdout.startswith("{") else result.output


def test_inline_directive_markdown(run_cli, tmp_path):
    post = tmp_path / "p.md"
    post.write_text("Thanks to Dr. Ada Vance for the talk.\n"
                    "<!-- phiguard: disable-next-line person-name -->\nThanks to Dr. Ada Vance again.\n"
                    "Dr. Ada Vance closed. <!-- phiguard: disable-line person-name, date -->\n")
    code, doc = _scan(run_cli, str(post))
    assert [f["line"] for f in doc["findings"]] == [1]
    assert [(s["line"], s["suppression"]["kind"]) for s in doc["suppressed"]] == [(3, "inline"), (4, "inline")]
    assert doc["summary"]["suppressed"]["inline"] == 2 and doc["findings"][0]["rule"] == "person-name"


def test_markdown_heading_is_not_a_directive(run_cli, tmp_path):
    post = tmp_path / "p.md"
    post.write_text("# phiguard: a linter for drafts\nWash your hands.\n")
    result = run_cli("scan", str(post))
    assert result.exit_code != 2 and "directive" not in result.output, result.output
    (tmp_path / "p.txt").write_text("# phiguard: a linter for drafts\n")
    assert "p.txt:1: unknown phiguard directive at line 1" in run_cli("scan", str(tmp_path / "p.txt")).output


def test_inline_directive_plain_text(run_cli, tmp_path):
    post = tmp_path / "p.txt"
    post.write_text("# phiguard: disable-next-line medical-record-number\nMRN 00482913 is the demo chart.\n")
    code, doc = _scan(run_cli, str(post))
    assert code == 0 and doc["findings"] == []
    assert doc["suppressed"][0]["rule"] == "medical-record-number"


@pytest.mark.parametrize(("directive", "expected"), [
    ("<!-- phiguard: disable-next-line no-such-rule -->", "p.md:2: unknown rule id in directive at line 2"),
    ("<!-- phiguard: disable-next-line -->", "p.md:2: 'disable-next-line' names no rule"),
    ("<!-- phiguard: disable-everything person-name -->", "p.md:2: unknown phiguard directive"),
])
def test_bad_directive_exits_2_naming_file_and_line(run_cli, tmp_path, directive, expected):
    post = tmp_path / "p.md"
    post.write_text(f"Hello.\n{directive}\nWash your hands.\n")
    result = run_cli("scan", str(post))
    assert result.exit_code == 2 and expected in result.output, result.output


def test_allowlist_terms_and_patterns(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text(
        "allowlist:\n  terms: ['ada   VANCE']\n  patterns: ['555-867-01\\d\\d']\n")
    post = tmp_path / "p.txt"
    post.write_text("Dr. Ada Vance answers at 555-867-0142.\nCall 555-867-5309 for Ada.\n")
    code, doc = _scan(run_cli, str(post))
    reasons = {s["match"]: s["suppression"]["reason"] for s in doc["suppressed"]}
    assert reasons == {"Ada Vance": "allowlist term", "555-867-0142": "allowlist pattern /555-867-01\\d\\d/"}
    assert doc["summary"]["suppressed"]["allowlist"] == 2
    assert [f["match"] for f in doc["findings"]] == ["555-867-5309", "Ada"] and code == 1


def test_allowlist_pattern_fully_matches(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("allowlist:\n  patterns: ['0048\\d+']\n")
    post = tmp_path / "p.txt"
    post.write_text("MRN 00482913 and MRN 10048291.\n")
    code, doc = _scan(run_cli, str(post))
    assert [s["match"] for s in doc["suppressed"]] == ["00482913"]
    assert [f["match"] for f in doc["findings"]] == ["10048291"] and code == 1


FRONT = "---\ntitle: A story\nphiguard-authorization:\n  reference: AUTH-2026-014\n  expires: {date}\n---\n"


def test_front_matter_authorization_turns_findings_into_notices(run_cli, tmp_path):
    post = tmp_path / "story.md"
    post.write_text(FRONT.format(date="2099-12-31") + PHI_POST)
    code, doc = _scan(run_cli, str(post))
    assert code == 0 and doc["findings"] == []
    assert {s["suppression"]["kind"] for s in doc["suppressed"]} == {"authorization"}
    assert "AUTH-2026-014 until 2099-12-31" in doc["suppressed"][0]["suppression"]["reason"]


def test_expired_authorization_blocks_and_says_so(run_cli, tmp_path):
    post = tmp_path / "story.md"
    post.write_text(FRONT.format(date="2020-01-31") + PHI_POST)
    result = run_cli("scan", str(post), "--format", "json")
    assert result.exit_code == 1
    assert "authorization AUTH-2026-014" in result.output and "expired on 2020-01-31" in result.output


def test_config_authorization_and_bad_date(run_cli, tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "x.md").write_text(PHI_POST)
    (tmp_path / ".phiguard.yaml").write_text(
        "authorizations:\n  - path: posts/x.md\n    reference: AUTH-7\n    expires: 2099-01-31\n")
    assert run_cli("scan", str(tmp_path / "posts")).exit_code == 0
    (tmp_path / ".phiguard.yaml").write_text(
        "authorizations:\n  - path: posts/x.md\n    reference: AUTH-7\n    expires: next year\n")
    result = run_cli("scan", str(tmp_path / "posts"))
    assert result.exit_code == 2 and ".phiguard.yaml:4: 'expires' must be a date" in result.output


def test_baseline_round_trip(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    post = tmp_path / "p.md"
    post.write_text(PHI_POST)
    assert run_cli("scan", "p.md").exit_code == 1
    created = run_cli("baseline", "create", ".")
    assert created.exit_code == 0 and "3 added" in created.output, created.output
    base = json.loads((tmp_path / ".phiguard-baseline.json").read_text())
    assert "salt" not in base and {e["path"] for e in base["entries"]} == {"p.md"}
    raw = (tmp_path / ".phiguard-baseline.json").read_text()
    assert "Quillfeather" not in raw and "00482913" not in raw and '"line"' not in raw
    assert run_cli("baseline", "create", ".").exit_code == 2  # exists: update or --force

    post.write_text("A new first line moves everything down.\n" + PHI_POST)  # moved, not new
    code, doc = _scan(run_cli, "p.md")
    assert code == 0 and doc["summary"]["suppressed"]["baseline"] == 3

    post.write_text(PHI_POST + "The new chart is MRN 00999999.\n")
    code, doc = _scan(run_cli, "p.md")
    assert code == 1 and [(f["rule"], f["line"]) for f in doc["findings"]] == [("medical-record-number", 2)]

    post.write_text("Our 93-year-old patient went home today.\n")
    updated = run_cli("baseline", "update")
    assert "1 kept, 0 added, 2 dropped" in updated.output, updated.output
    assert len(json.loads((tmp_path / ".phiguard-baseline.json").read_text())["entries"]) == 1


def test_broken_baseline_is_an_error(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("baseline: b.json\n")
    (tmp_path / "b.json").write_text("{not json")
    (tmp_path / "p.md").write_text(PHI_POST)
    result = run_cli("scan", str(tmp_path / "p.md"))
    assert result.exit_code == 2 and "b.json: not a readable phiguard baseline" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("allowlist: {term: [x]}\n", ".phiguard.yaml:1: unknown key 'term'"),
    ("allowlist:\n  patterns: ['(unclosed']\n", ".phiguard.yaml:2: 'patterns' is not a valid regular expression"),
    ("allowlist:\n  terms: ['  ']\n", ".phiguard.yaml:2: 'terms' entries must not be empty"),
    ("authorizations: {path: x}\n", ".phiguard.yaml:1: 'authorizations' must be a list of mappings"),
    ("authorizations:\n  - path: x.md\n    expires: 2099-01-01\n", ".phiguard.yaml:2: missing required key 'reference'"),
    ("authorizations:\n  - {path: x.md, reference: A, expires: 2099-01-01, rules: [a]}\n",
     ".phiguard.yaml:2: unknown key 'rules'"),
    ("cache: sometimes\n", ".phiguard.yaml:1: 'cache' must be bool"),
])
def test_new_config_keys_are_strict(run_cli, tmp_path, text, expected):
    (tmp_path / ".phiguard.yaml").write_text(text)
    (tmp_path / "p.txt").write_text("Wash your hands.\n")
    result = run_cli("scan", str(tmp_path / "p.txt"))
    assert result.exit_code == 2 and expected in result.output, result.output


def test_bad_front_matter_authorization_names_file_and_line(run_cli, tmp_path):
    post = tmp_path / "story.md"
    post.write_text("---\ntitle: x\nphiguard-authorization:\n  reference: AUTH-1\n  expires: someday\n---\n"
                    + PHI_POST)
    result = run_cli("scan", str(post))
    assert result.exit_code == 2 and "story.md:5: 'expires' must be a date" in result.output, result.output


@pytest.mark.parametrize("reference", ["Doe-Jane-0314", "123-45-6789", "617-555-0142", "03/14/1931"])
def test_references_that_could_be_phi_are_not_shown(run_cli, tmp_path, reference):
    post = tmp_path / "story.md"
    post.write_text(f'---\nphiguard-authorization: {{reference: "{reference}", expires: 2099-01-31}}\n---\n' + PHI_POST)
    result = run_cli("scan", str(post), "--format", "text", "--no-cache", env={"CI": "true"})
    assert result.exit_code == 0 and reference not in result.output and "authorization at" in result.output


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit", "github"])
def test_free_text_authorization_reference_is_never_copied(run_cli, tmp_path, fmt):
    """A reference such as "Signed consent - <name>, MRN ..." may hold the PHI it authorizes."""
    post = tmp_path / "story.md"
    post.write_text('---\nphiguard-authorization: {reference: "Signed consent - Zeb Quill, MRN 4471129", '
                    "expires: 2099-01-31}\n---\n" + PHI_POST)
    result = run_cli("scan", str(post), "--format", fmt, "--no-cache", env={"CI": "true"})
    assert result.exit_code == 0
    assert "Zeb Quill" not in result.output and "4471129" not in result.output and "Signed consent" not in result.output
    if fmt == "json":
        reasons = {s["suppression"]["reason"] for s in json.loads(result.stdout)["suppressed"]}
        assert reasons == {f"authorization at {post}:2 until 2099-01-31"}
