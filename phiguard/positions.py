"""Character offsets to 1-based line and column."""
from __future__ import annotations

import bisect


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
