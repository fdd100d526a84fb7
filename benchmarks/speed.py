"""Speed benchmark: phiguard against the spaCy floor and a raw Presidio loop, as ratios.

    python benchmarks/speed.py            # full run (~15 min on 2 cores)
    python benchmarks/speed.py --quick    # scaled down (a few minutes)
    python benchmarks/speed.py --json speed.json

(a) cold start of `phiguard scan one_post.md` vs `python -c "import spacy; spacy.load(MODEL)"` (medians);
(b) throughput, each in its own process, timed after loading: phiguard's Scanner vs `nlp.pipe` of the same pipeline vs
    Presidio's `AnalyzerEngine.analyze()` in a loop (default recognizers, full model); for context, also vs
    `nlp.pipe` of the full model (every component, as raw Presidio runs it);
(c) `phiguard scan --jobs 2` vs `--jobs 1` (subprocesses, wall time);
(d) a second `phiguard scan` over unchanged files vs the first (is spaCy imported the second time?);
(e) peak RSS of `phiguard scan --jobs 1` for few vs many posts.
Every subprocess gets a fresh, empty working directory, HOME and XDG_CACHE_HOME (so no cache is shared
between runs), except the second run of (d), which reuses the first one's.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from posts import write_posts  # noqa: E402

from phiguard.detection.engine import BATCH_SIZE  # noqa: E402
from phiguard.detection.model import DEFAULT_MODEL  # noqa: E402

PYTHON = sys.executable
# Runs the CLI like the console script does, and records whether spaCy was imported by the end.
_CLI_WITH_MARKER = ("import atexit, sys; marker = sys.argv.pop(1); "
                    "atexit.register(lambda: open(marker, 'w').write(str('spacy' in sys.modules))); "
                    "from phiguard.cli import main; main(prog_name='phiguard')")

FULL = dict(cold_reps=5, sizes=(1000, 10000), jobs_posts=10000, cache_posts=1000, rss_posts=(100, 10000))
QUICK = dict(cold_reps=3, sizes=(100, 500), jobs_posts=1000, cache_posts=300, rss_posts=(100, 1000))


# -- subprocesses --------------------------------------------------------------------------------------
def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PHIGUARD_MODEL")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return env


def run(args: list[str], home: Path | None = None, capture: list | None = None, ok=(0, 1)) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one subprocess, run in `home` (a fresh temporary
    folder if None). CPU time is the steadier number on a busy machine."""
    with tempfile.TemporaryDirectory(prefix="phiguard-bench-home-") as fresh:
        where = home or Path(fresh)
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=where, env=_env(where), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL if capture is None else subprocess.PIPE,
                                stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if capture is not None:
            capture.append(proc.stdout.read().decode())
            proc.stdout.close()
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark: {' '.join(args[:4])}... exited {proc.returncode}: {err.strip()[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def phiguard(*args: str) -> list[str]:
    return [PYTHON, "-m", "phiguard", "scan", "--format", "json", *args]


# -- (a) cold start -------------------------------------------------------------------------------------
def cold_start(folder: Path, reps: int) -> dict:
    one = write_posts(folder / "one", 1)[0]
    floor_cmd = [PYTHON, "-c", f"import spacy; spacy.load({DEFAULT_MODEL!r})"]
    floors, ours = [], []
    for _ in range(reps):  # interleaved, so that machine noise hits both alike
        floors.append(run(floor_cmd))
        ours.append(run(phiguard("--jobs", "1", str(one))))
    wall = [statistics.median(r[0] for r in runs) for runs in (floors, ours)]
    cpu = [statistics.median(r[1] for r in runs) for runs in (floors, ours)]
    return {"floor_s": wall[0], "phiguard_s": wall[1], "ratio": wall[1] / wall[0],
            "floor_cpu_s": cpu[0], "phiguard_cpu_s": cpu[1], "cpu_ratio": cpu[1] / cpu[0], "target": "<= 1.15",
            "floor_runs_s": [r[0] for r in floors], "phiguard_runs_s": [r[0] for r in ours]}


# -- (b) throughput: each contender in its own process, timed after loading and a warm-up ---------------
def _raw_presidio():
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # offline, as phiguard does
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": DEFAULT_MODEL}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    return lambda texts: [engine.analyze(t, language="en") for t in texts]


def _nlp_pipe():
    from phiguard.detection import model as spacy_model

    nlp = spacy_model.load(DEFAULT_MODEL)  # the same pipeline and excluded components as phiguard
    return lambda texts: [None for _ in nlp.pipe(texts, batch_size=BATCH_SIZE)]


def _nlp_pipe_full_model():
    import spacy

    nlp = spacy.load(DEFAULT_MODEL)  # every component, as raw Presidio loads it: for context, not a target
    return lambda texts: [None for _ in nlp.pipe(texts, batch_size=BATCH_SIZE)]


def _phiguard(paths: list[str]):
    from phiguard.discover import read
    from phiguard.scanner import Scanner

    scanner = Scanner()
    scanner.load()
    return lambda count: [None for _ in scanner.scan(read(p) for p in paths[:count])]


def measure(kind: str, folder: str) -> dict:
    """Run inside a fresh process: posts per second of one contender over the posts in `folder`."""
    paths = sorted(str(p) for p in Path(folder).glob("*.md"))
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    if kind == "phiguard":
        run_on = _phiguard(paths)
        work = lambda count: count  # noqa: E731
    else:
        run_on = {"presidio": _raw_presidio, "nlp_pipe": _nlp_pipe, "nlp_pipe_full_model": _nlp_pipe_full_model}[kind]()
        work = lambda count: texts[:count]  # noqa: E731
    run_on(work(50))  # warm-up: first-call regex compiles, lazy tables
    wall, cpu = time.perf_counter(), time.process_time()
    run_on(work(len(paths)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"posts_per_s": len(paths) / wall, "posts_per_cpu_s": len(paths) / cpu}


def throughput(folder: Path, sizes: tuple[int, ...]) -> list[dict]:
    rows = []
    for size in sizes:
        data = folder / f"tp-{size}"
        write_posts(data, size)
        rates = {}
        for kind in ("phiguard", "nlp_pipe", "presidio", "nlp_pipe_full_model"):
            out: list[str] = []
            run([PYTHON, str(Path(__file__).resolve()), "--measure", kind, str(data)], capture=out, ok=(0,))
            rates[kind] = json.loads(out[0])
        ours, pipe, raw, full = (rates[k] for k in ("phiguard", "nlp_pipe", "presidio", "nlp_pipe_full_model"))
        rows.append({"posts": size, "phiguard_per_s": ours["posts_per_s"], "nlp_pipe_per_s": pipe["posts_per_s"],
                     "presidio_loop_per_s": raw["posts_per_s"],
                     "nlp_pipe_full_model_per_s": full["posts_per_s"],
                     "vs_nlp_pipe": ours["posts_per_s"] / pipe["posts_per_s"],
                     "vs_presidio_loop": ours["posts_per_s"] / raw["posts_per_s"],
                     "vs_nlp_pipe_full_model": ours["posts_per_s"] / full["posts_per_s"],
                     "cpu_vs_nlp_pipe": ours["posts_per_cpu_s"] / pipe["posts_per_cpu_s"],
                     "cpu_vs_presidio_loop": ours["posts_per_cpu_s"] / raw["posts_per_cpu_s"],
                     "cpu_vs_nlp_pipe_full_model": ours["posts_per_cpu_s"] / full["posts_per_cpu_s"],
                     "target": ">= 0.9 x nlp.pipe, >= 1.6 x presidio"})
    return rows


# -- (c) jobs, (d) re-run, (e) memory -------------------------------------------------------------------
def jobs(folder: Path, count: int) -> dict:
    data = folder / f"jobs-{count}"
    write_posts(data, count)
    one, _, one_rss = run(phiguard("--jobs", "1", str(data)))
    two, _, _ = run(phiguard("--jobs", "2", str(data)))
    return {"posts": count, "jobs1_s": one, "jobs2_s": two, "speedup": one / two, "target": ">= 1.6",
            "jobs1_peak_rss_kib": one_rss}


def rerun(folder: Path, count: int) -> dict:
    data = folder / f"rerun-{count}"
    write_posts(data, count)
    with tempfile.TemporaryDirectory(prefix="phiguard-bench-home-") as home:
        marker = Path(home) / "spacy-imported"
        cmd = [PYTHON, "-c", _CLI_WITH_MARKER, str(marker), "scan", "--format", "json", str(data)]
        first = run(cmd, Path(home))[0]
        second = run(cmd, Path(home))[0]
        spacy_second = marker.read_text() == "True"
    return {"posts": count, "first_s": first, "second_s": second, "ratio": second / first,
            "spacy_imported_on_second_run": spacy_second, "target": "<= 0.5 s, no spaCy"}


def memory(folder: Path, counts: tuple[int, int], known: dict[int, int]) -> dict:
    rss = {}
    for count in counts:
        if count in known:
            rss[count] = known[count]
            continue
        data = folder / f"rss-{count}"
        write_posts(data, count)
        rss[count] = run(phiguard("--jobs", "1", str(data)))[2]
    few, many = counts
    return {"few_posts": few, "many_posts": many, "few_peak_rss_mib": rss[few] / 1024,
            "many_peak_rss_mib": rss[many] / 1024, "ratio": rss[many] / rss[few], "target": "<= 1.2"}


# -- report ---------------------------------------------------------------------------------------------
def table(result: dict) -> str:
    a, c, d, e = result["cold_start"], result["jobs"], result["rerun"], result["memory"]
    rows = [("(a) cold start, 1 post", f"{a['phiguard_s']:.2f} s vs floor {a['floor_s']:.2f} s",
             f"{a['ratio']:.2f}", a["target"]),
            ("    (CPU time)", f"{a['phiguard_cpu_s']:.2f} s vs floor {a['floor_cpu_s']:.2f} s",
             f"{a['cpu_ratio']:.2f}", a["target"])]
    for t in result["throughput"]:
        rows.append((f"(b) throughput, {t['posts']} posts",
                     f"{t['phiguard_per_s']:.0f}/s vs nlp.pipe {t['nlp_pipe_per_s']:.0f}/s",
                     f"{t['vs_nlp_pipe']:.2f} (CPU {t['cpu_vs_nlp_pipe']:.2f})", ">= 0.9"))
        rows.append(("", f"{t['phiguard_per_s']:.0f}/s vs presidio loop {t['presidio_loop_per_s']:.0f}/s",
                     f"{t['vs_presidio_loop']:.2f} (CPU {t['cpu_vs_presidio_loop']:.2f})", ">= 1.6"))
        rows.append(("", f"{t['phiguard_per_s']:.0f}/s vs nlp.pipe, full model {t['nlp_pipe_full_model_per_s']:.0f}/s",
                     f"{t['vs_nlp_pipe_full_model']:.2f} (CPU {t['cpu_vs_nlp_pipe_full_model']:.2f})",
                     "(context)"))
    rows.append((f"(c) --jobs 2, {c['posts']} posts", f"{c['jobs2_s']:.1f} s vs --jobs 1 {c['jobs1_s']:.1f} s",
                 f"{c['speedup']:.2f}", c["target"]))
    rows.append((f"(d) re-run, {d['posts']} posts",
                 f"{d['second_s']:.2f} s vs first {d['first_s']:.2f} s; spaCy imported: "
                 f"{d['spacy_imported_on_second_run']}", f"{d['ratio']:.2f}", d["target"]))
    rows.append((f"(e) peak RSS, {e['many_posts']} vs {e['few_posts']}",
                 f"{e['many_peak_rss_mib']:.0f} MiB vs {e['few_peak_rss_mib']:.0f} MiB", f"{e['ratio']:.2f}",
                 e["target"]))
    widths = [max(len(r[i]) for r in rows + [HEADER]) for i in range(4)]
    line = lambda r: "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(HEADER), line(tuple("-" * w for w in widths))] + [line(r) for r in rows])


HEADER = ("measure", "numbers", "ratio", "target")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scaled-down sizes (a few minutes)")
    parser.add_argument("--sizes", help="throughput sizes, comma-separated (overrides the preset)")
    parser.add_argument("--jobs-posts", type=int, help="posts for the --jobs comparison")
    parser.add_argument("--cache-posts", type=int, help="posts for the re-run comparison")
    parser.add_argument("--rss-posts", help="two post counts for peak RSS, comma-separated")
    parser.add_argument("--cold-reps", type=int, help="repetitions of each cold start")
    parser.add_argument("--json", dest="json_path", help="also write the results as JSON here")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.measure:
        print(json.dumps(measure(*opts.measure)))
        return {}
    cfg = dict(QUICK if opts.quick else FULL)
    if opts.sizes:
        cfg["sizes"] = tuple(int(s) for s in opts.sizes.split(","))
    if opts.rss_posts:
        cfg["rss_posts"] = tuple(int(s) for s in opts.rss_posts.split(","))
    for key in ("jobs_posts", "cache_posts", "cold_reps"):
        if getattr(opts, key):
            cfg[key] = getattr(opts, key)

    result = {"model": DEFAULT_MODEL, "cpus": os.cpu_count(), "python": sys.version.split()[0],
              "load_average_at_start": os.getloadavg()[0],
              "config": {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()}}
    with tempfile.TemporaryDirectory(prefix="phiguard-bench-") as tmp:
        folder = Path(tmp)
        result["cold_start"] = cold_start(folder, cfg["cold_reps"])
        result["jobs"] = jobs(folder, cfg["jobs_posts"])
        result["rerun"] = rerun(folder, cfg["cache_posts"])
        known = {cfg["jobs_posts"]: result["jobs"]["jobs1_peak_rss_kib"]}
        result["memory"] = memory(folder, cfg["rss_posts"], known)
        result["throughput"] = throughput(folder, cfg["sizes"])
    result["load_average_at_end"] = os.getloadavg()[0]
    print(table(result))
    print(f"load average (1 min) at start {result['load_average_at_start']:.1f}, at end "
          f"{result['load_average_at_end']:.1f} on {result['cpus']} CPUs: other work on the machine skews wall times")
    if opts.json_path:
        Path(opts.json_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
