"""A full CLI scan in a child process whose sockets are blocked: no connection may even be attempted."""
from __future__ import annotations

import json
import os
import subprocess
import sys

# Runs before phiguard is imported: every way out through the socket module records and raises.
GUARD = """
import json, os, socket, sys
LOG = os.environ["NET_ATTEMPTS_LOG"]
def blocked(name):
    def attempt(*args, **kwargs):
        with open(LOG, "a") as fh:
            fh.write(json.dumps([name, repr(args)[:200]]) + "\\n")
        raise OSError(f"network blocked in test: {name}")
    return attempt
for name in ("connect", "connect_ex", "sendto"):
    setattr(socket.socket, name, blocked(f"socket.{name}"))
for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
    setattr(socket, name, blocked(name))
sys.argv = ["phiguard"] + sys.argv[1:]
exec(sys.stdin.read())
"""
POST = """---
title: A visit from John Smith
---
Our 93-year-old patient John Smith (MRN 4471129) went home to Springfield, IL 62704 on March 3, 2024.
Write to john.smith@example.org or see https://clinic.example.org/patients/jsmith, IP 192.168.10.12.
"""


def _run_guarded(tmp_path, program: str, *args: str) -> tuple[subprocess.CompletedProcess, list]:
    log = tmp_path / "attempts.jsonl"
    env = {**os.environ, "NET_ATTEMPTS_LOG": str(log), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("CI", None)
    proc = subprocess.run([sys.executable, "-c", GUARD, *args], input=program, capture_output=True,
                          text=True, env=env, timeout=600)
    attempts = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, attempts


def test_the_guard_catches_a_connection(tmp_path):
    """The control: the same guard records an ordinary HTTP request."""
    proc, attempts = _run_guarded(tmp_path, "import urllib.request\n"
                                            "try:\n    urllib.request.urlopen('http://example.org', timeout=5)\n"
                                            "except OSError:\n    pass\n")
    assert proc.returncode == 0, proc.stderr
    assert attempts and attempts[0][0] in {"getaddrinfo", "create_connection", "socket.connect"}


def test_full_scan_attempts_no_connection(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST)
    program = "from phiguard.cli import main\nmain()\n"
    proc, attempts = _run_guarded(tmp_path, program, "scan", "--format", "json", "--show-matches", str(post))
    assert attempts == []
    assert proc.returncode == 1, proc.stderr
    entities = {f["entity"] for f in json.loads(proc.stdout)["findings"]}
    # The recognizers that could reach out (tldextract for email, URL, spaCy NER) all ran.
    assert {"EMAIL_ADDRESS", "URL", "PERSON", "MEDICAL_RECORD_NUMBER"} <= entities
