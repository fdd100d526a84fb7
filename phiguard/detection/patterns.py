"""Recognizers for identifiers Presidio lacks: one regex table, small named validators.

Each pattern reports the named group `id` when present (the identifier without its cue word),
else the whole match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# Optional parts are "spaces + required token": a run of spaces splits only one way (no catastrophic backtracking).
_NO = r"(?:\s*(?:number|num\.?|no\.?|#|id|ID)\b)?(?:\s*[:#])?\s*"
_PHONE = r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
_AGE = r"(?:9\d|1[0-2]\d)"
_STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    r"NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)


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
       r"\b(?:MRN|MR#|medical\s+record|med\.?\s*rec\.?|chart|patient\s+(?:id|number|no\.?|#))" + _NO
       + r"(?P<id>[A-Z]{0,3}-?\d[\d-]{3,14}[A-Z]?)\b", 0.9),
    _p("HEALTH_PLAN_ID", "member id cue",
       r"\b(?:member|subscriber|beneficiary|policy|group|insurance|health\s+plan|medicaid|medicare|MBI)"
       r"(?:\s+(?:id|number|no\.?|#))?(?:\s*[:#])?\s*(?P<id>[A-Z0-9][A-Z0-9-]{5,19})\b", 0.85),
    _p("HEALTH_PLAN_ID", "medicare beneficiary identifier",
       r"\b(?P<id>[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
       r"[AC-HJKMNP-RT-Y]{2}\d{2})\b", 0.7, flags=0),
    _p("ZIP_CODE", "zip after state",
       r"\b(?:" + _STATES + r")\.?,?\s+(?P<id>\d{5}(?:-\d{4})?)\b", 0.85, flags=0),
    _p("ZIP_CODE", "zip cue",
       r"\b(?:zip|zip\s*code|postal\s+code|zipcode)\s*[:#]?\s*(?P<id>\d{5}(?:-\d{4})?)\b", 0.9),
    _p("ZIP_CODE", "zip+4", r"\b(?P<id>\d{5}-\d{4})\b", 0.6),
    _p("AGE_OVER_89", "n-year-old", r"\b" + _AGE + r"(?:\s*|-)(?:years?|yrs?|y)[\s-]*old\b", 0.9),
    _p("AGE_OVER_89", "n y/o", r"\b" + _AGE + r"\s*(?:y/?o|yo|y\.o\.|yrs?|years?\s+of\s+age)(?![a-z])", 0.85),
    _p("AGE_OVER_89", "aged n", r"\b(?:aged?|age\s*:)\s*" + _AGE + r"\b", 0.85),
    _p("AGE_OVER_89", "nonagenarian", r"\b(?P<id>(?:non|cent|supercent)(?:agenarian|enarian)s?)\b", 0.8,
       validate=lambda _: True),
    _p("LICENSE_NUMBER", "licence cue",
       r"\b(?:driver'?s?\s+licen[cs]e|DL|licen[cs]e|certificate|NPI|DEA)" + _NO
       + r"(?P<id>[A-Z]{0,2}\d[A-Z0-9-]{4,14})\b", 0.85),
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
    _p("ROOM_NUMBER", "room or bed",
       r"\b(?:room|rm\.?|bed|bay|suite|ward)(?:\s*#)?\s*(?P<id>\d{1,4}[A-Z]?(?:-?[A-Z0-9]{1,2})?)\b", 0.7),
)


def find(text: str) -> list[tuple[IdPattern, int, int]]:
    """All (pattern, start, end) hits in text."""
    hits = []
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text):
            group = "id" if "id" in pattern.regex.groupindex and m.group("id") else 0
            value = m.group(group)
            if pattern.validate(value):
                hits.append((pattern, m.start(group), m.end(group)))
    return hits
