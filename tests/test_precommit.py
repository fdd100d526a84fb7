"""The pre-commit hook, for real: a git repo, `pre-commit install`, a clean commit passes, PHI is blocked.

The hook definition comes from our .pre-commit-hooks.yaml (id, entry, types_or, require_serial); the
test runs it as a `repo: local` hook with `language: system` and a `phiguard` on PATH that runs this
checkout, because `language: python` would pip-install phiguard with spaCy and its model into
pre-commit's own environment on every fresh PRE_COMMIT_HOME (minutes, and a network install).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PHI_POST = "Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "phiguard")
    assert hook["entry"] == "phiguard scan" and hook["require_serial"] is True and hook["language"] == "python"
    assert {"text", "markdown", "html", "jpeg", "png", "webp", "tiff", "gif", "csv", "tsv", "json", "yaml"} \
        <= set(hook["types_or"])


def _hook() -> dict:
    return next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "phiguard")


def _repo_with_hook(tmp_path, **overrides):
    """A git repo with our hook installed (as a local system hook); returns (repo, run)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "phiguard"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m phiguard "$@"\n')
    shim.chmod(0o755)
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "CI": "true",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=300)

    hook = _hook()
    local = {**{k: hook[k] for k in ("id", "name", "entry", "require_serial", "types_or", "exclude")},
             "language": "system",
             **overrides}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    assert run("git", "init", "-q").returncode == 0
    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr
    run("git", "add", ".pre-commit-config.yaml")
    assert run("git", "commit", "-qm", "config").returncode == 0
    return repo, run


def test_commit_clean_passes_and_phi_is_blocked(tmp_path):
    repo, run = _repo_with_hook(tmp_path)
    (repo / "clean.md").write_text("Wash your hands and get your flu shot this winter.\n")
    run("git", "add", "clean.md")
    clean = run("git", "commit", "-m", "clean post")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "phiguard (PHI in drafts)" in clean.stderr and "Passed" in clean.stderr

    (repo / "draft.md").write_text(PHI_POST)
    run("git", "add", "draft.md")
    blocked = run("git", "commit", "-m", "phi post")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "Failed" in output and "draft.md:1:5: high age-over-89" in output
    assert "Quillfeather" not in output
    log = run("git", "log", "--format=%s").stdout.split()
    assert "phi" not in log and "clean" in log


def test_hook_skips_phiguard_own_files(tmp_path):
    repo, run = _repo_with_hook(tmp_path)
    (repo / ".phiguard-baseline.json").write_text('{"note": "Our patient Zebediah Quillfeather, 93, went home."}\n')
    (repo / ".phiguard.yaml").write_text("fail_on: medium\n")
    run("git", "add", ".phiguard-baseline.json", ".phiguard.yaml")
    own = run("git", "commit", "-m", "baseline")
    assert own.returncode == 0, own.stdout + own.stderr
    (repo / "posts").mkdir()
    (repo / "posts" / "copy.json").write_text('{"note": "Our patient Zebediah Quillfeather, 93, went home."}\n')
    run("git", "add", "posts/copy.json")
    assert run("git", "commit", "-m", "same text elsewhere").returncode != 0


def test_readme_hook_override_for_heic_photos(tmp_path):
    from PIL import Image
    from pillow_heif import register_heif_opener

    files = re.search(r"`files: '([^']+)'`", (ROOT / "README.md").read_text()).group(1)
    repo, run = _repo_with_hook(tmp_path, types_or=["file"], files=files)
    register_heif_opener()
    caption = Image.Exif()
    caption[0x010E] = "Discharge day for our patient Zebediah Quillfeather"
    Image.new("RGB", (64, 48), "white").save(repo / "IMG_0001.HEIC", format="HEIF", exif=caption)
    run("git", "add", "IMG_0001.HEIC")
    blocked = run("git", "commit", "-m", "photo")
    assert blocked.returncode != 0
    assert "IMG_0001.HEIC" in blocked.stdout + blocked.stderr and "person-name" in blocked.stdout + blocked.stderr


def test_hook_skips_configuration_files(tmp_path):
    """Configuration is not a post: the hook must not block committing a team's CI or pre-commit setup (the
    README's own snippets, which name a person as a maintainer, say)."""
    repo, run = _repo_with_hook(tmp_path)
    config = (repo / ".pre-commit-config.yaml").read_text()
    (repo / ".pre-commit-config.yaml").write_text("# Maintainer: Maria Lopez, 555-867-5309\n"
                                                  "default_install_hook_types: [pre-commit]\n" + config)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "phiguard.yml").write_text(
        "name: phiguard\non: [pull_request]\njobs:\n  phi:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: phiguard scan posts/ --since origin/main  # ask Maria Lopez, 555-867-5309\n")
    (repo / "package.json").write_text('{"name": "site", "author": "Maria Lopez <maria@example.org>"}\n')
    run("git", "add", ".")
    committed = run("git", "commit", "-m", "ci setup")
    assert committed.returncode == 0, committed.stdout + committed.stderr


def test_text_without_words_is_not_an_unchecked_language():
    from phiguard.detection.language import foreign_paragraphs

    text = "repos:\n- repo: https://github.com/example/phiguard\n  rev: 4f2c9e1a\n  hooks:\n  - id: phiguard\n" * 3
    assert foreign_paragraphs(text) == []
