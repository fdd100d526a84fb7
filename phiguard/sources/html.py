"""HTML: the text a reader sees, and what a crawler reads besides (attributes, comments, scripts' strings).

Read with the standard library's HTML parser. Entities are decoded and inline tags removed, so that
`John&nbsp;Smith` and `123-45-<b>6789</b>` read as written for a reader; findings point at the file.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..findings import Segment
from ..positions import LineIndex
from ..textmap import TextBuilder
from .slugs import link_path_segment

# Elements that start a new block: text on either side of them does not run together.
BLOCKS = frozenset("""address article aside blockquote body br caption dd details dialog div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html iframe legend li main nav ol option p pre
section select summary table tbody td textarea tfoot th thead title tr ul video audio""".split())
# Attributes that never hold prose: layout, geometry, behaviour flags.
NON_TEXT_ATTRS = frozenset("""class id style width height lang dir target rel role tabindex type charset
http-equiv crossorigin integrity loading decoding sizes media method for colspan rowspan align valign border
cellpadding cellspacing viewbox d fill stroke stroke-width stroke-linecap stroke-linejoin transform x y x1 x2
y1 y2 cx cy r rx ry points version preserveaspectratio fill-rule clip-rule opacity offset stop-color
font-size font-family font-weight text-anchor dx dy async defer hidden checked selected disabled readonly
required autoplay controls loop muted nonce referrerpolicy enctype accept autocomplete spellcheck draggable
translate contenteditable""".split())
# Attribute names used as segment kinds; others are named generically (an attribute name can be data).
NAMED_ATTRS = frozenset("""alt title aria-label aria-description href src srcset poster cite action value
placeholder content label summary name data""".split())
LINKED_PATH_ATTRS = frozenset({"src", "srcset", "poster", "data-src", "data-srcset", "href"})
META_NAMES = frozenset({"description", "og:description", "og:title", "twitter:description", "twitter:title"})
# A name starts only after a separator (each run is tried once: linear on hostile text).
_ATTR = re.compile(
    r"""(?<![^\s"'>/=])(?P<name>[^\s"'>/=]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",
)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# String literals and comments of a script or style block; group 1 is what they say.
_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`|//([^\n]*)|/\*(.*?)\*/""",
                     re.S)
_TAG_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_DIRECTIVE = re.compile(r"\s*phiguard:")
_MARKDOWN_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def decode(out: TextBuilder, written: str, start: int, end: int, markdown: bool = False) -> None:
    """written[start:end] with its entities decoded (and, for Markdown, backslash escapes removed)."""
    at = start
    marks = [(m.start(), m.end(), html.unescape(m.group())) for m in _ENTITY.finditer(written, start, end)]
    if markdown:
        marks += [(m.start(), m.end() + 1, None) for m in _MARKDOWN_ESCAPE.finditer(written, start, end)
                  if m.end() < end]
    for lo, hi, plain in sorted(marks):
        if lo < at:
            continue
        out.copy(written, at, lo)
        if plain is None:  # "\-": the escaped character as written
            out.copy(written, lo + 1, hi)
        else:
            out.put(plain, lo, hi)
        at = hi
    out.copy(written, at, end)


def _built(path: str, kind: str, out: TextBuilder, written: str, start: int, end: int) -> Segment | None:
    """What `out` built from written[start:end]: the text at its offset when nothing was decoded, else mapped."""
    text = out.text()
    if not text.strip():
        return None
    if out.is_identity(written[start:end]):
        return Segment(path, kind, written[start:end], start)
    return Segment(path, kind, text, origin=out.map(), written=written)


def decoded_segment(path: str, kind: str, written: str, start: int, end: int) -> Segment | None:
    out = TextBuilder()
    decode(out, written, start, end)
    return _built(path, kind, out, written, start, end)


def _attr_kind(name: str) -> str:
    if name.startswith("data-"):
        return "data-attribute"
    if name.startswith("aria-"):
        return "aria-label" if name == "aria-label" else "aria-attribute"
    return name if name in NAMED_ATTRS else "attribute"


def attribute_segments(path: str, written: str, tag: str, tag_offset: int, lines: LineIndex) -> list[Segment]:
    """Segments for the attributes of one tag that can hold text (alt, title, href, data-*, value...)."""
    attrs = {}
    for m in _ATTR.finditer(tag):
        group = next(g for g in ("dq", "sq", "bare") if m.group(g) is not None)
        attrs.setdefault(m.group("name").lower(), (tag_offset + m.start(group), tag_offset + m.end(group)))
    meta = tag[1:5].lower() == "meta"
    meta_name = ""
    if meta:
        lo, hi = attrs.get("name") or attrs.get("property") or (0, 0)
        meta_name = written[lo:hi].lower()
    found = []
    for name, (lo, hi) in attrs.items():
        if name in NON_TEXT_ATTRS or name.startswith(("xmlns", "on")):
            continue
        kind = f"meta:{meta_name}" if meta and name == "content" and meta_name in META_NAMES else _attr_kind(name)
        segment = decoded_segment(path, kind, written, lo, hi)
        if segment is not None:
            found.append(segment)
        if name in LINKED_PATH_ATTRS:  # the path of the image or page is published with it
            line = lines.position(lo)[0]
            for url in _urls(name, html.unescape(written[lo:hi])):
                linked = link_path_segment(path, url, line)
                found.extend([linked] if linked else [])
    return found


def _urls(name: str, value: str) -> list[str]:
    """The URLs of an attribute: each candidate of a srcset ("a.jpg 1x, b.jpg 2x"), else the whole value."""
    if not name.endswith("srcset"):
        return [value.strip()] if value.strip() else []
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def _tag_words(path: str, written: str, tag: str, tag_offset: int) -> Segment | None:
    """What a tag holds besides its name and name=value attributes ("<ninety percent. Our patient ...>"
    reads as one long tag to a browser): scanned, unless it is only flags such as `disabled`."""
    chars = list(tag)
    name = re.match(r"</?[^\s/>]*", tag)
    for m in [*([name] if name else []), *_ATTR.finditer(tag)]:
        chars[m.start():m.end()] = ["\n" if ch == "\n" else " " for ch in tag[m.start():m.end()]]  # lines kept
    words = "".join(chars).strip(" \t\r\n/>")
    if not words or all(w.lower() in NON_TEXT_ATTRS for w in words.split()):
        return None
    return Segment(path, "tag-text", "".join(chars), tag_offset)


# A number assigned to a name outside strings ("phone: 6175550142", "ssn = 123456789"): kept with its name.
_ASSIGNED_NUMBER = re.compile(r"""(?:(?<![\w$.])[A-Za-z_$][\w$]*|"[\w$ -]{1,40}"|'[\w$ -]{1,40}')"""
                              r"\s*[:=]\s*\+?\d[\d().\s-]{5,}\d(?![\w.])")
_JS_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([^ux]))")


def _put_unescaped(out: TextBuilder, written: str, start: int, end: int) -> None:
    """A string literal's text with its escapes decoded ("jsmith\\u0040gmail.com" reads as an email)."""
    at = start
    for m in _JS_ESCAPE.finditer(written, start, end):
        out.copy(written, at, m.start())
        code = m.group(1) or m.group(2)
        if code:
            out.put(chr(int(code, 16)), m.start(), m.end())
        else:
            out.put(" " if m.group(3) in "nrt" else m.group(3), m.start(), m.end())
        at = m.end()
    out.copy(written, at, end)


def _script_strings(path: str, kind: str, written: str, start: int, end: int) -> Segment | None:
    """A script or style block's strings and comments (JSON-LD values, JS strings, escapes decoded) and numbers
    assigned to a name; the rest of the code blanked."""
    kept = [(m.start(g), m.end(g), True) for m in _STRING.finditer(written, start, end)
            for g in [next(g for g in range(1, 6) if m.group(g) is not None)]]
    kept += [(m.start(), m.end(), False) for m in _ASSIGNED_NUMBER.finditer(written, start, end)
             if not any(lo <= m.start() < hi for lo, hi, _ in kept)]
    out, at = TextBuilder(), start
    for lo, hi, literal in sorted(kept):
        if lo < at:
            continue
        out.blank(written, at, lo)
        if literal:
            _put_unescaped(out, written, lo, hi)
        else:
            out.copy(written, lo, hi)
        at = hi
    out.blank(written, at, end)
    text = out.text()
    if not text.strip():
        return None
    if out.in_place(start):
        return Segment(path, kind, text, start)  # nothing decoded: the blanked code at its offset
    return Segment(path, kind, text, origin=out.map(), written=written)


class _Reader(HTMLParser):
    """Collects (offset, event, value) in document order; the end of an event is the next one's offset."""

    def __init__(self, lines: LineIndex) -> None:
        super().__init__(convert_charrefs=False)
        self._lines = lines
        self.events: list[tuple[int, str, str]] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self._lines.offset(line, column)

    def handle_starttag(self, tag, attrs):
        self.events.append((self._at(), "start", tag))

    def handle_endtag(self, tag):
        self.events.append((self._at(), "end", tag))

    def handle_startendtag(self, tag, attrs):  # <br/>, <path .../>: the tag spans its own text
        start = self._at()
        self.events.append((start, "start", tag))
        self.events.append((start + len(self.get_starttag_text() or ""), "end", tag))

    def handle_data(self, data):
        self.events.append((self._at(), "data", data))

    def handle_entityref(self, name):
        self.events.append((self._at(), "entity", name))

    def handle_charref(self, name):
        self.events.append((self._at(), "entity", name))

    def handle_comment(self, data):
        self.events.append((self._at(), "comment", data))

    def handle_decl(self, decl):
        self.events.append((self._at(), "declaration", decl))

    def handle_pi(self, data):
        self.events.append((self._at(), "pi", data))

    def unknown_decl(self, data):
        self.events.append((self._at(), "data", data))


def read(path: str, written: str, markdown: bool = False) -> list[Segment]:
    """The visible text as one "body" segment, then attributes, comments and scripts' strings."""
    lines = LineIndex(written)
    reader = _Reader(lines)
    reader.feed(written)
    reader.close()
    events = reader.events + [(len(written), "eof", "")]
    body, found = TextBuilder(), []
    raw_text = None  # inside <script> or <style>: their text is not shown
    for (start, event, value), (end, _, _) in zip(events, events[1:]):
        if event == "start" and not _TAG_NAME.match(value):  # "<john@x.org>", "<tel:...>": not a tag
            event = "data"
        if event == "pi" and not written[start:end].endswith("?>"):  # "<?" with no "?>": text (CommonMark)
            event = "data"
        if event == "data" and raw_text:
            segment = _script_strings(path, raw_text, written, start, end)
        elif event in ("data", "entity"):
            decode(body, written, start, end, markdown)
            continue
        elif event == "start":
            segment = None
            found.extend(attribute_segments(path, written, written[start:end], start, lines))
            words = _tag_words(path, written, written[start:end], start)
            found.extend([words] if words else [])
            raw_text = value if value in ("script", "style") else raw_text
            if value in BLOCKS:
                body.put("\n", start, end)
        elif event == "end":
            segment, raw_text = None, None if value == raw_text else raw_text
            if value in BLOCKS:
                body.put("\n", start, end)
        elif event == "comment" and not _DIRECTIVE.match(value):
            segment = decoded_segment(path, "comment", written, start + 4, start + 4 + len(value))
        elif event in ("pi", "declaration"):  # <?...?>, <!DOCTYPE ...>: in the page's source like a comment
            segment = decoded_segment(path, "comment", written, start + 2, start + 2 + len(value))
        else:
            segment = None
        if segment is not None:
            found.append(segment)
    segment = _built(path, "body", body, written, 0, len(written))
    return [segment, *found] if segment else found


def segments(path: str, text: str) -> list[Segment]:
    return read(path, text)
