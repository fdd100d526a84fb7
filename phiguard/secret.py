"""The local secret that keys what phiguard keeps: cache entries, fingerprints and baseline entries.

It never sits beside what it protects. `PHIGUARD_SECRET` (a CI secret shared by a team) wins; else a
random key kept in the user's config folder (`$XDG_CONFIG_HOME/phiguard/secret`, mode 0600), made on
first use. Without either (no writable home), a key for this process only: nothing kept can then be
trusted or matched on a later run, which costs time and baselines, never a missed finding.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV = "PHIGUARD_SECRET"


def key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "phiguard" / "secret"


@functools.lru_cache(maxsize=1)
def _master() -> bytes:
    shared = os.environ.get(ENV)
    if shared:
        return hashlib.sha256(shared.encode("utf-8")).digest()
    path = key_file()
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    except FileExistsError:  # another process made it first
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return key
    except OSError:
        return key
    return key


def key(purpose: str) -> bytes:
    """A key for one use ("cache", "fingerprint", "baseline"), derived from the local secret."""
    return hmac.new(_master(), purpose.encode("utf-8"), hashlib.sha256).digest()


def mac(purpose: str, *parts: str | bytes) -> str:
    """HMAC-SHA256 of the parts (NUL-separated) under the purpose's key, as hex."""
    message = b"\0".join(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass") for p in parts)
    return hmac.new(key(purpose), message, hashlib.sha256).hexdigest()


def reset() -> None:
    """Forget the loaded secret (tests that change the environment)."""
    _master.cache_clear()


def where() -> str:
    """Where the secret in use comes from, for messages (never the secret itself)."""
    return f"the {ENV} environment variable" if os.environ.get(ENV) else f"this machine's key file {key_file()}"
