"""Turn a file's text into the segments that get published."""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable

from ..findings import Segment
from . import html, markdown, plain

Extractor = Callable[[str, str], list[Segment]]

EXTRACTORS: dict[str, Extractor] = {
    ".txt": plain.segments,
    ".text": plain.segments,
    ".md": markdown.segments,
    ".markdown": markdown.segments,
    ".html": html.segments,
    ".htm": html.segments,
}

TEXT_SUFFIXES = frozenset(EXTRACTORS)


def extract(path: str, text: str) -> list[Segment]:
    """Segments of a file; unknown suffixes (and stdin) are read as plain text."""
    suffix = PurePath(path).suffix.lower()
    return EXTRACTORS.get(suffix, plain.segments)(path, text)
