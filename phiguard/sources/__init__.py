"""Turn a file's text into the segments that get published."""
from __future__ import annotations

import os
import re
from pathlib import PurePath
from typing import Callable

from ..findings import Segment
from . import exports, html, images, markdown, plain, subtitles
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


# What a slug can identify on its own: numbers and addresses of people, not names, places or dates (lower-case
# slug words read as names or streets would block "week-12" and "new-building").
FILE_NAME_IDENTIFIERS = frozenset({"ssn", "phone", "fax", "email", "mrn", "health_plan", "account", "license",
                                   "vehicle", "device", "ip"})  # not dates: a slug's date is when it was posted
FILE_NAME_MIN_DIGITS = 7  # the fewest digits of a phone, SSN or record number
_SLUG_BREAK = re.compile(r"(?<!\d)[-_.+~]+|[-_.+~]+(?!\d)|[_.+~]+")


def file_name_segment(path: str) -> Segment | None:
    """A post's file name as its URL slug publishes it ("mrn-4471129-discharge.md" reads "mrn 4471129 discharge").
    Words stay as written: read as title case, every slug ("new-building") would look like a name or place."""
    if path.startswith("<") or PurePath(path).suffix.lower() not in TEXT_SUFFIXES:
        return None  # stdin; photos ("IMG_2031.jpg") and exports are not published under their names
    name = os.fsencode(PurePath(path).name).decode("utf-8", "replace")  # bytes that are not UTF-8: U+FFFD
    stem = name.split(".")[0]
    words = _SLUG_BREAK.sub(" ", stem).split()
    text = " ".join(words)
    if "@" not in text and sum(c.isdigit() for c in text) < FILE_NAME_MIN_DIGITS:
        return None  # "post-00012", "week-3": no identifier a slug can carry without context
    return Segment(path, "file-name", text, line=1)


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
