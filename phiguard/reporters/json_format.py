from __future__ import annotations

import json
from typing import TextIO

from . import Report

VERSION = 1


def write(report: Report, stream: TextIO) -> None:
    document = {
        "version": VERSION,
        "fail_on": str(report.fail_on),
        "findings": [f.to_dict(report.show_matches) for f in report.findings],
        "errors": [{"path": r.path, "message": r.error} for r in report.errors],
        "suppressed": [{**s.finding.to_dict(report.show_matches), "suppression": {"kind": s.kind, "reason": s.reason}}
                       for s in report.suppressed],
        "notes": report.notes,
        "summary": report.summary,
    }
    stream.write(json.dumps(document, indent=2, ensure_ascii=False))  # one write: json.dump writes per token
    stream.write("\n")
