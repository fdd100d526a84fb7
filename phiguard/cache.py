"""Per-file result cache: a re-run over unchanged files reports the same findings without loading spaCy.

Keyed by the file's name and content (for an image, its bytes and real path), and by a run key over the
config file, every file in the rule folders, the model (name and installed version) and phiguard's version
and code. Entries are signed with a secret kept outside the repository (phiguard.secret): an entry that was
edited by hand, committed or copied from another machine is ignored and the file scanned. An entry holds
offsets, rule ids, severities, confidences and messages, never matched text: the match, line/column and
fingerprint are recomputed from the file when the entry is read.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from importlib import metadata
from pathlib import Path

from . import __version__, secret
from .discover import Source
from .findings import Finding, Severity, fingerprint
from .positions import LineIndex
from .scanner import FileReport

DEFAULT_DIR = ".phiguard_cache"
FORMAT = 1
_FIELDS = ("start", "end", "segment", "rule", "entity", "identifier", "confidence", "message")


def model_version(model: str) -> str | None:
    """The installed model's version without importing spaCy; None when it cannot be told."""
    directory = Path(model)
    if directory.is_dir():
        meta = directory / "meta.json"
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            return f"{directory.resolve()}@{data.get('version')}@{meta.stat().st_mtime_ns}"
        except (OSError, ValueError):
            return None
    for name in (model, model.replace("_", "-")):
        try:
            return f"{name}=={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return None


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def run_key(config: Path | None, rule_files: list[Path], model: str, options: tuple[str, ...] = ()) -> str | None:
    """Everything a file's findings depend on besides its content; `options` are the command line's."""
    version = model_version(model)
    if version is None:
        return None
    parts = [f"phiguard {__version__} cache {FORMAT}".encode(), version.encode(), repr(options).encode()]
    code = Path(__file__).resolve().parent
    for path in sorted(code.rglob("*.py")):  # a changed phiguard (even unreleased) gets a fresh cache
        parts += [str(path.relative_to(code)).encode(), path.read_bytes()]
    for path in ([config] if config else []) + sorted(rule_files):
        parts += [str(path).encode(), path.read_bytes()]
    return _digest(parts)


def rule_files(directories: list[Path]) -> list[Path]:
    """Every file below the rule folders: the rule files that load, and the tables they read, whatever
    their names (more than is loaded only costs a cache miss)."""
    return [p for d in directories if d.is_dir() for p in sorted(d.rglob("*")) if p.is_file()]


class ResultCache:
    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.folder = directory / f"v{FORMAT}" / key[:24]
        self.hits = 0

    def _entry(self, source: Source) -> Path:
        # the file's name is scanned too (a URL slug): a clean entry for "Hi" must not clear "john-smith.md"
        parts = [os.fsencode(os.path.basename(source.path)), source.text.encode("utf-8", "surrogatepass")]
        if source.data is not None:  # an image: its text is empty; its bytes, and its path (consent is per file)
            parts += [source.data, os.fsencode(os.path.realpath(source.path))]
        return self.folder / (_digest(parts) + ".json")

    def get(self, source: Source) -> FileReport | None:
        if source.text is None:
            return None
        try:
            entry = self._entry(source)
            document = json.loads(entry.read_text(encoding="utf-8"))
            rows = document["findings"]
            if not hmac.compare_digest(str(document["mac"]), _mac(entry, rows)):
                return None  # not written by this user's phiguard (edited, copied, committed): scan the file
            lines = LineIndex(source.text)
            report = FileReport(source.path, [_finding(source, lines, row) for row in rows])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable entry: scan the file
        all_lines = source.text.split("\n") if report.findings else []
        report.lines = {n: all_lines[n - 1] for f in report.findings for n in range(f.line, f.end_line + 1)}
        self.hits += 1
        return report

    def put(self, source: Source, report: FileReport) -> None:
        if source.text is None or report.error:
            return
        if any(source.text[f.start:f.end] != f.match for f in report.findings):
            return  # text not at its file offsets (e.g. extracted metadata): cannot be rebuilt, not cached
        rows = [{**{k: getattr(f, k) for k in _FIELDS}, "severity": str(f.severity)} for f in report.findings]
        self._prepare()
        target = self._entry(source)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"findings": rows, "mac": _mac(target, rows)}), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _prepare(self) -> None:
        if self.folder.is_dir():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text("# created by phiguard\n*\n", encoding="utf-8")
            (self.directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# phiguard result cache\n", encoding="utf-8")
        except OSError:
            pass


def _mac(entry: Path, rows: list) -> str:
    """Entries are signed with the local secret (phiguard.secret), never kept in the cache folder."""
    return secret.mac("cache", entry.name, json.dumps(rows, sort_keys=True))


def _finding(source: Source, lines: LineIndex, row: dict) -> Finding:
    start, end = int(row["start"]), int(row["end"])
    if not 0 <= start < end <= len(source.text):
        raise ValueError("offsets outside the file")
    match = source.text[start:end]
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    return Finding(path=source.path, start=start, end=end, line=line, column=column, end_line=end_line,
                   end_column=end_column, segment=row["segment"], rule=row["rule"], entity=row["entity"],
                   identifier=row["identifier"], severity=Severity.parse(row["severity"]),
                   confidence=float(row["confidence"]), message=row["message"], match=match,
                   fingerprint=fingerprint(row["rule"], source.path, match))
