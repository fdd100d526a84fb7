"""Which language each paragraph is in, so that the English model never judges another language.

A paragraph with enough English function words is English without asking; the others go to py3langid
(BSD-3-Clause, its model ships in the wheel: nothing is downloaded), loaded on first need.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..positions import Paragraphs

EXPECTED = "en"
MIN_LETTERS = 40  # shorter paragraphs say too little to judge
MIN_CONFIDENCE = 0.9
NO_LANGUAGE = frozenset({"zxx", "und", "mul"})  # ISO 639 codes for "no linguistic content", "undetermined"
ENGLISH_RATIO = 0.12  # English prose runs at 0.3 to 0.5 of these words
_ENGLISH_WORDS = frozenset(  # frequent in English, rare as words of other Latin-script languages
    "the and of to is it you that she was for are with his her they this have from or by we our your not but "
    "were when can will there their been who what".split())
_WORD = regex.compile(r"[\p{L}'’]+")
_NOT_PROSE = regex.compile(r"[#@][\w.]+|\bhttps?://\S+|\b\S+\.(?:com|org|gov|net|edu)\S*")


@dataclass(frozen=True)
class Foreign:
    """A paragraph, text[start:end], in `language` (an ISO 639-1 code)."""

    start: int
    end: int
    language: str


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> tuple[str, float]:
    """The language of `text` and the identifier's confidence; English when it is plainly English."""
    prose = _NOT_PROSE.sub(" ", text)
    words = _WORD.findall(prose)
    if words and sum(w.lower() in _ENGLISH_WORDS for w in words) >= max(2.0, ENGLISH_RATIO * len(words)):
        return EXPECTED, 1.0
    if sum(len(w) for w in words) < MIN_LETTERS:
        return EXPECTED, 0.0
    language, confidence = _identifier().classify(prose)
    if language in NO_LANGUAGE:  # keys, codes, numbers: nothing a model of a language would read
        return EXPECTED, 0.0
    return language, float(confidence)


def foreign_paragraphs(text: str) -> list[Foreign]:
    """The paragraphs of `text` confidently in a language other than English. In a text that is as a whole
    in another language, a paragraph too short to judge (a heading, a line with a name) is taken to be in
    it too, unless it is plainly English."""
    paragraphs = list(Paragraphs(text))
    whole, whole_confidence = language_of(text) if len(paragraphs) > 1 else (EXPECTED, 0.0)
    found = []
    for start, end in paragraphs:
        language, confidence = language_of(text[start:end])
        if confidence < MIN_CONFIDENCE and whole != EXPECTED and whole_confidence >= MIN_CONFIDENCE:
            language, confidence = whole, whole_confidence
        if language != EXPECTED and confidence >= MIN_CONFIDENCE:
            found.append(Foreign(start, end, language))
    return found


def blanked(text: str, foreign: list[Foreign]) -> str:
    """`text` with the foreign paragraphs' characters turned to spaces (line breaks kept): offsets hold."""
    if not foreign:
        return text
    chars = list(text)
    for f in foreign:
        for i in range(f.start, f.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
