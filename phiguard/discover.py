"""Expand the command line's paths into the files to scan, and read them."""
from __future__ import annotations

import glob
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, internal_error
from .sources import IMAGE_SUFFIXES, WALKED_SUFFIXES

# Folders of tools, never content. Anything else (build/, dist/...) is skipped only when .gitignore says so.
TOOL_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".phiguard_cache",
})
VIRTUALENV_MARKER = "pyvenv.cfg"
STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_FILE_BYTES = 64 * 1024 * 1024  # images
# Text beyond this would take the NLP most of an hour on one core: a clear error, not a stalled gate.
MAX_TEXT_BYTES = 8 * 1024 * 1024


@dataclass
class Selection:
    """The files to scan, and what a directory walk left out and why (every report says so)."""

    files: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def notes(self) -> list[str]:
        return [f"{count} file{'s' if count != 1 else ''} not scanned: {reason}"
                for reason, count in sorted(self.skipped.items())]


def is_content(path: str) -> bool:
    """Whether a directory walk or a diff scan takes this file: the one rule for both."""
    return Path(path).suffix.lower() in WALKED_SUFFIXES


@dataclass(frozen=True)
class Source:
    """A file to scan: `text` is None when it could not be read (then `error` says why).

    Images keep their bytes in `data`; their `text` is empty (nothing in them is a file text offset).
    """

    path: str
    text: str | None
    error: str | None = None
    data: bytes | None = None


def expand(paths: tuple[str, ...]) -> list[str]:
    return select(paths).files


def select(paths: tuple[str, ...], selection: Selection | None = None) -> Selection:
    """Files named, found below directories, or matched by globs; stdin as '-'.

    Named files are always scanned; directory walks take the types we know (is_content), follow
    symlinked folders, and honour .gitignore files. An image brings its sidecar captions
    (`photo.jpg.txt`, `photo.txt`) along.
    """
    selection = selection if selection is not None else Selection()
    found = selection.files
    for arg in paths:
        if arg == STDIN:
            found.append(STDIN)
        elif os.path.isdir(arg):
            found.extend(_walk(arg, selection))
        elif os.path.lexists(arg):
            found.append(arg)
            found.extend(sidecars(arg))
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError(f"{arg}: no file matches this pattern")
            select(tuple(matches), selection)
        else:
            found.append(arg)  # read as a per-file error, after the other files are scanned (as ruff does)
    selection.files[:] = list(dict.fromkeys(found))
    return selection


def _unreadable_dir(exc: OSError) -> None:
    raise InputError(f"{exc.filename}: cannot list directory: {exc.strerror or exc}")


def _walk(root: str, selection: Selection) -> list[str]:
    found = []
    ignores = GitIgnores()
    seen = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, onerror=_unreadable_dir, followlinks=True):
        ignores.enter(dirpath, filenames)
        kept = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            real = os.path.realpath(full)
            if d in TOOL_DIRS or real in seen or os.path.isfile(os.path.join(full, VIRTUALENV_MARKER)):
                continue  # a tool's folder, a virtualenv, or a symlink loop
            if ignores.ignored(full, directory=True):
                selection.skip("ignored by .gitignore")
                continue
            seen.add(real)
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if ignores.ignored(path):
                selection.skip("ignored by .gitignore")
            elif is_content(path):
                found.append(path)
            elif not name.startswith("."):
                selection.skip("not a type phiguard reads (name it on the command line to scan it as text)")
    return found


class GitIgnores:
    """The .gitignore files met on a walk, each applied below its own folder."""

    def __init__(self) -> None:
        self._specs: list[tuple[str, object]] = []

    def enter(self, directory: str, filenames: list[str]) -> None:
        if ".gitignore" not in filenames:
            return
        import pathspec

        try:
            with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as fh:
                self._specs.append((directory, pathspec.GitIgnoreSpec.from_lines(fh)))
        except OSError:
            return

    def ignored(self, path: str, directory: bool = False) -> bool:
        for base, spec in self._specs:
            relative = os.path.relpath(path, base)
            if relative.startswith(".."):
                continue
            if spec.match_file(relative + ("/" if directory else "")):
                return True
        return False


def sidecars(path: str) -> list[str]:
    """Caption files published with an image: `photo.jpg.txt`, `photo.txt`."""
    if Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        return []
    names = (path + ".txt", str(Path(path).with_suffix(".txt")))
    return [n for n in names if os.path.isfile(n)]


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) or UTF-16/32 with BOM; else an InputError.

    Other encodings (Latin-1, cp1252...) are refused rather than guessed.
    """
    for boms, codec in (((b"\xff\xfe\0\0", b"\0\0\xfe\xff"), "utf-32"), ((b"\xff\xfe", b"\xfe\xff"), "utf-16")):
        if data.startswith(boms):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {codec.upper()} at byte {exc.start}: save it as UTF-8") from None
    if b"\0" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start}: save it as UTF-8") from None


_stdin_read: list = []  # [stream, Source]: standard input can be read only once per stream


def read_input(item: str | Source) -> Source:
    """A path read now, or a text given as a Source (the library's `Text`)."""
    return item if isinstance(item, Source) else read(item)


def read(path: str) -> Source:
    """The file (or, for '-', standard input: read once, then the same Source again)."""
    if path == STDIN:
        if not (_stdin_read and _stdin_read[0] is sys.stdin):
            _stdin_read[:] = [sys.stdin, _read(path)]
        return _stdin_read[1]
    return _read(path)


def source_from_bytes(path: str, data: bytes) -> Source:
    """A file's bytes as a Source, its suffix choosing image or text (a size or encoding problem is its error)."""
    try:
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        if Path(path).suffix.lower() in IMAGE_SUFFIXES:
            return Source(path, "", data=data)
        if len(data) > MAX_TEXT_BYTES:
            raise InputError(f"text larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB: split it into smaller files")
        return Source(path, decode(data))
    except InputError as exc:
        return Source(path, None, str(exc))


def _read(path: str) -> Source:
    try:
        if path == STDIN:
            if sys.stdin.isatty():  # someone at a terminal, not a pipe: say what to do
                print("Paste the draft, then press Ctrl-D (Ctrl-Z then Enter on Windows).", file=sys.stderr)
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            path = STDIN_NAME
        else:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
                raise InputError("not a regular file")
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        return source_from_bytes(path, data)
    except InputError as exc:
        return Source(path, None, str(exc))
    except OSError as exc:
        return Source(path, None, exc.strerror or str(exc))
    except Exception:  # noqa: BLE001 - this file's error, not the run's
        return Source(path, None, internal_error("file reader"))
