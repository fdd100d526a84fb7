"""Identifier patterns of entity rules: a regex that finds a value, its score and a named check on the value.

A rule file's `patterns` become `IdPattern`s (policy/rules.py); the PhiguardPatterns recognizer runs them
(detection/recognizers.py). A pattern reports its named group `id` (the value without its cue word) or
`masked` when one matched, else the whole match.
"""
from __future__ import annotations

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
