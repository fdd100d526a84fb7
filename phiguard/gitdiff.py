"""`--diff` / `--since REV`: the files changed against a git revision, plus untracked ones."""
from __future__ import annotations

import os
import re
import subprocess
from urllib.parse import unquote
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
    return found + [m for m in linked_media(found, top) if m not in found]


# A local image a post shows: Markdown, HTML and shortcode references alike ("../assets/x.png", "/img/y.jpg").
_MEDIA_SUFFIX = r"\.(?:jpe?g|jfif|png|gif|webp|bmp|avif|tiff?|heic|heif)"
_MEDIA_REFERENCE = re.compile(r"""<(?P<angled>[^<>\n]+?%s)>|(?<![\w:/.-])(?:\.{0,2}/)?[^\s"'()<>\[\]{}|:]+?%s(?![\w.])"""
                              % (_MEDIA_SUFFIX, _MEDIA_SUFFIX), re.I)
_SITE_FOLDERS = ("", "static", "public", "assets", "content")  # where static-site generators serve files from
_LINKING_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".html", ".htm", ".txt"})


def linked_media(posts: list[str], top: Path) -> list[str]:
    """The local images that changed posts show, changed or not: a post published with an old photo publishes
    the photo too. References are resolved from the post's folder, then from the site's usual roots."""
    found: list[str] = []
    for post in posts:
        if Path(post).suffix.lower() not in _LINKING_SUFFIXES:
            continue
        try:
            text = Path(post).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the scan reports it
        for m in _MEDIA_REFERENCE.finditer(text):
            ref = unquote(m.group("angled") or m.group(0))  # "<my photo.jpg>", "my%20photo.jpg"
            candidates = [Path(post).parent / ref] + [top / folder / ref.lstrip("/") for folder in _SITE_FOLDERS]
            target = next((c.resolve() for c in candidates if c.is_file()), None)
            if target is not None and (top == target or top in target.parents):
                relative = os.path.relpath(target)
                if relative not in found:
                    found.append(relative)
    return found
