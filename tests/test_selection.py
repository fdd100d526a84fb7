"""Which files a scan reads: one rule for the walk and --diff/--since, nothing content-like skipped silently."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from PIL import Image

from phiguard.discover import is_content, select

PHI = "Our patient Marisol Quintero, MRN 5530871, went home today.\n"
CLEAN = "Flu shots all week in the main lobby.\n"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _scan(run_cli, *args):
    result = run_cli("scan", *args, "--format", "json", "--no-cache")
    return result.exit_code, json.loads(result.stdout)


def test_diff_scans_changed_photos_and_exports(run_cli, tmp_path, monkeypatch):
    _git(tmp_path, "init", "-q")
    (tmp_path / "old.md").write_text(CLEAN)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "queue.csv").write_text("message\n" + json.dumps(PHI.strip()) + "\n")
    exif = Image.Exif()
    exif[0x010E] = PHI.strip()
    Image.new("RGB", (8, 8)).save(tmp_path / "ward.jpg", exif=exif)
    (tmp_path / "ward.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\n" + PHI)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "second")
    monkeypatch.chdir(tmp_path)
    code, doc = _scan(run_cli, "--since", "HEAD~1")
    assert code == 1
    assert {f["path"] for f in doc["findings"]} == {"queue.csv", "ward.jpg", "ward.srt"}


def test_walk_and_diff_share_one_rule():
    for name in ("a.md", "a.html", "a.jpg", "a.csv", "a.svg", "a.mdx", "a.rst", "a.srt", "a.vtt", "a.heic"):
        assert is_content(name), name
    assert not is_content("a.bin") and not is_content("a.py")


def test_walk_follows_symlinked_folders_and_reads_build_folders(run_cli, tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text(PHI)
    (tmp_path / "posts" / "build").mkdir(parents=True)
    (tmp_path / "posts" / "build" / "b.md").write_text(PHI)
    (tmp_path / "posts" / "current").symlink_to(tmp_path / "drafts")
    (tmp_path / "posts" / "loop").symlink_to(tmp_path / "posts")  # a loop is walked once
    code, doc = _scan(run_cli, str(tmp_path / "posts"))
    paths = {Path(f["path"]).relative_to(tmp_path / "posts").as_posix() for f in doc["findings"]}
    assert code == 1 and paths == {"build/b.md", "current/a.md"}


def test_gitignore_decides_and_skips_are_reported(run_cli, tmp_path):
    (tmp_path / ".gitignore").write_text("dist/\n*.draft.md\n")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "x.md").write_text(PHI)
    (tmp_path / "y.draft.md").write_text(PHI)
    (tmp_path / "notes.bin").write_text(PHI)
    (tmp_path / "ok.md").write_text(CLEAN)
    selection = select((str(tmp_path),))
    assert [Path(p).name for p in selection.files] == ["ok.md"]
    code, doc = _scan(run_cli, str(tmp_path))
    assert code == 0
    assert any("2 files not scanned: ignored by .gitignore" in n for n in doc["notes"])
    assert any("1 file not scanned: not a type" in n for n in doc["notes"])


def test_virtualenvs_are_not_content(tmp_path):
    (tmp_path / "env" / "lib").mkdir(parents=True)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "env" / "lib" / "README.md").write_text(PHI)
    assert select((str(tmp_path),)).files == []


def test_captions_svg_and_mdx_are_read(run_cli, tmp_path):
    (tmp_path / "talk.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + PHI)
    (tmp_path / "chart.svg").write_text(f"<svg><text x='1' y='2'>{PHI.strip()}</text></svg>\n")
    (tmp_path / "page.mdx").write_text("import X from './x'\n\n" + PHI)
    code, doc = _scan(run_cli, str(tmp_path))
    found = {(Path(f["path"]).name, f["rule"]) for f in doc["findings"]}
    for name in ("talk.vtt", "chart.svg", "page.mdx"):
        assert (name, "medical-record-number") in found, name


def test_identifiers_in_a_file_name_block(run_cli, tmp_path):
    (tmp_path / "discharge-mrn-5530871.md").write_text(CLEAN)
    for clean_name in ("flu-shots-2026.md", "post-00012.md", "week-12-update.md", "2026-05-01-new-building.md"):
        (tmp_path / clean_name).write_text(CLEAN)
    code, doc = _scan(run_cli, str(tmp_path))
    assert code == 1
    blocking = [(Path(f["path"]).name, f["segment"]) for f in doc["findings"] if f["severity"] != "low"]
    assert blocking == [("discharge-mrn-5530871.md", "file-name")]


def test_a_cached_clean_post_does_not_clear_a_renamed_copy(run_cli, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    assert run_cli("scan", str(tmp_path / "a.md")).exit_code == 0
    (tmp_path / "a.md").rename(tmp_path / "mrn-5530871.md")
    assert run_cli("scan", str(tmp_path / "mrn-5530871.md")).exit_code == 1
