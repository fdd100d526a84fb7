"""Captions (.srt, .vtt): the words shown on screen, with cue numbers, timings and headers blanked."""
from __future__ import annotations

import re

from ..findings import Segment
from .blanking import blank

# A cue number alone on a line, a timing line ("00:01:02,500 --> 00:01:04,000 align:start"), the WEBVTT header.
_NOT_SHOWN = re.compile(r"^(?:\d+|WEBVTT.*|(?:\d+:)?\d\d:\d\d[.,]\d{3}\s+-->\s+.*)[ \t]*$", re.M)


def segments(path: str, text: str) -> list[Segment]:
    chars = list(text)
    for m in _NOT_SHOWN.finditer(text):
        blank(chars, m.start(), m.end())
    body = "".join(chars)
    return [Segment(path, "captions", body)] if body.strip() else []
