"""One file's failure is that file's error: whatever stage raises, every other file is still scanned."""
from __future__ import annotations

import json

import pytest

from phiguard import discover, parallel, run
from phiguard.detection import places
from phiguard.policy.engine import Policy
from phiguard.sources import html

MARK = "EXPLODE"  # the failing file holds this word; the message must not quote it
PHI = "Our patient John Smith, SSN 123-45-6789, went home today.\n"


def _raise_on_mark(real, text_of):
    def patched(*args, **kwargs):
        if MARK in text_of(*args, **kwargs):
            raise RuntimeError(f"boom on {MARK}")
        return real(*args, **kwargs)
    return patched


def _fail_reader(monkeypatch):
    real = discover.decode
    monkeypatch.setattr(discover, "decode", _raise_on_mark(real, lambda data: data.decode("utf-8", "replace")))


def _fail_extractor(monkeypatch):
    monkeypatch.setattr(html, "read", _raise_on_mark(html.read, lambda path, text, *a, **k: text))


def _fail_detector(monkeypatch):
    monkeypatch.setattr(places, "find", _raise_on_mark(places.find, lambda text, *a, **k: text))


def _fail_policy(monkeypatch):
    monkeypatch.setattr(Policy, "evaluate", _raise_on_mark(Policy.evaluate, lambda self, segment, *a: segment.text))


def _fail_suppression(monkeypatch):
    monkeypatch.setattr(run, "apply", _raise_on_mark(run.apply, lambda path, text, *a: text))


STAGES = {
    "file reader": _fail_reader,
    "HTML reader": _fail_extractor,
    "detector": _fail_detector,
    "policy": _fail_policy,
    "suppression step": _fail_suppression,
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_failing_stage_is_that_files_error(run_cli, tmp_path, monkeypatch, stage, jobs):
    (tmp_path / "a-phi.md").write_text(PHI)
    (tmp_path / "b-bad.html").write_text(f"<p>Volunteer day {MARK} was fun.</p>\n")
    (tmp_path / "c-phi.txt").write_text(PHI)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 1)
    STAGES[stage](monkeypatch)
    result = run_cli("scan", "--jobs", jobs, "--no-cache", "--format", "json", str(tmp_path))
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["errors"] == [{"path": str(tmp_path / "b-bad.html"), "message":
                              f"not checked: internal error in the {stage}; run with PHIGUARD_DEBUG=1 and report it"}]
    ssn_paths = sorted({f["path"] for f in doc["findings"] if f["rule"] == "ssn"})
    assert ssn_paths == [str(tmp_path / "a-phi.md"), str(tmp_path / "c-phi.txt")]
    assert doc["summary"]["files_scanned"] == 2 and doc["summary"]["errors"] == 1  # the other two
    assert MARK not in result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["text", "rich", "sarif", "github", "junit"])
def test_every_format_reports_the_files_error(run_cli, tmp_path, monkeypatch, fmt):
    (tmp_path / "a.md").write_text(PHI)
    (tmp_path / "b.html").write_text(f"<p>{MARK}</p>\n")
    _fail_extractor(monkeypatch)
    result = run_cli("scan", "--no-cache", "--format", fmt, str(tmp_path))
    assert result.exit_code == 2
    assert "internal error in the HTML reader" in result.stdout + result.stderr
    assert MARK not in result.stdout + result.stderr


def test_stdin_failure_is_an_error_not_a_crash(run_cli, monkeypatch):
    _fail_detector(monkeypatch)
    result = run_cli("scan", "--no-cache", "--format", "json", "-", input=f"Hello {MARK} world\n")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["errors"][0]["message"].startswith("not checked: internal error in the detector")


def test_debug_prints_the_traceback(run_cli, tmp_path, monkeypatch):
    (tmp_path / "b.html").write_text(f"<p>{MARK}</p>\n")
    _fail_extractor(monkeypatch)
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path), env={"PHIGUARD_DEBUG": "1"})
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "RuntimeError" in result.stderr


# Inputs that used to end the whole run ("internal error ...; nothing was checked").

@pytest.mark.parametrize("name, text", [
    ("br.md", "Great day on 4 West!<br/>\nOur patient's SSN 123-45-6789 was on the board.\n"),
    ("card.mdx", "# Volunteers\n\n<Card title=\"Volunteers\" />\n\nOur patient's SSN 123-45-6789 was on the board.\n"),
    ("icon.svg", '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h24v24H0z"/>'
                 "<text>Our patient SSN 123-45-6789</text></svg>\n"),
    ("page.html", '<p>Our team<img src="team.png" alt="The team" /> saw SSN 123-45-6789 on a chart.</p>\n'),
])
def test_self_closing_tags_are_read(run_cli, tmp_path, name, text):
    """The file with the tag is read past it (not only "did not crash"), beside another file."""
    (tmp_path / name).write_text(text)
    (tmp_path / "clean.md").write_text("Flu shots all week.\n")
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path))
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and doc["errors"] == [] and doc["summary"]["files_scanned"] == 2
    assert {f["rule"] for f in doc["findings"] if f["path"].endswith(name)} >= {"ssn"}


def test_self_closing_tag_text_and_attributes_are_still_read(run_cli, tmp_path):
    (tmp_path / "post.html").write_text('<p>Home today<br/>with <img alt="our patient John Smith" /></p>\n')
    result = run_cli("scan", "--no-cache", "--format", "json", "--show-matches", str(tmp_path / "post.html"))
    assert ("person-name", "John Smith") in {(f["rule"], f["match"]) for f in json.loads(result.stdout)["findings"]}


def test_escaped_emoji_in_exports_are_characters(run_cli, tmp_path):
    """json.dumps writes emoji as escaped surrogate pairs; YAML reads them as lone surrogates."""
    (tmp_path / "queue.json").write_text(json.dumps([{"message": "So proud of our nurses \U0001f60a"}]))
    (tmp_path / "more.jsonl").write_text(json.dumps({"text": "Lone \ud83d half, then SSN \U0001d7cf23-45-6789"}) + "\n")
    result = run_cli("scan", "--no-cache", "--format", "text", "--show-matches", str(tmp_path))
    assert result.exit_code == 1 and "error" not in result.output
    assert '"\U0001d7cf23-45-6789"' in result.output  # the mathematical digit read as 1, shown as written


def test_repeated_mentions_are_linear_in_the_mentions(monkeypatch):
    """Each word of a name is looked for once per rule, whatever the number of mentions that hold it: the
    occurrences examined grow with the mentions, not with their square or cube (13 KB of one repeated name
    took 50 s)."""
    import re
    import types

    from phiguard.policy import mentions
    from phiguard.policy.engine import Hit
    from phiguard.policy.rules import shipped_rules

    examined = []

    def finditer(pattern, text):
        for m in re.finditer(pattern, text):
            examined.append(1)
            yield m

    monkeypatch.setattr(mentions, "re", types.SimpleNamespace(**{**vars(re), "finditer": finditer}))
    rule = next(r for r in shipped_rules() if r.id == "person-name")
    for n in (50, 400):
        text = "John Smith met Mary Jones. " * n
        seeds = [Hit(rule, i * 27, i * 27 + 10, 0.85, "PERSON", "test", rule.severity) for i in range(0, n, 2)]
        examined.clear()
        new = mentions.repeated_mentions(text, seeds, lambda *a: True)
        assert len(new) == n  # the Johns and Smiths of the other n/2 sentences
        assert len(examined) <= 2 * n, n  # two words, each looked for once
