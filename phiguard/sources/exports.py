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


def normalize(name: str) -> str:
    return "_".join(str(name).strip().casefold().replace("-", " ").split())


def _wanted(fields: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(f) for f in (fields or TEXT_FIELDS))


class NoPostFields(InputError):
    """The file has records but none of the post-text fields."""


def _no_field(path: str, names: set[str], fields: tuple[str, ...]) -> InputError:
    seen = ", ".join(sorted(names)[:12]) or "none"
    wanted = ", ".join(fields) if fields else "the common post-text names"
    return NoPostFields(f"no post text field found (looked for {wanted}; fields here: {seen}); "
                      f"choose with --field NAME")


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


def _node_segments(path: str, node: yaml.Node, source: str, base: int, base_line: int, record: str,
                   wanted: frozenset[str], names: set[str], key: str = "") -> list[Segment]:
    """Segments for the wanted keys below `node`; `base` maps node indexes to file offsets."""
    found: list[Segment] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = str(k.value)
            names.add(name)
            field = f"{key}.{name}" if key else name
            if isinstance(v, yaml.ScalarNode):
                if normalize(name) in wanted and v.tag.endswith(":str") and v.value.strip():
                    found.append(_scalar(path, v, source, base, base_line, f"{record}, field {field}"))
            else:
                found += _node_segments(path, v, source, base, base_line, record, wanted, names, field)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += _node_segments(path, item, source, base, base_line, record, wanted, names, f"{key}[{i}]")
    return found


def _scalar(path: str, node: yaml.ScalarNode, source: str, base: int, base_line: int, kind: str) -> Segment:
    if node.start_mark is None:  # built from parsed JSON: no positions
        return Segment(path, kind, node.value, line=base_line)
    lo, hi = node.start_mark.index, node.end_mark.index
    raw = source[lo:hi]
    if raw == node.value:
        return Segment(path, kind, node.value, base + lo)
    if raw[1:-1] == node.value:
        return Segment(path, kind, node.value, base + lo + 1)
    return Segment(path, kind, node.value, line=base_line + node.start_mark.line)


def _records(root: yaml.Node) -> list[tuple[str, yaml.Node]]:
    """The posts: items of the top-level list, or of the first list of mappings under the top mapping."""
    if isinstance(root, yaml.SequenceNode):
        return [(f"record {i}", item) for i, item in enumerate(root.value, 1)]
    if isinstance(root, yaml.MappingNode):
        for _, value in root.value:
            if isinstance(value, yaml.SequenceNode) and value.value and \
                    all(isinstance(v, yaml.MappingNode) for v in value.value):
                return [(f"record {i}", item) for i, item in enumerate(value.value, 1)]
        return [("record 1", root)]
    return []


def _compose(text: str, label: str):
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise InputError(f"invalid {label} at line {line}: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid {label}: {exc}") from None


def _json_nodes(text: str, line_base: int = 0) -> yaml.Node:
    """JSON parsed strictly, as YAML nodes with positions (tabs outside strings are plain blanks)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {line_base + exc.lineno}: {exc.msg}") from None
    try:
        return yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # JSON that YAML 1.1 cannot read: values without positions
        return yaml.SafeDumper(io.StringIO()).represent_data(data)


def _document(path: str, text: str, fields: tuple[str, ...], is_json: bool) -> list[Segment]:
    root = _json_nodes(text) if is_json else _compose(text, "YAML")
    if root is None:
        return []
    wanted, names, found = _wanted(fields), set(), []
    for record, node in _records(root):
        found += _node_segments(path, node, text, 0, 1, record, wanted, names)
    if not found and names and not any(normalize(n) in wanted for n in names):
        raise _no_field(path, names, fields)
    return found


def _lines(path: str, text: str, fields: tuple[str, ...]) -> list[Segment]:
    wanted, names, found, offset, record = _wanted(fields), set(), [], 0, 0
    for number, line in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text), 1):
        if line.strip():
            record += 1
            node = _json_nodes(line.rstrip("\r\n"), number - 1)
            found += _node_segments(path, node, line, offset, number, f"record {record}", wanted, names)
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
