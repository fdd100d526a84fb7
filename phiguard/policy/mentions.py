"""Mentions of one name: "Maria Alvarez ... Maria's smile" is one person, wherever the model saw her.

For rules with `repeats: true`:
- each word of a hit is looked for again in the segment, and each whole-word occurrence that no other hit
  covers (and that passes the rule's filters) becomes a hit of the same rule, severity and notes;
- mentions that share a word share an escalation: a patient cue near one mention raises all of them;
- a mention made only of words of a downgraded mention ("Sarah" after "Dr. Sarah Chen") is that person
  and takes the same lower severity. A mention with a word of its own ("Sarah Jones") is someone else.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

# Words that do not identify a person on their own: titles and the small words NER spans pick up.
_NOT_NAME_WORDS = frozenset(
    "dr dra drs mr mrs ms miss mx sir madam dame lord lady prof doctor nurse the and for von van der den del "
    "della de la le du da dos das bin ibn jr sr".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def name_words(span: str) -> frozenset[str]:
    words = (re.sub(r"['’]s$", "", w) for w in _WORD.findall(span))
    return frozenset(w for w in words if len(w) >= 3 and w[0].isupper() and w.casefold() not in _NOT_NAME_WORDS)


def repeated_mentions(text: str, hits: list, passes: Callable[[object, str, int, int], bool]) -> list:
    """New hits for the other occurrences of the words of `repeats` hits (most severe hit first). Each word is
    looked for once per rule, and covered characters are marked: linear in the mentions of a name."""
    seeds = sorted((h for h in hits if h.rule.repeats), key=lambda h: (-h.severity, h.start))
    covered = bytearray(len(text))
    for h in hits:
        covered[h.start:h.end] = b"\1" * (min(h.end, len(text)) - min(h.start, len(text)))
    searched: set[tuple[int, str]] = set()
    new = []
    for seed in seeds:
        for word in sorted(name_words(text[seed.start:seed.end])):
            if (id(seed.rule), word) in searched:
                continue  # its occurrences are taken, or did not pass this rule's filters
            searched.add((id(seed.rule), word))
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text):
                if any(covered[m.start():m.end()]) or not passes(seed.rule, text, m.start(), m.end()):
                    continue
                new.append(replace(seed, start=m.start(), end=m.end(), recognizer="phiguard:repeated name"))
                covered[m.start():m.end()] = b"\1" * (m.end() - m.start())
    return new


def align_severities(text: str, hits: list) -> None:
    """Mentions of one person get one severity (see the module docstring)."""
    mentions = [(h, name_words(text[h.start:h.end])) for h in hits if h.rule.repeats]
    raised = [(h, words) for h, words in mentions if h.severity > h.rule.severity]
    lowered = [(h, words) for h, words in mentions if h.severity < h.rule.severity]
    for hit, words in mentions:
        if not words:
            continue
        up = [h for h, w in raised if w & words and h.severity > hit.severity]
        if up:
            source = max(up, key=lambda h: h.severity)
            hit.severity, hit.notes = source.severity, _merged(hit.notes, source.notes)
        elif hit.severity == hit.rule.severity:
            down = [h for h, w in lowered if words <= w]
            if down:
                source = min(down, key=lambda h: h.severity)
                hit.severity, hit.notes = source.severity, _merged(hit.notes, source.notes)


def _merged(notes: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return notes + tuple(n for n in more if n not in notes)
