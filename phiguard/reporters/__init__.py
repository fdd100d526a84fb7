"""Reporters: pure functions of (report, stream). Chosen by name from REPORTERS."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, TextIO

from ..findings import Finding, Severity
from ..scanner import FileReport


@dataclass
class Report:
    files: list[FileReport]
    fail_on: Severity
    show_matches: bool
    exit_code: int = 0
    summary: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)  # rule id → Rule, for formats that describe rules (SARIF)
    suppressed: list = field(default_factory=list)  # suppress.Suppressed: reported, never blocking
    notes: list[str] = field(default_factory=list)  # e.g. an expired authorization
    cache_hits: int = 0  # files whose findings came from the result cache
    policy: dict = field(default_factory=dict)  # policy.effective.describe: the config and what it weakens

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> list[FileReport]:
        return [r for r in self.files if r.error]


def shown_path(path: str) -> str:
    """A file name as reports print it: control characters escaped (a newline in a name must not start a
    line of its own, such as a GitHub workflow command), undecodable bytes as \\xNN."""
    if path.isprintable():
        return path
    out = []
    for ch in path:
        if ch.isprintable():
            out.append(ch)
        elif "\udc80" <= ch <= "\udcff":  # a byte that is not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_dumps(value, **options) -> str:
    """json.dumps keeping non-ASCII text as it is, but a file name's undecodable bytes (lone surrogates,
    which UTF-8 cannot encode) as \\uXXXX escapes."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _SURROGATE.search(text) else text


def summarize(report: Report) -> dict:
    findings = report.findings
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    return {
        "files_scanned": sum(1 for r in report.files if not r.error),
        "files_with_findings": sum(1 for r in report.files if r.findings),
        "findings": len(findings),
        "by_severity": {str(s): sum(1 for f in findings if f.severity == s) for s in Severity},
        "by_rule": dict(sorted(by_rule.items())),
        "blocking": sum(1 for f in findings if f.severity >= report.fail_on),
        "errors": len(report.errors),
        "exit_code": report.exit_code,
        "cache_hits": report.cache_hits,
        "suppressed": _suppressed_counts(report),
    }


def _suppressed_counts(report: Report) -> dict[str, int]:
    from ..suppress import counts

    return counts(report.suppressed)


def _load(name: str) -> Callable[[Report, TextIO], None]:
    from importlib import import_module

    return import_module(f".{name}_format", __name__).write


FORMATS = ("rich", "json", "text", "sarif", "github", "junit")


def write(name: str, report: Report, stream: TextIO) -> None:
    _load(name)(report, stream)
