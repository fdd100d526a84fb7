"""Identifier patterns of entity rules: a regex that finds a value, its score and a named check on the value.

A rule file's `patterns` become `IdPattern`s (policy/rules.py); the PhiguardPatterns recognizer runs them
(detection/recognizers.py). A pattern reports its named group `id` (the value without its cue word) or
`masked` when one matched, else the whole match.
"""
from __future__ import annotations

import datetime

from dataclasses import dataclass
from typing import Callable

import regex

from ..safe_regex import Pattern

_YEAR_RANGE = regex.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d$")
_DIGIT_GROUPS = regex.compile(r"\d[\s().-]+\d")


def has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def phone_digits(value: str) -> bool:
    """7 to 15 digits before any extension, and not a range of years."""
    return 7 <= sum(c.isdigit() for c in value.split("x")[0]) <= 15 and not _YEAR_RANGE.match(value)


def phone_layout(value: str) -> bool:
    """Without a cue before it, a number needs a phone's layout: digit groups or a leading +."""
    return phone_digits(value) and (value.startswith("+") or bool(_DIGIT_GROUPS.search(value)))


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


def _digits(value: str) -> list[int]:
    return [int(c) for c in value if c.isdigit()]


def nhs_number_ok(value: str) -> bool:
    """UK NHS number: 10 digits, the last a mod-11 check digit (weights 10 down to 2)."""
    d = _digits(value)
    if len(d) != 10:
        return False
    check = 11 - sum(w * x for w, x in zip(range(10, 1, -1), d)) % 11
    return (0 if check == 11 else check) == d[9]


def ontario_health_card_ok(value: str) -> bool:
    """Ontario health number: 10 digits, Luhn-valid."""
    d = "".join(c for c in value if c.isdigit())
    return len(d) == 10 and luhn_ok(d)


def australian_medicare_ok(value: str) -> bool:
    """Australian Medicare card: first digit 2-6, 9th digit = weighted sum of the first 8 (1,3,7,9...) mod 10."""
    d = _digits(value)
    if len(d) not in (10, 11) or not 2 <= d[0] <= 6:
        return False
    return sum(w * x for w, x in zip((1, 3, 7, 9, 1, 3, 7, 9), d)) % 10 == d[8]


_VERHOEFF_MUL = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VERHOEFF_PERM = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def aadhaar_ok(value: str) -> bool:
    """Indian Aadhaar number: 12 digits, first 2-9, Verhoeff-valid."""
    d = _digits(value)
    if len(d) != 12 or d[0] < 2:
        return False
    c = 0
    for i, x in enumerate(reversed(d)):
        c = _VERHOEFF_MUL[c][_VERHOEFF_PERM[i % 8][x]]
    return c == 0


def birth_year_over_89(value: str) -> bool:
    """A year of birth that makes someone 90 or older this year (and is not in the future or ancient)."""
    year = int("".join(c for c in value if c.isdigit())[:4] or 0)
    return 90 <= datetime.date.today().year - year <= 125


# The checks a rule's pattern may name (`check:`); without one, the value needs a digit.
CHECKS: dict[str, Callable[[str], bool]] = {
    "digit": has_digit,
    "none": lambda _: True,
    "min-4-digits": lambda v: sum(c.isdigit() for c in v) >= 4,
    "min-6-digits": lambda v: sum(c.isdigit() for c in v) >= 6,
    "phone-digits": phone_digits,
    "phone-layout": phone_layout,
    "luhn": luhn_ok,
    "vin-check-digit": vin_check_digit_ok,
    "nhs-number": nhs_number_ok,
    "ontario-health-card": ontario_health_card_ok,
    "australian-medicare": australian_medicare_ok,
    "aadhaar": aadhaar_ok,
    "birth-year-over-89": birth_year_over_89,
    "not-short-capitals": lambda v: not v.isupper() or len(v) > 4,
}
VALUE_GROUPS = ("id", "masked")


@dataclass(frozen=True)
class IdPattern:
    entity: str
    name: str
    pattern: Pattern
    score: float
    check: str = "digit"

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each value the pattern finds and its check accepts."""
        spans = []
        accept = CHECKS[self.check]
        groups = [g for g in VALUE_GROUPS if g in self.pattern.compiled.groupindex]
        for m in self.pattern.finditer(text):
            group = next((g for g in groups if m.group(g)), 0)
            if accept(m.group(group)):
                spans.append(m.span(group))
        return spans
