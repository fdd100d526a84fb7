"""Our recognizers for what Presidio lacks, through the real engine: positives and negatives."""
from __future__ import annotations

import pytest

from phiguard.detection.matchers import luhn_ok, vin_check_digit_ok
from phiguard.policy.rules import shipped_rules

FLAG = [
    ("medical-record-number", "MRN: 00482913", "00482913"),
    ("medical-record-number", "Medical record number 7734521 on the wristband.", "7734521"),
    ("medical-record-number", "patient ID #A-448291 was scanned", "A-448291"),
    ("health-plan-id", "Member ID: XJH4471823", "XJH4471823"),
    ("health-plan-id", "Medicare number 1EG4-TE5-MK73", "1EG4-TE5-MK73"),
    ("zip-code", "She moved to Springfield, IL 62704 last year.", "62704"),
    ("zip-code", "ZIP: 10027", "10027"),
    ("zip-code", "mailing to 02139-4307", "02139-4307"),
    ("zip-code", "Our patient's ZIP: 394 13", "394 13"),
    ("zip-code", "Send it to SSgt Lee, Unit 2050 Box 4190, APO AP 96278.", "96278"),
    ("age-over-89", "a 93-year-old grandmother", "93-year-old"),
    ("age-over-89", "91 y/o M with sepsis", "91 y/o"),
    ("age-over-89", "92yo F", "92yo"),
    ("age-over-89", "She is aged 97.", "aged 97"),
    ("age-over-89", "our favourite centenarian", "centenarian"),
    ("fax-number", "Fax: (617) 555-0142", "(617) 555-0142"),
    ("fax-number", "Office 0171 555 0143\n930.167.3943 fax", "930.167.3943"),
    ("phone-number", "Her daughter is not answering at 374 780 163.", "374 780 163"),
    ("phone-number", "28-64-66-98 (mobile)", "28-64-66-98"),
    ("phone-number", "Desk: +44 7700 921916", "+44 7700 921916"),
    ("device-id", "Pacemaker serial number PJN441822", "PJN441822"),
    ("device-id", "IMEI 490154203237518", "490154203237518"),
    ("vehicle-id", "license plate 7ABC123", "7ABC123"),
    ("vehicle-id", "The VIN 1HGCM82633A004352 matched.", "1HGCM82633A004352"),
    ("license-number", "driver's license D1234567", "D1234567"),
    ("room-number", "Room 412B", "412B"),
    ("room-number", "transferred to bed 14", "14"),
    ("person-name", "What's your last name? Boyle", "Boyle"),
    ("person-name", "She named him Luís after his grandfather.", "Luís"),
    ("person-name", "Her maiden name is Key.", "Key"),
    ("person-name", "He goes by Teddy now.", "Teddy"),
    ("street-address", "Freja lives at Strickstrasse 61 in Zuoz.", "Strickstrasse 61"),
    ("street-address", "Send it to Hammarvägen 15, Ankarsrum.", "Hammarvägen 15"),
    ("street-address", "He lives on the north side of Rua Diadema 1903.", "Rua Diadema 1903"),
    ("location", "Our patient flew in from ESPOO on Monday.", "ESPOO"),
    ("location", "She grew up in Chiclana de la Frontera and moved to Spain.", "Chiclana de la Frontera"),
    ("street-address", "Our patient lives at 172 Maneeži 75, Saareküla.", "172 Maneeži 75"),
    ("street-address", "His address: 5366 Pivovarská 276", "5366 Pivovarská 276"),
    ("street-address", "Mail it to 83854 Strickstrasse 61, Zuoz.", "83854 Strickstrasse 61"),
    ("street-address", "The bus drops her off at 74678 midtvollen 130 st.", "74678 midtvollen 130"),
    ("street-address", "We'll meet at Rue de Piétrain 371, Noorderwijk", "Rue de Piétrain 371"),
    ("street-address", "Billing: ul. Słowicza 10, Wrocław", "ul. Słowicza 10"),
]

PASS = [
    ("medical-record-number", "Ask about your medical record at the front desk."),
    ("health-plan-id", "Are you a member? Join our group today."),
    ("zip-code", "He walked 10000 steps and 25000 more the next week."),
    ("age-over-89", "A 45-year-old man and an 89-year-old woman."),
    ("age-over-89", "In the 90s we had no smartphones."),
    ("fax-number", "Fax machines are obsolete."),
    ("street-address", "She lives at home with her 2 kids."),
    ("location", "The patient was transferred to Cardiology on Monday."),
    ("street-address", "He lives at Sunrise Manor 3 days a week."),
    ("phone-number", "In 2023-2024 home visits rose by a third."),
    ("phone-number", "Over 2500000 home tests were shipped; we registered 1200000 donors."),
    ("device-id", "Serial killers make bad patients."),
    ("vehicle-id", "The plate of food was cold."),
    ("vehicle-id", "ABCDEFGHJKLMNPRST is not a VIN."),
    ("license-number", "Renew your license online."),
    ("room-number", "Our rooms are bright and quiet."),
    ("person-name", "Enter your last name and first name below."),
    ("person-name", "My full name is on the form."),
    ("street-address", "Spring 2024 was busy; Katie 5 and Bertie 7 ran the relay."),
    ("street-address", "Via Zoom 2 times a week, or at Avenida clinics."),
    ("street-address", "RT @Kaaaatie 4 : I just need a nap"),
]


@pytest.mark.parametrize(("rule", "text", "match"), FLAG, ids=[f"{r}:{m}" for r, _, m in FLAG])
def test_flags(scanner, rule, text, match):
    found = [(f.rule, f.match) for f in scanner.scan_text(text)]
    assert (rule, match) in found, found


@pytest.mark.parametrize(("rule", "text"), PASS, ids=[f"{r}:{i}" for i, (r, _) in enumerate(PASS)])
def test_passes(scanner, rule, text):
    assert rule not in [f.rule for f in scanner.scan_text(text)]


def test_validators():
    assert vin_check_digit_ok("1HGCM82633A004352")
    assert not vin_check_digit_ok("1HGCM82633A004353")
    assert luhn_ok("490154203237518") and not luhn_ok("490154203237519")


def test_email_recognizer_is_offline(scanner, monkeypatch):
    """tldextract must use its bundled suffix list, never the network."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert "email-address" in [f.rule for f in scanner.scan_text("Write to jo.fay@example.co.uk")]


def test_pipeline_runs_only_ner(scanner):
    """Tagger, lemmatizer and the like are disabled: they cost half of spaCy's time and detection reads
    only entities and tokens."""
    assert scanner.detector.nlp.pipe_names == ["ner"]


def test_context_words_still_raise_presidio_scores(scanner):
    """Without a lemmatizer, Presidio's context words are matched against lower-cased tokens."""
    from phiguard.findings import Segment

    def phone_score(text):
        [(_, detections)] = scanner.detector.detect([Segment("<text>", "body", text)])
        return max(d.score for d in detections if d.entity == "PHONE_NUMBER")

    assert phone_score("Called her cell at 617-555-0143 twice.") > phone_score("Route 617-555-0143 twice.")


@pytest.mark.parametrize("name", ["Wisława Szczepańska", "Łukasz Dvořák", "Şule Ağaoğlu", "Nguyễn Thị Minh",
                                  "Ольга Петрова", "Ιωάννης Παπαδόπουλος"])
def test_names_beyond_latin_1_look_like_names(name):
    from phiguard.policy.filters import person_shaped

    assert person_shaped(name, 0, len(name))
    text = f"Mr. {name} came back for his follow-up."
    [honorific] = [p for r in shipped_rules() for p in r.patterns if p.name == "name after honorific"]
    found = [text[s:e] for s, e in honorific.find(text)]
    assert found and name.startswith(found[0]) and len(found[0].split()) == min(2, len(name.split()))  # two at most


@pytest.mark.parametrize("name", ["Agatha Á Ottarsdóttir", "Łukasz Ż. Dvořák", "Ivan P. Petrov"])
def test_initials_beyond_ascii_look_like_names(name):
    from phiguard.policy.filters import person_shaped

    assert person_shaped(name, 0, len(name))


PHONE_TEXTS = [
    # Numbers that only one region's pass finds: US (with Canada), GB, DE, FR, IL, IN, BR.
    "Offices: (201) 555-0123, 0151 074 5611, 01512 3456789, 01 23 45 67 89, 09-898-4635, 04989 790 985 and "
    "(11) 96123-4567.",
    "Ring 020 7946 0958 or 0161 496 0000; Paris 01 42 68 53 00; Berlin 030 901820; Tel Aviv 03-555-1234.",
    "Mumbai 022 2778 1234 or 98765 43210; Sao Paulo (11) 3456-7890 and 11 91234-5678; Toronto 416-555-0123.",
    "US 1-800-555-0199 x123, 011 44 20 7946 0958, 00 49 30 901820, +91 98765 43210, +55 11 91234 5678.",
    "Dates 12/03/2020 and 2020-03-12 12:30:45, pages 123-456, ref 1234567890, abc8005001234def, 555-0199.",
    "Call (617) 555-0142 or (617) 555-0143 / 44, or text 617.555.0144 before 5 pm.",
]


@pytest.mark.parametrize("text", PHONE_TEXTS)
def test_phone_recognizer_finds_what_presidios_finds(text):
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from phiguard.detection.recognizers import GatedPhoneRecognizer

    def spans(recognizer):
        return sorted((r.start, r.end, r.score) for r in recognizer.analyze(text, ["PHONE_NUMBER"]))

    assert spans(GatedPhoneRecognizer()) == spans(PhoneRecognizer())
    assert spans(PhoneRecognizer())  # each text holds numbers for the comparison to mean something
