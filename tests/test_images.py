"""Images: captions and metadata, text in the picture, faces, corrupt files. Fixtures are built here."""
from __future__ import annotations

import io
import json
import struct

import pytest
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

from phiguard.errors import ConfigError
from phiguard.policy.rules import load_dir, load_file, shipped_rules_dir
from phiguard.sources import ocr

XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
       '<rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description></rdf:Description>'
       '</rdf:RDF></x:xmpmeta>')


def landscape() -> Image.Image:
    """Sky over a field: no text, no face, no metadata."""
    img = Image.new("RGB", (640, 400), (120, 170, 220))
    ImageDraw.Draw(img).rectangle((0, 250, 640, 400), fill=(60, 140, 60))
    return img


def exif(**tags) -> Image.Exif:
    ex = Image.Exif()
    ifd = ex.get_ifd(0x8769)
    for name, value in tags.items():
        if name == "description":
            ex[0x010E] = value
        elif name == "xp_comment":
            ex[0x9C9C] = value.encode("utf-16-le")
        elif name == "taken":
            ifd[0x9003] = value
        elif name == "serial":
            ifd[0xA431] = value
        elif name == "gps":
            gps = ex.get_ifd(0x8825)
            gps[1], gps[2] = "N", (IFDRational(40), IFDRational(42), IFDRational(4608, 100))
            gps[3], gps[4] = "W", (IFDRational(74), IFDRational(0), IFDRational(2160, 100))
    return ex


def jpeg_with_iptc_caption(caption: str) -> bytes:
    """A JPEG with an APP13 Photoshop/IPTC block holding Caption-Abstract (2:120)."""
    buf = io.BytesIO()
    landscape().save(buf, "JPEG")
    data = buf.getvalue()
    value = caption.encode("utf-8")
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(value)) + value
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc
    resource += b"\0" * (len(iptc) % 2)
    payload = b"Photoshop 3.0\0" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def text_card(text: str) -> Image.Image:
    """A whiteboard-like card with rendered text (DejaVu when installed, else Pillow's own font)."""
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 36)
    except OSError:
        font = ImageFont.load_default(36)
    img = Image.new("RGB", (900, 320), "white")
    ImageDraw.Draw(img).multiline_text((40, 40), text, fill="black", font=font, spacing=14)
    return img


def face_photo() -> Image.Image:
    from skimage import data  # the astronaut portrait bundled with scikit-image (public domain, NASA)

    return Image.fromarray(data.astronaut())


needs_ocr = pytest.mark.skipif(ocr.engine_problem() is not None,
                               reason="tesseract is not installed here (images get image-text-unchecked)")


def scan_json(run_cli, *args):
    result = run_cli("scan", *args, "--format", "json", "--show-matches")
    return result, json.loads(result.stdout) if result.stdout.strip().startswith("{") else None


def test_caption_in_exif_names_patient_is_blocked(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo, exif=exif(description="Discharge day for John Smith"))
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    names = [f for f in doc["findings"] if f["rule"] == "person-name"]
    assert [(f["segment"], f["match"], f["offsets"]) for f in names] == \
        [("exif:ImageDescription", "John Smith", "segment")]
    f = names[0]
    assert "Discharge day for John Smith"[f["start"]:f["end"]] == "John Smith"
    assert (f["line"], f["column"]) == (1, 1)


def test_windows_xp_comment_is_read(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo, exif=exif(xp_comment="Maria Garcia after her surgery"))
    _, doc = scan_json(run_cli, str(photo))
    assert ("exif:XPComment", "Maria Garcia") in {(f["segment"], f["match"]) for f in doc["findings"]}


def test_xmp_description_names_patient(run_cli, tmp_path):
    photo = tmp_path / "photo.png"
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.format("Robert Brown on his 90th birthday"))
    landscape().save(photo, pnginfo=info)
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    assert ("xmp:dc:description", "Robert Brown") in {(f["segment"], f["match"]) for f in doc["findings"]}


def test_xmp_in_jpeg(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo, xmp=XMP.format("Emily Johnson before discharge").encode())
    _, doc = scan_json(run_cli, str(photo))
    assert ("xmp:dc:description", "Emily Johnson") in {(f["segment"], f["match"]) for f in doc["findings"]}


def test_iptc_caption_names_patient(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_iptc_caption("Maria Garcia with her care team"))
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    assert ("iptc:Caption-Abstract", "Maria Garcia") in {(f["segment"], f["match"]) for f in doc["findings"]}


def test_png_text_chunk(run_cli, tmp_path):
    photo = tmp_path / "photo.png"
    info = PngInfo()
    info.add_text("Comment", "MRN 48213377 follow-up photo")
    landscape().save(photo, pnginfo=info)
    _, doc = scan_json(run_cli, str(photo))
    assert ("png:Comment", "medical-record-number") in {(f["segment"], f["rule"]) for f in doc["findings"]}


def test_gps_date_and_serial_are_findings_of_their_own(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo, exif=exif(gps=True, taken="2024:03:14 10:22:01", serial="SN4829911"))
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    got = {f["rule"]: (f["segment"], f["match"], f["identifier"]) for f in doc["findings"]}
    assert got["image-gps"] == ("exif:GPS", "40.712800, -74.006000", "geographic")
    assert got["image-date"] == ("exif:DateTimeOriginal", "2024:03:14 10:22:01", "dates")
    assert got["image-device-serial"] == ("exif:BodySerialNumber", "SN4829911", "device")


@needs_ocr
def test_plain_landscape_without_metadata_passes(run_cli, tmp_path):
    photo = tmp_path / "landscape.jpg"
    landscape().save(photo)
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 0, result.output
    assert doc["findings"] == [] and doc["summary"]["files_scanned"] == 1


@needs_ocr
def test_visible_text_naming_patient_is_blocked(run_cli, tmp_path):
    photo = tmp_path / "whiteboard.png"
    text_card("Patient: John Smith\nMRN 48213377\nRoom 4B").save(photo)
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    hits = {(f["rule"], f["match"]) for f in doc["findings"] if f["segment"].startswith("ocr:region ")}
    assert ("person-name", "John Smith") in hits
    assert ("medical-record-number", "48213377") in hits


def test_missing_ocr_engine_is_reported_not_silent(run_cli, tmp_path, monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    ocr.engine_problem.cache_clear()
    try:
        photo = tmp_path / "landscape.jpg"
        landscape().save(photo)
        result, doc = scan_json(run_cli, str(photo))
    finally:
        ocr.engine_problem.cache_clear()  # the next call sees the real tesseract again
    assert result.exit_code == 1
    [f] = doc["findings"]
    assert (f["rule"], f["segment"], f["severity"]) == ("image-text-unchecked", "ocr", "high")
    assert "tesseract" in f["match"]


def test_face_is_flagged_as_full_face_photograph(run_cli, tmp_path):
    photo = tmp_path / "selfie.png"
    face_photo().save(photo)
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    [f] = [f for f in doc["findings"] if f["rule"] == "full-face-photo"]
    assert (f["segment"], f["identifier"], f["severity"]) == ("faces:1", "photo", "high")
    assert f["match"].startswith("1 full-face photograph(s): (")


def test_consent_on_file_clears_the_face(run_cli, tmp_path):
    photo = tmp_path / "selfie.png"
    face_photo().save(photo)
    _, without = scan_json(run_cli, str(photo))
    _, with_consent = scan_json(run_cli, str(photo), "--consent-on-file", str(photo))
    rules = {f["rule"] for f in without["findings"]}
    assert "full-face-photo" in rules
    assert {f["rule"] for f in with_consent["findings"]} == rules - {"full-face-photo"}


def test_sidecar_caption_is_scanned_with_the_image(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo)
    (tmp_path / "photo.jpg.txt").write_text("Our patient Emily Johnson went home today.\n")
    result, doc = scan_json(run_cli, str(photo))
    assert result.exit_code == 1
    [f] = [f for f in doc["findings"] if f["rule"] == "person-name"]
    assert (f["path"], f["match"], f["line"], f["column"], f["offsets"]) == \
        (str(tmp_path / "photo.jpg.txt"), "Emily Johnson", 1, 13, "file")


def test_directory_walk_takes_images(run_cli, tmp_path):
    landscape().save(tmp_path / "a.webp", exif=exif(description="Visit from John Smith"))
    result, doc = scan_json(run_cli, str(tmp_path))
    assert result.exit_code == 1
    assert {f["path"] for f in doc["findings"]} == {str(tmp_path / "a.webp")}


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_image_is_an_input_error(run_cli, tmp_path, damage):
    buf = io.BytesIO()
    landscape().save(buf, "JPEG")
    data = buf.getvalue()[:1500] if damage == "truncate" else b"\xff\xd8\xff\xe0 not really a jpeg"
    (tmp_path / "broken.jpg").write_bytes(data)
    landscape().save(tmp_path / "fine.jpg")
    result = run_cli("scan", str(tmp_path / "broken.jpg"), str(tmp_path / "fine.jpg"), "--format", "text")
    assert result.exit_code == 2
    assert "broken.jpg: unreadable image" in result.output
    assert "Traceback" not in result.output


def test_rich_report_names_the_metadata_field(run_cli, tmp_path):
    photo = tmp_path / "photo.jpg"
    landscape().save(photo, exif=exif(description="Discharge day for John Smith"))
    result = run_cli("scan", str(photo), "--format", "rich", "--mask-matches")
    assert result.exit_code == 1
    assert "exif:ImageDescription" in result.output and "John Smith" not in result.output


IMAGE_RULE_TESTS = {
    "image-gps": test_gps_date_and_serial_are_findings_of_their_own,
    "image-date": test_gps_date_and_serial_are_findings_of_their_own,
    "image-device-serial": test_gps_date_and_serial_are_findings_of_their_own,
    "full-face-photo": test_face_is_flagged_as_full_face_photograph,
    "image-text-unchecked": test_missing_ocr_engine_is_reported_not_silent,
}


def test_every_image_rule_has_a_test_here():
    image_rules = {r.id for r in load_dir(shipped_rules_dir()) if r.kind == "image"}
    assert image_rules == set(IMAGE_RULE_TESTS)


def test_image_rules_take_no_text_examples(tmp_path):
    rule = tmp_path / "r.yaml"
    rule.write_text("id: x\nkind: image\nentities: [FACE]\nidentifier: photo\nseverity: high\nmessage: m\n"
                    "examples:\n  flag: [some text]\n")
    with pytest.raises(ConfigError, match="r.yaml:7: 'image' rules take no text examples"):
        load_file(rule)


def _tiff_xmp(path):
    landscape().save(path, tiffinfo={700: XMP.format("Visit from John Smith").encode()})


def _gif_comment(path):
    landscape().save(path, comment=b"Visit from John Smith")


def _user_comment(path):
    ex = Image.Exif()
    ex.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0Visit from John Smith"
    landscape().save(path, exif=ex)


@pytest.mark.parametrize(("name", "write", "segment"), [
    ("photo.tiff", _tiff_xmp, "xmp:dc:description"),
    ("photo.gif", _gif_comment, "gif:comment"),
    ("photo.jpg", _user_comment, "exif:UserComment"),
])
def test_caption_in_other_formats(run_cli, tmp_path, name, write, segment):
    write(tmp_path / name)
    _, doc = scan_json(run_cli, str(tmp_path / name))
    assert (segment, "John Smith") in {(f["segment"], f["match"]) for f in doc["findings"]}


def _heic(path, **info):
    from pillow_heif import register_heif_opener

    register_heif_opener()  # for writing the fixture; phiguard registers it itself to read
    landscape().save(path, format="HEIF", **info)


def test_heic_photo_caption_and_xmp(run_cli, tmp_path):
    _heic(tmp_path / "IMG_0001.HEIC", exif=exif(description="Discharge day for John Smith"))
    _heic(tmp_path / "IMG_0002.heif", xmp=XMP.format("Maria Garcia after her surgery").encode())
    result, doc = scan_json(run_cli, str(tmp_path))  # walked: phones' default format is not skipped
    assert result.exit_code == 1
    assert {(f["path"].rsplit("/", 1)[-1], f["segment"], f["match"]) for f in doc["findings"]} >= {
        ("IMG_0001.HEIC", "exif:ImageDescription", "John Smith"),
        ("IMG_0002.heif", "xmp:dc:description", "Maria Garcia")}


def test_heic_pixel_limit(run_cli, tmp_path, monkeypatch):
    _heic(tmp_path / "big.heic")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # the 640x400 fixture is then "too large"
    result = run_cli("scan", str(tmp_path / "big.heic"), "--format", "text")
    assert result.exit_code == 2
    assert "big.heic: image too large to check (decompression bomb guard)" in result.output


@needs_ocr
def test_portrait_photo_is_read_as_displayed(run_cli, tmp_path):
    """Phones store portrait photos sideways with EXIF Orientation 6; viewers (and OCR) see them upright."""
    sideways = Image.Exif()
    sideways[0x0112] = 6
    text_card("Patient: John Smith\nMRN 48213377").transpose(Image.Transpose.ROTATE_90).save(
        tmp_path / "portrait.jpg", exif=sideways.tobytes(), quality=95)
    result, doc = scan_json(run_cli, str(tmp_path / "portrait.jpg"))
    assert result.exit_code == 1
    assert ("medical-record-number", "48213377") in {(f["rule"], f["match"]) for f in doc["findings"]}


@needs_ocr
@pytest.mark.parametrize("name, make", [
    ("transparent.png", lambda card: Image.merge("RGBA", (*Image.new("RGB", card.size).split(),
                                                          card.convert("L").point(lambda v: 255 - v)))),
    ("white-on-clear.png", lambda card: Image.merge("RGBA", (*Image.new("RGB", card.size, "white").split(),
                                                             card.convert("L").point(lambda v: 255 - v)))),
    ("gray16.png", lambda card: Image.eval(card.convert("I"), lambda v: v * 200 + 5000).convert("I;16")),
    ("red-on-grey.png", lambda card: Image.merge("RGB", (card.convert("L").point(lambda v: 76 if v > 128 else 255),
                                                         *[card.convert("L").point(lambda v: 76 if v > 128 else 0)] * 2))),
    ("angled.png", lambda card: card.rotate(25, expand=True, fillcolor="white")),
])
def test_text_keeps_its_contrast(run_cli, tmp_path, name, make):
    """Black text on a transparent ground, white text on one, 16-bit greyscale, red text on a grey of the same
    luminance, and text photographed at an angle are read."""
    make(text_card("Patient: John Smith\nMRN 48213377")).save(tmp_path / name)
    result, doc = scan_json(run_cli, str(tmp_path / name))
    assert result.exit_code == 1
    assert ("medical-record-number", "48213377") in {(f["rule"], f["match"]) for f in doc["findings"]}


@pytest.mark.parametrize("suffix, form", [(".jfif", "JPEG"), (".bmp", "BMP"), (".avif", "AVIF")])
def test_walks_take_every_photo_type(run_cli, tmp_path, suffix, form):
    exif_caption = Image.Exif()
    exif_caption[0x010E] = "Discharge day for our patient John Smith"
    landscape().save(tmp_path / f"photo{suffix}", form, **({} if form == "BMP" else {"exif": exif_caption}))
    result, doc = scan_json(run_cli, "--no-cache", str(tmp_path))
    assert doc["summary"]["files_scanned"] == 1
    if form != "BMP":  # BMP holds no metadata: the walk reading it is what counts
        assert result.exit_code == 1 and "person-name" in {f["rule"] for f in doc["findings"]}


def test_animation_frames_are_decoded_one_at_a_time(tmp_path, monkeypatch):
    """A small GIF can hold 50 large frames: only one decoded copy may be alive at a time."""
    import gc
    import weakref

    from phiguard.sources import images
    from phiguard.sources.options import SourceOptions

    frames = [Image.new("L", (400, 400), 255) for _ in range(6)]
    for i, frame in enumerate(frames):
        ImageDraw.Draw(frame).rectangle((i * 10, 0, i * 10 + 5, 5), fill=0)
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    alive: list[int] = []
    previous: list = []

    def read(path, picture, options):
        gc.collect()
        alive.append(sum(1 for ref in previous if ref() is not None))
        previous.append(weakref.ref(picture))
        return []

    monkeypatch.setattr(images.ocr, "segments", read)
    images.segments("anim.gif", buffer.getvalue(), SourceOptions())
    assert len(alive) == 6 and alive == [0] * 6
