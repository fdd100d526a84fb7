"""Scheduled-post exports: each finding names its record and field, offsets point into the file."""
from __future__ import annotations

import json

import pytest


def scan(run_cli, path, *args):
    result = run_cli("scan", str(path), "--format", "json", "--show-matches", *args)
    doc = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, doc


def names(doc) -> list[tuple[str, str]]:
    return [(f["segment"], f["match"]) for f in doc["findings"] if f["rule"] == "person-name"]


def assert_in_file(path, finding):
    """A finding with file offsets points at its match in the file's text, line and column too."""
    text = path.read_text(encoding="utf-8")
    assert finding["offsets"] == "file"
    assert text[finding["start"]:finding["end"]] == finding["match"]
    line = text.split("\n")[finding["line"] - 1]
    assert line[finding["column"] - 1:finding["end_column"] - 1] == finding["match"]


def test_csv_rows_and_fields(run_cli, tmp_path):
    path = tmp_path / "buffer.csv"
    path.write_text("scheduled_at,message,alt_text,first_comment\n"
                    "2025-01-02 09:00,Flu shots are in at every clinic.,A nurse with a syringe,\n"
                    "2025-01-03 09:00,\"Welcome home, John Smith!\",Balloons in the lobby,Thanks Maria Garcia\n")
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    assert names(doc) == [("row 2, field message", "John Smith"), ("row 2, field first_comment", "Maria Garcia")]
    for f in doc["findings"]:
        assert_in_file(path, f)
        assert f["line"] == 3


def test_csv_field_changed_by_quoting_keeps_record_line(run_cli, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text('caption,date\n"A ""thank you"" to Emily Johnson\nfrom the night shift",2025-01-02\n'
                    "Stay hydrated this summer,2025-01-03\n")
    result, doc = scan(run_cli, path)
    [f] = [f for f in doc["findings"] if f["rule"] == "person-name"]
    assert (f["segment"], f["match"], f["offsets"], f["line"]) == \
        ("row 1, field caption", "Emily Johnson", "segment", 2)
    value = 'A "thank you" to Emily Johnson\nfrom the night shift'
    assert value[f["start"]:f["end"]] == "Emily Johnson"


def test_tsv(run_cli, tmp_path):
    path = tmp_path / "posts.tsv"
    path.write_text("Post\tLocation\nVisiting hours change Monday.\tMaple Avenue, Springfield\n")
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    found = [f for f in doc["findings"] if f["segment"] == "row 1, field location"]  # names as compared
    assert {f["match"] for f in found} == {"Maple Avenue", "Springfield"}
    for f in found:
        assert_in_file(path, f)


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_json_lines(run_cli, tmp_path, suffix):
    path = tmp_path / f"queue{suffix}"
    path.write_text('{"text": "Flu clinic open Saturday", "id": 1}\n\n'
                    '{"id": 2, "text": "Bye John Smith, we will miss you", "media": {"alt_text": "Maria Garcia waving"}}\n')
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    assert names(doc) == [("record 2, field text", "John Smith"), ("record 2, field media.alt_text", "Maria Garcia")]
    for f in doc["findings"]:
        assert_in_file(path, f)
        assert f["line"] == 3


def test_json_document_with_posts_list(run_cli, tmp_path):
    path = tmp_path / "hootsuite.json"
    posts = [{"message": "Happy Nurses Week!", "tags": ["nurses"]},
             {"message": "Congrats to Robert Brown on going home", "first_comment": "Caf\u00e9 \"Emily Johnson\""}]
    path.write_text(json.dumps({"account": "hospital", "posts": posts}, indent="\t", ensure_ascii=False))
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    got = names(doc)
    assert ("record 2, field message", "Robert Brown") in got
    assert ("record 2, field first_comment", "Emily Johnson") in got
    by_field = {f["segment"]: f for f in doc["findings"] if f["rule"] == "person-name"}
    assert_in_file(path, by_field["record 2, field message"])
    escaped = by_field["record 2, field first_comment"]  # the file has \" escapes: offsets in the value
    line = next(n for n, text in enumerate(path.read_text().split("\n"), 1) if "first_comment" in text)
    assert escaped["offsets"] == "segment" and escaped["line"] == line


def test_yaml_export(run_cli, tmp_path):
    path = tmp_path / "schedule.yaml"
    path.write_text("- caption: Sunrise over the parking garage\n"
                    "  location_tag: Oak Street Clinic, Springfield\n"
                    "- caption: >\n    Get well soon, Emily Johnson\n")
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    assert ("record 2, field caption", "Emily Johnson") in names(doc)
    assert any(f["segment"] == "record 1, field location_tag" for f in doc["findings"])


def test_field_option_chooses_the_columns(run_cli, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("Tweet,Notes\nOur patient John Smith went home,internal: Maria Garcia approved\n")
    # Without --field every cell is read.
    result, doc = scan(run_cli, path)
    assert result.exit_code == 1
    assert {f["match"] for f in doc["findings"]} >= {"John Smith", "Maria Garcia"}
    # A field the user names must exist.
    result = run_cli("scan", str(path), "--format", "text", "--field", "nope")
    assert result.exit_code == 2
    assert "none of the fields named by --field (nope) is here" in result.output and "--field NAME" in result.output
    assert "Tweet" not in result.output and "Notes" not in result.output  # a header cell may be data
    result, doc = scan(run_cli, path, "--field", "tweet")
    assert result.exit_code == 1
    assert names(doc) == [("row 1, field tweet", "John Smith")]


def test_clean_export_passes(run_cli, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("message,alt_text\nFlu shots are available at all clinics this week.,A syringe on a tray\n")
    result, doc = scan(run_cli, path)
    assert result.exit_code == 0, result.output
    assert doc["findings"] == []


def test_directory_walk_takes_csv_and_jsonl(run_cli, tmp_path):
    (tmp_path / "a.csv").write_text("caption\nOur patient John Smith went home\n")
    (tmp_path / "b.jsonl").write_text('{"text": "Our patient Maria Garcia went home"}\n')
    (tmp_path / "settings.json").write_text('{"name": "not an export"}\n')
    result, doc = scan(run_cli, tmp_path)
    assert result.exit_code == 1
    assert {f["path"] for f in doc["findings"]} == {str(tmp_path / "a.csv"), str(tmp_path / "b.jsonl")}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.json", '[{"message": "hi",}]', "invalid JSON at line 1"),
    ("bad.jsonl", '{"text": "ok"}\n{"text": \n', "invalid JSON at line 2"),
    ("bad.yaml", "- caption: [unclosed\n", "invalid YAML at line 2"),
    ("bad.csv", 'message\n"never closed\n', "invalid CSV"),
])
def test_invalid_export_is_an_input_error(run_cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    result = run_cli("scan", str(path), "--format", "text")
    assert result.exit_code == 2
    assert message in result.output
