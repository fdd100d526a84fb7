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
    ("not_public_figure", "Her friend, actress Lena Moravec, gave her a kidney.", "Lena Moravec", False),
    ("not_public_figure", "Former President Walter Brandt entered hospice care.", "Brandt", False),
    ("not_public_figure", "Actress Lena Moravec was admitted to our ICU.", "Lena Moravec", True),
    ("not_public_figure", "President Walter Brandt opened the new library.", "Walter Brandt", True),  # no health news
    ("known_place", "Summer in Duluth is short.", "Duluth", True),
    ("known_place", "They farm in Harlan County.", "Harlan County", True),
    ("known_place", "Rain across West Texas.", "West Texas", True),
    ("known_place", "At home in Plains, Georgia.", "Plains", True),
    ("known_place", "Our founders: Wexmoor, Becker and Vasquez.", "Wexmoor", False),
    ("not_name_like", "Update: Dallas is back on a horse.", "Dallas", False),
    ("not_name_like", "We wrote to Tomasz and Agnieszka.", "Agnieszka", False),
    ("not_name_like", "Landerico B Hidalgo, technician", "Hidalgo", False),
    ("not_name_like", "Summer in Duluth is short.", "Duluth", True),
    ("not_in_agency_name", "The Health Resources and Services Administration says", "Health Resources", False),
    ("not_in_agency_name", "the Department of Health reported", "Health", False),
    ("not_in_agency_name", "She was treated at Mercy Health last spring.", "Mercy Health", True),
    ("person_shaped", "She studied at Texas Tech.", "Texas Tech", False),
    ("person_shaped", "Georgia Mills went home.", "Georgia Mills", True),
    ("not_file_name", "Committed notes.md today.", "notes.md", False),
    ("not_file_name", "See discharge.jpg please.", "discharge.jp", False),  # a country domain inside a name
    ("not_file_name", "Her page www.ana.md is up.", "www.ana.md", True),
    ("not_file_name", "Her page https://ana.example.org/a.md is up.", "https://ana.example.org/a.md", True),
    ("not_file_name", "Her page ana-fundraiser.org is up.", "ana-fundraiser.org", True),
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
    ("0800 555 0139", False), ("+44 808 157 0192", False), ("1800 555 014", False), ("1300 555 014", False),
    ("0508 555 014", False), ("+353 1800 555 014", False),
    ("020 7946 0958", True), ("+44 7700 900731", True), ("02 5550 1820", True), ("0121 496 0753", True),
])
def test_not_toll_free(number, kept):
    assert filters.not_toll_free(number, 0, len(number)) is kept


@pytest.mark.parametrize("address, kept", [
    ("careers@example-health.org", False), ("Privacy@example.org", False), ("info@clinic.example", False),
    ("jane.roe@example.com", True), ("careers.jane@example.com", True), ("hr-team@example.org", True),
])
def test_not_role_mailbox(address, kept):
    assert filters.not_role_mailbox(address, 0, len(address)) is kept


def test_a_role_mailbox_leaves_no_link_behind(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("Send your CV to careers@lakeview-health.org by Friday.\n")
    assert run_cli("scan", str(post), "--fail-on", "low").exit_code == 0


def test_credentials_and_runs_across_paragraphs_are_not_names_or_places():
    text = "Dr. Maria Santos, M.D., answers questions."
    assert not filters.place_name(*_span(text, "M.D."))
    assert not filters.one_paragraph("Events This Month\n\n- Saturday", 0, 29)
    assert filters.one_paragraph("Saturday, October 4", 0, 19)


def _policy_with(tmp_path, rule: str):
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [my-rules]\n")
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / "extra.yaml").write_text(rule)


def test_context_rule_filters_min_paragraphs_and_blocking_unless_found(run_cli, tmp_path):
    """`filters` pick the findings a context rule may change, `min_paragraphs` limits it to articles, and
    `unless_found` counts only findings that still block once the other context rules have run."""
    _policy_with(tmp_path, (
        "id: phone-in-passing\nkind: context\nscope: paragraph\napplies_to: [phone-number]\n"
        "filters: [not_toll_free]\nmin_paragraphs: 2\nsegment: '\\S'\nunless_found: [person-name]\n"
        "action: low\nmessage: in passing\n"))
    post = tmp_path / "post.txt"
    post.write_text("Call (617) 555-0142 or 1-800-555-0100.\n\n"
                    "Ask Maria Lopez at (617) 555-0199.\n\nSaid nurse Dr. Ann Roe, MD: call (617) 555-0111.\n")
    doc = json.loads(run_cli("scan", str(post), "--format", "json", "--fail-on", "low").stdout)
    phones = {f["line"]: f["severity"] for f in doc["findings"] if f["rule"] == "phone-number"}
    assert phones[1] == "low" and phones[3] != "low" and phones[5] == "low"
    toll_free = [f for f in doc["findings"] if f["rule"] == "phone-number" and f["column"] > 20 and f["line"] == 1]
    assert all("in passing" not in f["message"] for f in toll_free)
    post.write_text("Call (617) 555-0142.\n")  # one paragraph: the rule does not apply
    doc = json.loads(run_cli("scan", str(post), "--format", "json", "--fail-on", "low").stdout)
    assert [f["severity"] for f in doc["findings"] if f["rule"] == "phone-number"] != ["low"]


def test_paragraph_scoped_combination(run_cli, tmp_path):
    """An age and a place combine only within one paragraph of an article."""
    post = tmp_path / "post.txt"
    post.write_text("Measles\n\nThe outbreak in Gaines County keeps growing.\n\n"
                    "Children 5 years old and under should get their second dose.\n")
    doc = json.loads(run_cli("scan", str(post), "--format", "json", "--fail-on", "low").stdout)
    assert not [f for f in doc["findings"] if f["severity"] == "high"]
    post.write_text("A 7-year-old from Springfield was airlifted after the crash.\n")
    doc = json.loads(run_cli("scan", str(post), "--format", "json").stdout)
    assert [f["severity"] for f in doc["findings"]] == ["high"]


LONG_NEWS = ("Plain Language Summit recap. Thanks to everyone who joined us in Washington on March 3, 2025 for a day "
             "of talks about writing clearly for the public. Jane Roe from the Census Bureau opened with a talk on "
             "short sentences, and John Smith showed how his team rewrote forms that millions of people fill in "
             "every year. Slides and recordings are on the event page, and the next summit is in the autumn.\n")


def test_a_long_text_without_health_information_names_people_as_notices(run_cli, tmp_path):
    """The shipped file-scope rule: names and dates in a page with no health or care word do not block; the
    same page about a patient does; a short post keeps the other rules' verdicts; an SSN blocks anyway."""
    page = tmp_path / "news.md"
    page.write_text(LONG_NEWS)
    doc = json.loads(run_cli("scan", str(page), "--format", "json", "--fail-on", "low").stdout)
    names = [f for f in doc["findings"] if f["rule"] == "person-name"]
    assert names and all(f["severity"] == "low" and "no health information" in f["message"] for f in names)
    assert run_cli("scan", str(page)).exit_code == 0
    page.write_text(LONG_NEWS.replace("joined us", "visited our patient, who was discharged after surgery, and joined us"))
    assert run_cli("scan", str(page)).exit_code == 1
    page.write_text("Jane Roe from the Census Bureau opened the summit on March 3, 2025.\n")  # 13 words
    assert run_cli("scan", str(page)).exit_code == 1
    page.write_text(LONG_NEWS + "\nHer SSN is 123-45-6789.\n")
    assert run_cli("scan", str(page)).exit_code == 1


@pytest.mark.parametrize("extra, message", [
    ("before: 'x'\n", "a file-scope context rule takes only segment, unless and min_words"),
    ("filters: [not_toll_free]\n", "a file-scope context rule takes only segment, unless and min_words"),
    ("min_words: -1\n", "'min_words' must be 0 or more"),
])
def test_file_scope_context_rules_are_checked(run_cli, tmp_path, extra, message):
    _policy_with(tmp_path, "id: mine\nkind: context\nscope: file\napplies_to: [person-name]\nsegment: 'x'\n"
                           "action: low\n" + extra)
    (tmp_path / "p.txt").write_text("Hello.\n")
    result = run_cli("scan", str(tmp_path / "p.txt"))
    assert result.exit_code == 2 and message in result.output, result.output


@pytest.mark.parametrize("text, word, kept", [
    ("Read PLAIN-06122019-Transcript.pdf today.", "PLAIN-06122019", False),
    ('<img src="2014/01/mobile-21-350x214-250x152.jpg">', "21-350x214", False),
    ("Case ref EM-2554 was closed.", "EM-2554", True),
    ("Badge ID: 987654321.", "987654321", True),
])
def test_not_in_file_name(text, word, kept):
    assert filters.not_in_file_name(*_span(text, word)) is kept
