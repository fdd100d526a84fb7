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
    stream.write(summary_line(report) + "\n")


def summary_line(report: Report) -> str:
    """The verdict in one line, last in a hook's or a CI job's log."""
    s = report.summary
    files = f"{s['files_scanned']} file{'s' if s['files_scanned'] != 1 else ''}"
    if report.exit_code == 2:
        return f"phiguard: ERROR: {s['errors']} file(s) could not be checked (see above); {files} checked"
    if report.exit_code == 1:
        hint = "" if report.show_matches else "; run `phiguard scan FILE` at a terminal to see the matches"
        return (f"phiguard: BLOCKED: {s['blocking']} finding(s) at or above {report.fail_on} in "
                f"{s['files_with_findings']} of {files}{hint}")
    return f"phiguard: no blocking findings in {files}"
