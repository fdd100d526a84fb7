from __future__ import annotations

from typing import Iterable, TextIO

from . import Report, json_dumps

VERSION = 1


def write(report: Report, stream: TextIO) -> None:
    """The JSON contract, streamed: the top level indented, one record per line in its lists (readable,
    diffable, encoded by json's C encoder, and no second copy of every finding in memory)."""
    members = {
        "version": VERSION,
        "fail_on": str(report.fail_on),
        "findings": ({**f.to_dict(report.show_matches), "fix": _fix(report, f.rule)} for f in report.findings),
        "errors": ({"path": r.path, "message": r.error} for r in report.errors),
        "suppressed": ({**s.finding.to_dict(report.show_matches), "suppression": {"kind": s.kind, "reason": s.reason}}
                       for s in report.suppressed),
        "notes": iter(report.notes),
        "policy": report.policy,
        "summary": report.summary,
    }
    for index, (key, value) in enumerate(members.items()):
        stream.write(("{\n" if index == 0 else ",\n") + f"  {_compact(key)}: ")
        if isinstance(value, Iterable) and not isinstance(value, (str, dict)):
            _write_records(value, stream)
        else:
            stream.write(json_dumps(value, indent=2).replace("\n", "\n  "))
    stream.write("\n}\n")


def _fix(report: Report, rule_id: str) -> str:
    rule = report.rules.get(rule_id) if report.rules else None
    return rule.fix if rule else ""


def _write_records(records: Iterable, stream: TextIO) -> None:
    opening = "[\n    "
    for record in records:
        stream.write(opening + _compact(record))
        opening = ",\n    "
    stream.write("[]" if opening.startswith("[") else "\n  ]")


def _compact(value) -> str:
    return json_dumps(value)
