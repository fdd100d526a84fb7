"""User-supplied patterns (policy rules): validated when loaded, bounded in time when run.

Uses the `regex` engine, whose matching can be given a timeout; Python's `re` cannot be interrupted.
A pattern that runs out of time raises `RegexTimeout` naming its rule file, never a silent pass.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import regex

from .errors import ConfigError, PhiguardError

MAX_PATTERN_CHARS = 1000
DEFAULT_TIMEOUT = 1.0  # seconds per search over one segment


class RegexTimeout(PhiguardError):
    """A pattern took longer than its time limit: the text was not fully checked."""


@dataclass(frozen=True)
class SafePattern:
    pattern: regex.Pattern
    source: str  # "rules/x.yaml:12", for messages
    timeout: float = DEFAULT_TIMEOUT

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each match; RegexTimeout if the whole search exceeds the time limit."""
        try:
            for m in self.pattern.finditer(text, timeout=self.timeout):
                yield m.start(), m.end()
        except TimeoutError:
            raise RegexTimeout(f"{self.source}: pattern took longer than {self.timeout:g}s on this text: "
                               "simplify it (nested repetition such as (a+)+ backtracks)") from None


def compile_pattern(pattern: object, source: str, *, ignore_case: bool = False,
                    timeout: float = DEFAULT_TIMEOUT) -> SafePattern:
    """Compile a rule's pattern or raise a ConfigError that names `source` (file:line)."""
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{source}: pattern must be a non-empty string")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ConfigError(f"{source}: pattern is longer than {MAX_PATTERN_CHARS} characters")
    flags = regex.IGNORECASE if ignore_case else 0  # VERSION0: the semantics of Python's re
    try:
        compiled = regex.compile(pattern, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        raise ConfigError(f"{source}: invalid pattern: {exc}") from None
    if compiled.fullmatch("") is not None:
        raise ConfigError(f"{source}: pattern matches the empty string, so it would flag nothing useful")
    return SafePattern(compiled, source, timeout)
