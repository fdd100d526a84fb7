"""Images: captions and descriptions in EXIF/XMP/IPTC/PNG text, plus GPS, capture date and serials.

Every segment here is text that is not in a file's text: offsets are relative to the field.
Text inside the picture is read by `ocr`, faces by `faces`.
"""
from __future__ import annotations

import functools
import io
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import InputError
from ..findings import Detection, Segment
from . import faces, ocr
from .options import SourceOptions

HEIF_SUFFIXES = frozenset({".heic", ".heif"})  # phones' default photo format, read through pillow-heif
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif"}) | HEIF_SUFFIXES

EXIF_IFD, GPS_IFD, TIFF_XMP = 0x8769, 0x8825, 700
# Published text: scanned like post text.
EXIF_TEXT = {0x010E: "ImageDescription", 0x013B: "Artist", 0x9C9B: "XPTitle", 0x9C9C: "XPComment",
             0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords", 0x9C9F: "XPSubject"}
EXIF_IFD_TEXT = {0x9286: "UserComment", 0xA430: "CameraOwnerName"}
# Facts of their own: reported directly.
EXIF_DATES = {0x0132: "DateTime"}
EXIF_IFD_DATES = {0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized"}
EXIF_IFD_SERIALS = {0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber"}
IPTC_TEXT = {(2, 5): "ObjectName", (2, 25): "Keywords", (2, 80): "By-line", (2, 90): "City",
             (2, 92): "Sub-location", (2, 105): "Headline", (2, 120): "Caption-Abstract"}
XMP_NS = {"dc": "http://purl.org/dc/elements/1.1/", "photoshop": "http://ns.adobe.com/photoshop/1.0/",
          "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"}
XMP_TEXT = ("dc:title", "dc:description", "dc:subject", "photoshop:Headline", "photoshop:City",
            "Iptc4xmpCore:Location")
_XMP_CHUNK = "XML:com.adobe.xmp"  # a PNG text chunk that holds XMP: read as XMP


def _text(value) -> str:
    """EXIF values: str, UTF-16LE bytes (XP*), charset-prefixed bytes (UserComment)."""
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        value = bytes(value)
    if isinstance(value, bytes):
        head = value[:8]
        if head.startswith(b"UNICODE"):
            return value[8:].decode("utf-16", "replace").strip("\0 ")
        if head == b"JIS\0\0\0\0\0":
            return value[8:].decode("shift_jis", "replace").strip("\0 ")
        if head in (b"ASCII\0\0\0", b"\0" * 8):
            return value[8:].decode("latin-1", "replace").strip("\0 ")
        if len(value) >= 2 and value[1:2] == b"\0":
            return value.decode("utf-16-le", "replace").strip("\0 ")
        return value.decode("utf-8", "replace").strip("\0 ")
    return str(value).strip("\0 ")


def _fact(path: str, kind: str, text: str, entity: str) -> Segment:
    return Segment(path, kind, text, line=1, detections=(Detection(entity, 0, len(text), 1.0, kind),))


def _degrees(dms, ref) -> float:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if _text(ref or "").upper() in ("S", "W") else value


def _exif(path: str, exif) -> list[Segment]:
    found = []
    ifd = exif.get_ifd(EXIF_IFD)
    for tags, source in ((EXIF_TEXT, exif), (EXIF_IFD_TEXT, ifd)):
        for tag, name in tags.items():
            if tag in source and _text(source[tag]):
                found.append(Segment(path, f"exif:{name}", _text(source[tag]), line=1))
    for tags, source in ((EXIF_DATES, exif), (EXIF_IFD_DATES, ifd)):
        for tag, name in tags.items():
            if tag in source and _text(source[tag]):
                found.append(_fact(path, f"exif:{name}", _text(source[tag]), "IMAGE_DATE"))
    for tag, name in EXIF_IFD_SERIALS.items():
        if tag in ifd and _text(ifd[tag]):
            found.append(_fact(path, f"exif:{name}", _text(ifd[tag]), "IMAGE_DEVICE_SERIAL"))
    gps = exif.get_ifd(GPS_IFD)
    if 2 in gps and 4 in gps:
        try:
            where = f"{_degrees(gps[2], gps.get(1)):.6f}, {_degrees(gps[4], gps.get(3)):.6f}"
        except (TypeError, ValueError, ZeroDivisionError):
            where = "unreadable coordinates"
        found.append(_fact(path, "exif:GPS", where, "IMAGE_GPS"))
    return found


def _xmp(path: str, packet) -> list[Segment]:
    if isinstance(packet, bytes):
        packet = packet.decode("utf-8", "replace")
    try:
        root = ET.fromstring(packet.strip("\0 \n\ufeff"))
    except ET.ParseError as exc:
        raise InputError(f"unreadable XMP metadata: {exc}") from None
    found = []
    for name in XMP_TEXT:
        prefix, local = name.split(":")
        for element in root.iter(f"{{{XMP_NS[prefix]}}}{local}"):
            texts = [t.strip() for t in element.itertext() if t.strip()]
            if texts:
                found.append(Segment(path, f"xmp:{name}", "\n".join(texts), line=1))
    for element in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        for key, value in element.attrib.items():  # short form: <rdf:Description photoshop:City="...">
            for name in XMP_TEXT:
                prefix, local = name.split(":")
                if key == f"{{{XMP_NS[prefix]}}}{local}" and value.strip():
                    found.append(Segment(path, f"xmp:{name}", value.strip(), line=1))
    return found


def _iptc(path: str, image) -> list[Segment]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"unreadable IPTC metadata: {exc}") from None
    found = []
    for key, name in IPTC_TEXT.items():
        values = info.get(key)
        values = values if isinstance(values, list) else [values] if values else []
        text = "\n".join(_text(v) for v in values if _text(v))
        if text:
            found.append(Segment(path, f"iptc:{name}", text, line=1))
    return found


def _text_chunks(path: str, image) -> list[Segment]:
    """PNG tEXt/iTXt/zTXt chunks, GIF/JPEG comments."""
    chunks = dict(getattr(image, "text", {}) or {})
    if "comment" in image.info:
        chunks["comment"] = image.info["comment"]
    prefix = image.format.lower() if image.format else "image"
    return [Segment(path, f"{prefix}:{key}", _text(value), line=1)
            for key, value in chunks.items() if key != _XMP_CHUNK and _text(value)]


@functools.cache
def _read_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


def open_image(path: str, data: bytes):
    """The decoded image, or an InputError for a truncated, corrupt or oversized file."""
    from PIL import Image

    if Path(path).suffix.lower() in HEIF_SUFFIXES:
        _read_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
        return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError("image too large to check (decompression bomb guard)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(f"unreadable image: {exc}") from None


def metadata(path: str, image) -> list[Segment]:
    """Captions and facts from EXIF, XMP, IPTC and text chunks."""
    try:
        found = _exif(path, image.getexif())
    except (SyntaxError, ValueError, OSError, KeyError, TypeError) as exc:
        raise InputError(f"unreadable EXIF metadata: {exc}") from None
    xmp = image.info.get("xmp") or image.info.get(_XMP_CHUNK) or \
        getattr(image, "tag_v2", {}).get(TIFF_XMP)
    if xmp:
        found += _xmp(path, xmp)
    found += _iptc(path, image)
    found += _text_chunks(path, image)
    return found


def segments(path: str, data: bytes, options: SourceOptions) -> list[Segment]:
    image = open_image(path, data)
    found = metadata(path, image)
    found += ocr.segments(path, image, options)
    found += faces.segments(path, image, options)
    return found
