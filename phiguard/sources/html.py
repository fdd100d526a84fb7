"""HTML: visible text, plus alt/title attributes and meta descriptions."""
from __future__ import annotations

import re

from ..findings import Segment
from .blanking import blank

_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_TAG = re.compile(r"<[!/?]?[A-Za-z][^>]*>?")
_ATTR = re.compile(
    r"""(?<![\w:-])(?P<name>[\w:-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",
)
_PUBLISHED_ATTRS = {"alt", "title", "aria-label"}
_META_NAMES = {"description", "og:description", "og:title", "twitter:description", "twitter:title"}


def attribute_segments(path: str, tag: str, tag_offset: int) -> list[Segment]:
    """Segments for the published attributes of one tag (alt, title, meta content)."""
    attrs = {}
    for m in _ATTR.finditer(tag):
        group = next(g for g in ("dq", "sq", "bare") if m.group(g) is not None)
        attrs[m.group("name").lower()] = (m.group(group), tag_offset + m.start(group))
    found = []
    for name, (value, offset) in attrs.items():
        if name in _PUBLISHED_ATTRS and value.strip():
            found.append(Segment(path, name, value, offset))
    meta_name = (attrs.get("name") or attrs.get("property") or ("", 0))[0].lower()
    if tag[1:5].lower() == "meta" and meta_name in _META_NAMES and "content" in attrs:
        value, offset = attrs["content"]
        if value.strip():
            found.append(Segment(path, f"meta:{meta_name}", value, offset))
    return found


def segments(path: str, text: str) -> list[Segment]:
    chars = list(text)
    found: list[Segment] = []
    for m in _HIDDEN.finditer(text):
        blank(chars, m.start(), m.end())
    visible = "".join(chars)
    for m in _TAG.finditer(visible):
        found.extend(attribute_segments(path, m.group(), m.start()))
        blank(chars, m.start(), m.end())
    body = "".join(chars)
    if body.strip():
        found.insert(0, Segment(path, "body", body))
    return found
