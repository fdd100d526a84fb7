"""The scan pipeline: sources → segments → detection (batched) → policy → findings, per file."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .detection.model import DEFAULT_MODEL
from .discover import Source
from .errors import InputError
from .findings import Finding, Segment
from .policy.engine import Policy
from .policy.rules import Rule, load_dir, shipped_rules_dir
from .positions import LineIndex
from .sources import extract
from .sources.options import SourceOptions

MAX_SEGMENT_CHARS = 20_000  # far below spaCy's max_length; see detection.engine.BATCH_CHARS


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    lines: dict[int, str] = field(default_factory=dict)  # text of the lines that have findings


def split_long(segment: Segment, limit: int = MAX_SEGMENT_CHARS) -> list[Segment]:
    """Cut a long segment at whitespace so that no NLP call sees more than `limit` characters."""
    if segment.detections is not None or segment.line is not None:
        return [segment]  # offsets relative to the segment: keep it whole
    pieces, text, base = [], segment.text, 0
    while len(text) - base > limit:
        cut = max(text.rfind("\n", base, base + limit), text.rfind(" ", base, base + limit))
        cut = cut + 1 if cut > base else base + limit
        pieces.append(Segment(segment.path, segment.kind, text[base:cut], segment.offset + base))
        base = cut
    pieces.append(Segment(segment.path, segment.kind, text[base:], segment.offset + base))
    return pieces if len(pieces) > 1 else [segment]


def with_file_match(finding: Finding, text: str) -> Finding:
    """The match as the file has it: markup blanked inside a span ("**John** Smith") is put back."""
    original = text[finding.start:finding.end]
    if original != finding.match and len(original) == len(finding.match) and all(
            a == b or a == " " for a, b in zip(finding.match, original)):
        return replace(finding, match=original)
    return finding


class Scanner:
    def __init__(self, model: str = DEFAULT_MODEL, rules: list[Rule] | None = None,
                 options: SourceOptions | None = None) -> None:
        self.model = model
        self.options = options or SourceOptions()
        self.rules = rules if rules is not None else load_dir(shipped_rules_dir())
        self.policy = Policy(self.rules)
        self._detector = None

    @property
    def detector(self):
        if self._detector is None:
            from .detection.engine import shared_detector

            self._detector = shared_detector(self.model)
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
                if source.text is None:
                    pending.append([report, None, 0, "", []])
                    continue
                try:
                    extracted = extract(source.path, source.text, self.options, source.data)
                except InputError as exc:
                    report.error = str(exc)
                    pending.append([report, None, 0, "", []])
                    continue
                lines = LineIndex(source.text)
                hits: list = []
                for s in extracted:  # what a source already identified needs no NLP
                    if s.detections is not None:
                        found, seg_hits = self.policy.evaluate(s, list(s.detections), lines)
                        report.findings.extend(found)
                        hits.extend(seg_hits)
                pieces = [p for s in extracted if s.detections is None for p in split_long(s)]
                pending.append([report, lines, len(pieces), source.text, hits])
                yield from pieces

        def finished() -> Iterator[FileReport]:
            while pending and pending[0][2] == 0:
                report, _, _, text, hits = pending.popleft()
                report.findings = [with_file_match(f, text) if f.offsets == "file" else f
                                   for f in self.policy.finish_file(report.findings, hits)]
                report.findings.sort(key=lambda f: (f.line, f.column, f.segment, f.start, f.end, f.rule))
                all_lines = text.split("\n") if report.findings else []
                report.lines = {n: all_lines[n - 1] for f in report.findings
                                for n in range(f.line, f.end_line + 1)}
                yield report

        for segment, detections in self.detector.detect(segments()):
            yield from finished()
            entry = pending[0]
            findings, hits = self.policy.evaluate(segment, detections, entry[1])
            entry[0].findings.extend(findings)
            entry[4].extend(hits)
            entry[2] -= 1
        yield from finished()

    def scan_text(self, text: str, path: str = "<text>") -> list[Finding]:
        return next(self.scan([Source(path, text)])).findings
