"""SARIF 2.1.0: rules with help text, one result per finding with its region, no matched text.

Suppressed findings are results with a `suppressions` entry (inline directive: inSource; allowlist,
authorization, baseline: external), so code-scanning tools show them as dismissed, not as alerts.
"""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .. import __version__
from ..findings import IDENTIFIERS, Finding, Severity
from . import Report, json_dumps

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/phiguard-lint/"
_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}


def _uri(path: str) -> str:
    return Path(path).as_posix() if not path.startswith("<") else path.strip("<>")


def _rule(rule) -> dict:
    category = IDENTIFIERS.get(rule.identifier, rule.identifier)
    fix = rule.fix or "Remove or generalise it before publishing."
    help_text = (rule.description.strip() + "\n\n" if rule.description else "") + \
        f"HIPAA Safe Harbor identifier: {category}. {fix} Or record the decision (see `phiguard explain {rule.id}`)."
    return {
        "id": rule.id,
        "name": "".join(part.title() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": (rule.description or rule.message).strip()},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"identifier": rule.identifier, "tags": ["privacy", "hipaa", rule.identifier]},
    }


def _result(f: Finding, report: Report, index: dict[str, int]) -> dict:
    result = {
        "ruleId": f.rule,
        "level": "error" if f.severity >= report.fail_on else _LEVEL[f.severity],
        "message": {"text": f"{f.message} ({f.identifier}, severity {f.severity}, "
                            f"confidence {f.confidence:.2f}, in {f.segment})"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                       "endColumn": f.end_column, "charOffset": f.start, "charLength": f.end - f.start},
        }}],
        "properties": {"severity": str(f.severity), "confidence": round(f.confidence, 2),
                       "identifier": f.identifier, "segment": f.segment},
    }
    if f.fingerprint:  # keyed like the JSON one (no plaintext): code scanning follows a finding across commits
        result["partialFingerprints"] = {"phiguardFingerprint/v1": f.fingerprint}
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    return result


def document(report: Report) -> dict:
    rules = sorted(report.rules.values(), key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    results = [_result(f, report, index) for f in report.findings]
    for s in report.suppressed:
        result = _result(s.finding, report, index)
        result["suppressions"] = [{"kind": "inSource" if s.kind == "inline" else "external",
                                   "status": "accepted", "justification": f"{s.kind}: {s.reason}"}]
        results.append(result)
    notifications = [{"level": "error", "message": {"text": f"{r.path}: {r.error}"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]}
                     for r in report.errors]
    notifications += [{"level": "warning", "message": {"text": note}} for note in report.notes]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "phiguard", "version": __version__, "informationUri": INFORMATION_URI,
                                "rules": [_rule(r) for r in rules]}},
            "invocations": [{"executionSuccessful": not report.errors,
                             "toolExecutionNotifications": notifications}],
            "results": results,
            "properties": {"summary": report.summary, "policy": report.policy},
        }],
    }


def write(report: Report, stream: TextIO) -> None:
    stream.write(json_dumps(document(report), indent=2))  # one write: json.dump writes per token
    stream.write("\n")
