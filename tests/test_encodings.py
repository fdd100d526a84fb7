"""However a post is encoded, the identifiers in it are found, and findings point at them as written.

Markup (HTML and Markdown read as a reader or a crawler sees them), Unicode format characters and
compatibility forms, long segments cut into overlapping pieces, and runs that spaCy tokenizes slowly.
"""
from __future__ import annotations

import html as html_lib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phiguard.discover import Source
from phiguard.findings import Segment, Severity
from phiguard.normalize import CUT_EVERY, LONG_RUN, normalize
from phiguard.scanner import MAX_SEGMENT_CHARS, split_long

# Synthetic identifiers and the rule that must block each.
IDENTIFIERS = {
    "ssn": "SSN 536-22-8736",
    "phone-number": "call her daughter at 617-555-0142",
    "email-address": "write to d.okafor@example.org",
    "medical-record-number": "MRN 4471129",
}
NAME_POST = "Our patient {} went home today after three weeks with us."


def _blocking(scanner, path: str, text: str):
    report = next(scanner.scan([Source(path, text)]))
    assert report.error is None
    for f in report.findings:  # wherever the text came from, the finding points at the file's characters
        if f.offsets == "file":
            assert text[f.start:f.end] == f.match
    return [f for f in report.findings if f.severity >= Severity.MEDIUM]


def _rules(findings) -> set[str]:
    return {f.rule for f in findings}


# -- Unicode ---------------------------------------------------------------------------------------
def _between_chars(mark: str):
    return lambda s: mark.join(s)


def _digits(zero: int):
    return lambda s: "".join(chr(zero + int(c)) if c.isdigit() else c for c in s)


def _reversed_override(s: str) -> str:  # shown left to right, stored right to left
    return "\u202e" + s[::-1] + "\u202c"


UNICODE = {
    "soft-hyphens": _between_chars("\u00ad"),
    "zero-width-spaces": _between_chars("\u200b"),
    "word-joiners": _between_chars("\u2060"),
    "bidi-marks": _between_chars("\u200e"),
    "full-width-digits": _digits(0xFF10),
    "math-bold-digits": _digits(0x1D7CE),
    "arabic-indic-digits": _digits(0x0660),
    "en-dashes": lambda s: s.replace("-", "\u2013"),
    "non-breaking-hyphens": lambda s: s.replace("-", "\u2011"),
    "full-width-at": lambda s: s.replace("@", "\uff20"),
    "no-break-spaces": lambda s: s.replace(" ", "\u00a0"),
    "right-to-left-override": _reversed_override,
}


@pytest.mark.parametrize("encode", UNICODE.values(), ids=UNICODE.keys())
@pytest.mark.parametrize("rule", IDENTIFIERS, ids=IDENTIFIERS.keys())
def test_identifiers_written_with_unicode_tricks_are_found(scanner, rule, encode):
    value = IDENTIFIERS[rule]
    keep, _, tail = value.rpartition(" ")
    text = f"Update from the ward: {keep} {encode(tail)}.\n"
    assert rule in _rules(_blocking(scanner, "post.txt", text))


NAME_TRICKS = {
    "soft-hyphens": "Dan\u00adiel Oka\u00adfor",
    "zero-width-joiners": "Dan\u200diel Oka\u200dfor",
    "combining-marks": "Da\u0301niel Oka\u0308for",
    "capitals": "DANIEL OKAFOR",
    "right-to-left-override": _reversed_override("Daniel Okafor"),
    "full-width-letters": "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in "Daniel Okafor"),
}


@pytest.mark.parametrize("name", NAME_TRICKS.values(), ids=NAME_TRICKS.keys())
def test_names_written_with_unicode_tricks_are_found(scanner, name):
    text = NAME_POST.format(name) + "\n"
    found = [f for f in _blocking(scanner, "post.txt", text) if f.rule == "person-name"]
    assert found and found[0].match in name and len(found[0].match) >= len(name) - 2


def test_normalised_text_maps_back_to_the_characters_as_written():
    written = "SSN 536\u200b-22-\u00ad8736 for Jo\u0301hn"
    text, mapping = normalize(written)
    assert text == "SSN 536-22-8736 for John"
    lo, hi = mapping.span(text.index("536"), text.index("8736") + 4)
    assert written[lo:hi] == "536\u200b-22-\u00ad8736"


def test_plain_ascii_needs_no_work():
    assert normalize("Flu shots today in the lobby, 9-5. #PublicHealth") is None


# -- markup ----------------------------------------------------------------------------------------
HTML_TRICKS = {
    "numeric-entities": lambda v: "<p>Update: " + "".join(f"&#{ord(c)};" for c in v) + "</p>",
    "named-entities": lambda v: "<p>Update:&nbsp;" + v.replace(" ", "&nbsp;").replace("-", "&#x2d;") + "</p>",
    "tag-inside": lambda v: f"<p>Update: {v[:-3]}<b>{v[-3:]}</b></p>",
    "span-per-character": lambda v: "<p>Update: " + "".join(f"<span>{c}</span>" for c in v) + "</p>",
    "data-attribute": lambda v: f'<img src="ward.jpg" data-caption="Update: {v}"><p>Great day.</p>',
    "input-value": lambda v: f'<form><input value="{v}"></form><p>Great day.</p>',
    "placeholder": lambda v: f'<input placeholder="{v}"><p>Great day.</p>',
    "json-ld": lambda v: '<script type="application/ld+json">{"description": "' + v + '"}</script><p>Hi</p>',
    "comment": lambda v: f"<p>Great day.</p><!-- Update: {v} -->",
    "stray-less-than": lambda v: f"<p>sats were <ninety today. Update: {v}</p>",
    "unknown-element": lambda v: f"<p>Great day.</p><style-note>Update: {v}</style-note>",
    "empty-comment": lambda v: f"<p>Great day.</p><!--> Update: {v}",
}


@pytest.mark.parametrize("encode", HTML_TRICKS.values(), ids=HTML_TRICKS.keys())
@pytest.mark.parametrize("rule", IDENTIFIERS, ids=IDENTIFIERS.keys())
def test_identifiers_in_html_are_found(scanner, rule, encode):
    assert rule in _rules(_blocking(scanner, "post.html", encode(IDENTIFIERS[rule]) + "\n"))


@pytest.mark.parametrize("href,rule", [("mailto:d.okafor@example.org", "email-address"),
                                       ("tel:617-555-0142", "phone-number")], ids=["mailto", "tel"])
def test_link_targets_are_read(scanner, href, rule):
    text = f'<p>Great day on the ward. <a href="{href}">Get in touch</a></p>\n'
    assert rule in _rules(_blocking(scanner, "post.html", text))


def _autolink(value: str) -> str:
    """An autolink is shown as its text: "<tel:617-...>", "<d.okafor@example.org>"; others sit beside one."""
    cue, _, tail = value.rpartition(" ")
    if cue.startswith(("call", "write")):
        return f"Update: {cue} <{'tel:' if cue.startswith('call') else ''}{tail}>"
    return f"Forms at <https://example.org/forms>. Update: {value} <https://example.org/help>"


MARKDOWN_TRICKS = {
    "stray-less-than": lambda v: f"Her sats were <ninety percent. Update: {v}",
    "unknown-element": lambda v: f"Great day.\n\n<style-note>Update: {v}</style-note>",
    "empty-comment": lambda v: f"Great day. <!--> Update: {v}",
    "backslash-escapes": lambda v: "Update: " + v.replace("-", "\\-").replace(".", "\\."),
    "autolink": lambda v: _autolink(v),
    "emphasis": lambda v: f"Update: **{v}**",
    "entities": lambda v: "Update: " + v.replace(" ", "&nbsp;"),
}


@pytest.mark.parametrize("encode", MARKDOWN_TRICKS.values(), ids=MARKDOWN_TRICKS.keys())
@pytest.mark.parametrize("rule", IDENTIFIERS, ids=IDENTIFIERS.keys())
def test_identifiers_in_markdown_are_found(scanner, rule, encode):
    assert rule in _rules(_blocking(scanner, "post.md", encode(IDENTIFIERS[rule]) + "\n"))


def test_names_split_by_inline_tags_are_found(scanner):
    text = "<p>" + NAME_POST.format("<b>Dan</b>iel <i>Okafor</i>") + "</p>\n"
    assert "person-name" in _rules(_blocking(scanner, "post.html", text))


def test_a_clean_page_with_links_and_scripts_passes(scanner):
    text = ('<html><head><title>Flu clinic</title><style>p { color: #336699 }</style>'
            '<script>var shown = true;</script></head><body><h1>Flu shots</h1>'
            '<p>Walk-in flu shots this week in the main lobby.</p><!-- layout v2 --></body></html>\n')
    assert _blocking(scanner, "post.html", text) == []


# -- long segments ---------------------------------------------------------------------------------
@pytest.mark.parametrize("before_cut", [3, 6, 9, 12])
def test_an_identifier_across_a_segment_cut_is_found(scanner, before_cut):
    phone = "617 555 0142"
    head = "Call his wife at "
    pad_len = MAX_SEGMENT_CHARS - len(head) - before_cut
    pad = ("our patient had a lovely day " * (pad_len // 29 + 1))[:pad_len].rstrip()  # a text about care
    pad += "x" * (pad_len - len(pad))
    text = pad + head + phone + " tonight.\n"
    found = [f for f in _blocking(scanner, "post.txt", text) if f.rule == "phone-number"]
    assert [f.match for f in found] == [phone]


def test_pieces_of_a_segment_in_decoded_text_keep_their_map():
    written = ("word\u00ad " * 9000) + "SSN 536-22-8736"
    text, mapping = normalize(written)
    segment = Segment("f", "body", text, origin=mapping, written=written)
    pieces = split_long(segment)
    assert len(pieces) > 1 and all(len(p.text) <= MAX_SEGMENT_CHARS for p in pieces)
    last = pieces[-1]
    lo, hi = last.origin.span(last.text.index("536"), len(last.text))
    assert written[lo:hi] == "536-22-8736"


@pytest.mark.parametrize("unit", ["'", "'s", "((", "\u2026", "-a"], ids=["quotes", "quote-s", "parens",
                                                                         "ellipsis", "dash-a"])
def test_punctuation_runs_are_cut_for_the_tokenizer(unit):
    """spaCy's tokenizer is quadratic in such runs: detection never sees one longer than LONG_RUN."""
    text, _ = normalize(unit * 5000 + " SSN 536-22-8736")
    assert max(len(run) for run in text.split()) < LONG_RUN
    assert max(len(run) for run in text.split()) <= CUT_EVERY


def test_a_file_of_quotes_with_an_identifier_is_scanned(scanner):
    text = "'" * 20_000 + " SSN 536-22-8736\n"
    assert "ssn" in _rules(_blocking(scanner, "post.txt", text))


# -- property: any identifier, any wrapping --------------------------------------------------------
def _json_string(value: str) -> str:
    return json.dumps(value)


def _jpeg_with(field: str, value: str) -> bytes:
    from PIL import Image

    out, exif = io.BytesIO(), Image.Exif()
    if field == "copyright":
        exif[0x8298] = value
    elif field == "user-comment":
        exif.get_ifd(0x8769)[0x9286] = b"UNICODE\0" + value.encode("utf-16-le")
    xmp = None
    if field == "xmp-person":
        xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
               f'<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>{value}</rdf:li></rdf:Bag>'
               '</Iptc4xmpExt:PersonInImage></rdf:Description></rdf:RDF></x:xmpmeta>').encode()
    Image.new("RGB", (32, 32), "white").save(out, "JPEG", exif=exif.tobytes(), **({"xmp": xmp} if xmp else {}))
    return out.getvalue()


EXPORTS = {
    "export:list-value": (".json", lambda v: '[{"message": [' + _json_string("Update: " + v) + "]}]"),
    "export:object-value": (".json", lambda v: '[{"caption": {"en": ' + _json_string("Update: " + v) + "}}]"),
    "export:second-list": (".json", lambda v: '{"meta": [{"title": "Export"}], "posts": [{"text": '
                           + _json_string("Update: " + v) + "}]}"),
    "export:yaml-tag": (".yaml", lambda v: "- message: !note " + _json_string("Update: " + v)),
    "export:csv": (".csv", lambda v: "id,caption\n1," + _json_string("Update: " + v)),
}
METADATA = {f"metadata:{field}": (".jpg", field) for field in ("copyright", "user-comment", "xmp-person")}

WRAPPINGS = {
    **{f"unicode:{k}": (".txt", lambda v, e=e: "Update: " + " ".join(e(w) if any(c.isdigit() for c in w) else w
                                                                     for w in v.split(" ")))
       for k, e in UNICODE.items() if k != "right-to-left-override"},
    **{f"html:{k}": (".html", e) for k, e in HTML_TRICKS.items()},
    **{f"markdown:{k}": (".md", e) for k, e in MARKDOWN_TRICKS.items()},
}
_digits_strategy = st.integers(min_value=0, max_value=9)


@st.composite
def _identifier(draw):
    rule = draw(st.sampled_from(["ssn", "phone-number", "medical-record-number"]))
    if rule == "ssn":
        value = f"SSN {draw(st.integers(100, 665))}-{draw(st.integers(10, 99))}-{draw(st.integers(1000, 9999))}"
    elif rule == "phone-number":
        value = f"call her son at 617-{draw(st.integers(200, 999))}-{draw(st.integers(1000, 9999))}"
    else:
        value = f"MRN {draw(st.integers(1000000, 9999999))}"
    return rule, value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(identifier=_identifier(), wrapping=st.sampled_from(sorted(WRAPPINGS)),
       prose=st.sampled_from(["", "Thanks team! ", "Big day on 4 West. ", "\u00e9t\u00e9 \U0001F600 "]))
def test_any_wrapping_of_an_identifier_is_found(scanner, identifier, wrapping, prose):
    rule, value = identifier
    suffix, encode = WRAPPINGS[wrapping]
    text = prose + encode(value) + "\n"
    assert rule in _rules(_blocking(scanner, "post" + suffix, text)), (wrapping, html_lib.escape(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(identifier=_identifier(), wrapping=st.sampled_from(sorted(EXPORTS) + sorted(METADATA)))
def test_any_export_nesting_or_metadata_field_is_read(scanner, identifier, wrapping):
    rule, value = identifier
    if wrapping in EXPORTS:
        suffix, encode = EXPORTS[wrapping]
        source = Source("queue" + suffix, encode(value) + "\n")
    else:
        suffix, field = METADATA[wrapping]
        source = Source("photo" + suffix, "", data=_jpeg_with(field, "Update: " + value))
    report = next(scanner.scan([source]))
    assert report.error is None, report.error
    found = {f.rule for f in report.findings if f.severity >= Severity.MEDIUM}
    assert rule in found, (wrapping, value, found)
