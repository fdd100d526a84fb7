"""Recognizers for identifiers Presidio lacks: one regex table, small named validators.

Each pattern reports the named group `id` when present (the identifier without its cue word),
else the whole match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..letters import LOWER, UPPER

# Optional parts are "spaces + required token": a run of spaces splits only one way (no catastrophic backtracking).
_NO = r"(?:\s*(?:number|num\.?|no\.?|#|id|ID)\b)?(?:\s*[:#])?\s*"
# Between an identifier's cue and its value: "MRN: #", "policy # is", "number".
_SEP = r"[\s:#.]*(?:(?:number|num|no|id|is|was)\b[\s:#.]*){0,3}"
# An identifier value: letters, digits and inner hyphens, with at least one digit.
_VALUE = r"(?P<id>#?(?=[A-Z0-9-]{0,24}\d)[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){3,24})"
_MONTH = (r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)\d\d|['’]\d\d)"
_PHONE = r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
_AGE = r"(?:9\d|1[0-2]\d)"
# Any country's layout: 7 to 15 digits with spaces, dots, hyphens or brackets (`_phone_digits` counts them).
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d$")
_ANY_PHONE = r"(?P<id>\+?\(?\d[\d ().-]{5,18}\d(?:\s?x\d{1,5})?)"
_STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    r"NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
# Capitalised words that are times, not places: "flew to Boston Monday morning".
_CAPITALISED_TIME = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|"
                     r"June|July|August|September|October|November|December|Today|Tonight|Tomorrow|Yesterday|Last|"
                     r"Next|This|The|A|An|For|With|And|But|After|Before|In|On|At|To|From|By|Via)")
_PLACE_WORD = rf"(?-i:(?!{_CAPITALISED_TIME}\b)[{UPPER}])[\w'’-]*(?:\.(?=[^\S\n]+(?-i:[{UPPER}])))?"
# A building number before a street line: "83854 Strickstrasse 61", "3378 217 Lovers Lane".
_BUILDING = r"(?:\d{1,6}[^\S\n]+)?"


def _phone_digits(value: str) -> bool:
    return 7 <= sum(c.isdigit() for c in value.split("x")[0]) <= 15 and not _YEAR_RANGE.match(value)


def _phone_layout(value: str) -> bool:
    """Without a cue before it, a number needs a phone's layout: digit groups or a leading +."""
    return _phone_digits(value) and (value.startswith("+") or bool(re.search(r"\d[\s().-]+\d", value)))


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
               **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit_ok(vin: str) -> bool:
    """North American VIN check digit (position 9)."""
    vin = vin.upper()
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS))
    expected = "X" if total % 11 == 10 else str(total % 11)
    return vin[8] == expected and not vin.isdigit()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@dataclass(frozen=True)
class IdPattern:
    entity: str
    name: str
    regex: re.Pattern
    score: float
    validate: Callable[[str], bool] = has_digit


def _p(entity: str, name: str, regex: str, score: float, validate: Callable[[str], bool] = has_digit,
       flags: int = re.IGNORECASE) -> IdPattern:
    return IdPattern(entity, name, re.compile(regex, flags), score, validate)


PATTERNS: tuple[IdPattern, ...] = (
    _p("MEDICAL_RECORD_NUMBER", "mrn cue",
       r"\b(?:MRN|MR#|medical\s+records?(?:\s+(?:show|shows|number))?|med\.?\s*rec\.?|records?|chart|"
       r"(?:patient|pt)\s*(?:id|number|no\.?|#)|case)" + _SEP + _VALUE + r"\b", 0.9),
    _p("OTHER_ID", "id cue", r"\b(?:ID|ref(?:erence)?\.?(?:\s*(?:code|no\.?|number|#))?|code)" + _SEP + _VALUE + r"\b",
       0.75),
    _p("OTHER_ID", "prefixed id", r"\b(?P<id>(?-i:[A-Z]{1,5})-(?-i:[A-Z]{0,2})\d{4,}(?-i:[A-Z]{0,3}))\b", 0.6,
       validate=lambda v: sum(c.isdigit() for c in v) >= 4),
    _p("US_SSN", "ssn cue", r"\b(?:SSN|social\s+security(?:\s+(?:number|no\.?|#))?)" + _SEP
       + r"(?P<id>\d{3}[- ]?\d{2}[- ]?\d{4})\b", 0.9),
    _p("HEALTH_PLAN_ID", "member id cue",
       r"\b(?:member|subscriber|beneficiary|policy|group|insurance|ins\.?|health\s+plan|plan|medicaid|medicare|MBI)"
       r"(?:\s+(?:policy|plan|id|number|no\.?|#))?" + _SEP + _VALUE + r"\b", 0.85),
    _p("HEALTH_PLAN_ID", "plan-prefixed id", r"\b(?P<id>(?:HMO|PPO|EPO|BCBS|POS)-?\d{4,})\b", 0.85),
    _p("HEALTH_PLAN_ID", "medicare beneficiary identifier",
       r"\b(?P<id>[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
       r"[AC-HJKMNP-RT-Y]{2}\d{2})\b", 0.7, flags=0),
    _p("ZIP_CODE", "zip after state",
       r"\b(?:" + _STATES + r")\.?,?\s+(?P<id>\d{5}(?:-\d{4})?)\b", 0.85, flags=0),
    _p("ZIP_CODE", "zip cue",  # 10027, 02139-4307; "394 13" and "114 55" (Czech, Slovak, Swedish, Greek)
       r"\b(?:zip|zip\s*code|postal\s+code|zipcode|post\s*code)(?:\s+is)?\s*[:#]?\s*"
       r"(?P<id>\d{3}[^\S\n]\d{2}(?![\d-])|\d{4,6}(?:-\d{4})?)\b", 0.9),
    _p("ZIP_CODE", "military mail zip",
       r"\b(?:APO|FPO|DPO)[^\S\n]+(?:AA|AE|AP)[^\S\n]+(?P<id>\d{5}(?:-\d{4})?)\b", 0.9),
    _p("ZIP_CODE", "zip+4", r"\b(?P<id>\d{5}-\d{4})\b", 0.6),
    _p("ZIP3", "zip prefix",
       r"\b(?:(?:zip|zip\s*code|postal\s+code)\s*(?:prefix|area)?\s*[:#]?\s*(?P<id>\d{3})(?:xx|\*\*)?(?!\d)|"
       r"(?P<masked>\d{3})(?:xx|XX|\*\*))(?![\w*])", 0.8, validate=lambda _: True),
    _p("AGE_OVER_89", "n-year-old", r"\b" + _AGE + r"(?:\s*|-)(?:years?|yrs?|y)[\s-]*old\b", 0.9),
    _p("AGE_OVER_89", "n y/o", r"\b" + _AGE + r"\s*(?:y/?o|yo|y\.o\.|yrs?|years?\s+of\s+age)(?![a-z])", 0.85),
    _p("AGE_OVER_89", "aged n", r"\b(?:aged?|age\s*:)\s*" + _AGE + r"\b", 0.85),
    _p("AGE_OVER_89", "nonagenarian", r"\b(?P<id>(?:non|cent|supercent)(?:agenarian|enarian)s?)\b", 0.8,
       validate=lambda _: True),
    _p("LICENSE_NUMBER", "licence cue",
       r"\b(?:driver'?s?\s+licen[cs]e|DL|licen[cs]e|certificate|NPI|DEA|passport)" + _SEP
       + r"(?P<id>[A-Z]{0,2}\d[A-Z0-9-]{4,14})\b", 0.85),
    _p("ACCOUNT_NUMBER", "account cue",
       r"\b(?:(?:credit|debit|bank)\s+)?(?:card|account|acct|iban|routing)" + _SEP
       + r"(?P<id>(?=[A-Z0-9 -]{0,34}\d{4})[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){5,34})\b", 0.85,
       validate=lambda v: sum(c.isdigit() for c in v) >= 6),
    _p("PHONE_NUMBER", "phone cue",
       r"\b(?:phone|tel|telephone|mobile|cell|landline|call\s+me(?:\s+(?:at|on))?|reach\s+(?:me|us|her|him)\s+at|"
       r"text\s+(?:me|her|him)(?:\s+at)?|whatsapp|contact)" + _SEP + _ANY_PHONE + r"(?!\d)", 0.85,
       validate=_phone_digits),
    _p("PHONE_NUMBER", "phone after a weaker cue",
       r"\b(?:desk|answering\s+(?:at|on)|messages?\s+(?:to|at|on)|registered)" + _SEP + _ANY_PHONE + r"(?!\d)",
       0.8, validate=_phone_layout),
    _p("PHONE_NUMBER", "phone with its kind after it",
       r"(?<![\w.+-])" + _ANY_PHONE + r"[^\S\n]*-?[^\S\n]*\(?(?:office|mobile|cell|home|work|desk|landline)\b",
       0.85, validate=_phone_layout),
    _p("FAX_NUMBER", "fax with its kind after it",
       r"(?<![\w.+-])" + _ANY_PHONE + r"[^\S\n]*-?[^\S\n]*\(?fax\b", 0.9, validate=_phone_layout),
    _p("PERSON", "name cue",
       r"\b(?:my\s+name\s+is|name\s*:|named(?:\s+(?:him|her|them))?|patient\s+name|pt\s+name|call\s+me|this\s+is|"
       r"I\s+am|I['’]m|(?:goes|went)\s+by|"
       r"(?:first|last|full|middle|maiden|family|given|sur)\s*name(?:\s+is|\s*[:?])?|"
       r"(?:my|our|his|her|their|(?:my\s+|our\s+|the\s+)?(?:patient|pt)['’]s)\s+(?:(?:little|baby|eldest|youngest|late)\s+)?"
       r"(?:kid|son|daughter|child|wife|husband|"
       r"partner|mother|father|mom|mum|dad|brother|sister|grandson|granddaughter|grandmother|grandfather|"
       r"grandma|grandpa|aunt|uncle|niece|nephew|cousin|fianc[ée]e?|boyfriend|girlfriend|roommate|neighbou?r|boss|"
       r"employer|caregiver))\s+(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?\s+)?"
       r"(?P<id>(?-i:[A-Z][\w'’-]+(?:[^\S\n]+(?:[A-Z][\w'’.-]*|de|van|von|da|del|bin|al)){0,3}))", 0.7,
       validate=lambda v: not v.isupper() or len(v) > 4),
    _p("PERSON", "name with middle initial",
       rf"\b(?P<id>(?-i:[{UPPER}][{LOWER}'’-]+[^\S\n]+[A-Z]\.?[^\S\n]+[{UPPER}][{LOWER}'’-]+))\b", 0.75,
       validate=lambda _: True),
    _p("PERSON", "name after honorific",
       r"\b(?-i:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[^\S\n]+"
       rf"(?P<id>(?-i:[{UPPER}][\w'’-]+)(?:[^\S\n]+(?-i:[{UPPER}][\w'’-]+|[A-Z]\.))?)",
       0.75, validate=lambda _: True),
    _p("LOCATION", "place after a travel or home cue",  # flew to ESPOO; grew up in Tujetsch; moved here from Aalborg
       r"\b(?:(?:flew|flown|flying|fly|travell?ed|travell?ing|drove|returned|relocated|immigrated|emigrated)"
       r"(?:\s+(?:back|home|here|over|down|up|in))?\s+(?:to|from|into)|"
       r"(?:grew\s+up|born|raised|lives|living|lived|resides|resided|settled)\s+in|"
       r"moved(?:\s+(?:back|here|over|away))?\s+from|native\s+of|resident\s+of|hometown\s+(?:of|is))\s+"
       rf"(?P<id>{_PLACE_WORD}(?:[^\S\n]+(?:(?-i:de|del|della|la|le|du|da|do|dos|das|di|am|sur)[^\S\n]+)*"
       rf"{_PLACE_WORD}){{0,3}})", 0.7, validate=lambda _: True),
    _p("ADDRESS", "street address",
       r"\b(?P<id>" + _BUILDING + r"\d{1,6}[^\S\n]+(?:[^\W\d_][\w'’.-]*[^\S\n]+){0,4}"
       r"(?-i:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Court|Ct\.?|Way|"
       r"Place|Pl\.?|Terrace|Circle|Cir\.?|Highway|Hwy\.?|Parkway|Pkwy\.?|Square|Sq\.?|Trail|Trl\.?|Alley|Row|"
       r"Crescent|Close))(?![\w])", 0.85,
       validate=lambda _: True),
    _p("ADDRESS", "street name and number",  # Strickstrasse 61, Hammarvägen 15, Laukaantie 80, Brixtonlaan 380
       rf"(?<![@\w])(?P<id>{_BUILDING}(?-i:[{UPPER}][{LOWER}]{{3,}}(?:strasse|straße|gasse|weg|allee|platz|damm|"
       r"vej|vænget|gade|vägen|gatan|gränd|veien|vegen|gata|laan|straat|plein|kade|gracht|katu|kuja|tie|utca|"
       r"útja|ulica))"
       r"[^\S\n]+\d{1,5}[a-zA-Z]?)\b", 0.8, validate=lambda _: True),
    _p("ADDRESS", "street type, name and number",  # Rue de Piétrain 371, Rua Diadema 1903, ul. Słowicza 10
       r"\b(?P<id>" + _BUILDING
       + r"(?-i:Rue|Rua|Rúa|Calle|Carrer|Avenida|Av\.|Ul\.|ul\.|Ulica|Piazza|Largo|Travessa|Praça|Paseo)"
       r"(?:[^\S\n]+(?-i:de|du|des|da|do|dos|das|del|della|dei|di|la|le|los|las))*"
       rf"[^\S\n]+(?-i:[{UPPER}])[\w'’.-]*(?:[^\S\n]+[\w'’.-]+){{0,2}}?[^\S\n]+\d{{1,5}}[a-zA-Z]?)\b", 0.8,
       validate=lambda _: True),
    _p("ADDRESS", "address after a cue",  # lives at Pivovarská 276; address: 255 hersnapvej 18, København
       r"\b(?:(?:lives?|living|lived|stays?|staying)\s+(?:at|on)|address(?:\s+is)?\s*:|"
       r"drops?\s+(?:you|me|us|her|him|them)\s+off\s+at)\s+"
       rf"(?P<id>(?:\d{{1,6}}[^\S\n]+[^\W\d_][\w'’.-]*|(?-i:[{UPPER}])[\w'’.-]*)(?:[^\S\n]+[\w'’.-]+){{0,3}}?"
       r"[^\S\n]+\d{1,5}[a-zA-Z]?)(?=(?:[^\S\n]+(?:st|street|rd|road|ave)\b\.?)?[^\S\n]*(?:[,.;:!?)\n]|$))", 0.8,
       validate=lambda _: True),
    _p("ADDRESS", "apartment or suite",
       r"\b(?P<id>(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[^\S\n]*#?[^\S\n]*\d{1,5}[A-Z]?)\b", 0.85),
    _p("ADDRESS", "post box", r"\b(?P<id>(?:P\.?[^\S\n]?O\.?[^\S\n]+Box|PSC|Unit|Box)[^\S\n]+\d{2,6})\b", 0.8),
    _p("ADDRESS", "street line",
       r"(?m)^[^\S\n]*(?P<id>\d{1,6}[^\S\n]+[^\W\d_][\w'’.-]*(?:[^\S\n]+[^\W\d_][\w'’.-]*){0,3}[^\S\n]+\d{1,5}\.?|"
       rf"(?-i:[{UPPER}])[\w'’.-]+[^\S\n]+\d{{1,5}}\.?)[^\S\n]*$", 0.6, validate=lambda _: True),
    _p("ADDRESS", "postal code ending a line",
       r"(?m)(?:^|(?<![\w'’.-])[^\W\d_][\w'’.-]*,?[^\S\n]+)(?P<id>(?!(?:19|20)\d\d\b)\d{4,5})[^\S\n]*$", 0.6),
    _p("FAX_NUMBER", "fax cue", r"\b(?:fax|facsimile)" + _NO + r"(?P<id>" + _PHONE + r")\b", 0.95),
    _p("DEVICE_ID", "serial cue",
       r"\b(?:serial|S/N|SN|device\s+(?:id|serial)|IMEI|UDI|pacemaker\s+(?:id|serial))" + _NO
       + r"(?P<id>[A-Z0-9][A-Z0-9-]{4,24})\b", 0.85),
    _p("DEVICE_ID", "imei", r"\b(?P<id>\d{15})\b", 0.5, validate=luhn_ok),
    _p("VEHICLE_ID", "plate cue",
       r"\b(?:licen[cs]e\s+plate|plate|tag|registration)" + _NO
       + r"(?P<id>(?=[A-Z0-9 -]{2,9}\b)[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,4})\b", 0.85),
    _p("VEHICLE_ID", "vin", r"\b(?P<id>[A-HJ-NPR-Z0-9]{17})\b", 0.9, validate=vin_check_digit_ok),
    _p("VEHICLE_ID", "vin cue", r"\bVIN" + _NO + r"(?P<id>[A-HJ-NPR-Z0-9]{11,17})\b", 0.9),
    _p("DATE_TIME", "written date", r"\b(?P<id>" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?)\b", 0.85,
       validate=lambda _: True),
    _p("DATE_TIME", "day month date", r"\b(?P<id>" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?)\b",
       0.85, validate=lambda _: True),
    _p("DATE_TIME", "month year", r"\b(?P<id>" + _MONTH + r",?\s+(?:of\s+)?(?:19|20)\d\d)\b", 0.8,
       validate=lambda _: True),
    _p("DATE_TIME", "numeric date",
       r"(?<![\d/.-])(?P<id>(?:0?[1-9]|1[0-2])(?P<sep>[/.-])(?:0?[1-9]|[12]\d|3[01])(?P=sep)(?:19|20)?\d\d|"
       r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\d/.-]*\d)", 0.8,
       validate=lambda _: True),
    _p("DATE_TIME", "month/day after cue",
       r"\b(?:on|DOB|dated?|since|from|seen|admitted|discharged)\s*:?\s+"
       r"(?P<id>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))(?![\d/])", 0.75, validate=lambda _: True),
    _p("ROOM_NUMBER", "room or bed",
       r"\b(?:room|rm\.?|bed|bay|suite|ward)(?:\s*#)?\s*(?P<id>\d{1,4}[A-Z]?(?:-?[A-Z0-9]{1,2})?)\b", 0.7),
)


def find(text: str) -> list[tuple[IdPattern, int, int]]:
    """All (pattern, start, end) hits in text."""
    hits = []
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text):
            group = next((g for g in ("id", "masked") if g in pattern.regex.groupindex and m.group(g)), 0)
            value = m.group(group)
            if pattern.validate(value):
                hits.append((pattern, m.start(group), m.end(group)))
    return hits
