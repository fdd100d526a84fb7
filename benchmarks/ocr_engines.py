"""Compare OCR engines on rendered text cards: word accuracy and time per image.

    python benchmarks/ocr_engines.py

Engines that are not installed are reported as such. Cards are synthetic (DejaVu or Pillow's font).
"""
from __future__ import annotations

import random
import re
import time

from PIL import Image, ImageDraw, ImageFilter, ImageFont

CARDS = [
    "Patient: John Smith\nMRN 48213377\nDOB 03/14/1951",
    "Bed 12 - Maria Garcia\nNPO after midnight\nAllergies: penicillin",
    "WHITEBOARD  Room 4B\nRN: Kelly  Pt: Robert Brown\nDischarge Fri 11/22",
    "Call Dr. Patel at 555-201-7788\nre: Emily Johnson",
    "Happy Nurses Week!\nThank you team 5 West",
]


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def render(text: str, size: int, rotate: float, noise: bool) -> Image.Image:
    img = Image.new("RGB", (900, 360), (250, 250, 245))
    ImageDraw.Draw(img).multiline_text((40, 40), text, fill=(20, 20, 30), font=_font(size), spacing=14)
    img = img.rotate(rotate, expand=True, fillcolor=(250, 250, 245))
    if noise:
        img = img.filter(ImageFilter.GaussianBlur(1.2))
    return img


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[A-Za-z0-9]+", text)}


def rapidocr():
    from rapidocr_onnxruntime import RapidOCR
    import numpy as np

    engine = RapidOCR()
    return lambda img: "\n".join(r[1] for r in (engine(np.asarray(img)[:, :, ::-1])[0] or []))


def tesseract():
    import pytesseract

    pytesseract.get_tesseract_version()
    return lambda img: pytesseract.image_to_string(img)


def main() -> None:
    random.seed(7)
    variants = [(30, 0, False), (22, 3, False), (26, 0, True), (34, -5, True)]
    samples = [(text, render(text, *v)) for text in CARDS for v in variants]
    for name, factory in (("rapidocr-onnxruntime", rapidocr), ("tesseract", tesseract)):
        try:
            t0 = time.perf_counter()
            read = factory()
            read(samples[0][1])
            load = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - report any engine failure
            print(f"{name:<22} unavailable: {type(exc).__name__}: {exc}")
            continue
        hit = total = 0
        t0 = time.perf_counter()
        for text, img in samples:
            got = words(read(img))
            want = words(text)
            hit += len(want & got)
            total += len(want)
        per = (time.perf_counter() - t0) / len(samples)
        print(f"{name:<22} words recovered {hit}/{total} ({hit / total:.1%})  "
              f"{per * 1000:.0f} ms/image over {len(samples)} cards  (first call incl. load {load:.2f} s)")


if __name__ == "__main__":
    main()
