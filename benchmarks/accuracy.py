"""Score phiguard and raw Presidio on the annotated corpora: `python -m benchmarks.accuracy --help`."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from phiguard.findings import Severity

from .corpus import CORPORA, LABELS, default_corpora_dir, load
from .safe_harbor import DEFAULT_CORPORA, safe_harbor_only
from .scoring import Scores, errors, score
from .systems import PRESIDIO_SCORE_THRESHOLD

REPO_ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("phiguard", "presidio")


class UsageError(Exception):
    pass


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__)
    parser.add_argument("--corpora", type=Path, default=None,
                        help=f"directory of the JSONL corpora (default: {default_corpora_dir()})")
    parser.add_argument("--corpus", action="append", metavar="NAME",
                        help=f"corpus to score, repeatable (default: {', '.join(CORPORA)})")
    parser.add_argument("--system", action="append", choices=SYSTEMS,
                        help="system to score, repeatable (default: both)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="first N documents of each corpus")
    parser.add_argument("--fail-on", choices=["low", "medium", "high"], default="medium",
                        help="phiguard findings at or above this severity block a post (default: medium)")
    parser.add_argument("--scoring", choices=["auto", "safe-harbor", "all"], default="auto",
                        help="safe-harbor: ignore gold spans Safe Harbor allows (company names, countries, states, "
                             "bare years, weekdays); all: score every gold span; auto (default): safe-harbor for "
                             "presidio_synth, all for the others")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--errors", type=Path, default=None, metavar="FILE",
                        help="write false negatives/positives WITH CORPUS TEXT as JSONL (outside the repo only)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be a positive number")
    return args


def check_errors_path(path: Path) -> None:
    """Corpus text must never land in the repository."""
    resolved = path.resolve()
    if resolved == REPO_ROOT or REPO_ROOT in resolved.parents:
        raise UsageError(f"--errors {path}: inside the repository; write it outside (e.g. /tmp)")


def corpus_files(corpora_dir: Path, names: list[str]) -> dict[str, Path]:
    files = {name: corpora_dir / f"{name}.jsonl" for name in names}
    for name, path in files.items():
        if not path.is_file():
            raise UsageError(f"corpus '{name}' not found at {path}")
    return files


def build_systems(names: list[str], fail_on: Severity) -> tuple[dict, dict[str, float]]:
    from .systems import PhiguardSystem, PresidioSystem

    factories = {"phiguard": lambda: PhiguardSystem(fail_on), "presidio": PresidioSystem}
    systems, load_seconds = {}, {}
    for name in names:
        started = time.perf_counter()
        systems[name] = factories[name]()
        load_seconds[name] = time.perf_counter() - started
    return systems, load_seconds


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def corpus_table(corpus: str, docs: int, results: dict[str, tuple[Scores, float]]) -> Table:
    table = Table(title=f"{corpus} ({docs} docs)")
    table.add_column("metric")
    for system in results:
        table.add_column(system, justify="right")
    rows: list[tuple[str, list[str]]] = []
    scores = {system: s for system, (s, _) in results.items()}
    rows.append(("span recall", [f"{_fmt(s.recall)} ({s.recalled_spans}/{s.gold_spans})" for s in scores.values()]))
    present = [label for label in LABELS if any(s.gold_by_label[label] for s in scores.values())]
    for label in present:
        rows.append((f"  recall {label}", [
            f"{_fmt(s.label_recall(label))} ({s.recalled_by_label[label]}/{s.gold_by_label[label]})"
            for s in scores.values()]))
    rows.append(("finding precision", [f"{_fmt(s.precision)} ({s.correct_findings}/{s.findings})"
                                       for s in scores.values()]))
    rows.append(("  FP on non-PHI spans", [str(s.findings_on_non_phi) for s in scores.values()]))
    rows.append(("PHI docs blocked", [f"{s.phi_docs_blocked}/{s.phi_docs}" for s in scores.values()]))
    rows.append(("clean docs passed", [f"{s.clean_docs_passed}/{s.clean_docs}" for s in scores.values()]))
    rows.append(("seconds", [f"{seconds:.1f}" for _, seconds in results.values()]))
    for metric, cells in rows:
        table.add_row(metric, *cells)
    return table


def false_positive_table(per_corpus: dict[str, Scores]) -> Table:
    table = Table(title="phiguard false positives by rule")
    table.add_column("rule")
    for corpus in per_corpus:
        table.add_column(corpus, justify="right")
    rules = sorted({r for s in per_corpus.values() for r in s.false_positives_by_kind},
                   key=lambda r: -sum(s.false_positives_by_kind[r] for s in per_corpus.values()))
    for rule in rules:
        table.add_row(rule, *[str(s.false_positives_by_kind[rule]) for s in per_corpus.values()])
    return table


def run(args: argparse.Namespace, console: Console) -> int:
    started = time.perf_counter()
    corpora_dir = args.corpora if args.corpora is not None else default_corpora_dir()
    if not corpora_dir.is_dir():
        print(f"skipped: corpora not found at {corpora_dir}")
        return 0
    if args.errors is not None:
        check_errors_path(args.errors)
    files = corpus_files(corpora_dir, args.corpus or list(CORPORA))
    fail_on = Severity.parse(args.fail_on)
    systems, load_seconds = build_systems(args.system or list(SYSTEMS), fail_on)

    report: dict = {"version": 1, "fail_on": str(fail_on), "limit": args.limit,
                    "load_seconds": load_seconds, "corpora": {}}
    phiguard_scores: dict[str, Scores] = {}
    error_lines: list[dict] = []
    for corpus, path in files.items():
        docs = load(path, args.limit)
        scoring = ("safe-harbor" if corpus in DEFAULT_CORPORA else "all") if args.scoring == "auto" else args.scoring
        ignored: dict[str, int] = {}
        if scoring == "safe-harbor":
            docs, moved = safe_harbor_only(docs)
            ignored = dict(moved.most_common())
            print(f"{corpus}: Safe Harbor scoring ignores {sum(moved.values())} gold spans: "
                  + ", ".join(f"{n} {why}" for why, n in ignored.items()))
        results: dict[str, tuple[Scores, float]] = {}
        for name, system in systems.items():
            t0 = time.perf_counter()
            predictions = system.predict(docs, corpus)
            results[name] = (score(docs, predictions), time.perf_counter() - t0)
            if args.errors is not None:
                error_lines += [{"corpus": corpus, "system": name, **e} for e in errors(docs, predictions)]
        if "phiguard" in results:
            phiguard_scores[corpus] = results["phiguard"][0]
        console.print(corpus_table(corpus, len(docs), results))
        report["corpora"][corpus] = {"docs": len(docs), "scoring": scoring, "ignored_gold_spans": ignored, "systems": {
            name: {**s.to_dict(), "seconds": seconds} for name, (s, seconds) in results.items()}}
    if phiguard_scores:
        console.print(false_positive_table(phiguard_scores))

    report["wall_seconds"] = time.perf_counter() - started
    notes = [f"model load: {', '.join(f'{n} {s:.1f}s' for n, s in load_seconds.items())}",
             f"wall time {report['wall_seconds']:.1f}s"]
    if "phiguard" in systems:
        notes.append(f"phiguard blocks at {fail_on} and above")
    if "presidio" in systems:
        notes.append(f"presidio blocks on every finding scored >= {PRESIDIO_SCORE_THRESHOLD}")
    print("; ".join(notes))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.errors is not None:
        with args.errors.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in error_lines)
        print(f"{len(error_lines)} errors (with corpus text) written to {args.errors}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args, Console())
    except (UsageError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
