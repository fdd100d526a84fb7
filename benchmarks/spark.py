"""Throughput of phiguard on Spark (local[N]) against `phiguard scan --jobs N` on the same posts, with what a
cluster's sizing needs: posts/s per core, model load time and peak memory per Python worker.

    python -m benchmarks.spark [--posts 4000] [--cores 2]     (needs the [spark] extra and Java)

`phiguard scan` reads one .txt file per post (a JSONL export is one file, hence one process whatever --jobs);
Spark reads the same posts from one JSONL export. Both with the same config; wall times include model loads.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import spark_posts as synthetic_posts


def make_posts(count: int) -> list[tuple[str, str]]:
    """Posts of three sentences (about 200 characters, a short social post)."""
    parts = synthetic_posts.posts(3 * count)
    return [(f"post-{i:06d}", "\n".join(t for _, t in parts[3 * i:3 * i + 3])) for i in range(count)]


def run_cli(folder: Path, config: Path, jobs: int) -> float:
    cli = Path(sys.executable).with_name("phiguard")
    started = time.perf_counter()
    done = subprocess.run([str(cli), "scan", str(folder), "--config", str(config), "--no-cache", "--jobs", str(jobs),
                           "--format", "json", "-o", os.devnull], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"phiguard scan failed: {done.stderr}")
    return time.perf_counter() - started


def in_process(posts: list[tuple[str, str]], config: Path) -> tuple[float, float]:
    """(posts/s, model load seconds) of one Session in this process: one core, no Spark, no CLI."""
    from phiguard.api import Options, Session, Text

    started = time.perf_counter()
    session = Session(Options(config=str(config)))
    load = time.perf_counter() - started
    started = time.perf_counter()
    session.check_all([Text(text, f"<{post_id}>.txt") for post_id, text in posts])
    return len(posts) / (time.perf_counter() - started), load


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (its threads included)."""
    fields = open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def probe(batches):
    """Per Python worker: its pid and peak RSS (MiB)."""
    import pandas as pd

    for _ in batches:
        pass
    yield pd.DataFrame({"pid": [os.getpid()], "rss_mib": [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="CLI and Spark runs, alternated; the best counts")
    args = parser.parse_args()
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    work = Path(tempfile.mkdtemp(prefix="phiguard-bench-"))
    config = work / ".phiguard.yaml"
    config.write_text(synthetic_posts.CONFIG, encoding="utf-8")
    posts = make_posts(args.posts)
    (work / "posts").mkdir()
    with open(work / "posts.jsonl", "w", encoding="utf-8") as export:
        for post_id, text in posts:
            (work / "posts" / f"{post_id}.txt").write_text(text, encoding="utf-8")
            export.write(json.dumps({"id": post_id, "text": text}) + "\n")
    n, chars = len(posts), sum(len(t) for _, t in posts) / len(posts)
    print(f"{n} posts, {chars:.0f} characters on average, {args.cores} cores")

    one_core, one_load = in_process(posts[: max(n // 5, 100)], config)
    cli_one = run_cli(work / "posts" / f"{posts[0][0]}.txt", config, 1)  # start-up and model load

    started = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{args.cores}]").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    from phiguard import spark as pgspark

    spark_start = time.perf_counter() - started
    frame = spark.read.json(str(work / "posts.jsonl")).repartition(4 * args.cores).cache()
    frame.count()
    jvm_pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()

    def spark_job() -> tuple[float, float]:
        started, jvm_cpu = time.perf_counter(), cpu_seconds(jvm_pid)
        pgspark.scan_posts(frame, config=str(config)).write.format("noop").mode("overwrite").save()
        return time.perf_counter() - started, cpu_seconds(jvm_pid) - jvm_cpu

    cold, _ = spark_job()  # every Python worker loads the model
    cli_runs, spark_runs = [], []
    for _ in range(args.rounds):  # alternated, so that a busy spell on a shared machine hits both
        cli_runs.append(run_cli(work / "posts", config, args.cores))
        spark_runs.append(spark_job())  # the workers' sessions are kept: no model load
    workers = spark.range(0, 8 * args.cores, numPartitions=8 * args.cores).mapInPandas(
        probe, "pid long, rss_mib double").dropDuplicates(["pid"]).collect()
    jvm_mib = int(next(line.split()[1] for line in open(f"/proc/{jvm_pid}/status") if line.startswith("VmHWM"))) / 1024
    spark.stop()

    cli, (warm, jvm_cpu) = min(cli_runs), min(spark_runs)
    cli_steady = n / max(cli - cli_one, 1e-9)
    row = "{:<46}{:>9.1f}{:>9.0f}"
    print(f"\n{'':<46}{'seconds':>9}{'posts/s':>9}")
    print(f"{'one Session in-process, 1 core (model %.1fs)' % one_load:<46}{'':>9}{one_core:>9.0f}")
    print(row.format(f"phiguard scan --jobs {args.cores}, wall", cli, n / cli))
    print(row.format(f"  less a one-file scan (start-up, model) {cli_one:.1f}s", cli - cli_one, cli_steady))
    print(row.format(f"Spark local[{args.cores}], first job (models load)", cold, n / cold))
    print(row.format(f"Spark local[{args.cores}], later jobs (models kept)", warm, n / warm))
    print(f"(all runs, s: CLI {', '.join(f'{t:.1f}' for t in cli_runs)}; "
          f"Spark {', '.join(f'{t:.1f}' for t, _ in spark_runs)})")
    print(f"\nSpark / CLI: {cli / cold:.2f} first job vs CLI wall, {(cli - cli_one) / warm:.2f} steady vs steady")
    print(f"posts/s per core: Spark {n / warm / args.cores:.0f}, CLI {cli_steady / args.cores:.0f}, "
          f"in-process {one_core:.0f}; Spark session start-up {spark_start:.1f}s")
    print(f"JVM CPU during the best Spark job: {jvm_cpu:.1f}s of {warm * args.cores:.1f} core-seconds")
    for w in workers:
        print(f"python worker {w['pid']}: peak RSS {w['rss_mib']:.0f} MiB")
    print(f"driver and executor JVM (one in local mode): peak RSS {jvm_mib:.0f} MiB")


if __name__ == "__main__":
    main()
