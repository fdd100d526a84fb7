"""phiguard: find protected health information in drafts before they are published."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Options", "Session", "Text", "scan", "scan_text"]


def __getattr__(name: str):
    """The library API (phiguard.api), imported when first used: `import phiguard` stays light for the CLI."""
    if name in ("Options", "Text", "scan", "Scan", "Session", "FileResult", "Summary"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'phiguard' has no attribute {name!r}")

_default_scanner = None


def scan_text(text: str, path: str = "<text>"):
    """Findings (list of `phiguard.findings.Finding`) for one text, with the default model and rules."""
    global _default_scanner
    if _default_scanner is None:
        from .scanner import Scanner

        _default_scanner = Scanner()
    return _default_scanner.scan_text(text, path)
