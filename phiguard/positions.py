"""Character offsets to 1-based line and column."""
from __future__ import annotations

import bisect
import re

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class LineIndex:
    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and 0-based column (as html.parser counts them)."""
        return self._starts[line - 1] + column


class Paragraphs:
    """A text's paragraphs (text between blank lines)."""

    def __init__(self, text: str) -> None:
        self._bounds = [0] + [m.end() for m in _BLANK_LINE.finditer(text)] + [len(text)]

    def __iter__(self):
        return iter(zip(self._bounds, self._bounds[1:]))

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def around(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._bounds, offset) - 1
        i = min(max(i, 0), len(self._bounds) - 2)
        return self._bounds[i], self._bounds[i + 1]
