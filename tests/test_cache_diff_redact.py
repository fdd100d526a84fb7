"""The result cache (no spaCy on a hit, no plaintext stored), --diff/--since, and redact."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PHI_POST = "Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"
CLEAN_POST = "Wash your hands and get your flu shot this winter.\n"

SCAN = ("import json, sys\n"
        "from phiguard.cli import main\n"
        "try:\n    main(['scan', *sys.argv[1:], '--format', 'json', '--show-matches'])\n"
        "except SystemExit as e:\n"
        "    print(json.dumps({'exit': e.code, 'spacy': 'spacy' in sys.modules,\n"
        "                      'presidio': 'presidio_analyzer' in sys.modules}), file=sys.stderr)\n")


def _scan_subprocess(*args: str, cwd: Path | None = None):
    done = subprocess.run([sys.executable, "-c", SCAN, *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd)
    status = json.loads(done.stderr.strip().splitlines()[-1])
    return status, json.loads(done.stdout)


def test_cache_hit_reports_the_same_without_loading_spacy(tmp_path):
    (tmp_path / "a.md").write_text(PHI_POST)
    (tmp_path / "b.txt").write_text(CLEAN_POST)
    first_status, first = _scan_subprocess(str(tmp_path))
    assert first_status == {"exit": 1, "spacy": True, "presidio": True}
    second_status, second = _scan_subprocess(str(tmp_path))
    assert second_status == {"exit": 1, "spacy": False, "presidio": False}
    assert second["findings"] == first["findings"] and first["findings"]
    cache = Path(os.environ["PHIGUARD_CACHE_DIR"])
    stored = "".join(p.read_text() for p in cache.rglob("*.json"))
    assert '"rule": "person-name"' in stored
    assert "Zebediah" not in stored and "00482913" not in stored and "93-year-old" not in stored

    (tmp_path / "b.txt").write_text(CLEAN_POST + "Zebediah Quillfeather says hi.\n")  # one file changed
    third_status, third = _scan_subprocess(str(tmp_path))
    assert third_status["spacy"] is True
    assert {Path(f["path"]).name for f in third["findings"]} == {"a.md", "b.txt"}


def test_cache_key_follows_the_config(run_cli, tmp_path):
    post = tmp_path / "p.txt"
    post.write_text("Our patient went to room 412B.\n")
    assert run_cli("scan", str(post)).exit_code == 1
    (tmp_path / ".phiguard.yaml").write_text("rules:\n  room-number: off\n")
    assert run_cli("scan", str(post)).exit_code == 0
    assert run_cli("scan", str(post), "--no-cache").exit_code == 0


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_since_scans_only_changed_and_untracked_files(run_cli, tmp_path, monkeypatch):
    _git(tmp_path, "init", "-q")
    (tmp_path / "old.md").write_text(PHI_POST)
    (tmp_path / "edited.md").write_text(CLEAN_POST)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "edited.md").write_text(CLEAN_POST + "Our 93-year-old patient went home.\n")
    (tmp_path / "new.txt").write_text("MRN 00482913\n")
    (tmp_path / "notes.bin").write_text(PHI_POST)
    monkeypatch.chdir(tmp_path)
    for args in (["--since", "HEAD"], ["--diff"]):
        result = run_cli("scan", *args, "--format", "json")
        paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
        assert paths == {"edited.md", "new.txt"}, (args, paths)
        assert json.loads(result.stdout)["summary"]["files_scanned"] == 2
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "second")
    nothing = run_cli("scan", "--diff")
    assert nothing.exit_code == 0 and "no changed files" in nothing.output
    bad = run_cli("scan", "--since", "no-such-rev")
    assert bad.exit_code == 2 and "not a revision" in bad.output


@pytest.mark.parametrize("mode", [["--since", "HEAD"], ["--diff"]])
def test_a_missing_path_is_an_error_in_diff_mode_too(run_cli, tmp_path, monkeypatch, mode):
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.md").write_text(CLEAN_POST)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    monkeypatch.chdir(tmp_path)
    result = run_cli("scan", *mode, "no-such-folder")
    assert result.exit_code == 2 and "no-such-folder: no such file or directory" in result.output


def test_diff_outside_a_git_repository_is_an_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run_cli("scan", "--diff")
    assert result.exit_code == 2 and "need a git repository" in result.output


def test_redact_prints_writes_and_replaces_in_place(run_cli, tmp_path):
    post = tmp_path / "p.md"
    post.write_text(PHI_POST + "Call 555-867-5309 on 3/14/2024.\n")
    original = post.read_text()
    printed = run_cli("redact", str(post))
    assert printed.exit_code == 1  # something had to be redacted
    assert printed.stdout == ("Our 90 or older patient [NAME] (MRN [MRN]) went home today.\n"
                              "Call [PHONE] on [DATE].\n")
    assert printed.stderr.startswith("phiguard: redacted 5 finding(s) (age-over-89, date, medical-record-number")
    assert post.read_text() == original
    copy = tmp_path / "copy.md"
    assert run_cli("redact", str(post), "--output", str(copy)).exit_code == 1
    assert copy.read_text() == printed.stdout and post.read_text() == original
    assert run_cli("redact", str(post), "--in-place").exit_code == 1
    assert post.read_text() == printed.stdout
    assert run_cli("scan", str(post)).exit_code == 0


def test_redact_gives_back_a_post_that_passes_unchanged(run_cli, tmp_path):
    """Only what blocks is redacted: a staff post with notices only comes back as it was, exit 0."""
    post = tmp_path / "welcome.md"
    post.write_text("Please welcome Kwame Asante, who joins our pharmacy team on Monday!\n")
    result = run_cli("redact", str(post))
    assert result.exit_code == 0 and result.stdout == post.read_text()


def test_redact_keeps_line_breaks_and_leaves_file_level_findings(run_cli, tmp_path):
    post = tmp_path / "p.md"
    post.write_text("Our patient went home. Call his wife at 617-555-\n0142 today.\n\n"
                    "Puede quedarse en el plan de seguro médico de sus padres hasta que cumpla los veintiséis años.\n")
    result = run_cli("redact", str(post))
    assert result.stdout.startswith("Our patient went home. Call his wife at [PHONE]\n today.")
    assert result.stdout.count("\n") == post.read_text().count("\n")  # no line joined or lost
    assert "Puede quedarse en el plan" in result.stdout  # "names not checked" replaces nothing


def test_redact_reports_what_it_cannot_change(run_cli, tmp_path):
    post = tmp_path / "mrn-4471129-story.md"
    post.write_text("A good day on the ward.\n")
    result = run_cli("redact", str(post))
    assert result.exit_code == 1 and result.stdout == "A good day on the ward.\n"
    assert "1 finding(s) outside the text not redacted (medical-record-number in file-name)" in result.stderr


def test_redact_keeps_allowlisted_terms(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("allowlist:\n  terms: [555-867-0142]\n")
    post = tmp_path / "p.txt"
    post.write_text("Our front desk: 555-867-0142. Her cell: 555-867-5309.\n")
    result = run_cli("redact", str(post), "--fail-on", "low")  # notices too
    assert result.stdout == "Our front desk: 555-867-0142. Her cell: [PHONE].\n"


@pytest.mark.parametrize("args", [["no/such.md"], ["x.md", "--in-place", "--output", "y.md"]])
def test_redact_errors_exit_2(run_cli, args):
    assert run_cli("redact", *args).exit_code == 2


def test_cached_clean_photo_does_not_clear_another_photo(run_cli, tmp_path):
    """Images have no text: the cache must tell them apart by their bytes (and path), or a clean photo's
    entry would let every later photo pass."""
    from PIL import Image

    landscape = Image.new("RGB", (320, 200), (120, 170, 220))
    landscape.save(tmp_path / "a_clean.jpg")
    caption = Image.Exif()
    caption[0x010E] = "Discharge day for our patient John Smith"
    landscape.save(tmp_path / "b_patient.jpg", exif=caption)
    assert run_cli("scan", str(tmp_path / "a_clean.jpg"), "--format", "text").exit_code == 0
    blocked = run_cli("scan", str(tmp_path / "b_patient.jpg"), "--format", "text")
    assert blocked.exit_code == 1 and "person-name" in blocked.output
    (tmp_path / "copy").mkdir()
    landscape.save(tmp_path / "copy" / "a_clean.jpg")  # same bytes, another file: scanned on its own
    assert run_cli("scan", str(tmp_path / "copy" / "a_clean.jpg"), "--format", "text").exit_code == 0


def test_redact_standard_input(run_cli):
    result = run_cli("redact", "-", input=PHI_POST)
    assert result.exit_code == 1, result.output
    assert "Quillfeather" not in result.output and "[NAME]" in result.output and "[MRN]" in result.output


def test_since_scans_the_images_a_changed_post_shows(run_cli, tmp_path, monkeypatch):
    """A post changed in a pull request publishes the photos it links to, even ones committed long ago and
    kept outside the scanned folder."""
    from PIL import Image

    _git(tmp_path, "init", "-q")
    (tmp_path / "posts").mkdir()
    (tmp_path / "static" / "img").mkdir(parents=True)
    caption = Image.Exif()
    caption[0x010E] = "Discharge day for our patient Zebediah Quillfeather"
    Image.new("RGB", (64, 48), (120, 170, 220)).save(tmp_path / "static" / "img" / "ward.jpg", exif=caption)
    Image.new("RGB", (64, 48), (120, 170, 220)).save(tmp_path / "static" / "img" / "unrelated.jpg", exif=caption)
    (tmp_path / "posts" / "day.md").write_text(CLEAN_POST)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    Image.new("RGB", (64, 48), (120, 170, 220)).save(tmp_path / "static" / "img" / "our ward.jpg", exif=caption)
    (tmp_path / "posts" / "day.md").write_text(CLEAN_POST + "\n![The ward](/img/ward.jpg)\n"
                                               "![Again](<../static/img/our ward.jpg>) ![And](/img/our%20ward.jpg)\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("scan", "posts", "--since", "HEAD", "--format", "json", "--no-cache")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {f["path"] for f in doc["findings"]} == {os.path.join("static", "img", "ward.jpg"),
                                                    os.path.join("static", "img", "our ward.jpg")}


def test_redact_in_place_keeps_front_matter_valid_yaml(run_cli, tmp_path):
    import yaml

    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Maria Lopez went home\ntags: [Maria Lopez, discharge]\n---\n\n"
                    "Our patient Maria Lopez went home today after her surgery.\n")
    assert run_cli("redact", str(post), "--in-place").exit_code == 1
    text = post.read_text()
    front = yaml.safe_load(text.split("---")[1])
    assert "Maria" not in text and "(NAME)" in front["title"] and front["tags"][0] == "(NAME)"
    assert "Our patient [NAME] went home" in text  # the body keeps the bracketed category
