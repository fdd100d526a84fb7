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
