"""The same inputs give byte-identical JSON, run after run and for any --jobs (the pool itself: test_parallel)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RUNS = [("--no-cache", "--jobs", "1"), ("--no-cache", "--jobs", "2"), ()]  # extra CLI arguments per run


def test_json_output_is_byte_identical_across_runs(tmp_path):
    for name in ("draft.md", "clean.md"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "notes.html").write_text("<p>Call Jane Doe at (555) 201-3344 in room 12B.</p>")
    (tmp_path / "bad.txt").write_bytes(b"\0")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    outputs = []
    for extra in RUNS:
        proc = subprocess.run([sys.executable, "-m", "phiguard", "scan", "--format", "json", "--show-matches",
                               ".", *extra], capture_output=True, cwd=tmp_path, env=env, timeout=600)
        assert proc.returncode == 2, proc.stderr  # the bad file fails the run, the others are reported
        outputs.append(proc.stdout)
    assert b'"rule": "person-name"' in outputs[0]
    assert all(out == outputs[0] for out in outputs)
