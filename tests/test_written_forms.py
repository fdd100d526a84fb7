"""Identifiers as people write them, and markup that hid them (the second fail-open catalogue): each must block."""
from __future__ import annotations

import json

import pytest


WRITTEN = {
    "phone wrapped after a bracket": ("post.md", "His wife asked us to share her number (617)\n555-0142 for cards.\n",
                                      "phone-number"),
    "phone wrapped after a hyphen": ("post.md", "Call his wife at 617-555-\n0142 for updates.\n", "phone-number"),
    "ssn wrapped": ("post.md", "Our patient's SSN 123\n45 6789 was visible in the photo.\n", "ssn"),
    "phone wrapped, CRLF": ("post.md", "His wife asked us to share her number (617)\r\n555-0142 for cards.\r\n",
                            "phone-number"),
    "ssn wrapped after a hyphen, CRLF": ("post.md", "Our patient's SSN 123-45-\r\n6789 was visible.\r\n", "ssn"),
    "keycap digits": ("post.txt", "Call his wife at " + "".join(f"{d}\ufe0f\u20e3" for d in "617") + "-"
                      + "".join(f"{d}\ufe0f\u20e3" for d in "555") + "-"
                      + "".join(f"{d}\ufe0f\u20e3" for d in "0142") + " for updates on our patient.\n", "phone-number"),
    "pictographs between digits": ("post.txt", "Call his wife at 617\U0001f4de555\U0001f4de0142 about our patient.\n",
                                   "phone-number"),
    "record-style date": ("post.txt", "Pt admitted 14-Mar-24, discharged home today.\n", "date"),
    "packed date": ("post.txt", "Pt admitted 14MAR2024 and discharged 21MAR2024, doing well.\n", "date"),
    "patient, age,": ("post.txt", "Our patient, 94, went home today after a long stay.\n", "age-over-89"),
    "local number": ("post.txt", "Call our patient's daughter at 555-0142 with any questions.\n", "phone-number"),
    "encounter number": ("post.txt", "Our patient, FIN 88213344, went home today.\n", "medical-record-number"),
    "spelled email": ("post.txt", "Cards for our patient can go to his son: jsmith1975 at gmail dot com.\n",
                      "email-address"),
    "spelled phone": ("post.txt", "Her number: six-one-seven five-five-five oh-one-four-two.\n", "phone-number"),
    "lower-case first name": ("post.txt", "our patient john smith went home today, so happy for him\n",
                              "lower-case-first-name"),
    "processing instruction without end": ("post.md", "Great day <? Our patient, SSN 123-45-6789, went home. > bye\n",
                                           "ssn"),
    "number alone on a caption line": ("talk.srt", "1\n00:00:01,000 --> 00:00:04,000\nMy social security number is\n"
                                       "123456789\n", "ssn"),
    "caption character references": ("talk.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCall 617&#45;555&#45;0142 "
                                     "or write to jsmith&#64;gmail.com\n", "email-address"),
    "escaped json-ld": ("page.html", '<p>Great day</p><script type="application/ld+json">{"email": '
                        '"jsmith\\u0040gmail.com"}</script>\n', "email-address"),
    "number assigned in a script": ("page.html", "<script>var patient = {phone: 6175550142, ssn: 123456789};"
                                    "</script>\n", "ssn"),
    "markdown image path": ("post.md", "Here is the x-ray.\n\n![chest x-ray](uploads/JohnSmith_MRN4471129.png)\n",
                            "medical-record-number"),
    "html image path": ("page.html", '<img alt="x-ray" src="https://cdn.example.org/jd-ssn-123-45-6789.png">\n', "ssn"),
    "second srcset candidate": ("page.html", '<img srcset="a.jpg 1x, uploads/mrn-4471129-jd.jpg 2x">\n',
                                "medical-record-number"),
    "linked page path": ("page.html", '<a href="/patients/mrn-4471129.html">story</a>\n', "medical-record-number"),
    "markdown link path": ("post.md", "[the scan](uploads/mrn-4471129.pdf)\n", "medical-record-number"),
    "slug after a dot": ("draft.mrn-4471129.md", "Hello there.\n", "medical-record-number"),
    "processing instruction": ("page.html", "<p>hi</p><?Patient SSN 123-45-6789?>\n", "ssn"),
    "json-ld quoted key": ("page.html", '<script type="application/ld+json">{"telephone": 6175550142}</script>\n',
                           "phone-number"),
}


@pytest.mark.parametrize("name, text, rule", WRITTEN.values(), ids=WRITTEN.keys())
def test_text_as_people_write_it_is_read(run_cli, tmp_path, name, text, rule):
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path / name))
    doc = json.loads(result.stdout)
    assert result.exit_code == 1, doc["findings"]
    assert rule in {f["rule"] for f in doc["findings"] if f["severity"] in ("medium", "high")}


def test_a_number_line_before_a_timing_is_a_cue_number(scanner):
    """Cue numbers are still blanked: "12" before a timing line is not text."""
    from phiguard.sources import subtitles

    [segment] = subtitles.segments("a.srt", "1234567\n00:00:01,000 --> 00:00:04,000\nHello there\n")
    assert segment.text.split() == ["Hello", "there"]


def test_odd_srcset_values_are_no_error(run_cli, tmp_path):
    (tmp_path / "page.html").write_text('<img srcset=", a.jpg" src=" ,x.jpg"><p>Flu shots all week.</p>\n')
    result = run_cli("scan", "--no-cache", "--format", "json", str(tmp_path / "page.html"))
    assert result.exit_code == 0 and json.loads(result.stdout)["errors"] == []
