"""Every text an image carries is read: any EXIF/IPTC/XMP field, every comment and XMP packet, every
frame and page, and the whole of a tall screenshot."""
from __future__ import annotations

import io
import json
import shutil
import struct

import pytest
from PIL import Image, ImageDraw, ImageFont

CAPTION = "Our patient Marisol Quintero, MRN 5530871, went home today."
needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def _scan(run_cli, path):
    result = run_cli("scan", str(path), "--format", "json", "--no-cache", "--show-matches")
    return result.exit_code, json.loads(result.stdout)


def _rules(doc) -> set[str]:
    return {f["rule"] for f in doc["findings"]}


def _jpeg(**save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), "white").save(out, "JPEG", **save)
    return out.getvalue()


def _insert(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _exif(fill, endian="<") -> bytes:
    exif = Image.Exif()
    exif.endian = endian
    fill(exif)
    return exif.tobytes()


def _xmp(body: str) -> bytes:
    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
            'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
            + body + "</rdf:Description></rdf:RDF></x:xmpmeta>").encode()


JPEGS = {
    "exif-copyright": lambda: _jpeg(exif=_exif(lambda e: e.__setitem__(0x8298, CAPTION))),
    "exif-document-name": lambda: _jpeg(exif=_exif(lambda e: e.__setitem__(0x010D, CAPTION))),
    "exif-host-computer": lambda: _jpeg(exif=_exif(lambda e: e.__setitem__(0x013C, CAPTION))),
    "exif-image-unique-id": lambda: _jpeg(exif=_exif(lambda e: e.get_ifd(0x8769).__setitem__(0xA420, CAPTION))),
    "user-comment-big-endian": lambda: _jpeg(exif=_exif(lambda e: e.get_ifd(0x8769).__setitem__(
        0x9286, b"UNICODE\0" + CAPTION.encode("utf-16-be")), ">")),
    "xmp-person-in-image": lambda: _jpeg(xmp=_xmp(
        f"<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>{CAPTION}</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>")),
    "xmp-creator": lambda: _jpeg(xmp=_xmp(f"<dc:creator><rdf:Seq><rdf:li>{CAPTION}</rdf:li></rdf:Seq></dc:creator>")),
    "xmp-attribute": lambda: _jpeg(xmp=_xmp("").replace(b'rdf:about=""', f'rdf:about="" photoshop:Instructions="{CAPTION}"'.encode())),
    "second-comment": lambda: _insert(_insert(_jpeg(), 0xFE, b"Ward news"), 0xFE, CAPTION.encode()),
    "first-of-two-comments": lambda: _insert(_insert(_jpeg(), 0xFE, CAPTION.encode()), 0xFE, b"Ward news"),
    "second-xmp-packet": lambda: _insert(_jpeg(xmp=_xmp("<dc:title>Ward news</dc:title>")), 0xE1,
                                         b"http://ns.adobe.com/xap/1.0/\0" + _xmp(f"<dc:title>{CAPTION}</dc:title>")),
}


@pytest.mark.parametrize("make", JPEGS.values(), ids=JPEGS.keys())
def test_text_in_any_jpeg_metadata_field_blocks(run_cli, tmp_path, make):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make())
    code, doc = _scan(run_cli, photo)
    assert code == 1 and "medical-record-number" in _rules(doc), doc["findings"]


def test_extended_xmp_is_read(run_cli, tmp_path):
    packet = _xmp(f"<dc:description>{CAPTION}</dc:description>")
    guid = b"0" * 32
    head = b"http://ns.adobe.com/xmp/extension/\0" + guid + struct.pack(">I", len(packet))
    half = len(packet) // 2
    data = _jpeg()
    data = _insert(data, 0xE1, head + struct.pack(">I", half) + packet[half:])
    data = _insert(data, 0xE1, head + struct.pack(">I", 0) + packet[:half])
    (tmp_path / "photo.jpg").write_bytes(data)
    code, doc = _scan(run_cli, tmp_path / "photo.jpg")
    assert code == 1 and "medical-record-number" in _rules(doc)


def test_gps_written_in_xmp_is_a_gps_finding(run_cli, tmp_path):
    xmp = _xmp("<exif:GPSLatitude>41,52.5N</exif:GPSLatitude><exif:GPSLongitude>87,37.8W</exif:GPSLongitude>")
    (tmp_path / "photo.jpg").write_bytes(_jpeg(xmp=xmp))
    code, doc = _scan(run_cli, tmp_path / "photo.jpg")
    assert code == 1 and "image-gps" in _rules(doc)


def test_png_keywords_that_are_data_do_not_name_segments(run_cli, tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Marisol Quintero 5530871", CAPTION)
    Image.new("RGB", (16, 16), "white").save(tmp_path / "card.png", pnginfo=info)
    code, doc = _scan(run_cli, tmp_path / "card.png")
    assert code == 1
    assert all("Quintero" not in f["segment"] for f in doc["findings"])


def test_harmless_metadata_passes(run_cli, tmp_path):
    data = _jpeg(exif=_exif(lambda e: (e.__setitem__(0x0110, "Pixel 9"), e.__setitem__(0x0131, "Camera 2.1"))))
    (tmp_path / "photo.jpg").write_bytes(data)
    code, doc = _scan(run_cli, tmp_path / "photo.jpg")
    assert code == 0, doc["findings"]


def _card(text: str, size=(1100, 160)) -> Image.Image:
    font = ImageFont.truetype("DejaVuSans.ttf", 34) if _has_font() else ImageFont.load_default()
    card = Image.new("RGB", size, "white")
    ImageDraw.Draw(card).text((20, 50), text, fill="black", font=font)
    return card


def _has_font() -> bool:
    try:
        ImageFont.truetype("DejaVuSans.ttf", 10)
        return True
    except OSError:
        return False


@needs_ocr
def test_the_second_page_of_a_tiff_is_read(run_cli, tmp_path):
    blank = Image.new("RGB", (1100, 160), "white")
    blank.save(tmp_path / "scan.tif", save_all=True, append_images=[_card("Patient MRN 5530871 discharged")])
    code, doc = _scan(run_cli, tmp_path / "scan.tif")
    assert code == 1 and "medical-record-number" in _rules(doc)


@needs_ocr
def test_a_tall_screenshot_is_read_in_tiles(run_cli, tmp_path):
    tall = Image.new("RGB", (1080, 9000), "white")
    tall.paste(_card("Patient MRN 5530871 discharged", (1080, 160)), (0, 120))
    tall.save(tmp_path / "thread.png")
    code, doc = _scan(run_cli, tmp_path / "thread.png")
    assert code == 1 and "medical-record-number" in _rules(doc)


def test_tiles_overlap_and_cover_the_image():
    from phiguard.sources.ocr import tiles

    pieces = tiles(Image.new("L", (1000, 9000)))
    assert pieces[0][0] == 0 and pieces[-1][0] + pieces[-1][1].height == 9000
    assert all(b[0] < a[0] + a[1].height for a, b in zip(pieces, pieces[1:]))
    assert len(tiles(Image.new("L", (1000, 1200)))) == 1
