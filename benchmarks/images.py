"""Time per image for metadata, OCR and face detection.

    python benchmarks/images.py [--repeat N]

Images are synthetic (Pillow) plus scikit-image's public-domain astronaut portrait.
"""
from __future__ import annotations

import argparse
import io
import statistics
import time

from PIL import Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from phiguard.sources import faces, images, ocr


def _photo(size: tuple[int, int]) -> bytes:
    img = Image.new("RGB", size, (120, 170, 220))
    ImageDraw.Draw(img).rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=(60, 140, 60))
    ex = Image.Exif()
    ex[0x010E] = "Sunrise over the east parking garage"
    ex.get_ifd(0x8769)[0x9003] = "2024:03:14 06:40:00"
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(40), IFDRational(42), IFDRational(4608, 100))
    gps[3], gps[4] = "W", (IFDRational(74), IFDRational(0), IFDRational(2160, 100))
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=ex, quality=90)
    return buf.getvalue()


def _card() -> bytes:
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 36)
    except OSError:
        font = ImageFont.load_default(36)
    img = Image.new("RGB", (1200, 800), "white")
    ImageDraw.Draw(img).multiline_text((60, 60), "WHITEBOARD  Room 4B\nRN: Kelly   Pt: Robert Brown\n"
                                       "MRN 48213377\nDischarge Fri 11/22", fill="black", font=font, spacing=20)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _astronaut() -> bytes:
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, "PNG")
    return buf.getvalue()


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    samples = {"photo 4032x3024 jpeg+exif": _photo((4032, 3024)), "photo 1600x1200 jpeg+exif": _photo((1600, 1200)),
               "text card 1200x800 png": _card(), "astronaut 512x512 png": _astronaut()}
    problem = ocr.engine_problem()
    print(f"OCR engine: {problem or 'tesseract ' + str(__import__('pytesseract').get_tesseract_version())}")
    faces.boxes(Image.new("RGB", (64, 64)))  # load the cascade once, outside the timings
    print(f"{'image':<28} {'decode+metadata':>16} {'ocr':>10} {'faces':>10}   (median of {args.repeat}, ms)")
    for name, data in samples.items():
        meta = _time(lambda name=name, data=data: images.metadata(name, images.open_image(name, data)), args.repeat)
        image = images.open_image(name, data)
        text = _time(lambda image=image: ocr.regions(image), args.repeat) if problem is None else float("nan")
        face = _time(lambda image=image: faces.boxes(image), args.repeat)
        print(f"{name:<28} {meta * 1000:>16.1f} {text * 1000:>10.0f} {face * 1000:>10.0f}"
              f"   faces={len(faces.boxes(image))}")


if __name__ == "__main__":
    main()
