"""`phiguard lsp` driven as an editor drives it: a real subprocess, JSON-RPC over stdio."""
from __future__ import annotations

import queue
from pathlib import Path
from typing import Iterator

import pytest

from benchmarks.lsp_client import Client, apply_edits, utf16_slice
from phiguard import lsp

PHI = ("# Discharge day 🎉\n\n"
       "Our patient John Smith, MRN 12345678, was discharged from room 4B today.\n\n"
       "🏥🎈 Thanks again, John Smith!\n")
ERROR, INFORMATION = 1, 3


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    (root / ".phiguard.yaml").write_text("fail_on: high\n")  # names (medium) inform, record numbers block
    return root


@pytest.fixture(scope="module")
def client(workspace: Path) -> Iterator[Client]:
    c = Client(cwd=workspace)
    try:
        result = c.initialize(workspace)
        sync = result["capabilities"]["textDocumentSync"]
        assert sync["change"] == 1 and sync["openClose"]  # full text on every change
        assert result["capabilities"]["codeActionProvider"]
        yield c
        assert c.close() == 0
        assert b"John" not in c.stderr and b"12345678" not in c.stderr  # no draft text in the log
    finally:
        if c.proc.poll() is None:
            c.proc.kill()


def open_doc(client: Client, uri: str, text: str, language: str = "markdown") -> list[dict]:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                                            "text": text}})
    return client.diagnostics(uri, version=1, timeout=60)


def change(client: Client, uri: str, version: int, text: str) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"text": text}]})


def by_rule(diagnostics: list[dict], rule: str) -> list[dict]:
    return [d for d in diagnostics if d["code"] == rule]


def quick_fix(client: Client, uri: str, diagnostic: dict, title: str) -> list[dict]:
    """The edits of the code action whose title starts with `title`, offered for `diagnostic`."""
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}})
    action = next(a for a in actions if a["title"].startswith(title))
    assert action["kind"] == "quickfix" and action["diagnostics"] == [diagnostic]
    [document_edit] = action["edit"]["documentChanges"]
    assert document_edit["textDocument"]["uri"] == uri
    return document_edit["edits"]


def test_findings_quick_fixes_and_rescan(client: Client, workspace: Path) -> None:
    uri = (workspace / "post.md").as_uri()
    diagnostics = open_doc(client, uri, PHI)
    assert all(d["source"] == "phiguard" for d in diagnostics)
    [mrn] = by_rule(diagnostics, "medical-record-number")
    assert mrn["range"] == {"start": {"line": 2, "character": 28}, "end": {"line": 2, "character": 36}}
    assert mrn["severity"] == ERROR and "Fix: Remove the record" in mrn["message"]
    names = by_rule(diagnostics, "person-name")
    assert [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in names] == [(2, 12), (4, 19)]
    assert all(utf16_slice(PHI, d["range"]) == "John Smith" for d in names)  # 🏥🎈 are two UTF-16 units each
    assert all(d["severity"] == INFORMATION for d in names)  # below the workspace's fail_on: high
    [room] = by_rule(diagnostics, "room-number")
    assert utf16_slice(PHI, room["range"]) == "4B"

    text = apply_edits(PHI, quick_fix(client, uri, mrn, "Redact this"))
    assert "MRN [MRN], was" in text
    change(client, uri, 2, text)
    diagnostics = client.diagnostics(uri, version=2)
    assert not by_rule(diagnostics, "medical-record-number")
    assert len(by_rule(diagnostics, "person-name")) == 2

    second_name = [d for d in by_rule(diagnostics, "person-name") if d["range"]["start"]["line"] == 4][0]
    text = apply_edits(text, quick_fix(client, uri, second_name, "Add an inline directive"))
    assert text.endswith("Thanks again, John Smith! <!-- phiguard: disable-line person-name -->\n")
    change(client, uri, 3, text)
    diagnostics = client.diagnostics(uri, version=3)
    assert [d["range"]["start"]["line"] for d in by_rule(diagnostics, "person-name")] == [2]


def test_clean_document_has_no_diagnostics(client: Client, workspace: Path) -> None:
    assert open_doc(client, (workspace / "clean.md").as_uri(), "We had a lovely team lunch today.\n") == []


def test_plain_text_directive_goes_on_the_line_above(client: Client, workspace: Path) -> None:
    uri = (workspace / "note.txt").as_uri()
    text = "Shift notes\n  MRN 12345678 was seen.\n"
    [mrn] = by_rule(open_doc(client, uri, text, "plaintext"), "medical-record-number")
    text = apply_edits(text, quick_fix(client, uri, mrn, "Add an inline directive"))
    assert text == "Shift notes\n  # phiguard: disable-next-line medical-record-number\n  MRN 12345678 was seen.\n"
    change(client, uri, 2, text)
    assert client.diagnostics(uri, version=2) == []


def test_a_file_that_cannot_be_checked_says_so(client: Client, workspace: Path) -> None:
    uri = (workspace / "bad.md").as_uri()
    diagnostics = open_doc(client, uri, "Hello <!-- phiguard: disable-line no-such-rule -->\n")
    [error] = diagnostics
    assert error["severity"] == ERROR and error["range"]["start"] == {"line": 0, "character": 0}
    assert "unknown rule id" in error["message"]


def test_only_the_latest_text_is_scanned(client: Client, workspace: Path) -> None:
    uri = (workspace / "typing.md").as_uri()
    open_doc(client, uri, "Hello\n")
    for version in range(2, 7):  # keystrokes, well inside the debounce
        change(client, uri, version, "Hello " + "x" * version + "\n")
    change(client, uri, 7, "Call MRN 12345678 today.\n")
    assert by_rule(client.diagnostics(uri, version=7), "medical-record-number")
    with pytest.raises(queue.Empty):  # nothing for the versions typed over
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri, timeout=1)


def test_other_languages_are_left_alone(client: Client, workspace: Path) -> None:
    uri = (workspace / "script.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                            "text": "# MRN 12345678\n"}})
    with pytest.raises(queue.Empty):
        client.diagnostics(uri, timeout=1.5)


def test_the_nearest_config_applies_and_is_reread(client: Client, workspace: Path) -> None:
    sub = workspace / "team"
    sub.mkdir()
    config = sub / ".phiguard.yaml"
    config.write_text("fail_on: medium\n")  # nearer than the workspace's fail_on: high
    uri = (sub / "post.md").as_uri()
    assert {d["severity"] for d in by_rule(open_doc(client, uri, PHI), "person-name")} == {ERROR}
    config.write_text("fail_on: high\n# edited\n")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert {d["severity"] for d in by_rule(client.diagnostics(uri, version=1), "person-name")} == {INFORMATION}


def test_documents_are_read_by_suffix_else_by_language_id() -> None:
    assert lsp.target("file:///w/post.md", "plaintext", None) == lsp.Document("/w/post.md", "markdown", "/w")
    assert lsp.target("untitled:Untitled-1", "text", "/w") == lsp.Document("<untitled:Untitled-1>.txt", "plaintext", "/w")
    assert lsp.target("file:///w/notes", "html", None) == lsp.Document("/w/notes.html", "html", "/w")
    assert lsp.target("file:///w/app.py", "python", None) is None


def test_no_directive_inside_front_matter() -> None:
    lines = ["---", "title: John Smith", "---", "John Smith came by."]
    assert lsp.directive_edit("markdown", lines, 2, "person-name", len) is None
    edit = lsp.directive_edit("markdown", lines, 4, "person-name", len)
    assert edit is not None and edit.range.start.character == len(lines[3])
