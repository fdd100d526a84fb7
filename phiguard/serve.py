"""`phiguard serve`: a page on this computer to paste a draft or drop a photo and see what to change.

Only this computer can reach it (127.0.0.1), and only with the URL printed at start: a random token is the
first part of every path, and API calls repeat it in a header. The Host header must name this server (a DNS
rebinding page cannot use it), a request from another origin is refused, scans are POST only, bodies are
capped, no CORS header is ever sent. Drafts are scanned in memory: never written to disk, never cached,
never logged (uvicorn's access log is off and errors name only the exception type).
"""
from __future__ import annotations

import base64
import io
import json
import logging
import secrets
import socket
import threading
import webbrowser
from pathlib import Path, PurePath
from typing import Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from .api import Options, Session, Text
from .discover import MAX_TEXT_BYTES, Source
from .redact import redaction

HOST = "127.0.0.1"
MAX_BODY = 10 * 1024 * 1024
TOKEN_HEADER = "x-phiguard-token"
WEB = Path(__file__).with_name("web")  # package data: phiguard/web/ (the wheel takes every file under phiguard/)
ASSETS = {"": ("index.html", "text/html; charset=utf-8"), "app.js": ("app.js", "text/javascript; charset=utf-8"),
          "style.css": ("style.css", "text/css; charset=utf-8")}
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
THUMB_SIDE = 320
TEXT_NAME = "draft.txt"  # a pasted draft is read as plain text
MAX_NAME_CHARS = 255


def upload_name(filename: str | None) -> str:
    """An uploaded file's base name (its suffix picks the reader), without folders or control characters."""
    base = PurePath((filename or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())[-MAX_NAME_CHARS:]
    return base if base not in ("", ".", "..") else "upload.txt"


def check_text(session: Session, text: str):
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        return session.check(Source(TEXT_NAME, None, f"text larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB"))
    return session.check(Text(text, TEXT_NAME))


class Guard:
    """ASGI middleware in front of everything: Host, Origin, token, body size; security headers out."""

    def __init__(self, app, port: int, token: str, max_body: int = MAX_BODY) -> None:
        self.app, self.token, self.max_body = app, token.encode(), max_body
        self.hosts = {f"{HOST}:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":  # lifespan
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        first, _, rest = scope["path"].lstrip("/").partition("/")
        length = headers.get("content-length")
        if headers.get("host") not in self.hosts:
            refusal = PlainTextResponse("Unknown Host header", 400)
        elif "origin" in headers and headers["origin"] not in self.origins:
            refusal = PlainTextResponse("Cross-origin request refused", 403)
        elif not secrets.compare_digest(first.encode(), self.token):
            refusal = PlainTextResponse("Not found: open the address phiguard serve printed", 404)
        elif rest.startswith("api/") and not secrets.compare_digest(headers.get(TOKEN_HEADER, "").encode(), self.token):
            refusal = PlainTextResponse("Missing or wrong token header", 403)
        elif length is not None and (not length.isdigit() or int(length) > self.max_body):
            refusal = PlainTextResponse(f"Larger than {self.max_body // (1024 * 1024)} MB", 413)
        else:
            refusal = None
        send = _with_headers(send)
        if refusal is not None:
            return await refusal(scope, receive, send)
        received = 0

        async def counted():  # a chunked body has no Content-Length: count what arrives
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, f"Larger than {self.max_body // (1024 * 1024)} MB")
            return message

        await self.app(scope, counted, send)


def _with_headers(send: Callable) -> Callable:
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            message = {**message, "headers": [*message.get("headers", []),
                                              *(h for h in SECURITY_HEADERS if h[0] not in names)]}
        await send(message)
    return sending


def finding_json(session: Session, f, blocking: set) -> dict:
    """A finding for the page. "file" offsets index the text in code points (JS: Array.from); "segment"
    findings are not in the text (photo metadata, text read in a picture, the file name): `where` names
    the place and `match` says what was found there."""
    return {"start": f.start, "end": f.end, "rule": f.rule, "severity": str(f.severity),
            "blocking": f in blocking, "message": f.message, "fix": session.fix(f), "offsets": f.offsets,
            "where": f.segment, "match": f.match if f.offsets != "file" else None}


def result_json(session: Session, result, text: str | None) -> dict:
    blocking = set(result.blocking(session.fail_on))
    redacted = redaction(text, result.findings, result.suppressed, session.fail_on).text if not result.error else None
    return {"verdict": session.verdict(result), "error": result.error,
            "findings": [finding_json(session, f, blocking) for f in result.findings],
            "notes": result.notes, "redacted": redacted}


def internal_error(exc: BaseException) -> JSONResponse:
    # The exception's text may quote the draft: only its type is named, and nothing is logged.
    return JSONResponse({"verdict": "not checked", "findings": [], "redacted": None,
                         "error": f"internal error ({type(exc).__name__}); nothing was checked"}, 500)


def thumbnail(name: str, data: bytes) -> str | None:
    """A small JPEG data URL of the picture as viewers show it, made in memory (metadata not copied)."""
    from PIL import Image

    from .sources.images import as_shown, open_image

    try:
        image = open_image(name, data)
        picture = as_shown(image).convert("RGB")
        picture.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=85)
    except Exception:  # noqa: BLE001 - the scan says why the image cannot be read
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def create_app(session: Session, port: int, token: str, max_body: int = MAX_BODY):
    logging.getLogger("python_multipart").setLevel(logging.ERROR)  # its warnings quote bytes of the body

    async def page(request: Request) -> Response:
        name, media_type = ASSETS[request.url.path.rsplit("/", 1)[1]]
        return Response((WEB / name).read_bytes(), media_type=media_type)

    async def scan_text(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("Send JSON", 415)
        try:
            text = json.loads(await request.body())["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse('Send {"text": "..."}', 400)
        try:
            result = await run_in_threadpool(check_text, session, text)
            return JSONResponse(result_json(session, result, text))
        except Exception as exc:  # noqa: BLE001
            return internal_error(exc)

    async def scan_file(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "multipart/form-data":
            return PlainTextResponse("Send the file as multipart/form-data", 415)
        parser = MultiPartParser(request.headers, request.stream(), max_files=1, max_fields=0)
        parser.spool_max_size = max_body + 1  # Starlette spools files over 1 MB to disk: this one never does
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            return PlainTextResponse(exc.message, 400)
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                return PlainTextResponse("Send one file in the field 'file'", 400)
            data = await upload.read()
        finally:
            await form.close()
        try:
            result, source = await run_in_threadpool(session.check_bytes, data, upload_name(upload.filename))
            body = result_json(session, result, source.text or None)
            body["name"] = source.path
            body["text"] = source.text or None  # a text file: the page shows it with its findings marked
            body["thumbnail"] = await run_in_threadpool(thumbnail, source.path, data) if source.data else None
            return JSONResponse(body)
        except Exception as exc:  # noqa: BLE001
            return internal_error(exc)

    routes = [Mount(f"/{token}", routes=[
        *(Route(f"/{asset}", page, methods=["GET"]) for asset in ASSETS),
        Route("/api/scan", scan_text, methods=["POST"]),
        Route("/api/file", scan_file, methods=["POST"]),
    ])]
    return Guard(Starlette(routes=routes), port, token, max_body)


def bound_socket(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (a free port for 0), bound before the URL is printed: no race."""
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets whose proto says TCP (else each response on
    # a kept-alive connection waits 40 ms for a delayed ACK: Nagle's algorithm)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def make_server(session: Session, port: int = 0, token: str | None = None):
    """(uvicorn server, its socket, the URL to open). `server.run(sockets=[sock])` serves until
    `server.should_exit` is set (or Ctrl-C in the main thread)."""
    import uvicorn

    token = token or secrets.token_urlsafe(24)
    sock = bound_socket(port)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(session, port, token), access_log=False, log_level="warning",
                            server_header=False, lifespan="off", timeout_graceful_shutdown=2)
    return uvicorn.Server(config), sock, f"http://{HOST}:{port}/{token}/"


def page_session(options: Options | None = None) -> Session:
    """Drafts are never cached and uploads' names are not trusted (no baseline, consent or path rules)."""
    options = options or Options()
    options.cache = False
    return Session(options, trust_paths=False)


def serve(port: int = 0, no_browser: bool = False, options: Options | None = None) -> None:
    """What `phiguard serve [--port N] [--no-browser]` runs."""
    print("phiguard: loading the language model...", flush=True)
    session = page_session(options)
    server, sock, url = make_server(session, port)
    print(f"phiguard: open {url}\nphiguard: only this computer can reach it; press Ctrl+C to stop", flush=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    server.run(sockets=[sock])

