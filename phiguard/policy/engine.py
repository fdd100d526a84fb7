"""Turn detector hits into findings: which rule, how severe, one finding per span."""
from __future__ import annotations

from ..findings import Detection, Finding, Segment, fingerprint
from ..positions import LineIndex
from .filters import FILTERS
from .rules import Rule


class Policy:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = [r for r in rules if r.enabled]
        self._by_entity: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for entity in rule.entities:
                self._by_entity.setdefault(entity, []).append(rule)

    @property
    def entities(self) -> set[str]:
        return set(self._by_entity)

    def _rule_for(self, text: str, detection: Detection) -> Rule | None:
        for rule in self._by_entity.get(detection.entity, ()):
            if detection.score >= rule.min_confidence and all(FILTERS[f](text) for f in rule.filters):
                return rule
        return None

    def evaluate(self, segment: Segment, detections: list[Detection], lines: LineIndex) -> list[Finding]:
        candidates = []
        for d in detections:
            text = segment.text[d.start:d.end]
            rule = self._rule_for(text, d)
            if rule is not None:
                candidates.append((rule, d, text))
        # Overlapping hits become one finding: the most severe, then longest, then most confident.
        candidates.sort(key=lambda c: (-c[0].severity, c[1].start - c[1].end, -c[1].score, c[1].start))
        kept: list[tuple[Rule, Detection, str]] = []
        for cand in candidates:
            d = cand[1]
            if all(d.end <= k[1].start or d.start >= k[1].end for k in kept):
                kept.append(cand)
        findings = []
        for rule, d, text in sorted(kept, key=lambda c: (c[1].start, c[1].end)):
            start, end = segment.offset + d.start, segment.offset + d.end
            if segment.line is None:
                line, column = lines.position(start)
                end_line, end_column = lines.position(end)
            else:  # text not in the file: point at the line it belongs to
                line, column, end_line, end_column = segment.line, 1, segment.line, 1
            findings.append(Finding(
                path=segment.path, start=start, end=end, line=line, column=column, end_line=end_line,
                end_column=end_column, segment=segment.kind, rule=rule.id, entity=d.entity,
                identifier=rule.identifier, severity=rule.severity, confidence=d.score,
                message=rule.message, match=text, fingerprint=fingerprint(rule.id, segment.path, text),
                offsets="file" if segment.line is None else "segment",
            ))
        return findings
