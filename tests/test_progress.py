"""The progress bar shows only for several files, at a terminal, outside CI."""
from __future__ import annotations

import io

from phiguard import progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_at_a_terminal_for_several_files(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    assert progress.wanted(5, stream)
    assert list(progress.track(iter(range(5)), 5, stream)) == [0, 1, 2, 3, 4]
    assert "5/5" in stream.getvalue() and "files" in stream.getvalue()


def test_not_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = FakeTerminal()
    assert not progress.wanted(5, stream)
    assert list(progress.track(iter(range(5)), 5, stream)) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_not_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = io.StringIO()
    assert not progress.wanted(5, stream)
    assert list(progress.track(iter("abc"), 3, stream)) == ["a", "b", "c"]
    assert stream.getvalue() == ""


def test_not_for_one_file(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not progress.wanted(1, FakeTerminal())


def test_cli_output_has_no_progress_when_not_a_terminal(run_cli, tmp_path):
    for i in range(3):
        (tmp_path / f"p{i}.md").write_text("Flu shots this week.\n")
    result = run_cli("scan", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == "phiguard: no blocking findings in 3 files\n"  # the verdict, no progress bar


def test_empty_input_shows_nothing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    assert list(progress.track(iter(()), 3, stream)) == []
    assert stream.getvalue() == ""
