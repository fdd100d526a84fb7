"""phiguard serve: the guard (real HTTP against uvicorn in a thread), the JSON API, and the page in a real
headless Chromium (skipped when /usr/bin/chromium is absent)."""
from __future__ import annotations

import http.client
import io
import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from phiguard import serve
from phiguard.serve import upload_name

PHI_DRAFT = "Our patient John Smith, MRN 12345678, was discharged from room 4B on March 3, 2025."
CLEAN_DRAFT = "Wash your hands and get your flu shot this October."
PHI_SPANS = ["John Smith", "12345678", "4B", "March 3, 2025"]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # screenshots of the page, kept


@pytest.fixture(scope="module")
def session():
    return serve.page_session()


@pytest.fixture(scope="module")
def live(session):
    """The server on a free port in a thread: (port, token)."""
    server, sock, url = serve.make_server(session)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "server did not start"
    port, token = sock.getsockname()[1], url.rstrip("/").rsplit("/", 1)[1]
    yield port, token
    server.should_exit = True
    thread.join(10)
    sock.close()


def call(live, method, path, body=None, headers=None, api=True):
    """(status, headers, body bytes) over a fresh connection; `path` is under the token unless it starts
    with '//'; API calls carry the token header unless `api` is False."""
    port, token = live
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {**({"X-Phiguard-Token": token} if api else {}), **(headers or {})}
    url = path[1:] if path.startswith("//") else f"/{token}/{path}"
    try:
        conn.request(method, url, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def scan(live, text, headers=None):
    status, _, body = call(live, "POST", "api/scan", json.dumps({"text": text}),
                           {"Content-Type": "application/json", **(headers or {})})
    assert status == 200, body
    return json.loads(body)


def multipart(name: str, data: bytes, field: str = "file") -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(live, name, data):
    body, content_type = multipart(name, data)
    status, _, raw = call(live, "POST", "api/file", body, {"Content-Type": content_type})
    assert status == 200, raw
    return json.loads(raw)


def photo_with_text_and_gps() -> bytes:
    """A PNG card with a name and record number written on it, and GPS coordinates in its EXIF."""
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 40)
    except OSError:
        font = ImageFont.load_default(40)
    img = Image.new("RGB", (900, 260), "white")
    ImageDraw.Draw(img).multiline_text((40, 50), "Patient: John Smith\nMRN 12345678", fill="black", font=font,
                                       spacing=20)
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(40), IFDRational(42), IFDRational(4608, 100))
    gps[3], gps[4] = "W", (IFDRational(74), IFDRational(0), IFDRational(2160, 100))
    out = io.BytesIO()
    img.save(out, "PNG", exif=exif.tobytes())  # an Exif holding only a GPS IFD is falsy: PNG would drop it
    return out.getvalue()


# --- the guard ------------------------------------------------------------------------------------------

def test_page_loads_with_the_token_and_sends_no_cors_header(live):
    status, headers, body = call(live, "GET", "", api=False)
    assert status == 200 and b"<textarea" in body
    assert "default-src 'none'" in headers["content-security-policy"]
    assert not any(k.startswith("access-control-") for k in headers)
    assert call(live, "GET", "app.js", api=False)[0] == 200


@pytest.mark.parametrize("path", ["//", "//index.html", "//api/scan", "//wrong-token/", "//wrong-token/api/scan"])
def test_wrong_or_missing_token_in_the_path_is_not_found(live, path):
    assert call(live, "GET" if "api" not in path else "POST", path, "{}", {"Content-Type": "application/json"})[0] == 404


@pytest.mark.parametrize("token_header", [None, "", "wrong"])
def test_api_without_the_token_header_is_forbidden(live, token_header):
    headers = {"Content-Type": "application/json"} | ({"X-Phiguard-Token": token_header} if token_header is not None else {})
    assert call(live, "POST", "api/scan", json.dumps({"text": PHI_DRAFT}), headers, api=False)[0] == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost",
                                  "[::1]:{port}", "127.0.0.1.nip.io:{port}"])
def test_foreign_host_header_is_refused(live, host):
    status, _, _ = call(live, "POST", "api/scan", json.dumps({"text": "x"}),
                        {"Host": host.format(port=live[0]), "Content-Type": "application/json"})
    assert status == 400


def test_localhost_host_header_is_accepted(live):
    assert scan(live, CLEAN_DRAFT, {"Host": f"localhost:{live[0]}"})["verdict"] == "passes"


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}"])
def test_foreign_origin_is_refused(live, origin):
    status, headers, _ = call(live, "POST", "api/scan", json.dumps({"text": PHI_DRAFT}),
                              {"Origin": origin.format(port=live[0]), "Content-Type": "application/json"})
    assert status == 403 and "access-control-allow-origin" not in headers


def test_same_origin_is_accepted(live):
    assert scan(live, PHI_DRAFT, {"Origin": f"http://127.0.0.1:{live[0]}"})["verdict"] == "blocked"


def test_scans_are_post_only(live):
    assert call(live, "GET", "api/scan")[0] == 405
    assert call(live, "GET", "api/file")[0] == 405
    status, headers, _ = call(live, "OPTIONS", "api/scan", headers={"Origin": "http://evil.example",
                                                                      "Access-Control-Request-Method": "POST"})
    assert status == 403 and "access-control-allow-origin" not in headers


def test_scan_wants_json(live):
    assert call(live, "POST", "api/scan", "text=" + PHI_DRAFT, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 415
    assert call(live, "POST", "api/scan", '{"text": 3}', {"Content-Type": "application/json"})[0] == 400


def test_declared_oversized_body_is_refused_before_it_is_read(live):
    port, token = live
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("POST", f"/{token}/api/file")
        for k, v in {"X-Phiguard-Token": token, "Content-Type": "multipart/form-data; boundary=x",
                     "Content-Length": str(serve.MAX_BODY + 1)}.items():
            conn.putheader(k, v)
        conn.endheaders()  # no body sent: the answer must not wait for it
        assert conn.getresponse().status == 413
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["api/scan", "api/file"])
def test_streamed_oversized_body_is_counted_and_refused(live, path):
    """Chunked transfer: no Content-Length, so the bytes that arrive are counted."""
    chunk = b"a" * (1024 * 1024)
    head, content_type = (b'{"text": "', "application/json") if path == "api/scan" else multipart("big.txt", b"")
    head = head if path == "api/scan" else head[:head.rindex(b"\r\n--")]  # a valid start, then no end

    def body():
        yield head
        for _ in range(serve.MAX_BODY // len(chunk) + 2):
            yield chunk

    try:
        status = call(live, "POST", path, body(), {"Content-Type": content_type})[0]
    except (BrokenPipeError, ConnectionResetError):  # the server may close before the client has sent all
        return
    assert status == 413


# --- the API --------------------------------------------------------------------------------------------

def test_phi_draft_is_blocked_with_spans_fixes_and_a_redacted_copy(live):
    data = scan(live, PHI_DRAFT)
    assert data["verdict"] == "blocked" and data["error"] is None
    assert [PHI_DRAFT[f["start"]:f["end"]] for f in data["findings"]] == PHI_SPANS
    assert all(f["blocking"] and f["fix"] and f["offsets"] == "file" for f in data["findings"])
    assert data["redacted"] == "Our patient [NAME], MRN [MRN], was discharged from room [ID] on [DATE]."


def test_clean_draft_passes(live):
    data = scan(live, CLEAN_DRAFT)
    assert (data["verdict"], data["findings"], data["redacted"]) == ("passes", [], CLEAN_DRAFT)


def test_offsets_count_code_points(live):
    text = "😀 Thanks to John Smith for the visit."
    [f] = [f for f in scan(live, text)["findings"] if f["rule"] == "person-name"]
    assert text[f["start"]:f["end"]] == "John Smith" and f["start"] == 12  # 13 in UTF-16


def test_uploaded_markdown_is_read_as_markdown_and_returned_for_marking(live):
    text = "# Thanks\n\nOur patient John Smith, MRN 12345678, went home.\n"
    data = upload(live, "../../post.md", text.encode())
    assert data["name"] == "post.md" and data["text"] == text and data["thumbnail"] is None
    assert {text[f["start"]:f["end"]] for f in data["findings"]} >= {"John Smith", "12345678"}
    assert "[NAME]" in data["redacted"]


def test_uploaded_photo_gets_gps_and_text_findings_and_a_thumbnail(live):
    data = upload(live, "card.png", photo_with_text_and_gps())
    rules = {f["rule"] for f in data["findings"]}
    assert data["verdict"] == "blocked" and "image-gps" in rules
    assert all(f["offsets"] == "segment" and f["match"] for f in data["findings"])
    assert data["thumbnail"].startswith("data:image/jpeg;base64,") and data["redacted"] is None
    if "ocr" not in {f["where"].split(":")[0] for f in data["findings"]}:
        assert "image-text-unchecked" in rules  # no tesseract: said, never a silent pass


def test_unreadable_image_is_not_checked(live):
    data = upload(live, "broken.jpg", b"\xff\xd8 not really a jpeg")
    assert data["verdict"] == "not checked" and "unreadable image" in data["error"]


def test_large_upload_stays_in_memory(live, monkeypatch):
    """Starlette spools uploads over 1 MB to a temporary file: the server's parser never does."""
    import tempfile

    def refuse(self):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", refuse)
    data = upload(live, "big.txt", b"\0" * (2 * 1024 * 1024))  # read at once as binary: no NLP to wait for
    assert data["verdict"] == "not checked" and "binary" in data["error"]


def test_drafts_are_not_logged(live, caplog, capfd):
    marker = f"Zebulon Quarterfield {uuid.uuid4().hex[:8]}"
    with caplog.at_level(logging.DEBUG):
        scan(live, f"Our patient {marker} went home.")
        upload(live, "x.txt", marker.encode())
        call(live, "POST", "api/scan", json.dumps({"text": marker}), {"Origin": "http://evil.example"})
    out, err = capfd.readouterr()
    assert marker not in caplog.text and marker not in out and marker not in err


def test_upload_names_lose_their_folders():
    assert upload_name("C:\\Users\\me\\post.md") == "post.md"
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name("") == upload_name("..") == "upload.txt"


# --- the page in a real browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        why = (f"no headless browser: {CHROMIUM} and {CHROMEDRIVER} come from Debian's "
               "`apt-get install chromium chromium-driver` (.ci/run installs them)")
        if os.environ.get("CI"):
            pytest.fail(why)  # CI installs it: a missing browser there is a broken CI, not a skip
        pytest.skip(why)
    pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)  # never Selenium Manager
    yield driver
    driver.quit()


@pytest.fixture
def shots():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def test_page_in_a_real_browser(live, browser, shots, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    port, token = live
    url = f"http://127.0.0.1:{port}/{token}/"
    wait = WebDriverWait(browser, 60)
    browser.get(url)
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("role") == "status" and verdict.get_attribute("aria-live") == "polite"
    for control in ("draft", "file", "redacted"):  # every control has a label
        assert browser.find_elements(By.CSS_SELECTOR, f"label[for={control}]")

    def verdict_says(words):
        wait.until(lambda d: words in verdict.text)

    # A draft with PHI, checked with Ctrl+Enter.
    draft = browser.find_element(By.ID, "draft")
    draft.send_keys(PHI_DRAFT)
    draft.send_keys(Keys.CONTROL, Keys.ENTER)
    verdict_says("Do not post")
    marks = browser.find_elements(By.CSS_SELECTOR, "#draft-view mark")
    assert [m.text for m in marks] == PHI_SPANS
    assert "Medical record number" in marks[1].get_attribute("title")
    assert "Remove the record" in marks[1].get_attribute("title")  # the fix, beside the message
    assert browser.find_element(By.ID, "draft-view").text == PHI_DRAFT
    items = browser.find_elements(By.CSS_SELECTOR, "#findings li")
    assert len(items) == 4 and "What to do:" in items[0].text
    browser.save_screenshot(str(shots / "serve-blocked.png"))

    # Copy the redacted copy.
    expected = "Our patient [NAME], MRN [MRN], was discharged from room [ID] on [DATE]."
    assert browser.find_element(By.ID, "redacted").get_attribute("value") == expected
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": f"http://127.0.0.1:{port}", "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    copy, status = browser.find_element(By.ID, "copy"), browser.find_element(By.ID, "copy-status")
    copy.click()
    wait.until(lambda d: status.text == "Copied.")
    assert browser.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('error: ' + e))") == expected
    # Where the clipboard API is refused, the copy is selected (and copied with execCommand when it can be).
    browser.execute_script("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'))")
    copy.click()
    wait.until(lambda d: status.text in ("Copied.", "Selected: press Ctrl+C to copy."))
    assert browser.execute_script("const a = document.activeElement; "
                                  "return a.id + ':' + a.value.substring(a.selectionStart, a.selectionEnd)"
                                  ) == "redacted:" + expected

    # A clean draft, checked with the button.
    draft.clear()
    draft.send_keys(CLEAN_DRAFT)
    browser.find_element(By.ID, "check").click()
    verdict_says("No patient information found")
    assert browser.find_elements(By.CSS_SELECTOR, "#draft-view mark") == []
    assert not browser.find_element(By.ID, "redacted-box").is_displayed()
    browser.save_screenshot(str(shots / "serve-passes.png"))

    # A photo, through the file input: its findings beside its thumbnail.
    photo = tmp_path / "card.png"
    photo.write_bytes(photo_with_text_and_gps())
    browser.find_element(By.ID, "file").send_keys(str(photo))
    verdict_says("Do not post")
    thumb = browser.find_element(By.ID, "thumb")
    wait.until(lambda d: thumb.get_attribute("src").startswith("data:image/jpeg;base64,"))
    assert thumb.is_displayed() and "card.png" in thumb.get_attribute("alt")
    listed = browser.find_element(By.ID, "findings").text
    assert "location data" in listed
    assert "text in the picture" in listed or "image text not checked" in listed.lower()
    assert not browser.find_element(By.ID, "text-view").is_displayed()
    browser.save_screenshot(str(shots / "serve-photo.png"))
