from __future__ import annotations

import os
import tempfile

import pytest
from click.testing import CliRunner

from phiguard.scanner import Scanner

# The local secret (phiguard.secret) of the test session, never the user's own.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="phiguard-config-")
os.environ.pop("PHIGUARD_SECRET", None)


def pytest_terminal_summary(terminalreporter):
    deselected = len(terminalreporter.stats.get("deselected", []))
    if deselected:
        terminalreporter.write_line(f"{deselected} slow test(s) deselected by default; run them with: "
                                    "python -m pytest -m slow")


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    """The real spaCy pipeline and Presidio engine, loaded once for the session."""
    s = Scanner()
    s.load()
    return s


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own result cache (also inherited by CLI subprocesses), never the checkout's."""
    monkeypatch.setenv("PHIGUARD_CACHE_DIR", str(tmp_path_factory.mktemp("phiguard-cache")))


@pytest.fixture()
def run_cli(scanner, monkeypatch):
    """Run `phiguard ...` in-process (the model stays loaded) and return the click Result."""
    monkeypatch.delenv("CI", raising=False)

    def run(*args: str, input: str | None = None, env: dict | None = None):
        from phiguard.cli import main

        return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)

    return run


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]
