"""Names that are published as words: a post's file name (its URL slug) and the paths of the images and pages
it links to ("john-smith-mrn-4471129.png" reads "john smith mrn 4471129")."""
from __future__ import annotations

import os
import re
from pathlib import PurePath
from urllib.parse import unquote, urlsplit

from ..findings import Segment

# What a slug can identify on its own: numbers and addresses of people, not names, places or dates (lower-case
# slug words read as names or streets would block "week-12" and "new-building").
SLUG_IDENTIFIERS = frozenset({"ssn", "phone", "fax", "email", "mrn", "health_plan", "account", "license",
                              "vehicle", "device", "ip"})  # not dates: a slug's date is when it was posted
SLUG_KINDS = frozenset({"file-name", "link-path"})
MIN_DIGITS = 7  # the fewest digits of a phone, SSN or record number
_BREAK = re.compile(r"(?<!\d)[-_.+~]+|[-_.+~]+(?!\d)|[_.+~]+")


def words(name: str) -> str | None:
    """A file or path name as its words, or None when it holds no identifier a slug can carry."""
    text = " ".join(_BREAK.sub(" ", name).split())
    if "@" not in text and sum(c.isdigit() for c in text) < MIN_DIGITS:
        return None  # "post-00012", "week-3", "IMG_2031": no identifier a slug can carry without context
    return text


def file_name_segment(path: str) -> Segment | None:
    """A post's file name as its URL slug publishes it. Words stay as written: read as title case, every slug
    ("new-building") would look like a name or place."""
    name = os.fsencode(PurePath(path).name).decode("utf-8", "replace")  # bytes that are not UTF-8: U+FFFD
    text = words(PurePath(name).stem)  # "draft.mrn-4471129.md": every dot-separated part but the suffix
    return Segment(path, "file-name", text, line=1) if text else None


def link_path_segment(path: str, url: str, line: int) -> Segment | None:
    """The path of a linked image or page (`![x-ray](uploads/JohnSmith_MRN4471129.png)`, `<img src=...>`),
    whose words are published in the link; the host and the file's extension are left out."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme and parts.scheme not in ("http", "https", "ftp", "file"):
        return None  # mailto:, tel: and data: are read as text where they stand
    stem = unquote(parts.path)
    suffix = PurePath(stem).suffix
    if 1 < len(suffix) <= 5 and suffix[1:].isalnum():
        stem = stem[: -len(suffix)]
    text = words(" ".join(p for p in stem.split("/") if p) + " " + unquote(parts.query))
    return Segment(path, "link-path", text, line=line) if text else None
