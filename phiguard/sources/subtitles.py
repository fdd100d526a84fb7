"""Captions (.srt, .vtt): the words shown on screen, with cue numbers, timings and headers blanked and
character references (`&#45;`, `&amp;`) decoded."""
from __future__ import annotations

import re

from ..findings import Segment
from . import html
from .blanking import blank

_TIMING = r"(?:\d+:)?\d\d:\d\d[.,]\d{3}\s+-->\s+"
# A cue number (only on the line before a timing: a number alone on a caption line is shown), a timing line
# ("00:01:02,500 --> 00:01:04,000 align:start"), the WEBVTT header.
_NOT_SHOWN = re.compile(rf"^(?:\d+[ \t]*(?=\r?\n{_TIMING})|WEBVTT.*|{_TIMING}.*)[ \t]*$", re.M)


def segments(path: str, text: str) -> list[Segment]:
    chars = list(text)
    for m in _NOT_SHOWN.finditer(text):
        blank(chars, m.start(), m.end())
    body = "".join(chars)
    if "&" in body:
        segment = html.decoded_segment(path, "captions", body, 0, len(body))
        return [segment] if segment else []
    return [Segment(path, "captions", body)] if body.strip() else []
