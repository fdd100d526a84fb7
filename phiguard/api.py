"""phiguard as a library: one call runs a whole scan as `phiguard scan` does (config, rules, cache, workers,
suppressions, baseline) and streams a result per file, then a summary with the exit code.

    import phiguard

    scan = phiguard.scan(["posts/"], phiguard.Options(fail_on="high"))
    for result in scan:                 # one per file, in order, as they are ready
        ...
    scan.summary.exit_code              # 0 clean, 1 blocking findings, 2 a file could not be checked

The CLI, `redact`, the hook and every front end call this; none of them decides a verdict of its own.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Union

from .config import Settings, find_config, load
from .discover import STDIN, Selection, Source, select
from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, InputError
from .findings import Finding, Severity
from .policy.rules import Rule
from .scanner import FileReport
from .suppress import Suppressed


@dataclass(frozen=True)
class Text:
    """A text to scan as a file named `name` would be: its suffix chooses the reader ("post.md" is Markdown)."""

    text: str
    name: str = "<text>"


Input = Union[str, os.PathLike, Text]


@dataclass
class Options:
    """What `phiguard scan`'s flags say; every field has the CLI's default."""

    config: str | os.PathLike | None = None  # default: .phiguard.yaml or pyproject.toml, upward from the first path
    fail_on: str | None = None  # low, medium or high; default: the config's, else medium
    model: str | None = None  # a spaCy model; default: the config's, else en_core_web_sm
    fields: tuple[str, ...] = ()  # export fields to read; default: the config's, else every field
    consent: tuple[str, ...] = ()  # images whose subjects consented: faces not reported
    since: str | None = None  # only files changed against this git revision (and untracked files)
    baseline: str | os.PathLike | None = None  # default: .phiguard-baseline.json where the config says
    use_baseline: bool = True
    cache: bool = True
    cache_dir: str | os.PathLike | None = None
    jobs: int = 1  # worker processes for files (texts are scanned in this process)


@dataclass
class FileResult:
    """One file's verdict: its findings still active, those suppressed (with why), or why it was not checked."""

    path: str
    findings: list[Finding]
    suppressed: list[Suppressed] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # text of the lines that have findings, for reporters

    def blocking(self, fail_on: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= fail_on]


@dataclass
class Summary:
    """Counts over every result so far; `exit_code` as the CLI exits."""

    fail_on: Severity
    files: int = 0
    files_with_findings: int = 0
    findings: int = 0
    blocking: int = 0
    suppressed: int = 0
    errors: int = 0
    cache_hits: int = 0
    notes: list[str] = field(default_factory=list)

    complete: bool = False  # every input was scanned: until then the verdict is not known

    @property
    def exit_code(self) -> int:
        """2 until the scan has finished (a verdict on part of the input is no pass), then 2, 1 or 0."""
        if not self.complete or self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.blocking else EXIT_CLEAN

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.files_with_findings += bool(result.findings)
        self.findings += len(result.findings)
        self.blocking += len(result.blocking(self.fail_on))
        self.suppressed += len(result.suppressed)
        self.errors += bool(result.error)
        self.notes += result.notes


class Scan:
    """A scan under way: iterate it for one FileResult per file, in input order, as each is ready (a large
    archive is never held in memory); `summary` counts what was yielded, and its exit code is 2 until every
    input was scanned. A bad config or rule file raises `phiguard.errors.PhiguardError` when the scan is made;
    a bad baseline, cache folder or model raises it when iteration starts, before any result; a file that
    cannot be checked is that file's `error`."""

    def __init__(self, inputs: Iterable[Input], options: Options | None = None) -> None:
        self.options = options or Options()
        items = [i if isinstance(i, Text) else os.fspath(i) for i in inputs]
        paths = tuple(i for i in items if not isinstance(i, Text))
        self.settings = settings_for(self.options.config, paths)
        self.settings.fields = tuple(self.options.fields) or self.settings.fields
        self.settings.consent = tuple(self.options.consent) or self.settings.consent
        self.fail_on = Severity.parse(self.options.fail_on) if self.options.fail_on else self.settings.fail_on
        self.rules: list[Rule] = self.settings.rules()
        self.selection = selected(paths, self.options.since) if paths or not items else Selection()
        texts = [Source(t.name, t.text) for t in items if isinstance(t, Text)]
        self._inputs: list[str | Source] = [*self.selection.files, *texts]
        self.summary = Summary(self.fail_on, notes=self.selection.notes())
        self._started = False

    @property
    def scanned_paths(self) -> list[str]:
        return [i if isinstance(i, str) else i.path for i in self._inputs]

    def __iter__(self) -> Iterator[FileResult]:
        if self._started:
            raise RuntimeError("a Scan can be iterated once")
        self._started = True
        from .run import decisions, open_cache, stream
        from .scanner import Scanner
        from .sources.options import SourceOptions

        settings, model = self.settings, self.options.model or self.settings.model

        def make_scanner() -> Scanner:
            scanner = Scanner(model, self.rules, options=SourceOptions.build(settings.fields, settings.consent),
                              languages=tuple(sorted(settings.languages.items())))
            scanner.load()
            return scanner

        cache = open_cache(settings, model, self.options.cache, _str(self.options.cache_dir))
        chosen = decisions(settings, {r.id for r in self.rules},
                           Path(self.options.baseline) if self.options.baseline else None, self.options.use_baseline)
        jobs = self.options.jobs if not any(isinstance(i, Source) for i in self._inputs) else 1
        for report, suppressed, notes in stream(self._inputs, make_scanner, cache, chosen, jobs):
            result = FileResult(report.path, report.findings, suppressed, report.error, notes, report.lines)
            self.summary.add(result)
            yield result
        self.summary.cache_hits = cache.hits if cache else 0
        self.summary.complete = True

    def collect(self) -> list[FileResult]:
        """Every result at once (the summary is complete after it)."""
        return list(self)


def scan(inputs: Iterable[Input], options: Options | None = None) -> Scan:
    """Scan files, folders, globs, '-' (stdin) and `Text`s as `phiguard scan` would (see the module docstring)."""
    return Scan(inputs, options)


def _str(path: str | os.PathLike | None) -> str | None:
    return os.fspath(path) if path is not None else None


def settings_for(config: str | os.PathLike | None, paths: tuple[str, ...]) -> Settings:
    """The config named, else the one found upward from the first path (the shipped policy when none)."""
    if config is not None:
        return load(Path(config))
    start = next((p for p in paths if p != STDIN), ".")
    return load(find_config(Path(start)))


def selected(paths: tuple[str, ...], since: str | None) -> Selection:
    """The files to scan; with `since`, only those changed against that revision (an empty selection when
    nothing changed). A path that does not exist is an error in both modes."""
    if since is not None:
        from .gitdiff import changed_files

        missing = [p for p in paths if p != STDIN and not os.path.lexists(p) and not glob.glob(p, recursive=True)]
        if missing:
            raise InputError(f"{missing[0]}: no such file or directory")
        return Selection(changed_files(since, paths or (".",)))
    chosen = select(paths or (".",))
    if not chosen.files:
        raise InputError(f"no files to scan in {' '.join(paths or ('.',))}")
    return chosen


def as_report(result: FileResult) -> FileReport:
    return FileReport(result.path, result.findings, result.error, result.lines)
