"""Full-face photographs: OpenCV's frontal-face Haar cascade (ships inside opencv-python-headless).

Without OpenCV the image gets an IMAGE_FACES_UNCHECKED finding: never a silent pass.
"""
from __future__ import annotations

import functools

from ..findings import Detection, Segment
from .options import SourceOptions

MAX_SIDE = 1200  # detection runs on a copy scaled down to this (time grows with pixels)


@functools.lru_cache(maxsize=1)
def _cascade():
    """The classifier, or the reason it is unavailable."""
    try:
        import cv2
    except ImportError as exc:
        return f"OpenCV is not installed or cannot load ({exc}); pip install 'opencv-python-headless<5'"
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if cascade.empty():
        return "OpenCV's frontal-face cascade file is missing"
    return cascade


def boxes(image) -> list[tuple[int, int, int, int]]:
    """Frontal faces as (x, y, w, h) in the image's pixels."""
    import cv2
    import numpy as np

    cascade = _cascade()
    scale = min(1.0, MAX_SIDE / max(image.size))
    gray = image.convert("L")
    if scale < 1.0:
        gray = gray.resize((round(image.width * scale), round(image.height * scale)))
    pixels = cv2.equalizeHist(np.asarray(gray))
    side = max(24, min(pixels.shape) // 12)
    found = cascade.detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=6, minSize=(side, side))
    return sorted(tuple(round(int(v) / scale) for v in box) for box in found)


def segments(path: str, image, options: SourceOptions) -> list[Segment]:
    if options.has_consent(path):
        return []
    cascade = _cascade()
    if isinstance(cascade, str):
        text = f"faces not checked: {cascade}"
        return [Segment(path, "faces", text, line=1,
                        detections=(Detection("IMAGE_FACES_UNCHECKED", 0, len(text), 1.0, "faces"),))]
    found = boxes(image)
    if not found:
        return []
    text = f"{len(found)} full-face photograph(s): " + ", ".join(f"({x},{y},{w},{h})" for x, y, w, h in found)
    return [Segment(path, f"faces:{len(found)}", text, line=1,
                    detections=(Detection("FACE", 0, len(text), 1.0, "haar-frontal-face"),))]
