"""Text that detection reads, mapped back to the text as written.

A source that decodes (HTML entities, Markdown escapes) or a normaliser that rewrites (Unicode format
characters, full-width digits) produces a new text and a TextMap: character `i` of the new text stands
for `written[starts[i]:ends[i]]`. Findings are reported at the written offsets.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class TextMap:
    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Written span of the new text's [start, end)."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return at, at
        return min(self.starts[start:end]), max(self.ends[start:end])  # reordered text (bidi) too

    def piece(self, start: int, end: int) -> "TextMap":
        return TextMap(self.starts[start:end], self.ends[start:end])

    def through(self, inner: "TextMap") -> "TextMap":
        """`inner` maps a newer text onto this map's new text: map it onto the written text instead."""
        starts, ends = array("q"), array("q")
        for s, e in zip(inner.starts, inner.ends):
            starts.append(self.starts[s])
            ends.append(self.ends[max(s, e - 1)] if e - s <= 1 else max(self.ends[s:e]))
        return TextMap(starts, ends)


class TextBuilder:
    """Builds a new text character by character, remembering where each character was written."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts = array("q")
        self.ends = array("q")

    def copy(self, written: str, start: int, end: int) -> None:
        """Characters that stand as written at [start, end)."""
        self.chars.extend(written[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def put(self, text: str, start: int, end: int) -> None:
        """Characters decoded from written[start:end] (an entity, an escape)."""
        self.chars.extend(text)
        self.starts.extend([start] * len(text))
        self.ends.extend([end] * len(text))

    def blank(self, written: str, start: int, end: int) -> None:
        """written[start:end] as spaces, its line breaks kept, each at its own position (code not read)."""
        self.chars.extend("\n" if ch == "\n" else " " for ch in written[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def take(self, other: "TextBuilder", start: int, end: int) -> None:
        """Characters [start, end) of another builder, with where they were written."""
        self.chars.extend(other.chars[start:end])
        self.starts.extend(other.starts[start:end])
        self.ends.extend(other.ends[start:end])

    def text(self) -> str:
        return "".join(self.chars)

    def in_place(self, start: int) -> bool:
        """Whether each character stands at its own position from `start` (nothing decoded or dropped)."""
        n = len(self.chars)
        return self.starts == array("q", range(start, start + n)) and self.ends == array("q", range(start + 1, start + n + 1))

    def map(self) -> TextMap:
        return TextMap(self.starts, self.ends)

    def is_identity(self, written: str) -> bool:
        return len(self.chars) == len(written) and self.text() == written
