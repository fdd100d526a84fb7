"""phiguard as a library: one call runs a whole scan as `phiguard scan` does (config, rules, cache, workers,
suppressions, baseline) and streams a result per file, then a summary with the exit code.

    import phiguard

    scan = phiguard.scan(["posts/"], phiguard.Options(fail_on="high"))
    for result in scan:                 # one per file, in order, as they are ready
        ...
    scan.summary.exit_code              # 0 clean, 1 blocking findings, 2 a file could not be checked

    session = phiguard.Session()        # front ends: config, rules and model loaded once
    result = session.check(phiguard.Text(draft, "posts/today.md"))
    session.verdict(result)             # "blocked", "passes" or "not checked"

The CLI, `redact`, the hook and every front end call these; none of them decides a verdict of its own.
"""
from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Union

from .config import Settings, find_config, load
from .discover import STDIN, Selection, Source, select, source_from_bytes
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

        settings, model = self.settings, self.options.model or self.settings.model

        def make_scanner():
            return loaded_scanner(settings, model, self.rules)

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


def loaded_scanner(settings: Settings, model: str, rules: list[Rule]):
    """A Scanner for these settings with its model loaded (model errors surface here, before any file)."""
    from .scanner import Scanner
    from .sources.options import SourceOptions

    scanner = Scanner(model, rules, options=SourceOptions.build(settings.fields, settings.consent),
                      languages=tuple(sorted(settings.languages.items())))
    scanner.load()
    return scanner


class Session:
    """A scan kept open for many texts (the local page, the language server, Spark executors): config, rules,
    baseline and model are loaded once, and `check` gives one text the verdict `phiguard scan` would (inline
    directives, allowlist, authorizations, baseline); `check_all` does the same for many, batched through the
    model. Results are never cached.

    `trust_paths=False` is for names a user did not choose (a browser upload): no baseline, no consent list
    and no path-keyed authorizations from the config, so "photo.jpg" cannot match `consent: [photo.jpg]`.
    A bad config, rule file, baseline or model raises `phiguard.errors.PhiguardError` when the session is made.
    Checks are serialised (a spaCy pipeline is not shared between threads). A session pickles without its
    model (a Spark driver ships it to executors, which load the model at their first check); a process with
    another local secret refuses it, since its fingerprints and baseline matches would differ."""

    def __init__(self, options: Options | None = None, start: str | os.PathLike = ".", trust_paths: bool = True
                 ) -> None:
        from .run import decisions
        from .suppress import Decisions

        self.options = options = options or Options()
        self.settings = settings = settings_for(options.config, (os.fspath(start),))
        settings.fields = tuple(options.fields) or settings.fields
        settings.consent = (tuple(options.consent) or settings.consent) if trust_paths else ()
        self.fail_on = Severity.parse(options.fail_on) if options.fail_on else settings.fail_on
        self.rules: dict[str, Rule] = {r.id: r for r in settings.rules()}
        baseline = Path(options.baseline) if options.baseline else None
        if trust_paths:
            self._decisions = decisions(settings, set(self.rules), baseline, options.use_baseline)
        else:
            self._decisions = Decisions(set(self.rules), settings.allowlist, [], settings.base, None)
        self._lock = threading.Lock()
        self._scanner = None
        self.scanner  # noqa: B018 - a missing model says so now, not at the first check
        self._watched = {p: _stamp(p) for p in self._inputs(baseline if trust_paths else None)}

    @property
    def scanner(self):
        if self._scanner is None:
            self._scanner = loaded_scanner(self.settings, self.options.model or self.settings.model,
                                           list(self.rules.values()))
        return self._scanner

    def check(self, text: Text | Source) -> FileResult:
        """One text's result; its name is its path (the suffix picks the reader; directives, authorizations
        and the baseline match on it)."""
        [result] = self.check_all([text])
        return result

    def check_all(self, texts: Iterable[Text | Source]) -> list[FileResult]:
        """A result per text, in order, the texts batched through the model."""
        import datetime as dt

        from .run import stream

        sources = [t if isinstance(t, Source) else Source(t.name, t.text) for t in texts]
        with self._lock:
            self._decisions.today = dt.date.today()  # a session outlives a day: authorizations expire meanwhile
            return [FileResult(report.path, report.findings, suppressed, report.error, notes, report.lines)
                    for report, suppressed, notes in stream(sources, lambda: self.scanner, None, self._decisions)]

    def check_bytes(self, data: bytes, name: str) -> tuple[FileResult, Source]:
        """A file's bytes (an image, an export, a document), held in memory only: the result, and the file as
        read (its `text` is what findings with `offsets == "file"` index)."""
        source = source_from_bytes(name, data)
        return self.check(source), source

    def verdict(self, result: FileResult) -> str:
        if result.error:
            return "not checked"
        return "blocked" if result.blocking(self.fail_on) else "passes"

    def fix(self, finding: Finding) -> str:
        """What to change, in the words of the finding's rule."""
        rule = self.rules.get(finding.rule)
        return rule.fix if rule else ""

    def stale(self) -> bool:
        """Whether the config, a rule file or the baseline changed (appeared, went) since the session began."""
        return any(_stamp(p) != when for p, when in self._watched.items())

    def __getstate__(self) -> dict:
        from .baseline import key_check

        return {**self.__dict__, "_scanner": None, "_lock": None, "_key_check": key_check()}

    def __setstate__(self, state: dict) -> None:
        from .baseline import key_check
        from .errors import ConfigError
        from .secret import ENV

        if state.pop("_key_check") != key_check():
            raise ConfigError(f"this process has another local secret than the one the session was made under: "
                              f"set {ENV} to the same value everywhere (on Spark: spark.executorEnv.{ENV})")
        self.__dict__.update(state, _lock=threading.Lock())

    def _inputs(self, baseline: Path | None) -> list[Path]:
        from . import baseline as baseline_file
        from .cache import rule_files
        from .tables import shipped_rules_dir

        settings = self.settings
        found = [p for p in (settings.path,) if p is not None] + list(settings.rules_dirs)
        if baseline is not None or self.options.use_baseline:
            found.append(baseline or settings.baseline or settings.base / baseline_file.DEFAULT_NAME)
        return found + rule_files([shipped_rules_dir(), *settings.rules_dirs])


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
