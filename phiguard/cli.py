"""Command line: `phiguard scan`, `phiguard rules`, `phiguard explain`. Heavy imports stay lazy."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import PhiguardError
from .guard import fail_closed

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "NoReturn":  # noqa: F821
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")  # a file name may hold a newline
    click.echo(f"phiguard: error: {one_line}", err=True)
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


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["auto", "rich", "json", "text"]), default="auto",
              show_default=True, help="Report format; auto is rich at a terminal, text otherwise.")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high"]), default="medium", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--show-matches/--mask-matches", default=None,
              help="Show matched text (default: only at an interactive terminal outside CI).")
@click.option("--model", envvar="PHIGUARD_MODEL", default=None,
              help="spaCy model (package name or path). Env: PHIGUARD_MODEL.")
@fail_closed
def scan(paths: tuple[str, ...], fmt: str, fail_on: str, show_matches: bool | None, model: str | None) -> None:
    """Scan files, directories, globs or '-' (stdin) for PHI."""
    from .detection.model import DEFAULT_MODEL
    from .discover import expand, read
    from .findings import Severity
    from .reporters import Report, summarize, write
    from .scanner import Scanner

    try:
        files = expand(paths or (".",))
        if not files:
            _fail(f"no files to scan in {' '.join(paths or ('.',))}")
        scanner = Scanner(model or DEFAULT_MODEL)
        scanner.load()
        reports = list(scanner.scan(read(p) for p in files))
    except PhiguardError as exc:
        _fail(str(exc))
    threshold = Severity.parse(fail_on)
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


@main.command("rules")
@fail_closed
def list_rules() -> None:
    """List the policy rules."""
    from .policy.rules import load_dir, shipped_rules_dir

    try:
        rules = load_dir(shipped_rules_dir())
    except PhiguardError as exc:
        _fail(str(exc))
    for r in sorted(rules, key=lambda r: r.id):
        state = "enabled" if r.enabled else "disabled"
        click.echo(f"{r.id:<24} {r.kind:<8} {str(r.severity):<7} {r.identifier:<12} {state}")


@main.command()
@click.argument("rule_id")
@fail_closed
def explain(rule_id: str) -> None:
    """Show a rule's documentation and examples."""
    from .policy.rules import load_dir, shipped_rules_dir

    try:
        rules = {r.id: r for r in load_dir(shipped_rules_dir())}
    except PhiguardError as exc:
        _fail(str(exc))
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
