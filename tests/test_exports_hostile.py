"""Hostile and unusual post exports: every shape that holds post text is scanned, names in the
report never carry file content, and a file past the bounds is a per-file error, not a hang."""
from __future__ import annotations

import json
import re
import time

import pytest

from phiguard.sources import exports

POST = "Our patient Dana Whitfield, SSN 212-56-7788, went home."
CLEAN = "Flu shots are in at every clinic."


def scan(run_cli, *paths, extra=()):
    result = run_cli("scan", *map(str, paths), "--format", "json", "--no-cache", *extra)
    return result, json.loads(result.stdout)


def rules_in(doc, name: str) -> set[str]:
    return {f["rule"] for f in doc["findings"] if f["path"].endswith(name)}


SHAPES = {
    "list-value": ("a.json", json.dumps([{"message": [CLEAN, POST]}])),
    "object-value": ("a.json", json.dumps([{"caption": {"en": CLEAN, "es": POST}}])),
    "nested-list-value": ("a.json", json.dumps([{"text": [[CLEAN], [[POST]]]}])),
    "second-list-of-records": ("a.json", json.dumps({"meta": [{"title": "Export"}], "posts": [{"message": POST}]})),
    "top-mapping-beside-records": ("a.json", json.dumps({"posts": [{"message": CLEAN}], "caption": POST})),
    "yaml-custom-tag": ("a.yaml", f'- message: !note "{POST}"\n'),
    "yaml-str-tag": ("a.yaml", f"- caption: !!str {POST}\n"),
    "yaml-list-value": ("a.yaml", f"posts:\n  - body:\n      - {CLEAN}\n      - \"{POST}\"\n"),
    "jsonl-object-value": ("a.jsonl", json.dumps({"text": {"draft": POST}}) + "\n"),
    "prose-beside-container": ("a.json", json.dumps([{"caption": ["#health"], "notes": POST}])),
}


@pytest.mark.parametrize("name, text", SHAPES.values(), ids=SHAPES.keys())
def test_every_shape_of_post_text_blocks(run_cli, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1, result.output
    assert "ssn" in rules_in(doc, name)


@pytest.mark.parametrize("written", ["02139", "2139", "2024-03-05", "!note 02139", "0x1F", "yes"],
                         ids=["zip-leading-zero", "zip-int", "date", "custom-tag", "hex-int", "bool"])
def test_yaml_scalars_are_read_as_written(written):
    found = exports.segments("a.yaml", f"- message: {written}\n")
    assert [s.text for s in found] == [written.removeprefix("!note ")]


def test_container_items_are_named_by_position_not_by_their_keys():
    found = exports.segments("a.json", json.dumps([{"caption": {"Dana Whitfield": CLEAN, "k": [POST]}}]))
    assert [(s.kind, s.text) for s in found] == [
        ("record 1, field caption.key 1", "Dana Whitfield"),  # a key that is not a field name is read as data
        ("record 1, field caption.#1", CLEAN), ("record 1, field caption.#2[1]", POST)]
    found = exports.segments("a.json", json.dumps([{"caption": {"Dana Whitfield": CLEAN, "k": [POST]}}]), ("caption",))
    assert [s.kind for s in found] == ["record 1, field caption[1]", "record 1, field caption[2][1]"]


@pytest.mark.parametrize("text", [
    json.dumps({"Dana Whitfield 212-56-7788": {"caption": POST}}),
    json.dumps([{"Dana Whitfield 212-56-7788": [{"message": POST}]}]),
], ids=["key-above-field", "key-above-list"])
def test_keys_that_are_data_never_name_a_segment(run_cli, tmp_path, text):
    path = tmp_path / "e.json"
    path.write_text(text)
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    assert all(re.fullmatch(r"record 1, field [\w.#\[\] ]+", f["segment"]) for f in doc["findings"])
    assert "ssn" in {f["rule"] for f in doc["findings"] if f["segment"].endswith(("caption", "message"))}
    assert "212-56-7788" not in result.stdout and "Whitfield" not in result.stdout


def test_headerless_csv_cells_are_not_echoed(run_cli, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Dana Whitfield,212-56-7788,went home\n")
    for fmt in ("text", "junit", "sarif"):
        result = run_cli("scan", str(path), "--field", "message", "--format", fmt, "--no-cache")
        assert result.exit_code == 2
        assert "3 field name(s)" in result.output
        assert "Whitfield" not in result.output and "212-56" not in result.output


def _deep_json(tmp_path, monkeypatch):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    return path


def _deep_yaml(tmp_path, monkeypatch):
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 5000 + "]" * 5000 + "\n")
    return path


def _wide_yaml(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "MAX_NODES", 40)  # the bound itself, without scanning 100k posts
    path = tmp_path / "wide.yaml"
    path.write_text("- message: x\n" * 30)
    return path


def _nested_yaml(tmp_path, monkeypatch):  # deeper than the walk allows but within the parser's reach
    path = tmp_path / "nested.yaml"
    path.write_text("- " + "{a: " * (exports.MAX_DEPTH + 5) + "b" + "}" * (exports.MAX_DEPTH + 5) + "\n")
    return path


@pytest.mark.parametrize("make", [_deep_json, _deep_yaml, _wide_yaml, _nested_yaml],
                         ids=["json-5000-deep", "yaml-5000-deep", "yaml-too-many-values", "yaml-past-depth-cap"])
def test_past_a_bound_is_a_per_file_error_and_other_files_are_reported(run_cli, tmp_path, monkeypatch, make):
    bad = make(tmp_path, monkeypatch)
    post = tmp_path / "post.md"
    post.write_text(POST + "\n")
    result, doc = scan(run_cli, bad, post)
    assert result.exit_code == 2
    assert "ssn" in rules_in(doc, "post.md")
    assert bad.name in result.stderr and "Traceback" not in result.output


def test_alias_bomb_is_read_once_per_node(run_cli, tmp_path):
    lines = [f'a: &a {{message: "{POST}"}}']
    for i in range(1, 9):
        ref = "a" if i == 1 else f"l{i - 1}"
        lines.append(f"l{i}: &l{i} {{" + ", ".join(f"k{j}: *{ref}" for j in range(9)) + "}")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    result, doc = scan(run_cli, path)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "ssn" in rules_in(doc, "bomb.yaml")


def test_yaml_alias_names_are_not_echoed(run_cli, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("- message: *DanaWhitfield2125677\n")
    result = run_cli("scan", str(path), "--no-cache")
    assert result.exit_code == 2
    assert "a.yaml" in result.output and "Whitfield" not in result.output


def test_long_escaped_value_is_read_whole_and_fast():
    value = 'a "b" ' * 200_000 + POST  # over a million characters, every one escaped in the file
    started = time.monotonic()
    found = exports.segments("big.json", json.dumps([{"message": value}]))
    assert time.monotonic() - started < 10
    assert [s.text for s in found] == [value]


def test_directive_reaches_only_its_own_record_on_a_shared_line(run_cli, tmp_path):
    directive = "Hi <!-- phiguard: disable-line person-name ssn -->"
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"message": directive}, {"message": POST}]) + "\n")
    result, doc = scan(run_cli, other)
    assert result.exit_code == 1 and "ssn" in rules_in(doc, "other.json")
    own = tmp_path / "own.json"
    own.write_text(json.dumps([{"message": CLEAN}, {"message": POST + " " + directive}]) + "\n")
    result, doc = scan(run_cli, own)
    assert result.exit_code == 0, doc["findings"]


def test_unknown_directive_words_are_not_echoed(run_cli, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"message": "<!-- phiguard: disable-line Whitfield -->"}]) + "\n")
    result = run_cli("scan", str(path), "--no-cache")
    assert result.exit_code == 2
    assert "unknown rule id in directive at line 1" in result.output and "Whitfield" not in result.output


# Every field of a record is read, whatever it is called: an allowlist of names is no gate.
EVERY_FIELD = {
    "unquoted-comma": ("a.csv", "date,message\n2024-05-01,Great news today, our patient Dana Whitfield, SSN "
                       "212-56-7788\n"),
    "link-column": ("a.csv", "Date,Message,Link\n2024-05-01,Please support us!,https://example.org/ssn-212-56-7788\n"),
    "hashtags-column": ("a.csv", f"Text,Hashtags\nPlease pray for our little guy,\"{POST}\"\n"),
    "camel-case-nested": ("a.json", json.dumps([{"text": "Great day!", "media": [{"altText": POST}]}])),
    "first-comment": ("a.json", json.dumps([{"text": "Great day!", "firstComment": POST}])),
    "status-under-data": ("a.json", json.dumps({"data": [{"status": POST, "message": "Great day"}]})),
    "unknown-key": ("a.jsonl", json.dumps({"id": 7, "zz_custom_payload": POST}) + "\n"),
    "header-row-of-a-headerless-csv": ("a.csv", f"\"{POST}\",1\nGreat day,2\n"),
    "data-as-key": ("a.yaml", f'"{POST}": true\n'),
}


@pytest.mark.parametrize("name, text", EVERY_FIELD.values(), ids=EVERY_FIELD.keys())
def test_every_field_is_read(run_cli, tmp_path, name, text):
    (tmp_path / name).write_text(text)
    result, doc = scan(run_cli, tmp_path / name)
    assert result.exit_code == 1, result.output
    assert "ssn" in rules_in(doc, name)


def test_values_that_are_not_text_are_skipped():
    text = json.dumps([{"created_at": "2024-05-01T09:30:00Z", "scheduledTime": "05/01/2024 9:30 AM", "pinned": True,
                        "timestamp": 1714555800, "link": None, "image": "IMG_2031.jpg", "message": "Flu shots are in"}])
    assert [(s.kind, s.text) for s in exports.segments("a.json", text)] == [
        ("record 1, field message", "Flu shots are in")]


@pytest.mark.parametrize("name, text", [
    ("numbers.json", json.dumps([{"phone": 6175550142, "ssn": 212567788, "message": "hi"}])),
    ("numbers.yaml", "- ssn: 212567788\n  message: hi\n"),
    ("dates.json", json.dumps([{"birth_date": "1931-03-14", "discharged_on": "2024-03-14"}])),
    ("dates.csv", "admission_date,ward\n2024-03-14,4 West\n"),
    ("key-with-digits.json", json.dumps([{"MRN-4471129": "x", "jane.doe@gmail.com": "yes"}])),
    ("key-of-records.json", json.dumps({"our patient SSN 212-56-7788": [{"message": "hi"}]})),
    ("complex-key.yaml", "? [Dana Whitfield, SSN 212-56-7788]\n: x\n"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_identifiers_in_structure_are_read(run_cli, tmp_path, name, text):
    """Numbers, dates under keys that are not about scheduling, and keys that are data are all read; a
    value under a key that says what it is ("ssn") is read after the key's words, as a form shows it."""
    (tmp_path / name).write_text(text)
    result, doc = scan(run_cli, tmp_path / name)
    assert result.exit_code == 1, doc["findings"]


def test_field_narrows_and_star_reads_everything(tmp_path):
    text = "Our patient Dana Whitfield,617-555-0142\nGreat day,see you\n"
    assert [s.text for s in exports.segments("a.csv", text, ("*",))] == [
        "Our patient Dana Whitfield", "617-555-0142", "Great day", "see you"]
    text = "caption,notes\nFlu shots,Dana Whitfield\n"
    assert [s.text for s in exports.segments("a.csv", text, ("caption",))] == ["Flu shots"]


def test_field_error_never_shows_header_cells(run_cli, tmp_path):
    path = tmp_path / "patients.csv"
    path.write_text("smith,john,4471129,dob 1931-03-14\nlee,mary,4471130,dob 1930-01-02\n")
    for fmt in ("text", "json"):
        result = run_cli("scan", str(path), "--field", "caption", "--format", fmt, "--no-cache")
        assert result.exit_code == 2
        assert "smith" not in result.output and "john" not in result.output and "4471129" not in result.output
