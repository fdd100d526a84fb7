"""Overlap scoring of predicted spans against gold spans, per document and per corpus.

A gold span is recalled when any prediction overlaps it; a prediction is correct when it overlaps
any gold span. Predictions on `non_phi_spans` or on nothing are false positives. A document is
blocked when it has at least one prediction.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .corpus import LABELS, Document, Span


@dataclass(frozen=True)
class Prediction:
    """A blocking finding: `kind` is the phiguard rule or the Presidio entity type."""

    start: int
    end: int
    kind: str


def overlaps(a: Span | Prediction, b: Span | Prediction) -> bool:
    return a.start < b.end and b.start < a.end


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Scores:
    recalled_by_label: Counter = field(default_factory=Counter)
    gold_by_label: Counter = field(default_factory=Counter)
    findings: int = 0
    correct_findings: int = 0
    findings_on_non_phi: int = 0  # false positives that overlap a non-PHI annotation
    false_positives_by_kind: Counter = field(default_factory=Counter)
    phi_docs: int = 0
    phi_docs_blocked: int = 0
    clean_docs: int = 0
    clean_docs_passed: int = 0

    @property
    def gold_spans(self) -> int:
        return sum(self.gold_by_label.values())

    @property
    def recalled_spans(self) -> int:
        return sum(self.recalled_by_label.values())

    @property
    def recall(self) -> float | None:
        return _ratio(self.recalled_spans, self.gold_spans)

    def label_recall(self, label: str) -> float | None:
        return _ratio(self.recalled_by_label[label], self.gold_by_label[label])

    @property
    def precision(self) -> float | None:
        return _ratio(self.correct_findings, self.findings)

    def add(self, doc: Document, predictions: Sequence[Prediction]) -> None:
        predictions = [p for p in predictions if not any(overlaps(p, span) for span in doc.ignored_spans)]
        for span in doc.spans:
            self.gold_by_label[span.label] += 1
            if any(overlaps(span, p) for p in predictions):
                self.recalled_by_label[span.label] += 1
        for p in predictions:
            self.findings += 1
            if any(overlaps(p, span) for span in doc.spans):
                self.correct_findings += 1
            else:
                self.false_positives_by_kind[p.kind] += 1
                if any(overlaps(p, span) for span in doc.non_phi_spans):
                    self.findings_on_non_phi += 1
        if not doc.scored:
            return
        if doc.has_phi:
            self.phi_docs += 1
            self.phi_docs_blocked += bool(predictions)
        else:
            self.clean_docs += 1
            self.clean_docs_passed += not predictions

    def to_dict(self) -> dict:
        labels = [label for label in LABELS if self.gold_by_label[label]]
        labels += sorted(set(self.gold_by_label) - set(LABELS))
        return {
            "span_recall": self.recall,
            "gold_spans": self.gold_spans,
            "recalled_spans": self.recalled_spans,
            "recall_by_label": {
                label: {"recall": self.label_recall(label), "recalled": self.recalled_by_label[label],
                        "gold": self.gold_by_label[label]}
                for label in labels
            },
            "finding_precision": self.precision,
            "findings": self.findings,
            "correct_findings": self.correct_findings,
            "false_positives_on_non_phi_spans": self.findings_on_non_phi,
            "false_positives_by_kind": dict(self.false_positives_by_kind.most_common()),
            "phi_docs": self.phi_docs,
            "phi_docs_blocked": self.phi_docs_blocked,
            "clean_docs": self.clean_docs,
            "clean_docs_passed": self.clean_docs_passed,
        }


def score(docs: Iterable[Document], predictions: Iterable[Sequence[Prediction]]) -> Scores:
    """Scores of one system on one corpus; `predictions` is parallel to `docs`."""
    scores = Scores()
    for doc, preds in zip(docs, predictions, strict=True):
        scores.add(doc, preds)
    return scores


def errors(docs: Iterable[Document], predictions: Iterable[Sequence[Prediction]]) -> Iterator[dict]:
    """False negatives and false positives with their text, for development only."""
    for doc, preds in zip(docs, predictions, strict=True):
        for span in doc.spans:
            if not any(overlaps(span, p) for p in preds):
                yield {"doc": doc.id, "error": "false_negative", "label": span.label,
                       "start": span.start, "end": span.end, "text": doc.text[span.start:span.end]}
        for p in preds:
            if not any(overlaps(p, span) for span in doc.spans):
                yield {"doc": doc.id, "error": "false_positive", "kind": p.kind,
                       "start": p.start, "end": p.end, "text": doc.text[p.start:p.end]}
