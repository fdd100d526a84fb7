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
from .slugs import MIN_DIGITS  # a media name with this many digits may carry a record or phone number: read it

TABULAR = {".csv": ",", ".tsv": "\t"}
LINES = frozenset({".jsonl", ".ndjson"})
DOCUMENTS = frozenset({".json", ".yaml", ".yml"})
SUFFIXES = frozenset(TABULAR) | LINES | DOCUMENTS
# Directory walks take the files that are exports by nature; JSON/YAML (often config) only when named.
WALKED_SUFFIXES = frozenset(TABULAR) | LINES
TEXT_FIELDS = ("message", "text", "caption", "alt_text", "alt", "first_comment", "location",
               "location_tag", "title", "description", "body", "content", "post")
# Field names that may name a segment in reports ("record 2, field hashtags"); any other key is named by its
# position ("record 2, field #3"): a key can be data.
SHOWN_FIELDS = frozenset(TEXT_FIELDS + (
    "link", "url", "urls", "hashtags", "tags", "tag", "status", "comment", "comments", "name", "headline",
    "subject", "summary", "note", "notes", "author", "label", "link_text", "media", "story", "quote", "reply",
    "replies", "mentions", "thread", "image", "images", "video", "videos", "thumbnail", "channel", "account",
    "profile", "platform", "network", "date", "time", "id", "type", "campaign", "category", "labels"))


EVERY_FIELD = "*"  # as a field name: every field, as without --field


def normalize(name: str) -> str:
    """A field name as compared: camelCase, kebab-case and spaces read as snake_case ("altText" is alt_text)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name).strip())
    return "_".join(spaced.casefold().replace("-", " ").replace("_", " ").split())


def _wanted(fields: tuple[str, ...]) -> frozenset[str] | None:
    """The fields to read, or None for every field (no --field, or --field '*')."""
    if not fields or EVERY_FIELD in fields:
        return None
    return frozenset(normalize(f) for f in fields)


def _shown(name: str, position: int, wanted: frozenset[str] | None) -> str:
    key = normalize(name)
    return key if key in SHOWN_FIELDS or (wanted and key in wanted) else f"#{position}"


class NoPostFields(InputError):
    """--field named fields that the file does not have."""


def _no_field(fields: tuple[str, ...], count: int) -> InputError:
    return NoPostFields(f"none of the fields named by --field ({', '.join(fields)}) is here ({count} field name(s), "
                        "not shown: they may be data); choose with --field NAME")


# Values that are provably not text: when a post is scheduled or was published (a timestamp under a
# scheduling key), a media file's bare name. Dates under other keys (birth_date, discharged_on) are read.
_TIME_KEY = re.compile(r"^(?:created|updated|modified|published|publish|scheduled|schedule|posted|post|sent|send|"
                       r"timestamp|epoch|last_modified|expires?|expiry)(?:_(?:at|on|time|date|utc|local))?$")
_EPOCH_KEY = re.compile(r"(?:^|_)(?:timestamp|epoch|unix|ts)$")
_TIME_VALUE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|"
                         r"\d{1,2}/\d{1,2}/\d{2,4}(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?|"
                         r"\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?")
_MEDIA_NAME = re.compile(r"[\w.-]+\.(?:jpe?g|png|gif|webp|heic|heif|avif|bmp|tiff?|mp4|mov|m4v|webm|avi|mp3|m4a|"
                         r"wav|pdf|svg)", re.I)


def _not_text(key: str, value: str) -> bool:
    """Provably not post text: a timestamp under a time-named key, or a photo's bare file name that carries
    no number ("IMG_2031.jpg")."""
    key, value = normalize(key), value.strip()
    if (_TIME_KEY.match(key) and _TIME_VALUE.fullmatch(value)) or \
            (_EPOCH_KEY.search(key) and re.fullmatch(r"\d{10}(?:\d{3})?", value)):
        return True
    return bool(_MEDIA_NAME.fullmatch(value)) and "@" not in value and sum(c.isdigit() for c in value) < MIN_DIGITS


# Keys that say what an identifier is, as a form's label would ("ssn", "patient_mrn", "dob", "phone"): the
# value is read after its key's words, so that a bare number is read as what it is.
_CUE_KEY = re.compile(r"(?:^|_)(?:ssn|social_security|sin|nino|nhs|mrn|medical_record|chart|record|patient_id|"
                      r"member_id|medicaid|medicare|mbi|hicn|insurance|policy|plan_id|account|acct|phone|tel|mobile|"
                      r"cell|fax|dob|birth|birthday|born|age|zip|postcode|postal|address|street|email|license|"
                      r"licence|plate|vin|device|serial|ip|fin|csn|encounter|visit)(?:_|$)")


def _cue_of(key: str) -> str:
    name = normalize(key)
    return name.replace("_", " ") if _CUE_KEY.search(name) else ""


def _csv(path: str, text: str, delimiter: str, fields: tuple[str, ...]) -> list[Segment]:
    """Every cell (the header's too: a CSV may have none), or with --field the named columns; a row with more
    cells than the header (an unquoted comma) has its extra cells read, never dropped."""
    wanted, index = _wanted(fields), LineIndex(text)
    starts: list[int] = []
    end = 0

    def lines():
        nonlocal end
        for line in io.StringIO(text, newline=""):
            starts.append(end)
            end += len(line)
            yield line

    def cells(record: list[str], label: str, keep) -> None:
        raw_start = starts[first] if first < len(starts) else end
        raw, cursor, exact = text[raw_start:end], 0, True
        for i, value in enumerate(record):
            at = raw.find(value, cursor) if exact and value else -1
            if value and at < 0:
                exact = False  # quoting changed this value: the rest of the row is placed by line
            elif value:
                cursor = at + len(value)
            if not value.strip() or not keep(i, value):
                continue
            kind = f"{label}, {names[i]}" if i < len(names) else f"{label}, extra cell {i + 1}"
            if exact:
                found.append(Segment(path, kind, value, raw_start + at))
            else:
                found.append(Segment(path, kind, value, line=index.position(raw_start)[0]))

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    found: list[Segment] = []
    try:
        first = 0
        header = next(reader, None)
        if header is None:
            return []
        names = [f"field {shown}" if not (shown := _shown(h, i, wanted)).startswith("#") else f"column {i}"
                 for i, h in enumerate(header, 1)]
        if wanted is None:
            cells(header, "header", lambda i, v: True)
            columns = set(range(len(header)))
        else:
            columns = {i for i, name in enumerate(header) if normalize(name) in wanted}
            if not columns:
                raise _no_field(fields, sum(1 for h in header if h.strip()))
        row = 0
        while True:
            first = len(starts)
            record = next(reader, None)
            if record is None:
                break
            if not any(v.strip() for v in record):
                continue
            row += 1
            cells(record, f"row {row}", lambda i, v: (i in columns or i >= len(header)) and
                  not (i < len(header) and _not_text(header[i], v)))
        return found
    except csv.Error as exc:
        raise InputError(f"invalid {'TSV' if delimiter == chr(9) else 'CSV'} at line {reader.line_num}: {exc}"
                         ) from None


# Work per file: each node is visited once (aliases share nodes), and nesting and size are capped.
MAX_NODES = 200_000
MAX_DEPTH = 200
# A record's unnamed string fields read as post text when a wanted field is a container.
_PROSE = re.compile(r"\S+\s+\S+")
# A key that is a field name, not data: read as such, never scanned.
_FIELD_NAME = re.compile(r"[A-Za-z_$][A-Za-z_.$-]{0,63}")  # no digit, no "@": "MRN-4471129", "a@b.org" are data
# Values that hold no text: booleans and nulls. Numbers are read (a phone or record number stored as one).
_NOT_TEXT_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})


class _Walk:
    """Collects one document's segments, record by record, within the bounds above. Without --field every
    string of a record is read (keys that are not field names too); with it, the named fields only."""

    def __init__(self, path: str, source: str, base: int, base_line: int, wanted: frozenset[str] | None):
        self.path, self.source, self.base, self.base_line, self.wanted = path, source, base, base_line, wanted
        self.seen: set[int] = set()
        self.names: set[str] = set()
        self.found: list[Segment] = []
        self.lines: LineIndex | None = None  # made when a value needs its line

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
        if self.wanted is None:
            self._every(node, "", "", 1)
            return
        self._fields(node, 1)
        if self.container:  # in doubt, scan: unnamed prose beside a wanted list or object
            for position, scalar in self.loose:
                if _PROSE.search(scalar.value):
                    self._add(scalar, f"#{position}")

    def _add(self, scalar: yaml.ScalarNode, field: str, cue: str = "") -> None:
        if not str(scalar.value).strip():
            return
        n = self.used[field] = self.used.get(field, 0) + 1
        name = f"{self.label}, field {field}" + (f" ({n})" if n > 1 else "")
        segment = _scalar(self.path, scalar, self.source, self.base, self.base_line, name)
        if cue:  # "ssn": 123456789 reads "ssn: 123456789", as a form shows it; offsets within the segment
            if self.lines is None:
                self.lines = LineIndex(self.source)
            line = segment.line or (self.lines.position(segment.offset - self.base)[0] + self.base_line - 1)
            segment = Segment(self.path, name, f"{cue}: {segment.text}", line=line)
        self.found.append(segment)

    def _every(self, node: yaml.Node, key: str, field: str, depth: int) -> None:
        """Every string below `node`, named by the path of shown keys and positions (`media[1].alt_text`)."""
        if not self._enter(node, depth):
            return
        if isinstance(node, yaml.ScalarNode):
            known = normalize(key) in TEXT_FIELDS  # a post field is read whatever its tag ("message: yes")
            if known or not (node.tag in _NOT_TEXT_TAGS or _not_text(key, str(node.value))):
                self._add(node, field or "#1", cue=_cue_of(key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value, 1):
                self._every(item, key, f"{field}[{i}]", depth + 1)
        elif isinstance(node, yaml.MappingNode):
            for position, (k, value) in enumerate(node.value, 1):
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else ""
                self.names.add(name)
                shown = _shown(name, position, None)
                self.key(k, f"{field}.key {position}".lstrip("."), depth + 1)
                self._every(value, name, f"{field}.{shown}".lstrip("."), depth + 1)

    def key(self, node: yaml.Node, field: str, depth: int) -> None:
        """A mapping key that is data, not a field name ("Dana Whitfield 212-56-7788": ...), is read; a key
        that is itself a list or mapping (YAML's "? [...]") is read as values are."""
        if isinstance(node, yaml.ScalarNode):
            if str(node.value).strip() and not _FIELD_NAME.fullmatch(str(node.value)):
                self._add(node, field)
        else:
            self._every(node, "", field, depth)

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
                    self._wanted(value, normalize(name), depth + 1)
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
        return Segment(path, kind, _characters(str(node.value)), line=base_line)
    lo, hi = node.start_mark.index, node.end_mark.index
    raw = source[lo:hi]
    if raw == node.value:
        return Segment(path, kind, node.value, base + lo)
    if raw[1:-1] == node.value:
        return Segment(path, kind, node.value, base + lo + 1)
    return Segment(path, kind, _characters(node.value), line=base_line + node.start_mark.line)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _characters(value: str) -> str:
    """Escaped UTF-16 surrogate pairs ("\\ud83d\\ude0a", as json.dumps writes emoji) joined into the characters
    they stand for; a lone one, which no text can encode, as U+FFFD."""
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


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
    if walk.wanted is None and isinstance(root, yaml.MappingNode):  # the keys of lists of records
        for position, (k, value) in enumerate(root.value, 1):
            if _is_records(value):
                walk.label, walk.used = "document", {}
                walk.key(k, f"key {position}", 1)
    return _checked(path, walk, fields)


def _checked(path: str, walk: _Walk, fields: tuple[str, ...]) -> list[Segment]:
    if walk.wanted is not None and not walk.found and walk.names and \
            not any(normalize(n) in walk.wanted for n in walk.names):
        raise _no_field(fields, len(walk.names))
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
    if wanted is not None and not found and names and not any(normalize(n) in wanted for n in names):
        raise _no_field(fields, len(names))
    return found


def segments(path: str, text: str, fields: tuple[str, ...] = ()) -> list[Segment]:
    suffix = PurePath(path).suffix.lower()
    if suffix in TABULAR:
        return _csv(path, text, TABULAR[suffix], fields)
    if suffix in LINES:
        return _lines(path, text, fields)
    return _document(path, text, fields, is_json=suffix == ".json")
