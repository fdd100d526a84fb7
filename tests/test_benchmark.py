"""The speed benchmark runs end to end (tiny sizes; it times nothing that a test asserts on)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SPEED = Path(__file__).resolve().parent.parent / "benchmarks" / "speed.py"


@pytest.mark.slow
def test_speed_benchmark_runs_and_reports_every_measure(tmp_path):
    out = tmp_path / "speed.json"
    done = subprocess.run([sys.executable, str(SPEED), "--quick", "--sizes", "20", "--jobs-posts", "40",
                           "--cache-posts", "10", "--rss-posts", "5,40", "--cold-reps", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for label in ("(a) cold start", "(b) throughput, 20 posts", "(c) --jobs 2", "(d) re-run", "(e) peak RSS"):
        assert label in done.stdout
    result = json.loads(out.read_text())
    assert result["config"]["sizes"] == [20]
    assert result["cold_start"]["floor_s"] > 0 and result["cold_start"]["phiguard_s"] > 0
    throughput = result["throughput"][0]
    assert throughput["phiguard_per_s"] > 0 and throughput["presidio_loop_per_s"] > 0
    assert throughput["nlp_pipe_full_model_per_s"] > 0 and "nlp.pipe, full model" in done.stdout
    assert result["rerun"]["spacy_imported_on_second_run"] is False  # a cached re-run never loads spaCy
    assert result["memory"]["many_posts"] == 40 and result["memory"]["many_peak_rss_mib"] > 0


def test_content_benchmark_runs_on_a_small_site(tmp_path):
    """The content benchmark scans an archive of pages end to end and counts passes, errors and blocks."""
    import tarfile

    site = tmp_path / "site"
    site.mkdir()
    (site / "news.md").write_text("---\ntitle: Flu shots\n---\nFlu shots all week in the main lobby.\n")
    (site / "story.md").write_text("Our 93-year-old patient went home today.\n")
    (site / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h24v24H0z"/></svg>\n')
    archive = tmp_path / "site.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(site, arcname="content")
    out = tmp_path / "content.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.content", "--archive", str(archive), "--jobs", "1",
                           "--json", str(out)], capture_output=True, text=True, timeout=600,
                          cwd=SPEED.parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    assert (result["pages"], result["pages_passed"], result["errors"]) == (3, 2, 0)
    assert result["blocking_by_rule"] == {"age-over-89": 1} and result["peak_rss_mib"] > 0


def test_content_benchmark_skips_without_the_archive(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.content", "--archive", str(tmp_path / "none.tar.gz")],
                          capture_output=True, text=True, timeout=120, cwd=SPEED.parent.parent)
    assert done.returncode == 0 and done.stdout.startswith("skipped: content archive not found")
