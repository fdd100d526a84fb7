"""Annotated corpora: one JSON document per line, gold PHI spans as character offsets."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CORPORA = ("social_posts.dev2", "social_posts.dev", "longform.dev", "clinical_queries.dev", "presidio_synth", "wnut17")
LABELS = ("NAME", "DATE", "AGE", "LOCATION", "PHONE", "EMAIL", "ID", "URL", "OTHER")


def default_corpora_dir() -> Path:
    """The shared corpora next to the repository: <repo>/../shared/corpora."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    source_label: str = ""


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    spans: tuple[Span, ...]
    non_phi_spans: tuple[Span, ...] = ()
    ignored_spans: tuple[Span, ...] = ()  # not scored: a finding on one is neither right nor wrong

    @property
    def has_phi(self) -> bool:
        return bool(self.spans)

    @property
    def scored(self) -> bool:
        """Whether the document counts as blocked/passed: not when all its gold spans are ignored."""
        return bool(self.spans) or not self.ignored_spans


def _spans(raw: list[dict] | None) -> tuple[Span, ...]:
    return tuple(Span(int(s["start"]), int(s["end"]), str(s.get("label", "")), str(s.get("source_label", "")))
                 for s in raw or ())


def parse(line: str) -> Document:
    obj = json.loads(line)
    return Document(str(obj["id"]), obj["text"], _spans(obj.get("spans")), _spans(obj.get("non_phi_spans")))


def load(path: Path, limit: int | None = None) -> list[Document]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(docs) >= limit:
                break
            if line.strip():
                docs.append(parse(line))
    return docs
