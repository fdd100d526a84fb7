"""File names are data: a newline or an undecodable byte in one cannot forge report lines or abort the run."""
from __future__ import annotations

import os

import pytest

FORMATS = ["text", "rich", "github", "junit", "json", "sarif"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_newline_in_a_file_name_starts_no_line_of_its_own(run_cli, tmp_path, fmt):
    (tmp_path / "x\n::notice title=phiguard::all clear\n.md").write_text("His SSN is 536-22-8736.\n")
    result = run_cli("scan", str(tmp_path), "--format", fmt, "--no-cache", env={"GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 1
    assert not any(line.startswith("::notice") for line in result.stdout.splitlines())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8_is_scanned_and_reported(run_cli, tmp_path, fmt):
    folder = os.fsencode(tmp_path / "d")
    os.mkdir(folder)
    with open(os.path.join(folder, b"ward-\xff.md"), "w") as fh:
        fh.write("His SSN is 536-22-8736.\n")
    (tmp_path / "ok.md").write_text("Flu shots this week.\n")
    result = run_cli("scan", str(tmp_path), "--format", fmt, "--no-cache", env={"GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    if fmt in ("text", "rich", "github", "junit"):
        assert "ward-\\xff" in result.stdout
