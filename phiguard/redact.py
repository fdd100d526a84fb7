"""A copy of a file with each finding replaced by its category placeholder."""
from __future__ import annotations

from .findings import Finding

PLACEHOLDERS = {
    "names": "[NAME]", "geographic": "[LOCATION]", "dates": "[DATE]", "phone": "[PHONE]", "fax": "[FAX]",
    "email": "[EMAIL]", "ssn": "[SSN]", "mrn": "[MRN]", "health_plan": "[HEALTH PLAN ID]",
    "account": "[ACCOUNT]", "license": "[LICENSE]", "vehicle": "[VEHICLE ID]", "device": "[DEVICE ID]",
    "url": "[URL]", "ip": "[IP ADDRESS]", "biometric": "[BIOMETRIC]", "photo": "[PHOTO]", "other": "[ID]",
}
AGE_PLACEHOLDER = "90 or older"  # Safe Harbor: ages over 89 aggregate into one category
# Findings about the file, not a span of it ("names not checked in this paragraph"): nothing to replace.
NOT_SPANS = frozenset({"LANGUAGE_UNCHECKED", "IMAGE_TEXT_UNCHECKED", "IMAGE_FACES_UNCHECKED"})


def placeholder(f: Finding) -> str:
    if f.entity == "AGE_OVER_89":
        return AGE_PLACEHOLDER
    return PLACEHOLDERS.get(f.identifier, "[REDACTED]")


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
