"""Regexes from rule files, bounded: a pattern that backtracks for too long is an error, not a hang."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterator

import regex

from .errors import ConfigError, PhiguardError

TIMEOUT_SECONDS = 1.0
MAX_PATTERN_CHARS = 5000  # shipped cue lists with their fragments expanded stay under it


class RegexTimeout(PhiguardError):
    pass


@dataclass(frozen=True)
class Pattern:
    source: str
    compiled: regex.Pattern
    origin: str  # "file:line" of the rule, for error messages

    def finditer(self, text: str) -> Iterator[regex.Match]:
        try:
            yield from self.compiled.finditer(text, timeout=TIMEOUT_SECONDS)
        except TimeoutError:
            raise RegexTimeout(f"{self.origin}: pattern took longer than {TIMEOUT_SECONDS}s "
                               "(catastrophic backtracking?): simplify it") from None

    def search(self, text: str) -> regex.Match | None:
        try:
            return self.compiled.search(text, timeout=TIMEOUT_SECONDS)
        except TimeoutError:
            raise RegexTimeout(f"{self.origin}: pattern took longer than {TIMEOUT_SECONDS}s "
                               "(catastrophic backtracking?): simplify it") from None


@functools.lru_cache(maxsize=512)
def _compiled(source: str, flags: int) -> regex.Pattern:
    """Rules share cue lists: each distinct pattern is compiled once per process."""
    return regex.compile(source, flags)


def compile_pattern(source: str, case_sensitive: bool, error: Callable[[str, int | None], ConfigError],
                    line: int | None, key: str) -> Pattern:
    if not source:
        raise error(f"'{key}' must be a non-empty regular expression", line)
    if len(source) > MAX_PATTERN_CHARS:
        raise error(f"'{key}' is longer than {MAX_PATTERN_CHARS} characters", line)
    flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)
    try:
        compiled = _compiled(source, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        raise error(f"'{key}' is not a valid regular expression: {exc}", line) from None
    if compiled.fullmatch("") is not None:
        raise error(f"'{key}' matches the empty string, so it would flag nothing useful", line)
    err = error("", line)
    return Pattern(source, compiled, str(err).rstrip(": "))
