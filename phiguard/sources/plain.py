from __future__ import annotations

from ..findings import Segment


def segments(path: str, text: str) -> list[Segment]:
    return [Segment(path, "body", text)] if text.strip() else []
