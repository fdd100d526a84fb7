"""The data that flows through a scan: segments in, findings out."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from . import secret

if TYPE_CHECKING:
    from .textmap import TextMap


class Severity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"severity must be one of low, medium, high (got {value!r})") from None

    def __str__(self) -> str:
        return self.name.lower()


# The 18 HIPAA Safe Harbor identifiers, 45 CFR 164.514(b)(2)(i)(A)-(R).
IDENTIFIERS = {
    "names": "Names",
    "geographic": "Geographic subdivisions smaller than a state",
    "dates": "Dates (except year) and ages over 89",
    "phone": "Telephone numbers",
    "fax": "Fax numbers",
    "email": "Email addresses",
    "ssn": "Social Security numbers",
    "mrn": "Medical record numbers",
    "health_plan": "Health plan beneficiary numbers",
    "account": "Account numbers",
    "license": "Certificate/license numbers",
    "vehicle": "Vehicle identifiers and serial numbers, including license plates",
    "device": "Device identifiers and serial numbers",
    "url": "Web URLs",
    "ip": "IP addresses",
    "biometric": "Biometric identifiers",
    "photo": "Full-face photographs and comparable images",
    "other": "Any other unique identifying number, characteristic, or code",
}
# Beyond the 18: what clinicians' professional social-media guidance asks of a post (the conduct pack).
IDENTIFIERS["conduct"] = "Professional conduct (clinicians' social-media guidance), not PHI"


@dataclass(frozen=True)
class Segment:
    """A piece of text to check.

    In the file's text (`line` is None): `text[i]` is the file's character at `offset + i`.
    Not in the file's text (image metadata, OCR, an export field that quoting changed): `line` is
    the 1-based line of the file it belongs to (1 for binary files), and offsets stay relative to `text`.
    `detections` set means the source already knows what this is (GPS, a face): no NLP runs on it.
    `origin` set means `text` was decoded or normalised: `text[i]` stands for
    `written[origin.starts[i]:origin.ends[i]]`, and `written` is what the offsets above describe.
    """

    path: str
    kind: str
    text: str
    offset: int = 0
    line: int | None = None
    detections: tuple["Detection", ...] | None = None
    origin: "TextMap | None" = None
    written: str | None = None


# A detection spanning a paragraph in a language no model read: pattern rules for names and places skip it.
OTHER_LANGUAGE = "OTHER_LANGUAGE"


@dataclass(frozen=True)
class Detection:
    """A detector's raw hit, in segment coordinates."""

    entity: str
    start: int
    end: int
    score: float
    recognizer: str
    note: str = ""  # said beside the rule's message ("language: es")


@dataclass(frozen=True, slots=True)  # tens of thousands are held until the report is written
class Finding:
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    segment: str
    rule: str
    entity: str
    identifier: str
    severity: Severity
    confidence: float
    message: str
    match: str
    fingerprint: str
    offsets: str = "file"  # "file": start/end index the file's text; "segment": they index `segment`'s text

    def to_dict(self, show_match: bool) -> dict:
        return {
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "segment": self.segment,
            "rule": self.rule,
            "entity": self.entity,
            "identifier": self.identifier,
            "severity": str(self.severity),
            "confidence": round(self.confidence, 2),
            "message": self.message,
            "match": self.match if show_match else None,
            "fingerprint": self.fingerprint,
            "offsets": self.offsets,
        }


@dataclass(frozen=True)
class FileError:
    """A file that could not be scanned: never silently skipped."""

    path: str
    message: str


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    files_scanned: int = 0


def fingerprint(rule: str, path: str, match: str) -> str:
    """A stable id for a finding: no line numbers, no plaintext. Keyed with the local secret, so that
    whoever holds a report alone cannot confirm a guessed value by hashing candidates."""
    normalized = " ".join(match.split()).casefold()
    return secret.mac("fingerprint", rule, path, normalized)[:32]
