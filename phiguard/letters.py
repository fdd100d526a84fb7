"""Upper- and lower-case letters of the Latin, Greek and Cyrillic scripts, as regex character-class bodies.

Names are written with more than ASCII and Latin-1: Wisława, Dvořák, Şahin, Nguyễn, Ιωάννης, Ольга.
"""
from __future__ import annotations

from typing import Callable

_SCRIPTS = ((0x41, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF))


def _class_body(is_member: Callable[[str], bool]) -> str:
    points = [c for lo, hi in _SCRIPTS for c in range(lo, hi + 1) if is_member(chr(c))]
    runs, start = [], points[0]
    for prev, cur in zip(points, points[1:] + [None]):
        if cur != prev + 1:
            runs.append(chr(start) if start == prev else f"{chr(start)}-{chr(prev)}")
            start = cur
    return "".join(runs)


UPPER = _class_body(str.isupper)
LOWER = _class_body(str.islower)
