"""Text inside images (whiteboards, wristbands, screenshots) through Tesseract.

Tesseract is a Debian/Homebrew package (`tesseract-ocr`), run locally by pytesseract; nothing is
downloaded. Without it the image gets an IMAGE_TEXT_UNCHECKED finding: never a silent pass.
"""
from __future__ import annotations

import functools

from ..findings import Detection, Segment
from .options import SourceOptions

MIN_CONFIDENCE = 40  # tesseract word confidence (0-100); lower is mostly noise
MAX_SIDE = 2500      # larger images are scaled down first (time grows with pixels)
TILE_ASPECT = 1.5    # a tall image is read in tiles 1.5 times as high as it is wide (legible after scaling)
MAX_TILES = 24


@functools.lru_cache(maxsize=1)
def engine_problem() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    try:
        import pytesseract
    except ImportError:
        return "pytesseract is not installed"
    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError, RuntimeError):
        return "the tesseract program is not installed (apt-get install tesseract-ocr)"
    return None


def unchecked(path: str, why: str) -> Segment:
    text = f"image text not checked: {why}"
    return Segment(path, "ocr", text, line=1,
                   detections=(Detection("IMAGE_TEXT_UNCHECKED", 0, len(text), 1.0, "ocr"),))


def grayscale(image):
    """8-bit greyscale in which text keeps its contrast: transparent pixels are laid on a background that
    contrasts with the opaque ones (black text on a transparent PNG must not vanish onto black), and 16- or
    32-bit greyscale is stretched over its own range instead of clipped to white."""
    from PIL import Image, ImageOps

    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        wide = image.convert("I") if image.mode != "F" else image
        low, high = wide.getextrema()
        span = (high - low) or 1
        return wide.point(lambda v: (v - low) * 255 / span).convert("L")
    if image.mode == "P" and "transparency" in image.info or image.mode in ("PA", "LA", "RGBA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        gray = rgba.convert("L")
        if alpha.getextrema()[0] < 255:
            opaque = ImageOps.autocontrast(alpha)  # weights: the opaque pixels (the text, on a clear ground)
            weight = sum(opaque.histogram()[1:]) or 1
            light = sum(i * n for i, n in enumerate(Image.composite(gray, Image.new("L", gray.size), opaque)
                                                    .histogram())) / weight
            ground = Image.new("L", gray.size, 255 if light < 128 else 0)
            return Image.composite(gray, ground, alpha)
        return gray
    return _most_contrast(image.convert("RGB")) if image.mode not in ("L", "1") else image.convert("L")


def _most_contrast(rgb):
    """Luminance, or the colour channel whose text stands out far more (red text on a grey of the same
    luminance is invisible in greyscale)."""
    from PIL import ImageStat

    gray = rgb.convert("L")
    spread = ImageStat.Stat(gray).stddev[0]
    channels = rgb.split()
    best = max(range(3), key=lambda i: ImageStat.Stat(channels[i]).stddev[0])
    return channels[best] if ImageStat.Stat(channels[best]).stddev[0] > 2 * spread + 8 else gray


SKEW_ANGLES = range(-30, 31, 3)  # degrees tried; tesseract itself copes with a few
SKEW_GAIN = 1.5  # how much sharper the text lines must be at the best angle than level


def skew(gray) -> int:
    """The rotation that levels the lines of text (0 when they are level or there is no text to tell):
    the angle at which the rows of a small, two-tone copy are most unequal (lines and gaps between them)."""
    import numpy as np

    small = gray.copy()
    small.thumbnail((300, 300))
    ink = small.point(lambda v: 255 if v < 128 else 0) if _ground(small) == 255 else \
        small.point(lambda v: 255 if v >= 128 else 0)

    def sharpness(angle: int) -> float:
        rows = np.asarray(ink.rotate(angle, expand=True, fillcolor=0), dtype=np.float64).sum(axis=1)
        return float(np.var(np.diff(rows)))

    level = sharpness(0)
    best = max(SKEW_ANGLES, key=sharpness)
    return best if best and sharpness(best) > SKEW_GAIN * level else 0


def _ground(gray) -> int:
    """The background: white (255) when most pixels are light, else black."""
    histogram = gray.histogram()
    return 255 if sum(histogram[128:]) >= sum(histogram[:128]) else 0


def regions(image) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Paragraphs of text with their boxes (x, y, w, h) in the image's pixels."""
    import pytesseract

    gray = grayscale(image)
    angle = skew(gray)
    if angle:  # text photographed at an angle: read it level (boxes are then those of the levelled image)
        gray = gray.rotate(angle, expand=True, fillcolor=_ground(gray))
    scale = min(1.0, MAX_SIDE / max(gray.size))
    if scale < 1.0:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    data = pytesseract.image_to_data(gray, output_type=pytesseract.Output.DICT)
    paragraphs: dict[tuple[int, int], dict[int, list[int]]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= MIN_CONFIDENCE:
            key = (data["block_num"][i], data["par_num"][i])
            paragraphs.setdefault(key, {}).setdefault(data["line_num"][i], []).append(i)
    found = []
    for lines in paragraphs.values():
        text = "\n".join(" ".join(data["text"][i] for i in words) for words in lines.values())
        members = [i for words in lines.values() for i in words]
        x0 = min(data["left"][i] for i in members)
        y0 = min(data["top"][i] for i in members)
        x1 = max(data["left"][i] + data["width"][i] for i in members)
        y1 = max(data["top"][i] + data["height"][i] for i in members)
        box = tuple(round(v / scale) for v in (x0, y0, x1 - x0, y1 - y0))
        found.append((text, box))
    return found


def tiles(image) -> list[tuple[int, object]]:
    """(top, tile) pieces of a tall image (a long screenshot), overlapping, each read at a legible scale;
    an image of ordinary shape is one tile."""
    width, height = image.size
    step = max(1, int(width * TILE_ASPECT))
    if height <= step * 1.5:
        return [(0, image)]
    overlap = step // 8
    tops = range(0, max(1, height - overlap), step - overlap)
    return [(top, image.crop((0, top, width, min(height, top + step)))) for top in tops]


def segments(path: str, image, options: SourceOptions) -> list[Segment]:
    problem = engine_problem()
    if problem:
        return [unchecked(path, problem)]
    import pytesseract

    pieces = tiles(image)
    if len(pieces) > MAX_TILES:
        return [unchecked(path, f"image taller than {MAX_TILES} screens: its text was not read")]
    found = []
    try:
        for top, tile in pieces:
            found += [(text, (x, y + top, w, h)) for text, (x, y, w, h) in regions(tile)]
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        return [unchecked(path, f"tesseract failed: {str(exc).strip().splitlines()[-1:] or exc}")]
    return [Segment(path, f"ocr:region {n} ({x},{y},{w},{h})", text, line=1)
            for n, (text, (x, y, w, h)) in enumerate(found, 1)]
