"""--jobs: same output for any number of workers; few files stay in-process."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from phiguard import parallel

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from posts import write_posts  # noqa: E402


def test_json_is_byte_identical_for_jobs_1_and_2(run_cli, tmp_path, monkeypatch):
    write_posts(tmp_path, 20)
    (tmp_path / "unreadable.md").write_bytes(b"bad\x00binary")  # an error report travels back too
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 3)
    files = sorted(str(p) for p in tmp_path.iterdir())
    assert parallel.workers_for(2, files) == 2  # the pool really runs
    used = []
    real_pool = parallel.ProcessPoolExecutor
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda n, **kw: used.append(n) or real_pool(n, **kw))
    one = run_cli("scan", "--jobs", "1", "--no-cache", "--format", "json", str(tmp_path))
    two = run_cli("scan", "--jobs", "2", "--no-cache", "--format", "json", str(tmp_path))
    assert used == [2]  # --jobs 2 ran a pool of two workers, --jobs 1 none
    assert one.exit_code == two.exit_code == 2  # the unreadable file
    assert one.stdout == two.stdout and one.stderr == two.stderr
    doc = json.loads(two.stdout)
    assert doc["summary"]["files_scanned"] == 20
    assert len({f["path"] for f in doc["findings"]}) == 20  # every synthetic post has PHI


def test_few_files_stdin_and_jobs_1_stay_in_process():
    many = [f"post-{i}.md" for i in range(parallel.MIN_PARALLEL_FILES)]
    assert parallel.workers_for(1, many) == 1
    assert parallel.workers_for(2, many[:-1]) == 1
    assert parallel.workers_for(2, many + ["-"]) == 1
    assert parallel.workers_for(2, many) == 2
    assert parallel.workers_for(8, many) == -(-len(many) // parallel.CHUNK_FILES)


def test_jobs_must_be_positive(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("hello\n")
    result = run_cli("scan", "--jobs", "0", str(tmp_path / "a.md"))
    assert result.exit_code == 2


def test_files_are_read_as_the_scan_reaches_them(scanner, tmp_path, monkeypatch):
    """A folder of photos or 100,000 posts must not have to fit in memory: few files are held at once."""
    from phiguard import run as run_module
    from phiguard.discover import Source, read

    held: set[int] = set()

    class Held(Source):
        def __del__(self):
            held.discard(id(self))

    def counted_read(path):
        source = read(path)
        kept = Held(source.path, source.text, source.error, source.data)
        held.add(id(kept))
        return kept

    monkeypatch.setattr(run_module, "read_input", counted_read)
    monkeypatch.setattr(parallel, "read_input", counted_read)
    paths = [str(p) for p in write_posts(tmp_path, 300)]
    most = 0
    for report, source in run_module.scan_sources(paths, lambda: scanner, None, jobs=1):
        assert report.path == source.path
        most = max(most, len(held))
    assert 0 < most <= 100  # the NLP batch ahead of the report, not all 300


def test_a_file_edited_during_a_parallel_scan_is_not_cached_as_clean(run_cli, tmp_path, monkeypatch):
    """The worker reads the clean draft, then the file changes: the clean verdict belongs to the clean
    bytes only, so the next run scans the edited file and blocks."""
    for i in range(4):
        (tmp_path / f"{i}.md").write_text("Flu shots all week in the main lobby.\n")
    edited = tmp_path / "0.md"
    real_read = parallel.read

    def read_then_edit(path):
        source = real_read(path)
        if path == str(edited) and "MRN" not in source.text:
            edited.write_text("Our patient went home today, MRN 5530871.\n")  # saved right after the read
        return source

    monkeypatch.setattr(parallel, "read", read_then_edit)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 2)
    assert run_cli("scan", "--jobs", "2", str(tmp_path)).exit_code == 0  # what was read was clean
    assert "MRN" in edited.read_text()
    again = run_cli("scan", str(edited), "--format", "json")
    assert again.exit_code == 1


def test_a_worker_that_dies_costs_only_its_file(run_cli, tmp_path, monkeypatch):
    """A worker killed mid-scan (out of memory) breaks the process pool: its file is that file's error, the
    files in flight with it are scanned again, and the run goes on."""
    import os

    write_posts(tmp_path, 12)
    (tmp_path / "post-0005-dies.md").write_text("Volunteer day!\n")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 3)
    real = parallel._scanned
    monkeypatch.setattr(parallel, "_scanned", lambda scanner, paths: os._exit(9) if any(
        p.endswith("-dies.md") for p in paths) else real(scanner, paths))
    result = run_cli("scan", "--jobs", "2", "--no-cache", "--format", "json", str(tmp_path))
    doc = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [(e["path"], e["message"]) for e in doc["errors"]] == [(str(tmp_path / "post-0005-dies.md"),
                                                                   parallel.WORKER_DIED)]
    assert len({f["path"] for f in doc["findings"]}) == 12  # every other post was scanned


def test_a_result_that_cannot_come_back_costs_only_its_file(run_cli, tmp_path, monkeypatch):
    """Any other failure of a worker's result (here: it cannot be pickled) is that file's error."""
    import threading

    write_posts(tmp_path, 6)
    (tmp_path / "post-0003-odd.md").write_text("Volunteer day!\n")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 2)
    real = parallel._scanned

    def scanned(scanner, paths):
        results = real(scanner, paths)
        if any(p.endswith("-odd.md") for p in paths):
            results[0][0].lines[1] = threading.Lock()  # not picklable
        return results

    monkeypatch.setattr(parallel, "_scanned", scanned)
    result = run_cli("scan", "--jobs", "2", "--no-cache", "--format", "json", str(tmp_path))
    doc = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [e["path"] for e in doc["errors"]] == [str(tmp_path / "post-0003-odd.md")]
    assert "internal error in the worker" in doc["errors"][0]["message"]
    assert len({f["path"] for f in doc["findings"]}) == 6
