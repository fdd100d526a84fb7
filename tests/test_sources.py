"""Text extraction: every segment's text sits at its offset in the file, or maps back to it."""
from __future__ import annotations

from phiguard.sources import extract


def _segments(path, text):
    segs = extract(path, text)
    for s in segs:
        if s.origin is None:
            written = text[s.offset:s.offset + len(s.text)]
            assert len(written) == len(s.text) and all(c in (w, " ") for c, w in zip(s.text, written)), s
            continue
        assert len(s.written) == len(text) and s.offset == 0  # the file's text, markup blanked at most
        for i, ch in enumerate(s.text):
            lo, hi = s.origin.span(i, i + 1)
            if hi - lo == 1 and s.written[lo] == ch:  # copied, not decoded: the file's character or a blank
                assert ch in (text[lo], " "), (s.kind, i)
    return segs


def _kinds(segs):
    return {s.kind: s.text for s in segs}


def test_plain_text_is_one_body_segment():
    assert _kinds(_segments("a.txt", "Hello there.\n")) == {"body": "Hello there.\n"}


def test_empty_text_has_no_segments():
    assert _segments("a.txt", "  \n") == []


MD = """---
title: Discharge day
author: "Jane Roe"
tags: [recovery, Boston]
summary: |
  Met Tom Fay at 4 West.
---
# Heading

Body text with a [link](https://example.org "Link Title Here") and
![Alt text for Tom](photo.jpg "Image Title") and <img alt="inline alt" src="x.png">.
<!-- hidden comment Tom Fay -->
"""


def test_markdown_front_matter_alt_titles_and_body():
    segs = _segments("a.md", MD)
    kinds = _kinds(segs)
    assert kinds["front-matter:title"] == "Discharge day"
    assert kinds["front-matter:author"] == "Jane Roe"
    assert "Tom Fay" in kinds["front-matter:summary"]
    assert any(s.kind == "front-matter:tags" and s.text == "Boston" for s in segs)
    assert sorted(s.text for s in segs if s.kind == "alt") == ["Alt text for Tom", "inline alt"]
    titles = sorted(s.text for s in segs if s.kind == "title")
    assert titles == ["Image Title", "Link Title Here"]
    body = kinds["body"]
    assert "Body text with a" in body and "https://example.org" in body
    assert "Discharge day" not in body  # front matter is its own segment
    assert "Alt text for Tom" not in body and "Link Title Here" not in body
    assert "hidden comment" not in body and "Tom Fay" in kinds["comment"]  # read, apart from the body
    assert "#" not in body  # heading markers confuse the NER model


HTML = """<html><head><title>Ward news</title><style>.x{color:red}</style>
<meta name="description" content="Story of Ann Lee"><script>var name="Ann Lee";</script></head>
<body><p>Hello <b>Ann</b> Lee.</p><img src="a.jpg" alt="Ann at discharge" title="Room 12">
<figure><figcaption>Ann with her son</figcaption></figure><!-- secret --></body></html>"""


def test_html_visible_text_attributes_and_meta():
    segs = _segments("a.html", HTML)
    kinds = _kinds(segs)
    body = kinds["body"]
    assert "Hello Ann Lee." in body  # inline tags removed; findings still point at the file
    assert "Ann with her son" in body and "Ward news" in body
    assert "color:red" not in body and "var name" not in body and "secret" not in body
    assert "Ann Lee" in kinds["script"] and "var" not in kinds["script"]  # its strings, not its code
    assert kinds["comment"].strip() == "secret"
    assert kinds["alt"] == "Ann at discharge"
    assert kinds["title"] == "Room 12"
    assert kinds["meta:description"] == "Story of Ann Lee"


def test_unknown_suffix_is_plain_text():
    assert _kinds(_segments("notes.log", "Call me")) == {"body": "Call me"}
