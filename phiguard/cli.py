"""Command line: `phiguard scan`, `phiguard rules`, `phiguard explain`. Heavy imports stay lazy."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, PhiguardError
from .guard import fail_closed

STDIN_WAIT = 0.5  # seconds a pipe's writer has to start before a scan without a path scans the folder
HUMAN_FORMATS = frozenset({"rich", "text", "github"})  # formats that print the notes with the findings


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


def _settings(config: str | None, paths: tuple[str, ...]):
    from .api import settings_for

    return settings_for(config, paths)


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
@click.option("--field", "fields", multiple=True, metavar="NAME",
              help="Export field to check in CSV/TSV/JSON/JSONL/YAML files (repeatable; default: every field).")
@click.option("--consent-on-file", "consent", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An image whose subjects gave consent: its faces are not reported (repeatable).")
@click.option("--diff", "diff", is_flag=True, help="Scan only files changed against HEAD (and untracked files).")
@click.option("--since", "since", metavar="REV", default=None,
              help="Scan only files changed against git revision REV (and untracked files).")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), default=None,
              help="Baseline file (default: .phiguard-baseline.json beside the config or at the git root, used when present).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", envvar="PHIGUARD_CACHE_DIR", default=None,
              help="Result cache folder (default: .phiguard_cache beside the config or at the git root). Env: PHIGUARD_CACHE_DIR.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores). Fewer than 100 files are scanned in one process.")
@_config_option
@fail_closed
def scan(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str | None, show_matches: bool | None,
         model: str | None, fields: tuple[str, ...], consent: tuple[str, ...], diff: bool, since: str | None,
         baseline: str | None, no_cache: bool, cache_dir: str | None, jobs: int | None, config: str | None) -> None:
    """Scan files, directories, globs or '-' (stdin) for PHI."""
    from .api import Options, as_report
    from .api import scan as run_scan
    from .reporters import Report, shown_path, summarize

    if not paths and diff is False and since is None and _stdin_holds_text():
        _fail("text on standard input but no path given: run `phiguard scan -` to check it, "
              "or name the files to scan (`phiguard scan .`)")
    options = Options(config=config, fail_on=fail_on, model=model, fields=fields, consent=consent,
                      since="HEAD" if diff and since is None else since, baseline=baseline, cache=not no_cache,
                      cache_dir=cache_dir, jobs=jobs or _default_jobs())
    try:
        scan = run_scan(paths, options)
        if options.since is not None and not scan.selection.files:
            click.echo("phiguard: no changed files to scan", err=True)
            sys.exit(EXIT_CLEAN)
        results = scan.collect()
    except PhiguardError as exc:
        _fail(str(exc))
    threshold = scan.fail_on
    policy = _policy(scan.settings, scan.rules, threshold, paths)
    shown = _show_matches(show_matches) if output is None else bool(show_matches)  # a file is kept: masked
    report = Report([as_report(r) for r in results], threshold, shown,
                    rules={r.id: r for r in scan.rules}, suppressed=[s for r in results for s in r.suppressed],
                    notes=[*policy_notes(policy), *scan.summary.notes, *_cache_note(scan.summary.cache_hits)],
                    cache_hits=scan.summary.cache_hits, policy=policy)
    for r in report.errors:
        click.echo(f"phiguard: {shown_path(r.path)}: {r.error}", err=True)
    report.exit_code = scan.summary.exit_code
    report.summary = summarize(report)
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else \
            "rich" if sys.stdout.isatty() and output is None else "text"
    if output is not None or fmt not in HUMAN_FORMATS:  # else the report on stdout shows the notes already
        for note in report.notes:
            click.echo(f"phiguard: note: {note}", err=True)
    _write_report(fmt, report, output)
    sys.exit(report.exit_code)


def _default_jobs() -> int:
    from .parallel import default_jobs

    return default_jobs()


def _policy(settings, rules, threshold, paths: tuple[str, ...]) -> dict:
    from pathlib import Path

    from .policy.effective import describe

    return describe(settings.path, rules, threshold, Path(next((p for p in paths if p != "-"), ".")))


def policy_notes(policy: dict) -> list[str]:
    from .policy.effective import notes

    return notes(policy)


def _cache_note(hits: int) -> list[str]:
    if not hits:
        return []
    return [f"{hits} file{'s' if hits != 1 else ''} reported from the result cache (--no-cache scans again)"]


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


def _stdin_holds_text() -> bool:
    """Is something piped or redirected in (`echo draft | phiguard scan`)? Reads at most one byte of a pipe,
    waiting STDIN_WAIT for a slow writer: a CI runner's empty or idle stdin is not text."""
    import select
    import stat

    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            return os.fstat(fd).st_size > os.lseek(fd, 0, os.SEEK_CUR)
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)) or not select.select([fd], [], [], STDIN_WAIT)[0]:
            return False
        return bool(os.read(fd, 1))
    except (OSError, ValueError, AttributeError):  # no real stdin (closed, embedded)
        return False


def _scanned(paths: tuple[str, ...], config: str | None, model: str | None):
    """A whole scan without cache or baseline (baseline recording, redaction): (scan, results)."""
    from .api import Options, scan

    found = scan(paths, Options(config=config, model=model, cache=False, use_baseline=False))
    return found, found.collect()


def _rules(config: str | None):
    try:
        return _settings(config, ()).rules()
    except PhiguardError as exc:
        _fail(str(exc))


@main.command("rules")
@_config_option
@fail_closed(closed_pipe_ok=True)
def list_rules(config: str | None) -> None:
    """List the policy rules (shipped, your rule folders, and config overrides)."""
    try:
        settings = _settings(config, ())
        rules = settings.rules()
    except PhiguardError as exc:
        _fail(str(exc))
    policy = _policy(settings, rules, settings.fail_on, ())
    click.echo(f"config: {policy['config'] or 'none (the shipped policy)'}   fail level: {policy['fail_on']}")
    for note in policy_notes(policy):
        click.echo(note)
    for r in sorted(rules, key=lambda r: r.id):
        state = "enabled" if r.enabled else "disabled"
        click.echo(f"{r.id:<28} {r.kind:<12} {str(r.severity):<7} {r.identifier:<12} {state}")


@main.command()
@click.argument("rule_id")
@_config_option
@fail_closed(closed_pipe_ok=True)
def explain(rule_id: str, config: str | None) -> None:
    """Show a rule's documentation and examples."""
    import difflib

    rules = {r.id: r for r in _rules(config)}
    wanted = rule_id.strip().lower()
    if wanted not in rules:
        near = difflib.get_close_matches(wanted, rules, n=1)
        _fail(f"unknown rule '{rule_id}'" + (f": did you mean '{near[0]}'?" if near else " (see `phiguard rules`)"))
    r = rules[wanted]
    click.echo(f"{r.id}: {r.message}\n")
    for line in _rule_summary(r):
        click.echo(line)
    if r.description:
        click.echo(f"\n{r.description.strip()}")
    if r.fix:
        click.echo(f"\nFix: {r.fix}")
    for title, texts in (("Flags", r.examples.flag), ("Passes", r.examples.allow)):
        if texts:
            click.echo(f"\n{title}:")
            for t in texts:
                click.echo(f"  - {t}")


def _rule_summary(r) -> list[str]:
    """What a rule does, in words, by kind."""
    if r.kind == "context":
        where = "its paragraph" if r.scope == "paragraph" else "the text"
        lines = [f"kind: context   changes: {', '.join(r.applies_to)}   to: {r.action}"]
        cues = [name for name in ("before", "after", "near") if getattr(r, name)]
        if cues:
            lines.append(f"when its cue is {' or '.join(cues)} the finding (within {r.window} characters)")
        if r.segment:
            lines.append(f"when {where} matches its segment cue")
        if r.unless:
            lines.append(f"not when {where} matches its unless cue")
        if r.unless_found:
            lines.append(f"not when one of these still blocks in {where}: {', '.join(r.unless_found)}")
        if r.filters:
            lines.append(f"only findings that pass: {', '.join(r.filters)}")
        if r.min_paragraphs > 1:
            lines.append(f"only in texts of {r.min_paragraphs} paragraphs or more")
        if r.scope == "file":
            lines.append("looks at the whole file, after every other rule"
                         + (f", in files of {r.min_words} words or more" if r.min_words else ""))
        return lines
    if r.kind == "combination":
        signals = "; ".join(" or ".join(sig) for sig in r.signals)
        needed = f"at least {r.min_signals} of" if r.min_signals < len(r.signals) else "all of"
        required = "; ".join(" or ".join(sig) for sig in r.signals[:r.required_signals])
        first = f" ({required} required)" if required else ""
        return [f"kind: combination   severity: {r.severity}   identifier: {r.identifier}   within: {r.scope}",
                f"raises findings when {needed} these are present{first}: {signals}"]
    entities = f"   entities: {', '.join(r.entities)}" if r.entities else ""
    return [f"kind: {r.kind}   severity: {r.severity}   identifier: {r.identifier}   "
            f"min confidence: {r.min_confidence}{entities}"]


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .phiguard.yaml.")
@fail_closed
def init(force: bool) -> None:
    """Write a commented starter .phiguard.yaml in the current folder."""
    from pathlib import Path

    from .config import STARTER

    target = Path(".phiguard.yaml")
    if target.exists() and not force:
        _fail(f"{target} already exists (use --force to overwrite)")
    target.write_text(STARTER, encoding="utf-8")
    click.echo(f"wrote {target}")


@main.group()
def baseline() -> None:
    """Record today's findings so that only new ones fail (`create`, `update`)."""


def _record(paths: tuple[str, ...], config: str | None, model: str | None, output: str | None, creating: bool,
            force: bool = False) -> None:
    from pathlib import Path

    from . import baseline as baseline_file

    try:
        settings = _settings(config, paths)
        target = Path(output) if output else settings.baseline or settings.base / baseline_file.DEFAULT_NAME
        if creating and target.exists() and not force:
            _fail(f"{target} already exists (use `phiguard baseline update`, or --force to start over)")
        if not creating and not target.is_file():
            _fail(f"{target} not found (create it with `phiguard baseline create`)")
        record = baseline_file.Baseline(target) if creating else baseline_file.load(target)
        scan, results = _scanned(paths, config, model)
    except PhiguardError as exc:
        _fail(str(exc))
    if any(r.error for r in results):
        for r in results:
            if r.error:
                click.echo(f"phiguard: {r.path}: {r.error}", err=True)
        _fail("baseline not written: some files could not be scanned")
    findings = [f for r in results for f in r.findings]
    kept, added, dropped = record.record(findings, scan.scanned_paths)
    record.save()
    click.echo(f"wrote {target}: {len(record.entries)} entries ({kept} kept, {added} added, {dropped} dropped)")
    from . import secret

    if not os.environ.get(secret.ENV):
        click.echo(f"phiguard: note: the baseline is keyed with {secret.where()}; a teammate or CI can use it "
                   f"only with the same secret: set {secret.ENV} to one secret shared by the team (a CI secret) "
                   "and create the baseline again under it", err=True)


_model_option = click.option("--model", envvar="PHIGUARD_MODEL", default=None,
                             help="spaCy model (package name or path). Env: PHIGUARD_MODEL.")
_baseline_file_option = click.option("--file", "output", type=click.Path(dir_okay=False), default=None,
                                     help="Baseline file (default: .phiguard-baseline.json beside the config or at the git root).")


@baseline.command("create")
@click.argument("paths", nargs=-1)
@click.option("--force", is_flag=True, help="Overwrite an existing baseline.")
@_baseline_file_option
@_model_option
@_config_option
@fail_closed
def baseline_create(paths: tuple[str, ...], force: bool, output: str | None, model: str | None,
                    config: str | None) -> None:
    """Write the baseline from the current findings of PATHS (default: .)."""
    _record(paths, config, model, output, creating=True, force=force)


@baseline.command("update")
@click.argument("paths", nargs=-1)
@_baseline_file_option
@_model_option
@_config_option
@fail_closed
def baseline_update(paths: tuple[str, ...], output: str | None, model: str | None, config: str | None) -> None:
    """Re-record PATHS (default: .): drop entries no longer found, add the new findings."""
    _record(paths, config, model, output, creating=False)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the redacted copy here (default: stdout).")
@click.option("--in-place", is_flag=True, help="Overwrite FILE with the redacted copy.")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high"]), default=None,
              help="Redact findings at or above this severity, as `scan` blocks them [default: the config's, medium].")
@_model_option
@_config_option
@fail_closed
def redact(file: str, output: str | None, in_place: bool, fail_on: str | None, model: str | None,
           config: str | None) -> None:
    """Print (or write) a copy of FILE with each blocking finding replaced by its category ([NAME], [DATE],
    "90 or older"...). Exit 1 when something had to be redacted, 0 when nothing did (as formatters' --check)."""
    from .findings import Severity
    from .redact import redaction

    if output and in_place:
        _fail("use either --output or --in-place")
    try:
        scan, [report] = _scanned((file,), config, model)
    except PhiguardError as exc:
        _fail(str(exc))
    if report.error:
        _fail(f"{report.path}: {report.error}")
    from .discover import read

    threshold = Severity.parse(fail_on) if fail_on else scan.fail_on
    done = redaction(read(file).text, report.findings, report.suppressed, threshold)
    if done.text is None:
        _fail(f"{file}: cannot redact: some findings are not in the file's text")
    target = file if in_place else output
    if target is None:
        click.echo(done.text, nl=False)
    else:
        try:
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(done.text)
        except OSError as exc:
            _fail(f"{target}: cannot write: {exc.strerror or exc}")
    rules = ", ".join(sorted({f.rule for f in done.replaced}))
    where = f": wrote {target}" if target else ""
    click.echo(f"phiguard: redacted {len(done.replaced)} finding(s){f' ({rules})' if rules else ''}{where}", err=True)
    if done.outside:
        click.echo(f"phiguard: {len(done.outside)} finding(s) outside the text not redacted (" +
                   ", ".join(sorted({f'{f.rule} in {f.segment}' for f in done.outside})) + "): change them by hand",
                   err=True)
    sys.exit(EXIT_FINDINGS if done.changed else EXIT_CLEAN)


@main.command()
@fail_closed
def lsp() -> None:
    """Run the language server on stdin/stdout, for editors: findings appear as you type (see the README)."""
    from .lsp import main as serve_stdio

    serve_stdio()


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high"]), default=None,
              help="Findings at or above this severity block a draft (default: the config's, else medium).")
@click.option("--model", default=None, help="spaCy model (default: the config's, else en_core_web_sm).")
@_config_option
@fail_closed
def serve(port: int, no_browser: bool, fail_on: str | None, model: str | None, config: str | None) -> None:
    """A page on this computer to paste a draft or drop a photo and see what to change (see the README)."""
    from .api import Options
    from .serve import serve as run_page

    try:
        run_page(port, no_browser, Options(config=config, fail_on=fail_on, model=model))
    except PhiguardError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
