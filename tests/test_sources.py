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


def test_front_matter_as_static_sites_read_it():
    """A repeated key is read, every value of it scanned; a bare publication date is the page's own."""
    text = ("---\ntitle: Flu shots\ntitle: Maria Lopez went home\ndate: 2025-10-15\nlastmod: 2025-10-16T09:30:00Z\n"
            "updated: discharged 2025-10-15\nevents:\n  date: 2025-10-15\n---\nBody.\n")
    texts = [s.text for s in _segments("post.md", text) if s.kind.startswith("front-matter")]
    assert "Flu shots" in texts and "Maria Lopez went home" in texts
    assert "discharged 2025-10-15" in texts and texts.count("2025-10-15") == 1  # only the nested one
    assert "2025-10-16T09:30:00Z" not in texts


def test_repeated_front_matter_keys_never_abort_the_run(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\ntitle: B\n---\nGet your flu shot.\n")
    (tmp_path / "b.md").write_text("---\ntitle: C\ntitle: D\nphiguard-authorization: {reference: X1, expires: 2030-01-01}\n"
                                   "phiguard-authorization: {reference: X2, expires: 2030-01-01}\n---\nHi.\n")
    result = run_cli("scan", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--format", "text")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "duplicate key 'phiguard-authorization'" in result.output and "a.md" not in result.stderr
