"""Turn a file's text into the segments that get published."""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable

from ..findings import Segment
from . import exports, html, images, markdown, plain
from .options import SourceOptions

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
IMAGE_SUFFIXES = images.SUFFIXES            # read as bytes
EXPORT_SUFFIXES = exports.SUFFIXES          # scheduled-post exports: one segment per text field
WALKED_SUFFIXES = TEXT_SUFFIXES | IMAGE_SUFFIXES | exports.WALKED_SUFFIXES


def extract(path: str, text: str, options: SourceOptions = SourceOptions(), data: bytes | None = None,
            ) -> list[Segment]:
    """Segments of a file; unknown suffixes (and stdin) are read as plain text.

    Raises InputError for a file that cannot be checked (a corrupt image, invalid JSON).
    """
    suffix = PurePath(path).suffix.lower()
    if suffix in IMAGE_SUFFIXES and data is not None:
        return images.segments(path, data, options)
    if suffix in EXPORT_SUFFIXES:
        try:
            return exports.segments(path, text, options.fields)
        except exports.NoPostFields:
            if options.fields:  # the user named fields that are not there
                raise
            return plain.segments(path, text)  # not a post export (a config file): checked as text
    return EXTRACTORS.get(suffix, plain.segments)(path, text)
