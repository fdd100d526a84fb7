"""Conduct benchmark: the professional-conduct pack on the annotated conduct corpus, beside a keyword list.

    python -m benchmarks.conduct                 # ../shared/corpora/conduct_posts.dev.jsonl
    python -m benchmarks.conduct --json conduct.json

Per category: recall (posts with it that are flagged with it) and precision (posts flagged with it that
have it); over posts with no category: the share flagged with any, and the same for hard negatives. The
baseline flags a category when a post holds a word of the obvious list for it. Prints `skipped: ...` and
exits 0 when the corpus is absent.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from benchmarks.corpus import default_corpora_dir

CATEGORIES = ("disparaging-patient", "individual-advice", "patient-relationship", "unsupported-claim",
              "undisclosed-promotion", "testimonial", "colleague-bullying")
# The word list anyone would start from: one line per category.
KEYWORDS = {
    "disparaging-patient": r"frequent flyer|idiot|stupid|dumb|crazy|drunk|annoying|worst|noncompliant",
    "individual-advice": r"you have|you should take|\bmg\b|\bml\b|DM me|take \d",
    "patient-relationship": r"friend request|\bDMs?\b|dating|date|Snapchat|Facebook|Instagram|my number",
    "unsupported-claim": r"cures?|100%|guarantee|miracle|detox|no side effects|toxins",
    "undisclosed-promotion": r"\bcode\b|% off|link in bio|gifted|free|sponsored|discount",
    "testimonial": r"reviews?|5-star|five-star|testimonial|best doctor|best clinic",
    "colleague-bullying": r"useless|incompetent|fired|lazy|stay in your lane|idiot",
}


def phiguard_flags(texts: list[str]) -> list[set[str]]:
    from phiguard.scanner import Scanner

    scanner = Scanner()
    scanner.load()
    return [{f.rule for f in findings if f.identifier == "conduct"}
            for findings in (r.findings for r in scanner.scan(_sources(texts)))]


def _sources(texts: list[str]):
    from phiguard.discover import Source

    return [Source(f"<post-{i}>.txt", t) for i, t in enumerate(texts)]


def keyword_flags(texts: list[str]) -> list[set[str]]:
    compiled = {c: re.compile(p, re.IGNORECASE) for c, p in KEYWORDS.items()}
    return [{c for c, p in compiled.items() if p.search(t)} for t in texts]


def score(posts: list[dict], flags: list[set[str]]) -> dict:
    figures: dict = {}
    for c in CATEGORIES:
        gold = [c in p["conduct"] for p in posts]
        got = [c in f for f in flags]
        hits = sum(g and f for g, f in zip(gold, got))
        figures[c] = {"recall": hits / max(sum(gold), 1), "precision": hits / sum(got) if sum(got) else None,
                      "posts": sum(gold), "flagged": sum(got)}
    fine = [f for p, f in zip(posts, flags) if not p["conduct"]]
    hard = [f for p, f in zip(posts, flags) if not p["conduct"] and p.get("hard_negative")]
    figures["fine_flagged"] = sum(bool(f) for f in fine) / max(len(fine), 1)
    figures["hard_negatives_flagged"] = sum(bool(f) for f in hard) / max(len(hard), 1)
    figures["fine_posts"], figures["hard_negatives"] = len(fine), len(hard)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=default_corpora_dir())
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    path = args.corpora / "conduct_posts.dev.jsonl"
    if not path.is_file():
        print(f"skipped: corpus not found at {path}")
        return 0
    posts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [p["text"] for p in posts]
    results = {"phiguard": score(posts, phiguard_flags(texts)), "keywords": score(posts, keyword_flags(texts))}
    print(f"{len(posts)} posts: {sum(bool(p['conduct']) for p in posts)} with a category, "
          f"{results['phiguard']['fine_posts']} fine ({results['phiguard']['hard_negatives']} hard negatives)\n")
    print(f"{'category':<24}{'phiguard recall':>16}{'precision':>11}{'keywords recall':>17}{'precision':>11}")
    for c in CATEGORIES:
        ours, base = results["phiguard"][c], results["keywords"][c]
        fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{c:<24}{ours['recall']:>16.2f}{fmt(ours['precision']):>11}{base['recall']:>17.2f}"
              f"{fmt(base['precision']):>11}")
    for key, label in (("fine_flagged", "fine posts flagged"), ("hard_negatives_flagged", "hard negatives flagged")):
        print(f"{label:<24}{results['phiguard'][key]:>16.1%}{'':>11}{results['keywords'][key]:>17.1%}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
