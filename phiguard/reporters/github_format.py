"""GitHub Actions workflow commands: `::error file=…,line=…::message` annotations.

GitHub shows at most 10 error and 10 warning annotations per step (50 per job), so at most that many
are emitted; the full table goes to the job summary ($GITHUB_STEP_SUMMARY) when it is available.
"""
from __future__ import annotations

import os
from typing import TextIO

from . import Report, shown_path

PER_LEVEL = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **props) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{level} {fields}::{escape_data(message)}\n" if fields else f"::{level}::{escape_data(message)}\n"


def summary_markdown(report: Report) -> str:
    s = report.summary
    out = ["## phiguard", "",
           f"{s['files_scanned']} file(s) scanned, {s['findings']} finding(s), {s['blocking']} blocking "
           f"(at or above {report.fail_on}), {len(report.suppressed)} suppressed, {s['errors']} error(s).", ""]
    if report.findings or report.suppressed:
        out += ["| file | line | col | severity | rule | message | status |", "|---|---|---|---|---|---|---|"]
        rows = [(f, "blocking" if f.severity >= report.fail_on else "finding") for f in report.findings]
        rows += [(x.finding, f"suppressed ({x.kind})") for x in report.suppressed]
        for f, status in rows:
            message, where = f.message.replace("|", "\\|"), shown_path(f.path).replace("|", "\\|")
            out.append(f"| {where} | {f.line} | {f.column} | {f.severity} | {f.rule} | {message} | {status} |")
    for r in report.errors:
        out.append(f"- error: {shown_path(r.path)}: {r.error}")
    for note in report.notes:
        out.append(f"- note: {note}")
    return "\n".join(out) + "\n"


def write(report: Report, stream: TextIO, step_summary: str | None = None) -> None:
    step_summary = step_summary if step_summary is not None else os.environ.get("GITHUB_STEP_SUMMARY")
    emitted = {"error": 0, "warning": 0}
    for r in report.errors:
        if emitted["error"] < PER_LEVEL:
            stream.write(_command("error", r.error or "cannot be scanned", file=shown_path(r.path), title="phiguard: scan error"))
            emitted["error"] += 1
    left_out = 0
    for f in report.findings:
        level = "error" if f.severity >= report.fail_on else "warning"
        if emitted[level] >= PER_LEVEL:
            left_out += 1
            continue
        emitted[level] += 1
        fix = report.rules[f.rule].fix if level == "error" and f.rule in report.rules else ""
        stream.write(_command(level, f"{f.message} ({f.identifier}, severity {f.severity}, "
                                     f"confidence {f.confidence:.2f})" + (f". Fix: {fix}" if fix else ""),
                              file=shown_path(f.path), line=f.line, col=f.column, endLine=f.end_line, endColumn=f.end_column,
                              title=f"phiguard {f.rule}"))
    for note in report.notes:
        if emitted["warning"] < PER_LEVEL:
            emitted["warning"] += 1
            stream.write(_command("warning", note, title="phiguard"))
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(summary_markdown(report))
    s = report.summary
    where = "the job summary" if step_summary else "`phiguard scan --format text`"
    tail = f"; {left_out} more not annotated (GitHub's per-step limit): see {where}" if left_out else ""
    stream.write(f"phiguard: {s['findings']} finding(s), {s['blocking']} blocking, "
                 f"{len(report.suppressed)} suppressed, {s['errors']} error(s){tail}\n")
