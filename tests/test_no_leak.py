"""Under CI=true no matched text is written anywhere: stdout, stderr, reports, job summary, baseline, cache."""
from __future__ import annotations

import os
import subprocess
import sys

PLANTED = ("Zebediah", "Quillfeather", "00482913", "93-year-old", "555-867-5309", "zq@example.org")
POST = ("Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"
        "Call 555-867-5309 or write to zq@example.org.\n")


def test_ci_scan_writes_no_matched_text_anywhere(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "draft.md").write_text(POST)
    (posts / "page.html").write_text(f"<p>{POST}</p>")
    out = tmp_path / "out"
    out.mkdir()
    cache = tmp_path / "cache"
    env = {**os.environ, "CI": "true", "GITHUB_STEP_SUMMARY": str(out / "step-summary.md"),
           "PHIGUARD_CACHE_DIR": str(cache)}

    def phiguard(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "phiguard", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)
        streams.append(done.stdout + done.stderr)
        return done

    streams: list[str] = []
    for fmt in ("rich", "text", "json", "sarif", "github", "junit"):
        assert phiguard("scan", "posts", "--format", fmt).returncode == 1
        assert phiguard("scan", "posts", "--format", fmt, "--output", str(out / f"report.{fmt}")).returncode == 1
    assert phiguard("baseline", "create", "posts").returncode == 0
    assert phiguard("scan", "posts", "--format", "json").returncode == 0  # all in the baseline now

    files = [p for p in [*out.iterdir(), *cache.rglob("*"), tmp_path / ".phiguard-baseline.json"] if p.is_file()]
    assert {p.name for p in out.iterdir()} >= {"report.sarif", "report.junit", "step-summary.md"}
    assert any(p.suffix == ".json" for p in cache.rglob("*")), "the cache was written"
    written = streams + [p.read_text() for p in files]
    for planted in PLANTED:
        leaks = [i for i, text in enumerate(written) if planted in text]
        assert not leaks, f"{planted!r} written to {[str(files[i - len(streams)]) if i >= len(streams) else 'output' for i in leaks]}"
    assert "age-over-89" in written[0] and "person-name" in "".join(written)
