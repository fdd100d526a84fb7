"""Images: captions and descriptions in EXIF/XMP/IPTC/PNG text, plus GPS, capture date and serials.

Every segment here is text that is not in a file's text: offsets are relative to the field.
Text inside the picture is read by `ocr`, faces by `faces`.
"""
from __future__ import annotations

import functools
import io
import re
import struct
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..findings import Detection, Segment
from . import faces, ocr
from .options import SourceOptions

HEIF_SUFFIXES = frozenset({".heic", ".heif"})  # phones' default photo format, read through pillow-heif
SUFFIXES = frozenset({".jpg", ".jpeg", ".jfif", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp", ".avif"}
                     ) | HEIF_SUFFIXES

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
          "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
          "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "exif": "http://ns.adobe.com/exif/1.0/",
          "xmp": "http://ns.adobe.com/xap/1.0/", "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/"}
# Tags that never hold prose about people: versions, binary blocks, embedded profiles, packets read elsewhere,
# and the device's make, model, lens and software ("Pixel 9" read as a street address).
NOT_TEXT_TAGS = frozenset({0x9000, 0xA000, 0x9101, 0x8773, 0x83BB, TIFF_XMP, 0x0201, 0x0202, 0xA302, 0xA40C,
                           0x0000, 0x001B, 0x001C, 0xA001, 0x010F, 0x0110, 0x0131, 0x000B, 0xA433, 0xA434})
EXIF_ORIENTATION = 0x0112
_XMP_CHUNK = "XML:com.adobe.xmp"
_XMP_MAIN = b"http://ns.adobe.com/xap/1.0/\0"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\0"
MAX_JPEG_SEGMENTS = 1000
# PNG keywords named in segment kinds (registered ones); any other keyword is the file's own data.
PNG_KEYWORDS = frozenset({"Title", "Author", "Description", "Copyright", "Creation Time", "Software",
                          "Disclaimer", "Warning", "Source", "Comment", "comment"})
MAX_FRAMES = 50  # frames of an animation or pages of a TIFF read; beyond, the image is not fully checked
MAX_METADATA_CHARS = 4_000_000  # a PNG text chunk that holds XMP: read as XMP


def _text(value) -> str:
    """EXIF values: str, UTF-16LE bytes (XP*), charset-prefixed bytes (UserComment)."""
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        value = bytes(value)
    if isinstance(value, bytes):
        head = value[:8]
        if head.startswith(b"UNICODE"):
            body = value[8:]
            big_endian = body[0:1] == b"\0" or body.count(b"\0", 0, 64) and body[::2].count(0) > body[1::2].count(0)
            return body.decode("utf-16-be" if big_endian else "utf-16-le", "replace").strip("\0 \ufeff")
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


def _looks_like_text(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip("\0 "))
    if isinstance(value, tuple) and value and all(isinstance(v, int) and 0 <= v < 256 for v in value):
        value = bytes(value)
    if not isinstance(value, bytes) or len(value) < 2:
        return False
    text = _text(value)
    return bool(text) and sum(ch.isprintable() or ch in "\n\t" for ch in text) >= 0.9 * len(text)


def _exif_text(path: str, exif) -> list[Segment]:
    """Every text value of every IFD (Copyright, DocumentName, HostComputer, a text MakerNote...): a gate
    reads all text and skips what is known not to be text, rather than keep a list of fields."""
    from PIL import ExifTags

    found = []
    known = {**EXIF_DATES, **EXIF_IFD_DATES, **EXIF_IFD_SERIALS}
    ifds = [exif] + [exif.get_ifd(i) for i in (EXIF_IFD, GPS_IFD, 0xA005)]
    try:
        ifds.append(exif.get_ifd(ExifTags.IFD.IFD1))
    except (KeyError, ValueError, TypeError, OSError):
        pass
    for number, ifd in enumerate(ifds):
        names = ExifTags.GPSTAGS if number == 2 else ExifTags.TAGS
        for tag, value in ifd.items():
            if tag in known or tag in NOT_TEXT_TAGS or not _looks_like_text(value):
                continue
            name = EXIF_TEXT.get(tag) or EXIF_IFD_TEXT.get(tag) or names.get(tag) or f"tag 0x{tag:04x}"
            found.append(Segment(path, f"exif:{name}", _text(value), line=1))
    return found


def _exif(path: str, exif) -> list[Segment]:
    found = _exif_text(path, exif)
    ifd = exif.get_ifd(EXIF_IFD)
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


_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XMP_STRUCTURE = frozenset({f"{_RDF}about", f"{_RDF}resource", f"{_RDF}parseType", f"{_RDF}ID", f"{_RDF}nodeID",
                            "{http://www.w3.org/XML/1998/namespace}lang"})
_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}\Z")
_XMP_GPS = ("{http://ns.adobe.com/exif/1.0/}GPSLatitude", "{http://ns.adobe.com/exif/1.0/}GPSLongitude")


def _xmp_kind(tag: str) -> str:
    """"xmp:dc:title" for the namespaces we know, else "xmp:Local" (a name in the schema, not data)."""
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    prefix = next((p for p, uri in XMP_NS.items() if uri == namespace), None)
    if not _SAFE_NAME.match(local):
        return "xmp"
    return f"xmp:{prefix}:{local}" if prefix else f"xmp:{local}"


def _xmp(path: str, packet) -> list[Segment]:
    """Every text node and attribute value of the packet (PersonInImage, dc:creator, region names...),
    and GPS written in XMP as a GPS finding."""
    if isinstance(packet, bytes):
        packet = packet.decode("utf-8", "replace")
    try:
        root = ET.fromstring(packet.strip("\0 \n\ufeff"))
    except ET.ParseError as exc:
        raise InputError(f"unreadable XMP metadata: {exc}") from None
    found, gps = [], {}
    stack = [(root, "xmp")]
    while stack:  # each element with the property it belongs to (rdf:li items belong to their list's)
        element, owner = stack.pop()
        kind = owner if element.tag.startswith(_RDF) else _xmp_kind(element.tag)
        stack.extend((child, kind) for child in reversed(element))
        if element.tag in _XMP_GPS and (element.text or "").strip():
            gps[element.tag] = element.text.strip()
        elif element.text and element.text.strip():
            found.append(Segment(path, kind, element.text.strip(), line=1))
        for key, value in element.attrib.items():
            if key in _XMP_GPS and value.strip():
                gps[key] = value.strip()
            elif key not in _XMP_STRUCTURE and value.strip():
                found.append(Segment(path, _xmp_kind(key), value.strip(), line=1))
    if len(gps) == 2:
        found.append(_fact(path, "xmp:GPS", ", ".join(gps[k] for k in _XMP_GPS), "IMAGE_GPS"))
    return found


def _iptc(path: str, image) -> list[Segment]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"unreadable IPTC metadata: {exc}") from None
    found = []
    for key, values in info.items():  # every dataset: copyright (2:116), instructions (2:40), contact (2:118)...
        if not (isinstance(key, tuple) and key[0] == 2):
            continue
        values = values if isinstance(values, list) else [values] if values else []
        text = "\n".join(_text(v) for v in values if _looks_like_text(v))
        if text:
            name = IPTC_TEXT.get(key, f"{key[0]}:{key[1]}")
            found.append(Segment(path, f"iptc:{name}", text, line=1))
    return found


def _text_chunks(path: str, image) -> list[Segment]:
    """PNG tEXt/iTXt/zTXt chunks, GIF/JPEG comments."""
    chunks = dict(getattr(image, "text", {}) or {})
    if "comment" in image.info and image.format != "JPEG":  # JPEG comments: every COM segment, in _jpeg
        chunks["comment"] = image.info["comment"]
    prefix = image.format.lower() if image.format else "image"
    return [Segment(path, f"{prefix}:{key if key in PNG_KEYWORDS else f'text {n}'}", _text(value), line=1)
            for n, (key, value) in enumerate(chunks.items(), 1) if key != _XMP_CHUNK and _text(value)]


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of a JPEG's segments before its image data; Pillow keeps only the last COM/XMP."""
    found, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF and len(found) < MAX_JPEG_SEGMENTS:
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            break
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        found.append((marker, data[at + 4:at + 2 + length]))
        at += 2 + length
    return found


def _jpeg(path: str, data: bytes) -> list[Segment]:
    """Every comment (COM) and every XMP packet, extended XMP included."""
    found, extended = [], {}
    for marker, payload in _jpeg_segments(data):
        if marker == 0xFE and _text(payload):
            found.append(Segment(path, "jpeg:comment", _text(payload), line=1))
        elif marker == 0xE1 and payload.startswith(_XMP_MAIN):
            found += _xmp(path, payload[len(_XMP_MAIN):])
        elif marker == 0xE1 and payload.startswith(_XMP_EXTENSION) and len(payload) >= len(_XMP_EXTENSION) + 40:
            head = len(_XMP_EXTENSION)
            guid, offset = payload[head:head + 32], struct.unpack(">I", payload[head + 36:head + 40])[0]
            extended.setdefault(guid, []).append((offset, payload[head + 40:]))
    for parts in extended.values():
        found += _xmp(path, b"".join(part for _, part in sorted(parts)))
    return found


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


def _one_frame_metadata(path: str, image) -> list[Segment]:
    try:
        found = _exif(path, image.getexif())
    except (SyntaxError, ValueError, OSError, KeyError, TypeError) as exc:
        raise InputError(f"unreadable EXIF metadata: {exc}") from None
    xmp = None if image.format == "JPEG" else (
        image.info.get("xmp") or image.info.get(_XMP_CHUNK) or getattr(image, "tag_v2", {}).get(TIFF_XMP))
    if xmp:
        found += _xmp(path, xmp)
    found += _iptc(path, image)
    found += _text_chunks(path, image)
    return found


def frames(image) -> Iterator:
    """The frames (animation) or pages (TIFF) to read, upright, one at a time (a small GIF can hold 50 frames
    of 16 megapixels each: only one is decoded at once). Leaves the image at its first frame."""
    count = getattr(image, "n_frames", 1) or 1
    orientation = _orientation(image)
    if count <= 1:
        yield upright(image, orientation)
        return
    try:
        for index in range(min(count, MAX_FRAMES)):
            image.seek(index)
            yield upright(image.copy(), orientation)
    finally:
        image.seek(0)


# EXIF Orientation -> the transposition that shows the stored pixels as a viewer shows them
_UPRIGHT = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
            7: "TRANSVERSE", 8: "ROTATE_90"}


def _orientation(image) -> int:
    try:
        return int(image.getexif().get(EXIF_ORIENTATION, 1))
    except (SyntaxError, ValueError, OSError, KeyError, TypeError):
        return 1


def as_shown(image):
    """The image upright, as viewers show it."""
    return upright(image, _orientation(image))


def upright(picture, orientation: int):
    """The picture as viewers display it (phones store portrait photos sideways with an Orientation tag)."""
    from PIL import Image

    method = _UPRIGHT.get(orientation)
    return picture.transpose(getattr(Image.Transpose, method)) if method else picture


def frame_count(image) -> int:
    return getattr(image, "n_frames", 1) or 1


def metadata(path: str, image, data: bytes = b"") -> list[Segment]:
    """Captions and facts from EXIF, XMP, IPTC, text chunks and comments, of every frame or page."""
    found = _jpeg(path, data) if image.format == "JPEG" else []
    found += _one_frame_metadata(path, image)
    if getattr(image, "n_frames", 1) > 1 and image.format == "TIFF":
        for index in range(1, min(image.n_frames, MAX_FRAMES)):
            image.seek(index)
            found += [s for s in _one_frame_metadata(path, image) if s not in found]
        image.seek(0)
    if sum(len(s.text) for s in found) > MAX_METADATA_CHARS:
        raise InputError(f"more than {MAX_METADATA_CHARS:,} characters of metadata: not scanned")
    return found


def segments(path: str, data: bytes, options: SourceOptions) -> list[Segment]:
    image = open_image(path, data)
    found = metadata(path, image, data)
    for picture in frames(image):
        found += ocr.segments(path, picture, options)
    if frame_count(image) > MAX_FRAMES:
        found.append(ocr.unchecked(path, f"more than {MAX_FRAMES} frames or pages: the rest were not read"))
    found += faces.segments(path, as_shown(image), options)
    return found
