"""Audit a folder of exported posts with phiguard on Spark: findings (and verdicts) as Parquet, and a summary.

    pip install 'phiguard-lint[spark]'     # and a Java runtime (Debian: openjdk-17-jre-headless)
    python examples/spark_audit.py exports/ --format jsonl --id-col id --text-col message --out audit/
    spark-submit examples/spark_audit.py s3a://bucket/exports/ --format parquet ...   (phiguard on executors)

Exit code as `phiguard scan`: 0 no post blocked, 1 some blocked, 2 some could not be checked.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession, functions as F

READERS = {"jsonl": "json", "json": "json", "ndjson": "json", "csv": "csv", "parquet": "parquet"}


def read_posts(spark: SparkSession, path: str, fmt: str):
    reader = spark.read
    if fmt == "csv":  # a post spans lines when quoted; no type guessing (ids stay as written)
        reader = reader.option("header", True).option("multiLine", True).option("escape", '"')
    return reader.format(READERS[fmt]).load(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a file or folder of exports (anything Spark's readers take)")
    parser.add_argument("--format", choices=sorted(READERS), default=None, help="default: the input's suffix")
    parser.add_argument("--id-col", default="id")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--kind-col", default=None, help="post, caption, alt_text, markdown, html...")
    parser.add_argument("--config", default=None, help="default: .phiguard.yaml found upward from here")
    parser.add_argument("--fail-on", choices=["low", "medium", "high"], default=None)
    parser.add_argument("--out", default="phiguard-audit", help="folder for findings/ and verdicts/ (Parquet)")
    parser.add_argument("--include-match", action="store_true", help="write the matched text (PHI!) too")
    parser.add_argument("--master", default=None, help="default: spark-submit's, else local[*]")
    args = parser.parse_args(argv)
    fmt = args.format or Path(args.input.rstrip("/")).suffix.lstrip(".").lower() or "jsonl"
    if fmt not in READERS:
        parser.error(f"cannot tell the format of {args.input}: use --format")

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("phiguard-audit").config("spark.ui.showConsoleProgress", "false")
    spark = (builder.master(args.master) if args.master else builder).getOrCreate()  # spark-submit's, else local[*]
    from phiguard import spark as pgspark

    posts = read_posts(spark, args.input, fmt)
    missing = [c for c in (args.id_col, args.text_col, args.kind_col) if c and c not in posts.columns]
    if missing:
        parser.error(f"no column {missing[0]!r} in {args.input} (columns: {', '.join(posts.columns)})")
    findings, verdicts = pgspark.scan_dataframe(posts, args.id_col, args.text_col, args.kind_col, config=args.config,
                                                fail_on=args.fail_on, include_match=args.include_match)
    verdicts.write.mode("overwrite").parquet(f"{args.out}/verdicts")
    findings.write.mode("overwrite").parquet(f"{args.out}/findings")

    counts = {r["verdict"]: r["count"] for r in verdicts.groupBy("verdict").count().collect()}
    total = sum(counts.values())
    empty = verdicts.filter("text_missing").count()
    print(f"{'posts':<28}{total:>10}")
    for verdict in ("blocked", "passes", "not checked"):
        print(f"  {verdict:<26}{counts.get(verdict, 0):>10}")
    print(f"  {'of them with no text':<26}{empty:>10}")
    by_rule = (findings.filter(F.col("suppression").isNull()).groupBy("rule")
               .agg(F.count("*").alias("findings"), F.sum(F.col("blocking").cast("int")).alias("blocking"),
                    F.countDistinct(args.id_col).alias("posts"))
               .orderBy(F.desc("blocking"), F.desc("findings")).collect())
    suppressed = findings.filter(F.col("suppression").isNotNull()).count()
    print(f"\n{'rule':<28}{'findings':>10}{'blocking':>10}{'posts':>10}")
    for r in by_rule:
        print(f"{r['rule']:<28}{r['findings']:>10}{r['blocking']:>10}{r['posts']:>10}")
    print(f"{'(suppressed)':<28}{suppressed:>10}")
    print(f"\nwrote {args.out}/findings and {args.out}/verdicts (Parquet)"
          + ("; matched text included: keep them as PHI" if args.include_match else ""))
    spark.stop()
    return 2 if counts.get("not checked") else 1 if counts.get("blocked") else 0


if __name__ == "__main__":
    sys.exit(main())
