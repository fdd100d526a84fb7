"""Hide markup while keeping every other character at its file offset."""
from __future__ import annotations


def blank(chars: list[str], start: int, end: int) -> None:
    """Replace chars[start:end] with spaces, keeping newlines."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "
