"""The word-list filters and paragraph-scoped context rules, on text of our own."""
from __future__ import annotations

import json

import pytest

from phiguard.policy import filters
from phiguard.positions import Paragraphs


def _span(text: str, word: str) -> tuple[str, int, int]:
    start = text.index(word)
    return text, start, start + len(word)


SPAN_FILTERS = [  # (filter, text, span, kept)
    ("not_common_words", "Volunteer Corner\n\nOur volunteers gave 900 hours.", "Volunteer Corner", False),
    ("not_common_words", "Breast Cancer Awareness starts Friday.", "Breast Cancer Awareness", False),
    ("not_common_words", "Rest is part of the job.", "Rest", False),
    ("not_common_words", "Loss of smell? Think COVID first.", "COVID", False),
    ("not_common_words", "We stood with Trump supporters.", "Trump", True),  # one word mid-sentence: the model's
    ("not_common_words", "Carol Hope went home.", "Carol Hope", True),       # a first name that is no word
    ("not_common_words", "Bill is from the review.", "Bill", True),          # a first name, first in a sentence
    ("not_common_words", "Her maiden name is Key.", "Key", True),            # named by a cue
    ("not_common_words", "Marisol Quintero went home.", "Marisol Quintero", True),
    ("not_hashtag", "Eat your greens #Dietitian", "Dietitian", False),
    ("not_hashtag", "Eat your greens #Nephrology", "#Nephrology", False),
    ("not_hashtag", "Thinking of you #Harper", "Harper", True),
    ("not_hashtag", "Thinking of Harper today", "Harper", True),
    ("not_public_figure", "Selma Blair's openness about MS helps.", "Selma Blair", False),
    ("not_public_figure", "Selma Blair's openness about MS helps.", "Blair", False),
    ("not_public_figure", "The Michael J. Fox Foundation funds trials.", "Michael J. Fox Foundation", False),
    ("not_public_figure", "Selma Blair came into our ED last night.", "Selma Blair", True),
    ("not_public_figure", "Selma Quintero's openness about MS helps.", "Selma Quintero", True),
]


@pytest.mark.parametrize(("name", "text", "word", "kept"), SPAN_FILTERS,
                         ids=[f"{n}:{w}:{t[:20]}" for n, t, w, _ in SPAN_FILTERS])
def test_span_filters(name, text, word, kept):
    assert filters.FILTERS[name](*_span(text, word)) is kept


@pytest.mark.parametrize(("url", "kept"), [
    ("cdc.gov/flu", False), ("https://www.nhs.uk/conditions/flu/", False), ("https://doi.org/10.1000/x1", False),
    ("https://gofund.example.org/help-ana", True), ("https://notagov.com/page", True), ("evilgov.com", True),
])
def test_not_public_site(url, kept):
    assert filters.not_public_site(url, 0, len(url)) is kept


def test_shipped_word_tables_are_consistent():
    names, words = filters.first_names(), filters.common_words()
    assert {"liam", "harper", "mateo", "dolores"} <= names
    assert {"numbers", "season", "volunteer"} <= words and "marisol" not in words
    assert {"hope", "will", "summer"} <= filters.word_like_names() and "harvey" not in filters.word_like_names()


def test_paragraphs():
    text = "one\ntwo\n\nthree\n \nfour"
    p = Paragraphs(text)
    assert text[slice(*p.around(0))] == "one\ntwo\n\n"
    assert text[slice(*p.around(text.index("three")))].strip() == "three"
    assert text[slice(*p.around(len(text) - 1))] == "four"


def test_paragraph_scoped_context_rule(run_cli, tmp_path):
    """A rule scoped to a paragraph sees its cue only in the finding's paragraph."""
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [my-rules]\n")
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / "contact.yaml").write_text(
        "id: contact-block\nkind: context\nscope: paragraph\napplies_to: [phone-number]\n"
        "segment: '\\bcontact\\s+us\\b'\naction: low\nmessage: contact block\n")
    post = tmp_path / "post.txt"
    post.write_text("Contact us\nMain desk: (617) 555-0142\n\nHer son's number is (617) 555-0199.\n")
    doc = json.loads(run_cli("scan", str(post), "--format", "json", "--fail-on", "low").stdout)
    assert [(f["line"], f["severity"]) for f in doc["findings"] if f["rule"] == "phone-number"] == [
        (2, "low"), (4, "high")]


def test_gazetteer_finds_towns_the_model_misses():
    from phiguard.detection.places import find

    text = "Trucker from Kingman; flew in from HARSTAD last week. The Cedar Rapids clinic. Orlando came. #Pune"
    assert [text[s:e] for s, e in find(text)] == ["Kingman", "HARSTAD", "Cedar Rapids", "Pune"]  # not first names


@pytest.mark.parametrize(("number", "kept"), [
    ("1-800-318-2596", False), ("(888) 555-0134", False), ("+1 877 555 0100", False),
    ("(617) 555-0199", True), ("555-0168", True),
])
def test_not_toll_free(number, kept):
    assert filters.not_toll_free(number, 0, len(number)) is kept


def test_credentials_and_runs_across_paragraphs_are_not_names_or_places():
    text = "Dr. Maria Santos, M.D., answers questions."
    assert not filters.place_name(*_span(text, "M.D."))
    assert not filters.one_paragraph("Events This Month\n\n- Saturday", 0, 29)
    assert filters.one_paragraph("Saturday, October 4", 0, 19)
