"""Scheduled-post exports (Buffer/Hootsuite/Sprout style): CSV/TSV, JSON, JSONL/NDJSON, YAML.

One segment per text field, named by record and field (`row 12, field caption`). Where the field's
text stands in the file unchanged, the segment has its exact file offset; where quoting or escapes
changed it, offsets are relative to the field and `line` is the line the value starts on.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import PurePath

import yaml

from ..errors import InputError
from ..findings import Segment
from ..positions import LineIndex

TABULAR = {".csv": ",", ".tsv": "\t"}
LINES = frozenset({".jsonl", ".ndjson"})
DOCUMENTS = frozenset({".json", ".yaml", ".yml"})
SUFFIXES = frozenset(TABULAR) | LINES | DOCUMENTS
# Directory walks take the files that are exports by nature; JSON/YAML (often config) only when named.
WALKED_SUFFIXES = frozenset(TABULAR) | LINES
TEXT_FIELDS = ("message", "text", "caption", "alt_text", "alt", "first_comment", "location",
               "location_tag", "title", "description", "body", "content", "post")


EVERY_FIELD = "*"  # as a field name: every string field (used to place directives by record)


def normalize(name: str) -> str:
    return "_".join(str(name).strip().casefold().replace("-", " ").split())


class _Wanted(frozenset):
    def __contains__(self, name: object) -> bool:
        return frozenset.__contains__(self, EVERY_FIELD) or frozenset.__contains__(self, name)


def _wanted(fields: tuple[str, ...]) -> frozenset[str]:
    return _Wanted(normalize(f) for f in (fields or TEXT_FIELDS))


class NoPostFields(InputError):
    """The file has records but none of the post-text fields."""


# Names shown back to the user: only cells that look like field names (a header cell may be data).
_SHOWN_NAME = re.compile(r"[a-z_][a-z_-]{0,31}")


def _no_field(path: str, names: set[str], fields: tuple[str, ...]) -> InputError:
    shown = sorted(n for n in names if _SHOWN_NAME.fullmatch(n))[:12]
    hidden = len(names) - len(shown)
    seen = ", ".join(shown + ([f"{hidden} not shown, they may be data"] if hidden > 0 else []))
    wanted = ", ".join(fields) if fields else "the common post-text names"
    return NoPostFields(f"no post text field found (looked for {wanted}; {len(names)} field name(s) here: "
                        f"{seen}); choose with --field NAME")


def _csv(path: str, text: str, delimiter: str, fields: tuple[str, ...]) -> list[Segment]:
    wanted, index = _wanted(fields), LineIndex(text)
    starts: list[int] = []
    end = 0

    def lines():
        nonlocal end
        for line in io.StringIO(text, newline=""):
            starts.append(end)
            end += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return []
        columns = [i for i, name in enumerate(header) if normalize(name) in wanted]
        if not columns:
            raise _no_field(path, {h for h in header if h.strip()}, fields)
        found = []
        row = 0
        while True:
            first = len(starts)
            record = next(reader, None)
            if record is None:
                break
            if not any(v.strip() for v in record):
                continue
            row += 1
            raw_start = starts[first] if first < len(starts) else end
            raw, cursor, exact = text[raw_start:end], 0, True
            for i, value in enumerate(record):
                at = raw.find(value, cursor) if exact and value else -1
                if value and at < 0:
                    exact = False  # quoting changed this value: the rest of the row is placed by line
                elif value:
                    cursor = at + len(value)
                if i in columns and value.strip():
                    kind = f"row {row}, field {header[i]}"
                    if exact:
                        found.append(Segment(path, kind, value, raw_start + at))
                    else:
                        found.append(Segment(path, kind, value, line=index.position(raw_start)[0]))
        return found
    except csv.Error as exc:
        raise InputError(f"invalid {'TSV' if delimiter == chr(9) else 'CSV'} at line {reader.line_num}: {exc}"
                         ) from None


# Work per file: each node is visited once (aliases share nodes), and nesting and size are capped.
MAX_NODES = 200_000
MAX_DEPTH = 200
# A record's unnamed string fields read as post text when a wanted field is a container.
_PROSE = re.compile(r"\S+\s+\S+")


class _Walk:
    """Collects one document's segments, record by record, within the bounds above."""

    def __init__(self, path: str, source: str, base: int, base_line: int, wanted: frozenset[str]):
        self.path, self.source, self.base, self.base_line, self.wanted = path, source, base, base_line, wanted
        self.seen: set[int] = set()
        self.names: set[str] = set()
        self.found: list[Segment] = []

    def _enter(self, node: yaml.Node, depth: int) -> bool:
        if depth > MAX_DEPTH:
            raise InputError(f"export nested more than {MAX_DEPTH} levels deep: not scanned")
        if id(node) in self.seen:
            return False
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise InputError(f"export has more than {MAX_NODES} values (after aliases): not scanned")
        return True

    def record(self, label: str, node: yaml.Node) -> None:
        self.label, self.used, self.loose, self.container = label, {}, [], False
        self._fields(node, 1)
        if self.container:  # in doubt, scan: unnamed prose beside a wanted list or object
            for position, scalar in self.loose:
                if _PROSE.search(scalar.value):
                    self._add(scalar, f"{position}")

    def _add(self, scalar: yaml.ScalarNode, field: str) -> None:
        if not str(scalar.value).strip():
            return
        n = self.used[field] = self.used.get(field, 0) + 1
        name = f"{self.label}, field {field}" + (f" ({n})" if n > 1 else "")
        self.found.append(_scalar(self.path, scalar, self.source, self.base, self.base_line, name))

    def _fields(self, node: yaml.Node, depth: int) -> None:
        """Wanted keys anywhere below `node`; segment names carry the wanted key, never other keys."""
        if not self._enter(node, depth):
            return
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._fields(item, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            for position, (key, value) in enumerate(node.value, 1):
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
                self.names.add(name)
                if name and normalize(name) in self.wanted:
                    self._wanted(value, name, depth + 1)
                elif isinstance(value, yaml.ScalarNode):
                    self._enter(value, depth + 1) and self.loose.append((position, value))
                else:
                    self._fields(value, depth + 1)

    def _wanted(self, node: yaml.Node, field: str, depth: int) -> None:
        """Every string inside a wanted field, named by position: `caption`, `caption[2]`, `caption[1][3]`."""
        if not self._enter(node, depth):
            return
        if isinstance(node, yaml.ScalarNode):
            self._add(node, field)
            return
        self.container = True
        items = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
        for i, item in enumerate(items, 1):
            self._wanted(item, f"{field}[{i}]", depth + 1)


def _scalar(path: str, node: yaml.ScalarNode, source: str, base: int, base_line: int, kind: str) -> Segment:
    """A scalar as written in the file, whatever its tag (a date, a ZIP such as 02139, `!note ...`)."""
    if node.start_mark is None:  # built from parsed JSON: no positions
        return Segment(path, kind, str(node.value), line=base_line)
    lo, hi = node.start_mark.index, node.end_mark.index
    raw = source[lo:hi]
    if raw == node.value:
        return Segment(path, kind, node.value, base + lo)
    if raw[1:-1] == node.value:
        return Segment(path, kind, node.value, base + lo + 1)
    return Segment(path, kind, node.value, line=base_line + node.start_mark.line)


def _is_records(node: yaml.Node) -> bool:
    return isinstance(node, yaml.SequenceNode) and bool(node.value) and \
        all(isinstance(v, yaml.MappingNode) for v in node.value)


def _records(root: yaml.Node) -> list[tuple[str, yaml.Node]]:
    """The posts: items of the top-level list, or of every list of mappings under the top mapping;
    the top mapping's other values are read as one more record."""
    if isinstance(root, yaml.SequenceNode):
        return [(f"record {i}", item) for i, item in enumerate(root.value, 1)]
    if not isinstance(root, yaml.MappingNode):
        return [("record 1", root)]
    lists = [v for _, v in root.value if _is_records(v)]
    if not lists:
        return [("record 1", root)]
    items = [item for value in lists for item in value.value]
    found = [(f"record {i}", item) for i, item in enumerate(items, 1)]
    rest = [(k, v) for k, v in root.value if not _is_records(v)]
    if rest:
        found.append((f"record {len(items) + 1}", yaml.MappingNode(root.tag, rest)))
    return found


def _compose(text: str, label: str):
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise InputError(f"{label} nested too deeply: not scanned") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise InputError(f"invalid {label} at line {line}: {_problem(exc)}") from None
    except yaml.YAMLError:
        raise InputError(f"invalid {label}") from None


def _problem(exc: yaml.MarkedYAMLError) -> str:
    """The parser's complaint without names from the file (anchors, aliases, tags may be data)."""
    problem = str(exc.problem or "syntax error")
    return re.sub(r"\s*['\"].*", "", problem) if ("alias" in problem or "anchor" in problem
                                                 or "tag" in problem) else problem


def _json_nodes(text: str, line_base: int = 0) -> yaml.Node:
    """JSON parsed strictly, as YAML nodes with positions (tabs outside strings are plain blanks)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError("JSON nested too deeply: not scanned") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {line_base + exc.lineno}: {exc.msg}") from None
    try:
        return yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
    except RecursionError:
        raise InputError("JSON nested too deeply: not scanned") from None
    except yaml.YAMLError:  # JSON that YAML 1.1 cannot read: values without positions
        return yaml.SafeDumper(io.StringIO()).represent_data(data)


def _document(path: str, text: str, fields: tuple[str, ...], is_json: bool) -> list[Segment]:
    root = _json_nodes(text) if is_json else _compose(text, "YAML")
    if root is None:
        return []
    walk = _Walk(path, text, 0, 1, _wanted(fields))
    for label, node in _records(root):
        walk.record(label, node)
    return _checked(path, walk, fields)


def _checked(path: str, walk: _Walk, fields: tuple[str, ...]) -> list[Segment]:
    if not walk.found and walk.names and not any(normalize(n) in walk.wanted for n in walk.names):
        raise _no_field(path, walk.names, fields)
    return walk.found


def _lines(path: str, text: str, fields: tuple[str, ...]) -> list[Segment]:
    wanted, names, found, offset, record = _wanted(fields), set(), [], 0, 0
    for number, line in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text), 1):
        if line.strip():
            record += 1
            walk = _Walk(path, line, offset, number, wanted)
            walk.record(f"record {record}", _json_nodes(line.rstrip("\r\n"), number - 1))
            found += walk.found
            names |= walk.names
        offset += len(line)
    if not found and names and not any(normalize(n) in wanted for n in names):
        raise _no_field(path, names, fields)
    return found


def segments(path: str, text: str, fields: tuple[str, ...] = ()) -> list[Segment]:
    suffix = PurePath(path).suffix.lower()
    if suffix in TABULAR:
        return _csv(path, text, TABULAR[suffix], fields)
    if suffix in LINES:
        return _lines(path, text, fields)
    return _document(path, text, fields, is_json=suffix == ".json")
