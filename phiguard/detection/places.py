"""A gazetteer of towns and cities the NER model misses ("HARSTAD", "Kingman"): rules/tables/places.yaml.

Runs of capitalised (or all-capitals) words are looked up, longest first, up to four words.
"""
from __future__ import annotations

import functools

import regex

from ..tables import shipped_table

SCORE = 0.6
_WORD = r"(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*|\p{Lu}{2,}(?:-\p{Lu}{2,})*)"
_RUN = regex.compile(rf"(?<![\p{{L}}\d@'’./-]){_WORD}(?:[^\S\n]+{_WORD}){{0,3}}(?![\p{{L}}\d'’-])")
_WORDS = regex.compile(_WORD)
LONGEST = 4


@functools.lru_cache(maxsize=1)
def places() -> frozenset[str]:
    return frozenset(shipped_table("places.yaml")["places"].split("\n"))


def find(text: str) -> list[tuple[int, int]]:
    """[start, end) of each listed place in `text`."""
    known = places()
    found = []
    for run in _RUN.finditer(text):
        words = [(m.start() + run.start(), m.end() + run.start()) for m in _WORDS.finditer(run.group())]
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + LONGEST), i, -1):
                if text[words[i][0]:words[j - 1][1]].casefold() in known:
                    found.append((words[i][0], words[j - 1][1]))
                    i = j
                    break
            else:
                i += 1
    return found
