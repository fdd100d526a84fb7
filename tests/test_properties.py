"""Property-based: for any generated document, readers keep offsets exact and findings point at the file.

To cover a new reader, add its suffix to READERS with a strategy of its fragments.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from phiguard.discover import Source
from phiguard.sources import extract

PHI = ["John Smith", "Jane Doe", "MRN 4471129", "(555) 201-3344", "93-year-old", "Springfield, IL 62704",
       "jane@example.org", "https://example.org/p/1", "March 3, 2024", "room 12B", "SSN 536-22-8736"]
PROSE = ["Our patient", "went home today.", "Thanks team!", "\n", "\n\n", "  ", "\t", "é", "日本", "\r\n", "😀"]
MARKDOWN = ["# ", "> ", "- ", "**", "_", "`", "![", "](img.png \"", "\")", "[link](http://x.org 'title')",
            "<!-- ", " -->", "<img alt=\"", "\">", "---\n", "title: ", "[", "]", "("]
HTML = ["<p>", "</p>", "<img alt='", "'>", "<meta name=\"description\" content=\"", "\">", "<script>",
        "</script>", "<!--", "-->", "<b title=\"", "\">", "&amp;", "<"]

fragments = st.sampled_from(PHI + PROSE) | st.text(max_size=8)
READERS = {
    ".txt": fragments,
    ".md": fragments | st.sampled_from(MARKDOWN),
    ".html": fragments | st.sampled_from(HTML),
}
documents = st.sampled_from(sorted(READERS)).flatmap(
    lambda suffix: st.tuples(st.just(suffix), st.lists(READERS[suffix], max_size=25).map(" ".join)))
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@FAST
@given(documents)
def test_segments_are_the_file_text_at_their_offsets(document):
    suffix, text = document
    for seg in extract(f"post{suffix}", text):
        if seg.origin is not None:  # decoded (entities, tags removed): each character maps into the file
            assert seg.offset == 0 and len(seg.written) == len(text)
            for i, ch in enumerate(seg.text):
                lo, hi = seg.origin.span(i, i + 1)
                assert 0 <= lo <= hi <= len(text)
                if hi - lo == 1 and seg.written[lo] == ch:
                    assert ch in (text[lo], " "), seg.kind
            continue
        assert 0 <= seg.offset and seg.offset + len(seg.text) <= len(text)
        original = text[seg.offset:seg.offset + len(seg.text)]
        # Markup is blanked to spaces (newlines kept); every other character is the file's own.
        assert all(a == b or (a == " " and b != "\n") for a, b in zip(seg.text, original)), seg.kind


@FAST
@given(documents)
@example((".md", "Our patient **John** Smith went home."))  # markup inside a match
@example((".html", "Call <b>Jane</b> Doe today."))
def test_findings_point_at_the_match_in_the_file(scanner, document):
    suffix, text = document
    report = next(scanner.scan([Source(f"post{suffix}", text)]))
    assert report.error is None
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.match
        assert (f.line, f.column) == _line_col(text, f.start)
        assert (f.end_line, f.end_column) == _line_col(text, f.end)


# Hostile markup as content repositories hold it: every reader must read it without raising (an InputError,
# a file that cannot be checked, is the only allowed exception) and every segment must map back into the file.
TAGS = ["<br/>", "<br />", "<img src=\"a.png\" alt=\"x\"/>", "<Card title=\"Team\" />", "<path d=\"M0 0h24\"/>",
        "<svg>", "</svg>", "<text>", "</text>", "<title>", "<?xml version=\"1.0\"?>", "<?php echo 1 ?>",
        "<!DOCTYPE html>", "<![CDATA[", "]]>", "<a href='", "' data-x=\"", "\">", "<p class=x>", "</p>", "<",
        ">", "/>", "&nbsp;", "&#x41;", "&#65", "&bogus;", "&", "\"", "'", "`", "=", "{{ .Title }}",
        "{% include x.html %}", "{{< img src=\"a.png\" >}}", "{{< /note >}}", "{{% note %}}", "{#", "#}",
        "import Card from \"./Card\"", "export const x = 1", "<script type=\"application/ld+json\">",
        "</script>", "\\u0040", "\\ud83d\\ude0a", "\\ud83d", "\ud83d", "\udc80", '<img srcset=", a.jpg" src=" ,x.jpg">',
        '<img srcset="a.jpg 1x, uploads/b-4471129.jpg 2x">', '<a href="/p/mrn-4471129.html">', "![x](<a b.png>)",
        "[x](uploads/mrn-4471129.pdf)"]
FRONT_MATTER = ["---\n", "title: ", "date: 2024-01-02\n", "authors: [a, b]\n", "tags:\n  - x\n", "  ", ": ",
                "\"", "'", "|\n", ">\n", "&anchor ", "*anchor", "!!str ", "{", "}", "[", "]", "- "]
CAPTIONS = ["WEBVTT\n\n", "1\n", "00:00:01,000 --> 00:00:02,000\n", "00:01.000 --> 00:02.000 align:start\n",
            "NOTE ", "<v Dana>", "</v>", "<c.yellow>", "&amp;", "\n\n", "2\n"]
EXPORT = ["{", "}", "[", "]", ",", ":", "\"", "\"message\"", "\"altText\"", "\"id\"", "1", "true", "null",
          "\"\\ud83d\\ude0a\"", "\"\\u0040\"", "\n", "message,caption\n", "a,\"b,c\"\n", "\"\"", "- ", "key: "]
hostile = st.sampled_from(PHI + PROSE) | st.sampled_from(TAGS) | st.text(max_size=6)
HOSTILE = {
    ".md": hostile | st.sampled_from(FRONT_MATTER),
    ".mdx": hostile | st.sampled_from(FRONT_MATTER),
    ".html": hostile,
    ".svg": hostile,
    ".srt": hostile | st.sampled_from(CAPTIONS),
    ".vtt": hostile | st.sampled_from(CAPTIONS),
    ".json": hostile | st.sampled_from(EXPORT),
    ".jsonl": hostile | st.sampled_from(EXPORT),
    ".csv": hostile | st.sampled_from(EXPORT),
    ".yaml": hostile | st.sampled_from(EXPORT + FRONT_MATTER),
}
hostile_documents = st.sampled_from(sorted(HOSTILE)).flatmap(
    lambda suffix: st.tuples(st.just(suffix), st.lists(HOSTILE[suffix], max_size=30).map("".join)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_documents)
@example((".md", "Great day on 4 West!<br/>\nSee you."))
@example((".svg", '<svg><path d="M0 0h24v24H0z"/></svg>'))
@example((".json", '[{"message": "So proud \\ud83d\\ude0a"}]'))
def test_readers_never_raise_and_segments_map_into_the_file(document):
    from phiguard.errors import InputError

    suffix, text = document
    try:
        found = extract(f"post{suffix}", text)
    except InputError:
        return  # a file that cannot be checked (invalid JSON...): reported as that file's error
    lines = text.count("\n") + 1
    for seg in found:
        if seg.origin is not None:  # each character maps into the file
            assert len(seg.written) == len(text), seg.kind
            for i in range(len(seg.text)):
                lo, hi = seg.origin.span(i, i + 1)
                assert 0 <= lo <= hi <= len(text), seg.kind
        elif seg.line is not None:  # offsets within the segment: its line is one of the file's
            assert 1 <= seg.line <= lines, seg.kind
        else:
            assert 0 <= seg.offset and seg.offset + len(seg.text) <= len(text), seg.kind
