"""Bad inputs through the CLI: each file is scanned or gets a clear per-file error and exit 2.

To cover a new reader (images, exports), add a (name, bytes, expectation) row to BAD_FILES.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from phiguard.detection.engine import BATCH_CHARS, batches
from phiguard.findings import Segment
from phiguard.scanner import MAX_SEGMENT_CHARS, split_long

NAME = "Our patient John Smith went home today."
CLEAN = "Thank you to our amazing nurses for a great week."

# (file name, content, expected error substring or None when it must be scanned)
BAD_FILES = [
    ("nul.txt", b"abc\0def", "binary file"),
    ("invalid-utf8.md", b"Hello \xff\xfe\xfa there", "not valid UTF-8 at byte 6"),
    ("latin1.txt", "Patient caf\u00e9 visit".encode("latin-1"), "not valid UTF-8"),
    ("utf16-truncated.txt", b"\xff\xfeh\0i", "not valid UTF-16"),
    ("utf16.txt", ("\ufeff" + NAME).encode("utf-16-le"), None),
    ("utf16be.md", ("\ufeff" + NAME).encode("utf-16-be"), None),
    ("utf8-bom.txt", ("\ufeff" + NAME).encode("utf-8"), None),
    ("empty.md", b"", None),
    ("blank.html", b"  \n\n ", None),
]


def _json(result) -> dict:
    return json.loads(result.stdout)


@pytest.mark.parametrize(("name", "content", "error"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_scanned_or_reported(run_cli, tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("scan", "--format", "json", "--show-matches", str(path))
    report = _json(result)
    if error is None:
        assert report["errors"] == []
        assert report["summary"]["files_scanned"] == 1
        expected = ["person-name"] if "John" in content.decode("utf-16" if b"\0" in content else "utf-8-sig") else []
        assert [f["rule"] for f in report["findings"]] == expected
        assert result.exit_code == (1 if expected else 0)
    else:
        assert result.exit_code == 2
        assert [e["path"] for e in report["errors"]] == [str(path)]
        assert error in report["errors"][0]["message"]


def test_utf16_offsets_are_characters_of_the_decoded_text_without_bom(run_cli, tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(("\ufeff" + NAME).encode("utf-16-le"))
    finding = _json(run_cli("scan", "--format", "json", "--show-matches", str(path)))["findings"][0]
    assert NAME[finding["start"]:finding["end"]] == finding["match"] == "John Smith"  # the BOM is not text


def test_a_bad_file_fails_the_run_even_when_others_are_clean(run_cli, tmp_path):
    (tmp_path / "good.md").write_text(CLEAN)
    (tmp_path / "bad.md").write_bytes(b"\0\0\0")
    result = run_cli("scan", "--format", "json", str(tmp_path))
    report = _json(result)
    assert result.exit_code == 2
    assert report["summary"]["files_scanned"] == 1
    assert [e["path"] for e in report["errors"]] == [str(tmp_path / "bad.md")]


def test_symlink_loop_is_a_per_file_error(run_cli, tmp_path):
    os.symlink(tmp_path / "b.md", tmp_path / "a.md")
    os.symlink(tmp_path / "a.md", tmp_path / "b.md")
    result = run_cli("scan", "--format", "json", str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert "symbolic links" in _json(result)["errors"][0]["message"]


def test_directory_walk_reports_loops_and_dangling_links_instead_of_skipping(run_cli, tmp_path):
    (tmp_path / "post.md").write_text(CLEAN)
    os.symlink(tmp_path / "loop2.md", tmp_path / "loop1.md")
    os.symlink(tmp_path / "loop1.md", tmp_path / "loop2.md")
    os.symlink(tmp_path / "missing.md", tmp_path / "dangling.md")
    os.symlink(tmp_path, tmp_path / "self")  # a directory loop: not followed
    report = _json(run_cli("scan", "--format", "json", str(tmp_path)))
    assert sorted(os.path.basename(e["path"]) for e in report["errors"]) == ["dangling.md", "loop1.md", "loop2.md"]
    assert report["summary"]["files_scanned"] == 1
    assert report["summary"]["exit_code"] == 2


def test_unreadable_file_is_a_per_file_error(run_cli, tmp_path):
    """Tests run as root, where chmod 000 does not stop reads: a FIFO and a dangling link are unreadable."""
    os.mkfifo(tmp_path / "pipe.md")  # before the fix, reading it blocked forever
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    result = run_cli("scan", "--format", "json", str(tmp_path / "pipe.md"), str(tmp_path / "dangling.txt"))
    errors = {os.path.basename(e["path"]): e["message"] for e in _json(result)["errors"]}
    assert result.exit_code == 2
    assert errors == {"pipe.md": "not a regular file", "dangling.txt": "No such file or directory"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; covered by the FIFO test")
def test_chmod_000_file_is_a_per_file_error(run_cli, tmp_path):
    path = tmp_path / "locked.md"
    path.write_text(CLEAN)
    path.chmod(0)
    result = run_cli("scan", "--format", "json", str(path))
    assert result.exit_code == 2
    assert "Permission denied" in _json(result)["errors"][0]["message"]


def test_unlistable_directory_stops_the_scan(run_cli, tmp_path, monkeypatch):
    """os.walk ignores a directory it cannot list unless told otherwise; as root, simulate EACCES."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_cli("scan", str(tmp_path))
    assert result.exit_code == 2
    assert f"{locked}: cannot list directory: Permission denied" in result.stderr


@pytest.mark.parametrize("name", ["with space.md", "ünïcødé.md", "-leading-dash.md", "new\nline.md", "tab\there.md"])
def test_odd_file_names_are_scanned(run_cli, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(NAME)
    result = run_cli("scan", "--format", "json", "--show-matches", "--", name)
    report = _json(result)
    assert result.exit_code == 1
    assert [(f["path"], f["match"]) for f in report["findings"]] == [(name, "John Smith")]


def test_odd_file_names_are_found_by_directory_walk(run_cli, tmp_path):
    for name in ("with space.md", "ünï.md", "-dash.md", "new\nline.md"):
        (tmp_path / name).write_text(NAME)
    report = _json(run_cli("scan", "--format", "json", str(tmp_path)))
    assert report["summary"]["files_scanned"] == 4
    assert len(report["findings"]) == 4


def test_yaml_billion_laughs_front_matter_is_bounded(run_cli, tmp_path):
    lines = ["a: &a [John Smith, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    path = tmp_path / "lol.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\nHello.\n")
    report = _json(run_cli("scan", "--format", "json", "--show-matches", str(path)))  # 9**9 nodes if expanded
    assert [(f["segment"], f["match"]) for f in report["findings"]] == [("front-matter", "John Smith")]  # a key can be data: not named


@pytest.mark.parametrize("front_matter", [
    "[" * 5000 + "]" * 5000 + "\nname: John Smith",             # deep flow nesting: quadratic in PyYAML
    "".join("  " * i + f"k{i}:\n" for i in range(300)) + "name: John Smith",  # deep block nesting, > 64 KiB
    "a: &a [*a, John Smith]",                                   # a recursive alias
    "name: John Smith\n" + "x: " + "y" * 100_000,               # larger than the YAML limit
])
def test_hostile_front_matter_is_still_scanned(run_cli, tmp_path, front_matter):
    path = tmp_path / "post.md"
    path.write_text(f"---\n{front_matter}\n---\nHello.\n")
    report = _json(run_cli("scan", "--format", "json", "--show-matches", str(path)))
    assert report["errors"] == []
    assert "John Smith" in [f["match"] for f in report["findings"]]
    assert all(f["segment"].startswith("front-matter") for f in report["findings"])


def test_segments_and_batches_stay_below_spacy_limits(scanner):
    nlp = scanner.detector.nlp
    assert MAX_SEGMENT_CHARS <= BATCH_CHARS < nlp.max_length
    text = ("word " * 30_000) + "x" * 50_000 + " end"  # a run with no whitespace is cut hard
    pieces = split_long(Segment("f", "body", text))
    assert all(len(p.text) <= MAX_SEGMENT_CHARS for p in pieces)
    assert pieces[0].offset == 0 and pieces[-1].offset + len(pieces[-1].text) == len(text)
    assert all(b.offset <= a.offset + len(a.text) for a, b in zip(pieces, pieces[1:]))  # they overlap
    assert all(text[p.offset:p.offset + len(p.text)] == p.text for p in pieces)
    groups = list(batches(pieces))
    assert [p for g in groups for p in g] == pieces
    assert all(sum(len(p.text) for p in g) <= BATCH_CHARS for g in groups)


def _peak_rss_scan(path) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI in a child process; return it and the child's peak RSS in MiB (Linux ru_maxrss is KiB)."""
    code = ("import resource, subprocess, sys; "
            "p = subprocess.run([sys.executable, '-m', 'phiguard', 'scan', '--format', 'json', sys.argv[1]], "
            "capture_output=True, text=True); "
            "sys.stdout.write(p.stdout); sys.stderr.write(str(p.returncode) + ' ' + "
            "str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    rc, rss = proc.stderr.split()[-2:]
    return proc, int(rc), int(rss)


def test_one_long_line_is_scanned_in_bounded_memory(tmp_path):
    """A single 300 KB line (no newline) with a name at the end: found, and memory stays bounded."""
    filler = ("the team went home today after six weeks on the ward " * 6_000)[:300_000]
    path = tmp_path / "one-line.txt"
    path.write_text(filler + " Our patient John Smith went home.")
    proc, rc, rss_mib = _peak_rss_scan(path)
    report = json.loads(proc.stdout)
    assert rc == 1, proc.stderr
    assert "person-name" in [f["rule"] for f in report["findings"]]
    assert rss_mib < 1200, f"peak RSS {rss_mib} MiB"


def test_a_50_mb_text_file_is_a_clear_per_file_error(run_cli, tmp_path):
    """Beyond MAX_TEXT_BYTES the scan would take most of an hour: the file fails the run at once."""
    path = tmp_path / "huge.txt"
    with open(path, "w") as fh:
        for _ in range(50):
            fh.write("the team went home today after six weeks on the ward\n" * 19_000)
    result = run_cli("scan", str(path), "--no-cache")
    assert result.exit_code == 2
    assert "text larger than 8 MiB" in result.output


@pytest.mark.skipif(not os.environ.get("PHIGUARD_SLOW_TESTS"),
                    reason="scans 5 MB through spaCy (about 7 minutes); set PHIGUARD_SLOW_TESTS=1")
@pytest.mark.parametrize(("size", "newlines"), [(5_000_000, False), (8_000_000, True)])
def test_huge_files_finish_in_bounded_memory(tmp_path, size, newlines):
    sentence = "the team went home today after six weeks on the ward" + ("\n" if newlines else " ")
    path = tmp_path / "huge.txt"
    path.write_text((sentence * (size // len(sentence) + 1))[:size])
    proc, rc, rss_mib = _peak_rss_scan(path)
    assert rc == 0, proc.stderr
    assert rss_mib < 1200, f"peak RSS {rss_mib} MiB"
