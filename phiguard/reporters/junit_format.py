"""JUnit XML: one test suite per run, one test case per file, a failure per blocking finding."""
from __future__ import annotations

from typing import TextIO
from xml.etree import ElementTree as ET

from . import Report, shown_path


def _describe(f) -> str:
    return f"{shown_path(f.path)}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message} ({f.identifier})"


def write(report: Report, stream: TextIO) -> None:
    suppressed: dict[str, list] = {}
    for s in report.suppressed:
        suppressed.setdefault(s.finding.path, []).append(s)
    failed = sum(1 for r in report.files if any(f.severity >= report.fail_on for f in r.findings))
    suite = ET.Element("testsuite", name="phiguard", tests=str(len(report.files)), failures=str(failed),
                       errors=str(len(report.errors)), skipped="0")
    if report.notes:
        properties = ET.SubElement(suite, "properties")
        for note in report.notes:
            ET.SubElement(properties, "property", name="note", value=note)
    for r in report.files:
        case = ET.SubElement(suite, "testcase", classname="phiguard", name=shown_path(r.path))
        if r.error:
            ET.SubElement(case, "error", message=r.error, type="scan-error").text = f"{shown_path(r.path)}: {r.error}"
            continue
        other = []
        for f in r.findings:
            if f.severity >= report.fail_on:
                failure = ET.SubElement(case, "failure", message=f"{f.rule}: {f.message}", type=f.rule)
                failure.text = _describe(f)
            else:
                other.append(_describe(f))
        other += [f"{_describe(s.finding)} [suppressed: {s.kind}: {s.reason}]" for s in suppressed.get(r.path, [])]
        if other:
            ET.SubElement(case, "system-out").text = "\n".join(other)
    root = ET.Element("testsuites", name="phiguard", tests=suite.get("tests"), failures=suite.get("failures"),
                      errors=suite.get("errors"))
    root.append(suite)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
