"""What detection reads: the text as a reader sees it, whatever characters it was written with.

Invisible format characters (soft hyphens, zero-width spaces, word joiners, bidi controls) are dropped,
text inside a right-to-left override is put in the order it is displayed, compatibility forms (full-width
letters, mathematical digits) and digits of other scripts become their plain forms, stray combining marks
on Latin letters are dropped, runs of words in capitals are read in title case next to a person cue, and
dashes between letters or digits become '-'. Findings still point at the characters as written (see textmap).
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace

import regex

from .findings import Segment
from .textmap import TextBuilder, TextMap

RLO = "\u202e"
_OVERRIDE_ENDS = frozenset("\u202c\u2069\n")  # pop directional formatting, pop isolate, end of line
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_NEEDS_WORK = regex.compile(r"[\p{Cf}\p{Mn}\p{Zs}\p{Zl}\p{Zp}\u2010-\u2015\u2212\ud800-\udfff]|[^\P{Nd}0-9]")
# spaCy's tokenizer is quadratic in the length of a run of punctuation-heavy characters without spaces
# ("''''", "'s's's"): such runs are cut with a space every CUT_EVERY characters for detection.
LONG_RUN = 80
CUT_EVERY = 40
_LONG_RUN = regex.compile(r"\S{%d,}" % LONG_RUN)


# Names written in capitals ("our patient JOHN SMITH") are read in title case: two or more words in capitals
# after, or including, a word for a person. Shouting without one ("ZERO VIEWS") is left as it is.
_CAPITALS = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{2,}(?:[ \t]+\p{Lu}{2,})+(?![\p{L}\p{N}])")
_PERSON_CUE = regex.compile(r"\b(?:patients?|pt|mrs?|ms|miss|named|name|son|daughter|wife|husband|mom|mum|"
                            r"mother|dad|father|brother|sister|grand\w*|baby|resident|client|neighbou?r)\b[.:,]?\s*",
                            regex.I)
CUE_REACH = 24
_CAPITAL_WORD = regex.compile(r"\p{Lu}(\p{Lu}+)")


def _punctuation_heavy(run: str) -> bool:
    return sum(1 for ch in run if not ch.isalnum()) * 10 >= len(run) * 3


# A number broken by a hard line wrap ("(617)\n555-0142", "617-555-\n0142") reads whole, as the rendered
# paragraph shows it; a keycap or pictograph between digits ("6️⃣1️⃣7️⃣", "617📞555") is no gap.
_WRAPPED_NUMBER = regex.compile(r"(?<=[\d)])[ \t]*\r?\n[ \t]*(?=[\d(])|(?<=\d-)\r?\n(?=\d)")
_DIGIT_DECORATION = regex.compile(r"\d[\ufe0e\ufe0f\u20e3]|\d\p{So}+\d")
_KEYCAP = frozenset("\ufe0e\ufe0f\u20e3")


def _needs_work(text: str) -> bool:
    if not text.isascii() and (_NEEDS_WORK.search(text) or not unicodedata.is_normalized("NFKC", text)
                               or _DIGIT_DECORATION.search(text)):
        return True
    return any(_person_capitals(text)) or bool(_WRAPPED_NUMBER.search(text)) or any(
        _punctuation_heavy(m.group()) for m in _LONG_RUN.finditer(text))


def _surrogate_pair(text: str, i: int) -> str | None:
    """The character a UTF-16 surrogate pair at text[i] stands for (JSON's "\\ud83d\\ude0a" read by YAML)."""
    if "\ud800" <= text[i] <= "\udbff" and i + 1 < len(text) and "\udc00" <= text[i + 1] <= "\udfff":
        return chr(0x10000 + ((ord(text[i]) - 0xD800) << 10) + ord(text[i + 1]) - 0xDC00)
    return None


def _put_char(out: TextBuilder, text: str, i: int) -> int:
    """Puts the character at text[i] as detection reads it; returns how many characters it took."""
    ch = text[i]
    if ch.isascii():
        out.copy(text, i, i + 1)
        return 1
    pair = _surrogate_pair(text, i)
    if pair is not None:
        plain = unicodedata.normalize("NFKC", pair)
        digit = unicodedata.decimal(plain, None) if len(plain) == 1 else None
        out.put(str(digit) if digit is not None else plain, i, i + 2)
        return 2
    if "\ud800" <= ch <= "\udfff":  # a lone surrogate: no character, and spaCy cannot encode it
        out.put("\ufffd", i, i + 1)
        return 1
    if out.chars and out.chars[-1].isdigit() and unicodedata.category(ch) == "So":
        end = _symbols_end(text, i)
        if end < len(text) and text[end].isdigit():  # "617📞555": the pictographs separate digit groups
            out.put("-", i, end)
            return end - i
    _put_plain(out, text, i, ch)
    return 1


def _put_plain(out: TextBuilder, text: str, i: int, ch: str) -> None:
    category = unicodedata.category(ch)
    if category == "Cf" or (ch in _KEYCAP and out.chars and out.chars[-1].isdigit()):
        return

    if category == "Mn" and out.chars and out.chars[-1].isascii() and out.chars[-1].isalpha():
        return
    if category == "Zs":
        out.put(" ", i, i + 1)
    elif category in ("Zl", "Zp"):
        out.put("\n", i, i + 1)
    elif category == "Nd":
        out.put(str(unicodedata.decimal(ch)), i, i + 1)
    elif ch in _DASHES and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
        out.put("-", i, i + 1)
    else:
        plain = unicodedata.normalize("NFKC", ch)
        if plain == ch:
            out.copy(text, i, i + 1)
        else:
            out.put(plain, i, i + 1)


def _symbols_end(text: str, i: int) -> int:
    while i < len(text) and (unicodedata.category(text[i]) == "So" or text[i] in _KEYCAP):
        i += 1
    return i


_GROUPS_BEFORE = regex.compile(r"[\d().-]+(?:[ \t][\d().-]+)*[ \t]*\Z")
_GROUPS_AFTER = regex.compile(r"[ \t]*[\d().-]+(?:[ \t][\d().-]+)*")
PHONE_DIGITS = 10


def _parts_of_one_number(text: str, start: int, end: int) -> bool:
    """The digits on either side of a line break make one number only when neither side is whole by itself
    ("(617)" + "555-0142" is a phone; "0143" + "930.167.3943" are two numbers)."""
    line_start = text.rfind("\n", 0, start) + 1  # (a "\r" before the break is not a digit group)
    before = _GROUPS_BEFORE.search(text, line_start, start)
    after = _GROUPS_AFTER.match(text, end)
    digits = [sum(c.isdigit() for c in m.group()) if m else 0 for m in (before, after)]
    return 0 < digits[0] < PHONE_DIGITS - 3 and 0 < digits[1] < PHONE_DIGITS and \
        7 <= sum(digits) <= PHONE_DIGITS + 1


def _join_wrapped_numbers(built: TextBuilder) -> TextBuilder:
    """A copy where a line break inside a number is a space (or nothing after a hyphen)."""
    text = built.text()
    wraps = [m for m in _WRAPPED_NUMBER.finditer(text) if _parts_of_one_number(text, m.start(), m.end())]
    if not wraps:
        return built
    out, done = TextBuilder(), 0
    for m in wraps:
        out.take(built, done, m.start())
        if text[m.start() - 1] != "-":
            out.put(" ", built.starts[m.start()], built.ends[m.end() - 1])
        done = m.end()
    out.take(built, done, len(built.chars))
    return out


def _person_capitals(text: str):
    for run in _CAPITALS.finditer(text):
        if _PERSON_CUE.search(run.group()) or _PERSON_CUE.search(text, max(0, run.start() - CUE_REACH), run.start()):
            yield run


def _title_case_capitals(out: TextBuilder) -> None:
    text = out.text()
    for run in _person_capitals(text):
        for word in _CAPITAL_WORD.finditer(run.group()):
            for i in range(run.start() + word.start(1), run.start() + word.end(1)):
                lower = out.chars[i].lower()
                if len(lower) == 1:
                    out.chars[i] = lower


def _cut_long_runs(built: TextBuilder) -> TextBuilder:
    """A copy with a space (standing for nothing) every CUT_EVERY characters of long punctuation-heavy runs."""
    text = built.text()
    runs = [m.span() for m in _LONG_RUN.finditer(text) if _punctuation_heavy(m.group())]
    if not runs:
        return built
    out, done = TextBuilder(), 0
    for lo, hi in runs:
        for at in [*range(lo + CUT_EVERY, hi, CUT_EVERY), hi]:
            out.take(built, done, at)
            done = at
            if at < hi:
                out.put(" ", built.starts[at], built.starts[at])
    out.take(built, done, len(built.chars))
    return out


def normalize(text: str) -> tuple[str, TextMap] | None:
    """The text detection should read and its map onto `text`; None when `text` needs no change."""
    if not _needs_work(text):
        return None
    out = TextBuilder()
    i, n = 0, len(text)
    if text.isascii():
        out.copy(text, 0, n)
        i = n
    while i < n:
        if text[i] != RLO:
            i += _put_char(out, text, i)
            continue
        end = i + 1
        while end < n and text[end] not in _OVERRIDE_ENDS:
            end += 1
        for k in range(end - 1, i, -1):  # displayed right to left
            _put_char(out, text, k)
        i = end + 1 if end < n and text[end] != "\n" else end
    _title_case_capitals(out)
    out = _cut_long_runs(_join_wrapped_numbers(out))
    if out.is_identity(text):
        return None
    return out.text(), out.map()


def for_detection(segment: Segment) -> Segment:
    """The segment as detection should read it (itself when nothing changes)."""
    found = normalize(segment.text)
    if found is None:
        return segment
    text, mapping = found
    if segment.origin is not None:
        return replace(segment, text=text, origin=segment.origin.through(mapping))
    return replace(segment, text=text, origin=mapping, written=segment.text)
