"""Turn detector hits into findings: which rule, how severe in context, one finding per span."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from ..findings import OTHER_LANGUAGE, Detection, Finding, Segment, Severity, fingerprint
from ..positions import LineIndex, Paragraphs
from ..safe_regex import Pattern
from .filters import FILTERS
from .mentions import align_severities, repeated_mentions
from .rules import Rule, check_references


_NAME_ENTITIES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})  # what another language's words look like
CONDUCT = "conduct"  # the identifier of the conduct pack's rules (professional conduct, not PHI)


@dataclass
class Hit:
    """A candidate finding while the policy works on it."""

    rule: Rule
    start: int
    end: int
    score: float
    entity: str
    recognizer: str
    severity: Severity
    notes: tuple[str, ...] = ()
    dropped: bool = False


def _passes_filters(rule: Rule, text: str, start: int, end: int) -> bool:
    return all(FILTERS[f](text, start, end) for f in rule.filters)


def _shift(severity: Severity, step: int) -> Severity:
    return Severity(min(Severity.HIGH, max(Severity.LOW, severity + step)))


def _act(ctx: Rule, hit: Hit) -> None:
    """What a context rule that matched does to a hit, with its message as a note."""
    if ctx.action == "drop":
        hit.dropped = True
    elif ctx.action == "escalate":
        hit.severity = _shift(hit.severity, +1)
    elif ctx.action == "downgrade":
        hit.severity = _shift(hit.severity, -1)
    else:
        hit.severity = Severity.parse(ctx.action)
    if ctx.message:
        hit.notes += (ctx.message,)


class Policy:
    def __init__(self, rules: list[Rule]) -> None:
        check_references(rules)
        self.rules = [r for r in rules if r.enabled]
        self._by_entity: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.kind in ("entity", "image"):
                for entity in rule.entities:
                    self._by_entity.setdefault(entity, []).append(rule)
        self._text_rules = [r for r in self.rules if r.kind in ("pattern", "terms")]
        self._context_rules = sorted((r for r in self.rules if r.kind == "context" and r.scope != "file"),
                                     key=lambda r: (bool(r.unless_found), r.id))
        self._file_contexts = sorted((r for r in self.rules if r.kind == "context" and r.scope == "file"),
                                     key=lambda r: r.id)
        self._combinations = [r for r in self.rules if r.kind == "combination"]
        self._paragraph_combinations = any(c.scope == "paragraph" for c in self._combinations)

    # -- hits -------------------------------------------------------------------------------------
    def _entity_hits(self, text: str, detections: list[Detection]) -> list[Hit]:
        hits = []
        for d in detections:
            for rule in self._by_entity.get(d.entity, ()):
                if d.score >= rule.min_confidence and _passes_filters(rule, text, d.start, d.end):
                    hits.append(Hit(rule, d.start, d.end, d.score, d.entity, d.recognizer, rule.severity,
                                    notes=(d.note,) if d.note else ()))
                    break
        return hits

    def _text_hits(self, text: str) -> list[Hit]:
        hits = []
        for rule in self._text_rules:
            for m in rule.pattern.finditer(text):
                group = "match" if "match" in m.re.groupindex and m.group("match") is not None else 0
                start, end = m.span(group)
                if end > start and _passes_filters(rule, text, start, end):
                    hits.append(Hit(rule, start, end, rule.confidence, rule.entities[0], f"rule:{rule.id}",
                                    rule.severity))
        return hits

    # -- context ----------------------------------------------------------------------------------
    @staticmethod
    def _context_matches(ctx: Rule, text: str, hit: Hit, in_region: Callable[[Pattern], bool]) -> bool:
        """`segment` and `unless` look at the rule's scope (segment or paragraph); before/after/near are
        alternatives nearby."""
        if ctx.unless and in_region(ctx.unless):
            return False
        if ctx.segment and not in_region(ctx.segment):
            return False
        before = text[max(0, hit.start - ctx.window):hit.start]
        after = text[hit.end:hit.end + ctx.window]
        local = []
        if ctx.before:
            local.append(ctx.before.search(before))
        if ctx.after:
            local.append(ctx.after.search(after))
        if ctx.near:
            local.append(ctx.near.search(before) or ctx.near.search(after))
        return any(local) if local else True

    def _apply_context(self, text: str, paragraphs: Paragraphs, hits: list[Hit]) -> None:
        searched: dict[tuple[str, int, int, int], bool] = {}  # rules share cues: one search per pattern and region

        for ctx in self._context_rules:  # rules with `unless_found` last: they see what the others decided
            if len(paragraphs) < ctx.min_paragraphs:
                continue
            found = [h.start for h in hits
                     if not h.dropped and h.rule.id in ctx.unless_found and h.severity >= Severity.MEDIUM]
            for hit in hits:
                if hit.dropped or hit.rule.id not in ctx.applies_to or not _passes_filters(ctx, text, hit.start,
                                                                                             hit.end):
                    continue
                lo, hi = paragraphs.around(hit.start) if ctx.scope == "paragraph" else (0, len(text))
                if found and any(lo <= start < hi for start in found):
                    continue

                def in_region(pattern: Pattern, lo: int = lo, hi: int = hi) -> bool:
                    key = (pattern.source, pattern.compiled.flags, lo, hi)
                    if key not in searched:
                        searched[key] = pattern.search(text[lo:hi]) is not None
                    return searched[key]

                if self._context_matches(ctx, text, hit, in_region):
                    _act(ctx, hit)

    # -- merge and combine ------------------------------------------------------------------------
    @staticmethod
    def _merge(hits: list[Hit]) -> list[Hit]:
        """Overlapping hits become one: the most severe, then longest, then ours (cue-aware), then most
        confident."""
        ordered = sorted(hits, key=lambda h: (-h.severity, h.start - h.end,
                                              not h.recognizer.startswith(("phiguard:", "rule:")), -h.score,
                                              h.start))
        kept: list[Hit] = []
        for hit in ordered:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        return kept

    def combine(self, hits: list[Hit], scope: str) -> list[Hit]:
        """Combination rules: quasi-identifiers that together identify a patient.

        The reportable hits that take part are raised to the rule's severity (with its message as a note);
        where none is reportable, a new hit is returned, anchored at the first one.
        """
        new = []
        for combo in self._combinations:
            if combo.scope != scope:
                continue
            matched = [next((h for h in hits if h.rule.id in signal), None) for signal in combo.signals]
            present = [h for h in matched if h is not None]
            if len(present) < combo.min_signals or any(m is None for m in matched[:combo.required_signals]):
                continue
            reportable = [h for h in present if h.rule.report]
            for hit in reportable:
                if hit.severity < combo.severity:
                    hit.severity = combo.severity
                    hit.notes += (combo.message,)
            if not reportable:
                anchor = min(present, key=lambda h: h.start)
                new.append(Hit(combo, anchor.start, anchor.end, min(h.score for h in present), "COMBINATION",
                               f"rule:{combo.id}", combo.severity))
        return new

    def _file_context(self, text: str, hits: list[Hit]) -> None:
        """File-scope context rules: their `segment` and `unless` look at the whole file's text."""
        words = None
        for ctx in self._file_contexts:
            if ctx.min_words:
                words = len(text.split()) if words is None else words
                if words < ctx.min_words:
                    continue
            if (ctx.unless and ctx.unless.search(text)) or (ctx.segment and not ctx.segment.search(text)):
                continue
            for hit in hits:
                if hit.rule.id in ctx.applies_to:
                    _act(ctx, hit)

    def finish_file(self, findings: list[Finding], pairs: list[tuple[Hit, Finding]], text: str = "") -> list[Finding]:
        """Apply file-scope context and combination rules to a whole file's findings."""
        if not self._file_contexts and not any(c.scope == "file" for c in self._combinations):
            return findings
        before = {id(h): (h.severity, h.notes) for h, _ in pairs}
        added = self.combine([h for h, _ in pairs], "file")
        self._file_context(text, [h for h, _ in pairs] + added)  # last: it judges the whole file
        changed = {}
        for hit, finding in pairs:
            if (hit.severity, hit.notes) != before[id(hit)]:
                changed[id(finding)] = dataclasses.replace(
                    finding, severity=hit.severity, message=self.message(hit))
        result = [changed.get(id(f), f) for f in findings]
        for hit in added:
            anchor = next(f for h, f in pairs if h.start == hit.start and h.end == hit.end)
            result.append(dataclasses.replace(
                anchor, rule=hit.rule.id, entity=hit.entity, identifier=hit.rule.identifier,
                severity=hit.severity, confidence=hit.score, message=self.message(hit),
                fingerprint=fingerprint(hit.rule.id, anchor.path, anchor.match)))
        return result

    @staticmethod
    def message(hit: Hit) -> str:
        return hit.rule.message + (f" ({'; '.join(hit.notes)})" if hit.notes else "")

    def evaluate(self, segment: Segment, detections: list[Detection], lines: LineIndex
                 ) -> tuple[list[Finding], list[tuple[Hit, Finding]]]:
        """Findings to report for one segment, and every live hit (signals too) for file-scope rules."""
        text = segment.text
        foreign = [(d.start, d.end) for d in detections if d.entity == OTHER_LANGUAGE]
        hits = self._entity_hits(text, detections) + [
            h for h in self._text_hits(text)
            if not (h.entity in _NAME_ENTITIES and any(lo <= h.start < hi for lo, hi in foreign))]
        paragraphs = Paragraphs(text)
        self._apply_context(text, paragraphs, hits)
        live = [h for h in hits if not h.dropped]
        live += repeated_mentions(text, live, _passes_filters)
        align_severities(text, live)
        # Conduct findings judge the wording, PHI findings the identifiers: each merges only with its own kind.
        reported = self._merge([h for h in live if h.rule.report and h.rule.identifier != CONDUCT]) + \
            self._merge([h for h in live if h.rule.report and h.rule.identifier == CONDUCT])
        signals = reported + [h for h in live if not h.rule.report]
        reported += self.combine(signals, "segment")
        if self._paragraph_combinations:
            by_paragraph: dict[tuple[int, int], list[Hit]] = {}
            for h in signals:
                by_paragraph.setdefault(paragraphs.around(h.start), []).append(h)
            for _, group in sorted(by_paragraph.items()):
                reported += self.combine(group, "paragraph")
        findings = {id(h): self.to_finding(segment, h, lines) for h in reported}
        every = [(h, findings.get(id(h)) or self.to_finding(segment, h, lines)) for h in signals]
        return list(findings.values()), every

    @staticmethod
    def to_finding(segment: Segment, hit: Hit, lines: LineIndex) -> Finding:
        lo, hi = hit.start, hit.end
        match = segment.text[lo:hi]
        if segment.origin is not None:  # decoded or normalised text: point at the characters as written
            lo, hi = segment.origin.span(lo, hi)
            match = segment.written[lo:hi]
        start, end = segment.offset + lo, segment.offset + hi
        if segment.line is None:
            line, column = lines.position(start)
            end_line, end_column = lines.position(end)
        else:  # text not in the file: point at the line it belongs to
            line, column, end_line, end_column = segment.line, 1, segment.line, 1
        message = Policy.message(hit)
        return Finding(
            path=segment.path, start=start, end=end, line=line, column=column, end_line=end_line,
            end_column=end_column, segment=segment.kind, rule=hit.rule.id, entity=hit.entity,
            identifier=hit.rule.identifier, severity=hit.severity, confidence=hit.score, message=message,
            match=match, fingerprint=fingerprint(hit.rule.id, segment.path, match),
            offsets="file" if segment.line is None else "segment",
        )
