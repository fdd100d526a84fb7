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
@click.option("--format", "fmt", type=click.Choice(["auto", "rich", "json", "text", "sarif", "github", "junit"]),
              default="auto", show_default=True,
              help="Report format; auto is github under GitHub Actions, rich at a terminal, text otherwise.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high"]), default=None,
              help="Exit 1 when a finding is at or above this severity [default: medium].")
@click.option("--show-matches/--mask-matches", default=None,
              help="Show matched text (default: only at an interactive terminal outside CI).")
@click.option("--model", envvar="PHIGUARD_MODEL", default=None,
              help="spaCy model (package name or path). Env: PHIGUARD_MODEL.")
@click.option("--diff", "diff", is_flag=True, help="Scan only files changed against HEAD (and untracked files).")
@click.option("--since", "since", metavar="REV", default=None,
              help="Scan only files changed against git revision REV (and untracked files).")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), default=None,
              help="Baseline file (default: .phiguard-baseline.json beside the config, used when present).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", envvar="PHIGUARD_CACHE_DIR", default=None,
              help="Result cache folder (default: .phiguard_cache beside the config). Env: PHIGUARD_CACHE_DIR.")
@_config_option
def scan(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str | None, show_matches: bool | None,
         model: str | None, diff: bool, since: str | None, baseline: str | None, no_cache: bool,
         cache_dir: str | None, config: str | None) -> None:
    """Scan files, directories, globs or '-' (stdin) for PHI."""
    from .findings import Severity
    from .reporters import Report, summarize, write

    try:
        settings = _settings(config, paths)
        files = _files(paths, "HEAD" if diff and since is None else since)
        if files is None:
            click.echo("phiguard: no changed files to scan", err=True)
            sys.exit(EXIT_CLEAN)
        outcome, rules = _run(files, settings, model, no_cache, cache_dir, baseline, use_baseline=True)
    except PhiguardError as exc:
        _fail(str(exc))
    threshold = Severity.parse(fail_on) if fail_on else settings.fail_on
    report = Report(outcome.files, threshold, _show_matches(show_matches) and output is None,
                    rules={r.id: r for r in rules}, suppressed=outcome.suppressed, notes=outcome.notes)
    for r in report.errors:
        click.echo(f"phiguard: {r.path}: {r.error}", err=True)
    for note in report.notes:
        click.echo(f"phiguard: note: {note}", err=True)
    if report.errors:
        report.exit_code = EXIT_ERROR
    elif any(f.severity >= threshold for f in report.findings):
        report.exit_code = EXIT_FINDINGS
    report.summary = summarize(report)
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else \
            "rich" if sys.stdout.isatty() and output is None else "text"
    _write_report(fmt, report, output)
    sys.exit(report.exit_code)


def _write_report(fmt: str, report, output: str | None) -> None:
    from .reporters import write

    if output is None:
        write(fmt, report, sys.stdout)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as stream:
            write(fmt, report, stream)
    except OSError as exc:
        _fail(f"{output}: cannot write the report: {exc.strerror or exc}")


def _files(paths: tuple[str, ...], rev: str | None) -> list[str] | None:
    """The files to scan; None when a diff scan finds nothing changed."""
    from .discover import expand

    if rev is not None:
        from .gitdiff import changed_files

        return changed_files(rev, paths or (".",)) or None
    files = expand(paths or (".",))
    if not files:
        _fail(f"no files to scan in {' '.join(paths or ('.',))}")
    return files


def _run(files: list[str], settings, model: str | None, no_cache: bool, cache_dir: str | None,
         baseline: str | None, use_baseline: bool):
    """Scan with the cache and the suppressions; (outcome, rules)."""
    from pathlib import Path

    from .discover import read
    from .run import decisions, open_cache, run
    from .scanner import Scanner

    model = model or settings.model
    rules = settings.rules()

    def make_scanner() -> Scanner:
        scanner = Scanner(model, rules)
        scanner.load()
        return scanner

    cache = open_cache(settings, model, not no_cache, cache_dir)
    chosen = decisions(settings, {r.id for r in rules}, Path(baseline) if baseline else None, use_baseline)
    return run((read(p) for p in files), make_scanner, cache, chosen), rules


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
