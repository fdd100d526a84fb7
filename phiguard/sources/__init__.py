"""Turn a file's text into the segments that get published."""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable

from ..findings import Segment
from . import exports, html, images, markdown, plain, slugs, subtitles
from .options import SourceOptions

Extractor = Callable[[str, str], list[Segment]]

EXTRACTORS: dict[str, Extractor] = {
    ".txt": plain.segments,
    ".text": plain.segments,
    ".md": markdown.segments,
    ".markdown": markdown.segments,
    ".html": html.segments,
    ".htm": html.segments,
    ".svg": html.segments,   # its <text> and <title>
    ".mdx": markdown.segments,
    ".rst": plain.segments,
    ".srt": subtitles.segments,
    ".vtt": subtitles.segments,
}

TEXT_SUFFIXES = frozenset(EXTRACTORS)
IMAGE_SUFFIXES = images.SUFFIXES            # read as bytes
EXPORT_SUFFIXES = exports.SUFFIXES          # scheduled-post exports: one segment per text field
WALKED_SUFFIXES = TEXT_SUFFIXES | IMAGE_SUFFIXES | exports.WALKED_SUFFIXES


def file_name_segment(path: str) -> Segment | None:
    """A post's file name as its URL slug publishes it; stdin, photos ("IMG_2031.jpg") and exports are not
    published under their names."""
    if path.startswith("<") or PurePath(path).suffix.lower() not in TEXT_SUFFIXES:
        return None
    return slugs.file_name_segment(path)


READER_NAMES = {".md": "Markdown", ".markdown": "Markdown", ".mdx": "MDX", ".html": "HTML", ".htm": "HTML",
                ".svg": "SVG", ".srt": "subtitle", ".vtt": "subtitle"}


def reader_name(path: str) -> str:
    """The reader a file goes through, as an error names it ("HTML reader")."""
    suffix = PurePath(path).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image reader"
    if suffix in EXPORT_SUFFIXES:
        return "export reader"
    return f"{READER_NAMES.get(suffix, 'text')} reader"


def extract(path: str, text: str, options: SourceOptions | None = None, data: bytes | None = None,
            ) -> list[Segment]:
    """Segments of a file; unknown suffixes (and stdin) are read as plain text.

    Raises InputError for a file that cannot be checked (a corrupt image, invalid JSON).
    """
    options = options or SourceOptions()
    suffix = PurePath(path).suffix.lower()
    if suffix in IMAGE_SUFFIXES and data is not None:
        return images.segments(path, data, options)
    if suffix in EXPORT_SUFFIXES:
        return exports.segments(path, text, options.fields)
    return EXTRACTORS.get(suffix, plain.segments)(path, text)
