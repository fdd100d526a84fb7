"""One scan's pipeline (phiguard.api drives it): cache, then NLP for the rest, then suppressions, per file."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from . import baseline as baseline_file
from . import cache as result_cache
from .config import Settings
from .discover import Source, read_input
from .errors import ConfigError, PhiguardError, internal_error
from .parallel import scan_files
from .progress import track
from .tables import shipped_rules_dir
from .scanner import FileReport, Scanner
from .suppress import Decisions, Suppressed, apply


def open_cache(settings: Settings, model: str, enabled: bool, directory: str | None
               ) -> result_cache.ResultCache | None:
    if not (enabled and settings.cache):
        return None
    key = result_cache.run_key(settings.path, result_cache.rule_files([shipped_rules_dir(), *settings.rules_dirs]),
                               model, ("fields", *settings.fields, "consent", *settings.consent,
                                       "languages", *(f"{k}={v}" for k, v in sorted(settings.languages.items()))))
    if key is None:
        return None  # the model's version is unknown: scan (and let the model load report the problem)
    folder = Path(directory) if directory else settings.cache_dir or settings.base / result_cache.DEFAULT_DIR
    return result_cache.ResultCache(folder, key)


def scan_sources(paths: list[str | Source], make_scanner: Callable[[], Scanner],
                 cache: result_cache.ResultCache | None, jobs: int = 1) -> Iterator[tuple[FileReport, Source]]:
    """(report, file) in input order. Cached files skip NLP; the others stream through `nlp.pipe` in `jobs`
    processes, and the scanner (and the model) is made only when some file is not cached. Files are read
    when needed and not kept (a first pass reads each file once more, for the cache and read errors), so
    that a folder of photos or 100,000 posts does not have to fit in memory."""
    known: dict[int, FileReport] = {}  # unreadable or cached (no NLP), after a file that needs the NLP
    start = None  # the first file that needs the NLP: the ones before it are reported at once
    for i, path in enumerate(paths):
        source = read_input(path)
        report = FileReport(source.path, error=source.error) if source.text is None else (
            cache.get(source) if cache else None)
        if report is None:
            start = i if start is None else start
        elif start is None:
            yield report, source
        else:
            known[i] = report
    if start is None:
        return
    missing = [p for i, p in enumerate(paths) if i >= start and i not in known]
    fresh = track(scan_files(make_scanner(), missing, jobs), len(missing))
    for i in range(start, len(paths)):
        if i in known:
            yield known.pop(i), read_input(paths[i])
            continue
        report, source = next(fresh)
        if cache:
            cache.put(source, report)
        yield report, source


def decisions(settings: Settings, rule_ids: set[str], baseline_path: Path | None, use_baseline: bool) -> Decisions:
    found = None
    path = baseline_path or settings.baseline or settings.base / baseline_file.DEFAULT_NAME
    if use_baseline and path.is_file():
        found = baseline_file.load(path)
    elif use_baseline and (baseline_path or settings.baseline):
        raise ConfigError(f"{path}: baseline not found (create it with `phiguard baseline create`)")
    return Decisions(rule_ids, settings.allowlist, settings.authorizations, settings.base, found)


def stream(paths: list[str | Source], make_scanner: Callable[[], Scanner], cache, rules_decisions: Decisions,
           jobs: int = 1) -> Iterator[tuple[FileReport, list[Suppressed], list[str]]]:
    """(report with its active findings, suppressed findings, notes) per file, in input order."""
    for report, source in scan_sources(paths, make_scanner, cache, jobs):
        suppressed: list[Suppressed] = []
        notes: list[str] = []
        if source.text is not None and not report.error:
            try:
                report.findings, suppressed, notes = apply(source.path, source.text, report.findings,
                                                           rules_decisions)
            except PhiguardError as exc:  # a bad directive or authorization: this file's error, its findings stay
                report.error = str(exc)
            except Exception:  # noqa: BLE001 - this file's error, not the run's; its findings stay
                report.error = internal_error("suppression step")
        yield report, suppressed, notes
