"""Safe Harbor semantics and social-post precision, post by post: block or pass under default settings."""
from __future__ import annotations

import pytest

from phiguard.findings import Severity

BLOCK = [
    ("name of a patient", "So proud of our patient Maria Lopez, who walked out of the ICU today."),
    ("day and month", "He was admitted on March 3 with chest pain."),
    ("age 90", "Happy birthday to our 90-year-old patient on 5 West!"),
    ("age over 89, shorthand", "Pt 97 y/o F, doing well."),
    ("city of a patient", "Our patient from Millbrook finally went home."),
    ("city that shares a state's name", "Our patient from Victoria, BC finally went home."),
    ("ZIP code", "She lives in Springfield, IL 62704."),
    ("restricted ZIP prefix", "She grew up in the 036xx area."),
    ("phone", "Her daughter's number is (617) 555-0199."),
    ("email", "Write to the family at maria.lopez@example.com."),
    ("MRN", "MRN 00482913 was on the whiteboard."),
    ("health plan ID", "Member ID XJH4471823 was denied again."),
    ("SSN", "SSN 536-22-8736 was on the form."),
    ("device serial", "Pacemaker serial number PJN441822 was interrogated."),
    ("VIN", "The VIN 1HGCM82633A004352 was in the crash report."),
    ("IP address", "The portal login came from 203.0.113.42."),
    ("room number", "The lady in room 412B made us all cry today."),
    ("clinician name in a patient's case", "Pt seen by Dr. Nguyen at Lakeside on 4/22/2024."),
    ("rare condition and place", "Our patient from Millbrook with progeria turned 15 on June 2!"),
    ("relative's name", "My patient's son Lukas stayed all night."),
    ("facility where a patient was treated", "Our patient was treated at Springfield General Hospital."),
    ("patient's name next to a clinician's", "Dr. Sarah Chen explains sleep hygiene. Sarah Jones asked first."),
    ("first name and a prayer", "Please keep Rosalind in your prayers tonight. She's 7 and still fighting."),
    ("modern first name, patient events", "Jaxon's mom says his scan was clear! Back to kindergarten Monday."),
    ("public figure in our care", "Selena Gomez came into our ED last night and was lovely to everyone."),
    ("name and a birth weight", "Welcome to the world, Marisol! Born at 3:12 a.m., weighing 6 lb 9 oz."),
]

PASS = [
    ("bare year", "In 2023 we opened a new clinic."),
    ("age under 90", "A 45-year-old can lower their risk with exercise."),
    ("state", "Flu cases are rising across Texas."),
    ("country", "Measles outbreaks were reported in Canada."),
    ("countries beyond the big ones", "Measles outbreaks were reported in Estonia, Belgium and Tunisia."),
    ("province", "Flu cases are rising across Ontario and Saskatchewan."),
    ("unrestricted ZIP prefix", "Most of our patients live in ZIP prefix 021."),
    ("health education", "Wash your hands and get your flu shot this winter."),
    ("education link", "Parkinson's disease affects movement. Learn more at https://example.org/parkinsons"),
    ("staff welcome with title", "Please welcome Dr. Aisha Khan, our new chief of cardiology!"),
    ("staff welcome with role", "Please welcome Maria Lopez, our new nurse manager!"),
    ("staff welcome, first name again", "Please welcome Dr. Sarah Chen to our team! Sarah joins us from Ohio."),
    ("clinician credentials", "Jane Roe, MD, answers your questions about vaccines."),
    ("awareness day", "World Diabetes Day is November 14. Know your numbers!"),
    ("public holiday", "Our clinics are closed on July 4 for Independence Day."),
    ("conference in a city", "See you at the cardiology conference in Chicago on May 5!"),
    ("eponyms", "Parkinson's, Crohn's disease and Marfan syndrome are not people; "
                "neither is the Framingham risk score."),
    ("hotlines", "In an emergency call 911; for a mental health crisis call or text 988."),
    ("toll-free hotline", "Need to talk? The crisis hotline 1-800-273-8255 is open 24/7."),
    ("drug names", "Lisinopril and Eliquis can interact; ask your pharmacist."),
    ("one-word hashtags", "Salt hides in bread and soup. #Dietitian #Nephrology #Geriatrics"),
    ("heading words", "Volunteer Corner\n\nOur volunteers gave 9,000 hours this year. Thank you!"),
    ("sentence-initial word", "Wheezing in a toddler? Call your pediatrician today."),
    ("public figure in the news", "Selma Blair's openness about her MS diagnosis helps our patients feel seen."),
    ("government link", "Is it flu or COVID? Symptoms and testing: cdc.gov/flu and nhs.uk/conditions/flu"),
    ("possessive eponyms", "Murphy's sign or Rovsing's? Quiz in the comments. #MedEd"),
    ("city slogan tag", "Ten years on, still proud of our trauma team. #BostonStrong"),
]


def _blocking(scanner, text):
    return [(f.rule, f.match) for f in scanner.scan_text(text) if f.severity >= Severity.MEDIUM]


@pytest.mark.parametrize(("what", "text"), BLOCK, ids=[w for w, _ in BLOCK])
def test_blocks(scanner, what, text):
    assert _blocking(scanner, text), f"{what}: not blocked"


@pytest.mark.parametrize(("what", "text"), PASS, ids=[w for w, _ in PASS])
def test_passes(scanner, what, text):
    assert _blocking(scanner, text) == [], what


def test_every_mention_of_a_name_is_found(scanner):
    text = "Rolando Lettiere called twice; Lettiere wants his results."
    assert [f.match for f in scanner.scan_text(text) if f.severity >= Severity.MEDIUM] == [
        "Rolando Lettiere", "Lettiere"]


def test_patient_cue_near_one_mention_covers_the_others(scanner):
    text = "Maria Alvarez is our patient since March. Yesterday Maria walked the hallway."
    names = {f.match: f.severity for f in scanner.scan_text(text) if f.identifier == "names"}
    assert names.get("Maria") == names.get("Maria Alvarez") and names["Maria"] >= Severity.MEDIUM


def test_mentions_share_an_escalation_but_only_sub_mentions_share_a_downgrade():
    from phiguard.policy.engine import Hit
    from phiguard.policy.mentions import align_severities
    from phiguard.policy.rules import Rule

    rule = Rule(id="person-name", kind="entity", message="Person's name", repeats=True)
    text = "Ann Lee | Lee | Dr. Sara Kim | Sara | Sara Park"
    def hit(word, severity, notes=()):
        start = text.index(word)
        return Hit(rule, start, start + len(word), 0.85, "PERSON", "test", severity, notes)

    raised, lee = hit("Ann Lee", Severity.HIGH, ("patient",)), hit("Lee", Severity.MEDIUM)
    lowered, sara, other = hit("Sara Kim", Severity.LOW, ("clinician",)), hit("Sara |", Severity.MEDIUM), \
        hit("Sara Park", Severity.MEDIUM)
    align_severities(text, [raised, lee, lowered, sara, other])
    assert (lee.severity, lee.notes) == (Severity.HIGH, ("patient",))
    assert (sara.severity, sara.notes) == (Severity.LOW, ("clinician",))
    assert other.severity == Severity.MEDIUM  # "Park" is not the clinician's: someone else
