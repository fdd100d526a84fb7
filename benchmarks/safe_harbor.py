"""Safe Harbor scoring: gold spans that are not HIPAA identifiers under 45 CFR 164.514(b)(2) are ignored.

presidio_synth annotates every entity its templates fill, and some are allowed by Safe Harbor: company
names (not a patient's employer in these templates), countries, states and provinces (larger than a
state's subdivisions), bare years and weekdays (not date elements more specific than the year). Those gold
spans become ignored spans: a finding on one is neither right nor wrong, and a document left with no gold
span is neither blocked nor passed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from phiguard.policy.filters import smaller_than_state

from .corpus import Document, Span

DEFAULT_CORPORA = frozenset({"presidio_synth"})  # scored this way unless --scoring all
_BARE_YEAR_OR_WEEKDAY = re.compile(
    r"(?:in\s+|the\s+year\s+)?(?:19|20)\d\d"
    r"|(?:(?:on|a|every|last|next|this)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?", re.IGNORECASE)


def why_allowed(doc: Document, span: Span) -> str | None:
    """Why a gold span is not a Safe Harbor identifier, or None if it is one."""
    text = doc.text[span.start:span.end].strip()
    if span.source_label == "ORGANIZATION":
        return "company name"
    if span.source_label == "GPE" and not smaller_than_state(doc.text, span.start, span.end):
        return "country, state or province"
    if span.label == "DATE" and _BARE_YEAR_OR_WEEKDAY.fullmatch(text):
        return "bare year or weekday"
    return None


def safe_harbor_only(docs: list[Document]) -> tuple[list[Document], Counter]:
    """The documents with allowed gold spans moved to `ignored_spans`, and how many of each were moved."""
    moved: Counter = Counter()
    out = []
    for doc in docs:
        keep, ignore = [], []
        for span in doc.spans:
            why = why_allowed(doc, span)
            (ignore if why else keep).append(span)
            if why:
                moved[why] += 1
        out.append(replace(doc, spans=tuple(keep), ignored_spans=doc.ignored_spans + tuple(ignore)))
    return out, moved
