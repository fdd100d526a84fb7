"""A copy of a file with each finding replaced by its category placeholder."""
from __future__ import annotations

from dataclasses import dataclass

from .findings import Finding, Severity

PLACEHOLDERS = {
    "names": "[NAME]", "geographic": "[LOCATION]", "dates": "[DATE]", "phone": "[PHONE]", "fax": "[FAX]",
    "email": "[EMAIL]", "ssn": "[SSN]", "mrn": "[MRN]", "health_plan": "[HEALTH PLAN ID]",
    "account": "[ACCOUNT]", "license": "[LICENSE]", "vehicle": "[VEHICLE ID]", "device": "[DEVICE ID]",
    "url": "[URL]", "ip": "[IP ADDRESS]", "biometric": "[BIOMETRIC]", "photo": "[PHOTO]", "other": "[ID]",
}
AGE_PLACEHOLDER = "90 or older"  # Safe Harbor: ages over 89 aggregate into one category
# Findings about the file, not a span of it ("names not checked in this paragraph"): nothing to replace.
NOT_SPANS = frozenset({"LANGUAGE_UNCHECKED", "IMAGE_TEXT_UNCHECKED", "IMAGE_FACES_UNCHECKED",
                       "CONDUCT"})  # a conduct finding is the post's wording: rewrite it, no placeholder


def placeholder(f: Finding) -> str:
    if f.entity == "AGE_OVER_89":
        return AGE_PLACEHOLDER
    found = PLACEHOLDERS.get(f.identifier, "[REDACTED]")
    if f.segment.startswith("front-matter"):  # "title: [NAME] went home" would not be YAML any more
        return "(" + found[1:-1] + ")"
    return found


def redact(text: str, findings: list[Finding]) -> str:
    """Replace from the end so that earlier offsets stay valid; an overlapped span is covered once. Only the
    match is replaced: its line breaks stay (a name across two lines does not join them)."""
    out = text
    floor = len(text) + 1
    for f in sorted((f for f in findings if f.entity not in NOT_SPANS), key=lambda f: (f.start, f.end), reverse=True):
        end = min(f.end, floor)
        if f.start >= end:
            continue
        out = out[:f.start] + placeholder(f) + "\n" * text.count("\n", f.start, end) + out[end:]
        floor = f.start
    return out


# Suppressions that say "this is not PHI" (inline directives, the allowlist): their spans stay in a copy.
_NOT_PHI = frozenset({"inline", "allowlist"})


@dataclass
class Redaction:
    """What redacting a scanned text gives: the copy (None when some finding is not in the text as written),
    the findings replaced, and blocking findings outside the text (a file name, image metadata) to change by
    hand."""

    text: str | None
    replaced: list[Finding]
    outside: list[Finding]

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.outside)


def redaction(text: str | None, findings: list[Finding], suppressed: list, fail_on: Severity) -> Redaction:
    """Every blocking finding goes, suppressed ones too (a baseline or an authorization does not make a span
    safe to publish), except those inline directives or the allowlist call not PHI."""
    chosen = [f for f in findings + [s.finding for s in suppressed if s.kind not in _NOT_PHI]
              if f.severity >= fail_on and f.entity not in NOT_SPANS]
    in_text = [f for f in chosen if f.offsets == "file"]
    outside = [f for f in chosen if f.offsets != "file"]
    if text is None or any(text[f.start:f.end] != f.match for f in in_text):
        return Redaction(None, in_text, outside)
    return Redaction(redact(text, in_text), in_text, outside)
