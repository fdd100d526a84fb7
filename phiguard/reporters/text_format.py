from __future__ import annotations

from typing import TextIO

from . import Report, json_dumps, shown_path


def write(report: Report, stream: TextIO) -> None:
    for f in report.findings:
        where = f" [{f.segment}]" if f.offsets == "segment" else ""
        shown = f" {json_dumps(f.match)}" if report.show_matches and f.match else ""  # one line
        stream.write(f"{shown_path(f.path)}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}{where}{shown}\n")
    for r in report.errors:
        stream.write(f"{shown_path(r.path)}:1:1: error scan-error {r.error}\n")
    for s in report.suppressed:
        f = s.finding
        stream.write(f"{shown_path(f.path)}:{f.line}:{f.column}: suppressed {f.rule} ({s.kind}: {s.reason})\n")
    for note in report.notes:
        stream.write(f"note: {note}\n")
