"""Content benchmark: `phiguard scan` over a real public content repository, as a comms team runs it.

    python -m benchmarks.content                       # the digital.gov pages, --jobs 2
    python -m benchmarks.content --jobs 1 --json content.json

The archive (`../shared/content/digitalgov-news-events.tar.gz`, no patient anywhere) is unpacked into a
temporary folder, never into the repository. Records what a gate owner needs: did the run complete, pages
scanned, pages that pass, per-file errors (internal errors apart), wall time and peak memory. Prints
`skipped: ...` and exits 0 when the archive is absent.
"""
from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from speed import phiguard, run  # noqa: E402

DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "content" / "digitalgov-news-events.tar.gz"


def figures(report: dict, wall: float, cpu: float, rss_kib: int) -> dict:
    """What the run says about the pages (no page text: rule ids and counts only)."""
    blocked = {f["path"] for f in report["findings"] if f["severity"] in ("medium", "high")}
    errors = report["errors"]
    scanned = report["summary"]["files_scanned"] + len(errors)
    return {
        "pages": scanned,
        "pages_passed": scanned - len(blocked | {e["path"] for e in errors}),
        "errors": len(errors),
        "internal_errors": sum(1 for e in errors if "internal error" in e["message"]),
        "exit_code": report["summary"]["exit_code"],
        "blocking_by_rule": dict(Counter(f["rule"] for f in report["findings"]
                                         if f["severity"] in ("medium", "high")).most_common(12)),
        "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_mib": round(rss_kib / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.content", description=__doc__)
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.archive.is_file():
        print(f"skipped: content archive not found at {args.archive}")
        return 0
    with tempfile.TemporaryDirectory(prefix="phiguard-content-") as tmp:
        report = Path(tmp) / "report.json"  # a file: the report of 2,000 pages fills any pipe
        pages = Path(tmp) / "pages"
        with tarfile.open(args.archive) as archive:
            archive.extractall(pages, filter="data")
        wall, cpu, rss = run(phiguard("--no-cache", "--jobs", str(args.jobs), "-o", str(report), str(pages)),
                             ok=(0, 1, 2))
        result = figures(json.loads(report.read_text(encoding="utf-8")), wall, cpu, rss)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
