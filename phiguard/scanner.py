"""The scan pipeline: sources → segments → detection (batched) → policy → findings, per file."""
from __future__ import annotations

from array import array
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .detection.model import DEFAULT_MODEL
from .discover import Source
from .errors import PhiguardError, internal_error
from .findings import Finding, Segment, fingerprint
from .normalize import for_detection
from .policy.engine import Policy
from .policy.rules import Rule, load_dir
from .tables import shipped_rules_dir
from .positions import LineIndex
from .sources import extract, file_name_segment, reader_name
from .sources.slugs import SLUG_IDENTIFIERS, SLUG_KINDS
from .sources.options import SourceOptions
from .textmap import TextMap

MAX_SEGMENT_CHARS = 20_000  # far below spaCy's max_length; see detection.engine.BATCH_CHARS
PIECE_OVERLAP = 400  # pieces of a long segment overlap, so an identifier across a cut is read whole


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    lines: dict[int, str] = field(default_factory=dict)  # text of the lines that have findings


def _cuts(text: str, limit: int, overlap: int) -> Iterator[tuple[int, int]]:
    """[start, end) pieces of at most `limit` characters, cut at whitespace where there is some, each
    starting `overlap` characters (at a word start) before the previous one ended."""
    base = 0
    while len(text) - base > limit:
        end = base + limit
        cut = max(text.rfind("\n", base + limit // 2, end), text.rfind(" ", base + limit // 2, end))
        cut = cut + 1 if cut > base else end
        yield base, cut
        back = max(base + 1, cut - overlap)
        space = text.find(" ", back, cut)
        base = space + 1 if space != -1 else back
    yield base, len(text)


def split_long(segment: Segment, limit: int = MAX_SEGMENT_CHARS, overlap: int = PIECE_OVERLAP) -> list[Segment]:
    """Cut a long segment so that no NLP call sees more than `limit` characters; pieces overlap."""
    if segment.detections is not None or len(segment.text) <= limit:
        return [segment]
    origin, written = segment.origin, segment.written
    if origin is None and segment.line is not None:  # offsets relative to the segment: map the pieces
        origin, written = TextMap(array("q", range(len(segment.text))),
                                  array("q", range(1, len(segment.text) + 1))), segment.text
    pieces = []
    for lo, hi in _cuts(segment.text, limit, overlap):
        if origin is None:
            pieces.append(replace(segment, text=segment.text[lo:hi], offset=segment.offset + lo))
        else:
            pieces.append(replace(segment, text=segment.text[lo:hi], origin=origin.piece(lo, hi), written=written))
    return pieces


def without_repeats(findings: list[Finding]) -> list[Finding]:
    """Findings once each: overlapping pieces find the same identifier twice, and a piece that ends inside
    an identifier may find part of it (dropped where a finding of the same rule covers it, as severe)."""
    ordered = sorted(findings, key=lambda f: (f.segment, f.offsets, f.line, f.rule, f.start, -f.end, -f.severity))
    kept: list[Finding] = []
    for f in ordered:
        last = kept[-1] if kept else None
        if (last is not None and (last.segment, last.offsets, last.line, last.rule) == (f.segment, f.offsets,
                f.line, f.rule) and last.start <= f.start and f.end <= last.end and f.severity <= last.severity):
            continue
        kept.append(f)
    return kept


ONCE_PER_FILE = frozenset({"LANGUAGE_UNCHECKED"})


def once_per_file(findings: list[Finding]) -> list[Finding]:
    """Findings that describe the file (a language not checked) are reported once, at the first."""
    first: dict[str, Finding] = {}
    for f in findings:
        if f.entity in ONCE_PER_FILE and (f.entity not in first or
                                          (f.line, f.column) < (first[f.entity].line, first[f.entity].column)):
            first[f.entity] = f
    return [f for f in findings if f.entity not in ONCE_PER_FILE or first[f.entity] is f]


def with_file_match(finding: Finding, text: str) -> Finding:
    """The match as the file has it (markup blanked or decoded inside a span is put back)."""
    original = text[finding.start:finding.end]
    if original == finding.match:
        return finding
    return replace(finding, match=original, fingerprint=fingerprint(finding.rule, finding.path, original))


def _file_error(exc: Exception, stage: str) -> str:
    """A file's error: our own errors say what to do (a corrupt image, a rule's regex that timed out); any
    other exception is an internal error of `stage`, named without its text (it may quote the file)."""
    return str(exc) if isinstance(exc, PhiguardError) else internal_error(stage)


class Scanner:
    def __init__(self, model: str = DEFAULT_MODEL, rules: list[Rule] | None = None,
                 options: SourceOptions | None = None, languages: tuple[tuple[str, str], ...] = ()) -> None:
        self.model = model
        self.languages = languages  # (language code, spaCy model) for paragraphs in other languages
        self.options = options or SourceOptions()
        self.rules = rules if rules is not None else load_dir(shipped_rules_dir())
        self.policy = Policy(self.rules)
        self._detector = None

    @property
    def detector(self):
        if self._detector is None:
            from .detection.engine import shared_detector

            self._detector = shared_detector(self.model, tuple(p for r in self.rules for p in r.patterns),
                                             self.languages)
        return self._detector

    def load(self) -> None:
        """Load the model now (so that model errors surface before any output)."""
        self.detector  # noqa: B018

    def scan(self, sources: Iterable[Source]) -> Iterator[FileReport]:
        """One report per source, in input order, streaming through one `nlp.pipe`."""
        pending: deque[list] = deque()  # [report, line index, segments still out, text, hits]

        def segments() -> Iterator[Segment]:
            for source in sources:
                report = FileReport(source.path, error=source.error)
                pieces, lines, hits = self._prepared(source, report)
                pending.append([report, lines, len(pieces), source.text or "", hits])
                yield from pieces

        def finished() -> Iterator[FileReport]:
            while pending and pending[0][2] == 0:
                report, _, _, text, hits = pending.popleft()
                try:
                    self._finish(report, text, hits)
                except Exception as exc:  # noqa: BLE001 - this file's error, not the run's
                    report.error = report.error or _file_error(exc, "policy")
                yield report

        for segment, detections in self.detector.detect(segments()):
            yield from finished()
            entry = pending[0]
            entry[2] -= 1
            if entry[0].error:
                continue
            if isinstance(detections, Exception):
                entry[0].error = _file_error(detections, "detector")
                continue
            try:
                findings, hits = self.policy.evaluate(segment, detections, entry[1])
            except Exception as exc:  # noqa: BLE001
                entry[0].error = _file_error(exc, "policy")
                continue
            if segment.kind in SLUG_KINDS:
                findings = [f for f in findings if f.identifier in SLUG_IDENTIFIERS]
                hits = [(h, f) for h, f in hits if f.identifier in SLUG_IDENTIFIERS]
            entry[0].findings.extend(findings)
            entry[4].extend(hits)
        yield from finished()

    def _prepared(self, source: Source, report: FileReport) -> tuple[list[Segment], LineIndex | None, list]:
        """The pieces of a file that need the NLP, its line index, and what its already identified segments
        hold (found by policy at once). A file that fails here gets its error and no pieces."""
        if source.text is None:
            return [], None, []
        try:
            extracted = extract(source.path, source.text, self.options, source.data)
            named = file_name_segment(source.path)
            extracted += [named] if named else []
        except Exception as exc:  # noqa: BLE001 - this file's error, not the run's
            report.error = _file_error(exc, reader_name(source.path))
            return [], None, []
        try:
            lines = LineIndex(source.text)
            hits: list = []
            for s in extracted:  # what a source already identified needs no NLP
                if s.detections is not None:
                    found, seg_hits = self.policy.evaluate(s, list(s.detections), lines)
                    report.findings.extend(found)
                    hits.extend(seg_hits)
            return [p for s in extracted if s.detections is None for p in split_long(for_detection(s))], lines, hits
        except Exception as exc:  # noqa: BLE001
            report.error = _file_error(exc, "policy")
            return [], None, []

    def _finish(self, report: FileReport, text: str, hits: list) -> None:
        """The file's findings once all its segments are judged: file-wide rules, repeats, order, lines."""
        report.findings = once_per_file(without_repeats([
            with_file_match(f, text) if f.offsets == "file" else f
            for f in self.policy.finish_file(report.findings, hits, text)]))
        report.findings.sort(key=lambda f: (f.line, f.column, f.segment, f.start, f.end, f.rule))
        all_lines = text.split("\n") if report.findings else []
        report.lines = {n: all_lines[n - 1] for f in report.findings for n in range(f.line, f.end_line + 1)}

    def scan_text(self, text: str, path: str = "<text>") -> list[Finding]:
        return next(self.scan([Source(path, text)])).findings
