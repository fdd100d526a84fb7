"""`--diff` / `--since REV`: the files changed against a git revision, plus untracked ones."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import InputError
from .discover import is_content


def _git(*args: str, cwd: str | Path = ".") -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise InputError("--diff/--since need git, which is not installed") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["git failed"])[0]
        raise InputError(f"git {args[0]}: {first}")
    return done.stdout


def changed_files(rev: str, paths: tuple[str, ...]) -> list[str]:
    """Files under `paths` that differ from `rev` (committed, staged or not) or are untracked,
    of the types a directory walk takes (discover.is_content), or named exactly on the command line."""
    start = next((p for p in paths if os.path.isdir(p)), ".")
    try:
        top = Path(_git("rev-parse", "--show-toplevel", cwd=start).strip())
    except InputError:
        raise InputError(f"--diff/--since need a git repository: {os.path.abspath(start)} is not inside one") from None
    try:
        _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=top)
    except InputError:
        raise InputError(f"--since {rev}: not a revision of this repository") from None
    names = _git("diff", "--name-only", "-z", "--diff-filter=ACMRT", rev, "--", cwd=top).split("\0")
    names += _git("ls-files", "--others", "--exclude-standard", "-z", cwd=top).split("\0")
    roots = [Path(p).resolve() for p in (paths or (".",))]
    found = []
    for name in sorted(set(n for n in names if n)):
        path = (top / name).resolve()
        named = path in roots
        under = any(path == r or r in path.parents for r in roots)
        if path.is_file() and (named or (under and is_content(str(path)))):
            found.append(os.path.relpath(path))
    return found
