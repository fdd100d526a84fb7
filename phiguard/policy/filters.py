"""Named false-positive filters: each says whether a detection is still worth reporting."""
from __future__ import annotations

import re
from typing import Callable

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_SPECIFIC_DATE = re.compile(
    r"\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"            # 3/14, 2024-03-14, 14.03.24
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"          # March 14th
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"  # 14 March, 14th of March
    rf"|\b{_MONTH},?\s+\d{{4}}\b",                          # March 2024
    re.IGNORECASE,
)

US_STATES = frozenset(s.casefold() for s in (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii "
    "Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan "
    "Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee "
    "Texas Utah Vermont Virginia Washington Wisconsin Wyoming"
).split()) | frozenset(s.casefold() for s in (
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "Puerto Rico", "District of Columbia",
    "New York State", "Washington State",
))
LARGER_THAN_STATE = frozenset(s.casefold() for s in (
    "US", "U.S.", "USA", "U.S.A.", "America", "United States", "the United States", "North America",
    "South America", "Europe", "Asia", "Africa", "Australia", "Antarctica", "Canada", "Mexico", "UK",
    "U.K.", "United Kingdom", "England", "Scotland", "Wales", "Ireland", "France", "Germany", "Italy",
    "Spain", "Portugal", "China", "Japan", "India", "Brazil", "Russia", "Nigeria", "Kenya", "Egypt",
    "Israel", "Pakistan", "Philippines", "Vietnam", "Korea", "South Korea", "Ukraine", "Poland",
    "Netherlands", "Sweden", "Norway", "Denmark", "Finland", "Switzerland", "Austria", "Greece", "Turkey",
    "Iran", "Iraq", "Haiti", "Cuba", "Jamaica", "Colombia", "Argentina", "Chile", "Peru", "Venezuela",
    "New Zealand", "Singapore", "Thailand", "Indonesia", "Malaysia", "Ethiopia", "Ghana", "South Africa",
    "the Middle East", "Latin America", "the Caribbean", "Midwest", "the Midwest", "New England",
    "the South", "the West Coast", "the East Coast", "Earth", "the world",
))


def specific_date(text: str) -> bool:
    """A date element more specific than the year (Safe Harbor allows the bare year)."""
    return bool(_SPECIFIC_DATE.search(text))


def smaller_than_state(text: str) -> bool:
    """Geographic units of a state or larger are allowed by Safe Harbor."""
    name = text.strip().rstrip(".,").casefold()
    name = name[4:] if name.startswith("the ") and name not in LARGER_THAN_STATE else name
    return name not in US_STATES and name not in LARGER_THAN_STATE


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


FILTERS: dict[str, Callable[[str], bool]] = {
    "specific_date": specific_date,
    "smaller_than_state": smaller_than_state,
    "has_letters": has_letters,
}
