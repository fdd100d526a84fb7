from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import Finding, Severity
from . import Report, shown_path

STYLES = {Severity.HIGH: "bold red", Severity.MEDIUM: "yellow", Severity.LOW: "cyan"}
MASK = "[masked]"


CONTEXT = 60  # characters shown on either side of a finding: a long post is not repeated under each finding


def _snippet(line_text: str, line_no: int, findings: list[Finding], show: bool, target: Finding) -> Text:
    """The finding's line around it, with every match on it highlighted (or masked): suppressed ones too,
    since a baselined or authorized name is still a name in a kept log."""
    spans = sorted((f.column - 1 if f.line == line_no else 0,
                    f.end_column - 1 if f.end_line == line_no else len(line_text), f)
                   for f in findings if f.line <= line_no <= f.end_line)
    out, pos, at = Text(), 0, (0, 0)
    for start, end, f in spans:
        if end <= pos:
            continue
        start = max(start, pos)  # overlapping matches: the rest of this one is masked too
        out.append(line_text[pos:start])
        style = "reverse " + STYLES[f.severity] if f is target else STYLES[f.severity]
        if f is target:
            at = (len(out.plain), len(out.plain) + (end - start if show else len(MASK)))
        out.append(line_text[start:end] if show else MASK, style=style)
        pos = end
    out.append(line_text[pos:])
    lo, hi = max(0, at[0] - CONTEXT), min(len(out.plain), at[1] + CONTEXT)
    lo = out.plain.find(" ", lo) + 1 if lo > 0 and " " in out.plain[lo:at[0]] else lo  # whole words
    hi = out.plain.rfind(" ", at[1], hi) if hi < len(out.plain) and " " in out.plain[at[1]:hi] else hi
    return Text("    " + ("… " if lo > 0 else "")) + out[lo:hi] + Text(" …" if hi < len(out.plain) else "")


def write(report: Report, stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for file in report.files:
        if file.error:
            console.print(Text(f"{shown_path(file.path)}: ", style="bold") + Text(f"error: {file.error}", style="bold red"))
            continue
        if not file.findings:
            continue
        console.print(Text(shown_path(file.path), style="bold underline"))
        on_file = file.findings + [s.finding for s in report.suppressed
                                   if s.finding.path == file.path and s.finding.offsets == "file"]
        for f in file.findings:
            head = Text(f"  {f.line}:{f.column}  ")
            head.append(f"{str(f.severity):<6}", style=STYLES[f.severity])
            head.append(f"  {f.rule}  ", style="bold")
            head.append(f"{f.message} ({f.identifier}, confidence {f.confidence:.2f}, {f.segment})")
            if f.severity < report.fail_on:
                head.append("  notice, not blocking", style="dim")
            console.print(head, soft_wrap=False)  # long messages wrap on words
            fix = report.rules[f.rule].fix if f.rule in report.rules else ""
            if fix and f.severity >= report.fail_on:
                console.print(Text(f"    fix: {fix}", style="green"), soft_wrap=False)
            if f.offsets == "segment":  # text from metadata, OCR or a re-quoted field: show the match alone
                console.print(Text("    ") + Text(f.match if report.show_matches else MASK,
                                                  style="reverse " + STYLES[f.severity]))
                continue
            line_text = file.lines.get(f.line, "").rstrip("\r")
            console.print(_snippet(line_text, f.line, on_file, report.show_matches, f))
        console.print()
    s = report.summary
    if report.exit_code == 0 and not report.findings and not report.suppressed:  # clean: one line says it
        files = f"{s['files_scanned']} file{'s' if s['files_scanned'] != 1 else ''}"
        console.print(Text(f"PASS: no blocking findings in {files}", style="bold green"))
        for note in report.notes:
            console.print(Text(f"note: {note}", style="bold yellow"))
        return
    table = Table(title="phiguard summary", show_header=True, header_style="bold")
    for column in ("files", "findings", "high", "medium", "low", "blocking", "errors"):
        table.add_column(column, justify="right")
    sev = s["by_severity"]
    table.add_row(str(s["files_scanned"]), str(s["findings"]), str(sev["high"]), str(sev["medium"]),
                  str(sev["low"]), str(s["blocking"]), str(s["errors"]))
    console.print(table)
    verdict = {0: ("PASS: no finding at or above " + str(report.fail_on), "bold green"),
               1: (f"BLOCKED: {s['blocking']} finding(s) at or above {report.fail_on}", "bold red"),
               2: ("ERROR: some input could not be scanned", "bold red")}[report.exit_code]
    console.print(Text(verdict[0], style=verdict[1]))
    if report.suppressed:
        by_kind = ", ".join(f"{k} {n}" for k, n in s["suppressed"].items() if n)
        console.print(Text(f"suppressed (not blocking): {len(report.suppressed)} ({by_kind})", style="dim"))
        for item in report.suppressed:
            f = item.finding
            console.print(Text(f"  {shown_path(f.path)}:{f.line}:{f.column}  {f.rule}  {item.kind}: {item.reason}", style="dim"))
    for note in report.notes:
        console.print(Text(f"note: {note}", style="bold yellow"))
