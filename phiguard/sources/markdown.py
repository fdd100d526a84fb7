"""Markdown: body, image alt text, link titles, YAML front matter values."""
from __future__ import annotations

import re

import yaml

from ..findings import Segment
from ..positions import LineIndex
from .blanking import blank
from . import html
from .slugs import link_path_segment

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_TITLE = r"""(?:\s+(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|\((?P<pt>[^)]*)\)))?"""
_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]]*)\](?:\(\s*(?P<dest><[^<>]*>|[^\s()\[\]<]*)" + _TITLE + r"\s*\)|\[[^\]]*\])?")
# Markup that confuses the NER model ("# Stay safe" reads as a name): headings, quotes, bullets, emphasis.
_SYNTAX = re.compile(r"^[ \t]{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])(?=[ \t])|\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)|`+", re.M)
_FLOW = re.compile(r"[\[\]{}]")
# Front-matter keys that name a segment's kind; other keys can be data and stay unnamed.
FRONT_MATTER_FIELDS = frozenset("""title description summary excerpt tags categories author authors caption alt
image name location date subtitle keywords""".split())
# A static site's own timestamps (Jekyll, Hugo, Eleventy): a bare date under one of these keys is when the
# page was published, not a patient's date. Any other value under them is scanned as usual.
PUBLICATION_DATE_KEYS = frozenset("date lastmod publishdate expirydate published updated modified pubdate".split())
_BARE_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)?)?")
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_FLOW_DEPTH = 64
# CommonMark autolinks: a URI with a scheme, or an email address, in angle brackets.
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+"
                       r"(?:\.[A-Za-z0-9-]+)*)>")
_LINK_TITLE = re.compile(r"(?<!!)\[[^\[\]]*\]\(\s*(?P<dest><[^<>]*>|[^\s()\[\]<]*)" + _TITLE + r"\s*\)")


def _title_group(m: re.Match) -> str | None:
    return next((g for g in ("dq", "sq", "pt") if m.group(g) is not None), None)


def _too_complex(source: str) -> bool:
    """Front matter that PyYAML would take quadratic time or deep recursion over."""
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return True
    depth = 0
    for m in _FLOW.finditer(source):
        depth = depth + 1 if m.group() in "[{" else max(0, depth - 1)
        if depth > MAX_FLOW_DEPTH:
            return True
    return False


def compose_front_matter(source: str) -> yaml.Node | None:
    """Front matter as YAML nodes; None when it is invalid or too complex to parse safely."""
    if _too_complex(source):
        return None
    try:
        return yaml.compose(source, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _front_matter(path: str, text: str, start: int, end: int) -> list[Segment]:
    """One segment per scalar value, at its exact offset in the file (else all of it as one segment)."""
    source = text[start:end]
    whole = [Segment(path, "front-matter", source, start)] if source.strip() else []
    root = compose_front_matter(source)
    if root is None:  # invalid or too deeply nested: scan it as text
        return whole
    found: list[Segment] = []
    seen: set[int] = set()  # aliases share nodes: visit each once (no billion laughs, no cycles)

    def kind(key: str) -> str:
        name = key.rsplit(".", 1)[-1].casefold()
        return f"front-matter:{name}" if name in FRONT_MATTER_FIELDS else "front-matter"

    def walk(node: yaml.Node, key: str) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:  # keys are text too ("John Smith: ..."), and are not named in `kind`
                walk(k, key)
                walk(v, f"{key}.{k.value}" if key and isinstance(k, yaml.ScalarNode) else str(k.value))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, key)
        elif isinstance(node, yaml.ScalarNode) and node.value.strip():
            if key.casefold() in PUBLICATION_DATE_KEYS and _BARE_TIMESTAMP.fullmatch(node.value.strip()):
                return
            lo, hi = node.start_mark.index, node.end_mark.index
            raw = source[lo:hi]
            if raw == node.value:
                found.append(Segment(path, kind(key), node.value, start + lo))
            elif raw[1:-1] == node.value:
                found.append(Segment(path, kind(key), node.value, start + lo + 1))
            else:  # block or escaped scalar: scan its source text, offsets stay exact
                found.append(Segment(path, kind(key), raw, start + lo))

    if root is not None:
        try:
            walk(root, "")
        except RecursionError:
            return whole
    return found


def _linked_path(path: str, m: re.Match, lines: LineIndex) -> list[Segment]:
    """The path of the image or page a link shows, published with it, as slug words."""
    linked = link_path_segment(path, m.group("dest").strip("<>"), lines.position(m.start())[0]) \
        if m.group("dest") else None
    return [linked] if linked else []


def segments(path: str, text: str) -> list[Segment]:
    chars = list(text)
    lines = LineIndex(text if "](" in text else "")  # lines are needed only for links' paths
    found: list[Segment] = []
    fm = _FRONT_MATTER.match(text)
    if fm:
        if fm.group(1):
            found.extend(_front_matter(path, text, fm.start(1), fm.end(1)))
        blank(chars, 0, fm.end())
    for m in _IMAGE.finditer("".join(chars)):
        if m.group("alt").strip():
            found.append(Segment(path, "alt", m.group("alt"), m.start("alt")))
        title = _title_group(m)
        if title and m.group(title).strip():
            found.append(Segment(path, "title", m.group(title), m.start(title)))
        found.extend(_linked_path(path, m, lines))
        blank(chars, m.start(), m.end())
    for m in _LINK_TITLE.finditer("".join(chars)):
        found.extend(_linked_path(path, m, lines))
        title = _title_group(m)
        if title:
            if m.group(title).strip():
                found.append(Segment(path, "title", m.group(title), m.start(title)))
            blank(chars, m.start(title) - 1, m.end(title) + 1)
    for m in _AUTOLINK.finditer("".join(chars)):  # <john@example.org>, <tel:...>: shown as their text
        blank(chars, m.start(), m.start() + 1)
        blank(chars, m.end() - 1, m.end())
    for m in _SYNTAX.finditer("".join(chars)):
        blank(chars, m.start(), m.end())
    return html.read(path, "".join(chars), markdown=True) + found
