"""Command line: `phiguard scan`, `phiguard rules`, `phiguard explain`. Heavy imports stay lazy."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import PhiguardError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "NoReturn":  # noqa: F821
    click.echo(f"phiguard: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _show_matches(flag: bool | None) -> bool:
    """Matches are shown to a person at a terminal, masked wherever output may be kept."""
    if flag is not None:
        return flag
    return sys.stdout.isatty() and not os.environ.get("CI")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phiguard")
def main() -> None:
    """Find protected health information (HIPAA PHI) in drafts before they are published."""


def _settings(config: str | None, paths: tuple[str, ...]):
    from pathlib import Path

    from . import config as cfg

    if config is not None:
        return cfg.load(Path(config))
    start = next((p for p in paths if p != "-"), ".")
    return cfg.load(cfg.find_config(Path(start)))


_config_option = click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None,
                              help="Config file (default: .phiguard.yaml or pyproject.toml [tool.phiguard], "
                                   "searched upward from the first path).")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["auto", "rich", "json", "text"]), default="auto",
              show_default=True, help="Report format; auto is rich at a terminal, text otherwise.")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high"]), default=None,
              help="Exit 1 when a finding is at or above this severity [default: medium].")
@click.option("--show-matches/--mask-matches", default=None,
              help="Show matched text (default: only at an interactive terminal outside CI).")
@click.option("--model", envvar="PHIGUARD_MODEL", default=None,
              help="spaCy model (package name or path). Env: PHIGUARD_MODEL.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores). Fewer than 100 files are scanned in one process.")
@_config_option
def scan(paths: tuple[str, ...], fmt: str, fail_on: str | None, show_matches: bool | None, model: str | None,
         jobs: int | None, config: str | None) -> None:
    """Scan files, directories, globs or '-' (stdin) for PHI."""
    from .discover import expand
    from .findings import Severity
    from .parallel import default_jobs, scan_files
    from .progress import track
    from .reporters import Report, summarize, write
    from .scanner import Scanner

    try:
        settings = _settings(config, paths)
        files = expand(paths or (".",))
        if not files:
            _fail(f"no files to scan in {' '.join(paths or ('.',))}")
        scanner = Scanner(model or settings.model, settings.rules())
        scanner.load()
        reports = list(track(scan_files(scanner, files, jobs or default_jobs()), len(files)))
    except PhiguardError as exc:
        _fail(str(exc))
    threshold = Severity.parse(fail_on) if fail_on else settings.fail_on
    report = Report(reports, threshold, _show_matches(show_matches))
    for r in report.errors:
        click.echo(f"phiguard: {r.path}: {r.error}", err=True)
    if report.errors:
        report.exit_code = EXIT_ERROR
    elif any(f.severity >= threshold for f in report.findings):
        report.exit_code = EXIT_FINDINGS
    report.summary = summarize(report)
    if fmt == "auto":
        fmt = "rich" if sys.stdout.isatty() else "text"
    write(fmt, report, sys.stdout)
    sys.exit(report.exit_code)


def _rules(config: str | None):
    try:
        return _settings(config, ()).rules()
    except PhiguardError as exc:
        _fail(str(exc))


@main.command("rules")
@_config_option
def list_rules(config: str | None) -> None:
    """List the policy rules (shipped, your rule folders, and config overrides)."""
    rules = _rules(config)
    for r in sorted(rules, key=lambda r: r.id):
        state = "enabled" if r.enabled else "disabled"
        click.echo(f"{r.id:<24} {r.kind:<8} {str(r.severity):<7} {r.identifier:<12} {state}")


@main.command()
@click.argument("rule_id")
@_config_option
def explain(rule_id: str, config: str | None) -> None:
    """Show a rule's documentation and examples."""
    rules = {r.id: r for r in _rules(config)}
    if rule_id not in rules:
        _fail(f"unknown rule '{rule_id}' (see `phiguard rules`)")
    r = rules[rule_id]
    click.echo(f"{r.id}: {r.message}\n")
    click.echo(f"kind: {r.kind}   severity: {r.severity}   identifier: {r.identifier}   "
               f"min confidence: {r.min_confidence}   entities: {', '.join(r.entities)}")
    if r.description:
        click.echo(f"\n{r.description.strip()}")
    for title, texts in (("Flags", r.examples.flag), ("Passes", r.examples.allow)):
        if texts:
            click.echo(f"\n{title}:")
            for t in texts:
                click.echo(f"  - {t}")


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .phiguard.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .phiguard.yaml in the current folder."""
    from pathlib import Path

    from .config import STARTER

    target = Path(".phiguard.yaml")
    if target.exists() and not force:
        _fail(f"{target} already exists (use --force to overwrite)")
    target.write_text(STARTER, encoding="utf-8")
    click.echo(f"wrote {target}")
