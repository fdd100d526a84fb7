"""A scripted LSP client over `phiguard lsp`'s stdio (Content-Length framed JSON-RPC), for its tests and its
benchmark: it talks to the server exactly as an editor does."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable


class Client:
    def __init__(self, cwd: str | os.PathLike) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "phiguard", "lsp"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue[dict] = queue.Queue()
        self.backlog: list[dict] = []  # received, not yet asked for
        self.next_id = 0
        self.stderr = bytearray()  # drained, so that the server never blocks on a full pipe
        self.readers = [threading.Thread(target=self._read, daemon=True),
                        threading.Thread(target=self._drain, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        self.stderr.extend(self.proc.stderr.read())

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.messages.put(json.loads(out.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)
        assert "error" not in reply, reply["error"]
        return reply.get("result")

    def wait(self, match: Callable[[dict], bool], timeout: float = 30) -> dict:
        """The first message (earlier ones kept for later) that `match`es."""
        for i, m in enumerate(self.backlog):
            if match(m):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))  # queue.Empty on time-out
            if match(m):
                return m
            self.backlog.append(m)

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> list[dict]:
        """The next publishDiagnostics for `uri` (of `version`, when given)."""
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and (version is None or m["params"].get("version") == version), timeout)
        return m["params"]["diagnostics"]

    def initialize(self, root: Path) -> dict:
        result = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}},
                             "general": {"positionEncodings": ["utf-16"]}}}, timeout=60)
        self.notify("initialized", {})
        return result

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=10)
        finally:
            for reader in self.readers:
                reader.join(timeout=5)
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


def _offset(lines: list[str], p: dict) -> int:
    """The code-point offset of an LSP position (UTF-16 code units) in the text of `lines`."""
    before = sum(len(line) + 1 for line in lines[: p["line"]])
    return before + len(lines[p["line"]].encode("utf-16-le")[: 2 * p["character"]].decode("utf-16-le"))


def utf16_slice(text: str, r: dict) -> str:
    """The text an LSP range covers."""
    lines = text.split("\n")
    return text[_offset(lines, r["start"]): _offset(lines, r["end"])]


def apply_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP TextEdits (from the last, so that earlier ranges stay valid)."""
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: _offset(lines, e["range"]["start"]), reverse=True):
        text = text[: _offset(lines, e["range"]["start"])] + e["newText"] + text[_offset(lines, e["range"]["end"]):]
    return text
