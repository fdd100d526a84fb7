"""phiguard on Spark (local[2]): the same findings as the library and `phiguard scan`, retries without
duplicates, empty input, null texts. Skipped without pyspark or Java."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest


def _missing() -> str | None:
    import importlib.util

    for module, extra in (("pyspark", "pyspark"), ("pyarrow", "pyarrow"), ("pandas", "pandas<3")):
        if importlib.util.find_spec(module) is None:
            return f"Spark tests need {module}: pip install '{extra}' (the [spark] extra)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Spark needs Java: apt-get install openjdk-17-jre-headless (.ci/run installs it)"
    return None


if _missing():
    if os.environ.get("CI"):  # CI installs them: missing there is a broken CI, not a skip
        pytest.fail(_missing(), pytrace=False)
    pytest.skip(_missing(), allow_module_level=True)

import phiguard  # noqa: E402
from phiguard.findings import Severity  # noqa: E402
from pyspark import TaskContext  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from benchmarks import spark_posts as synthetic_posts  # noqa: E402
from phiguard import spark as pgspark  # noqa: E402

POSTS = synthetic_posts.posts(300)
MEDIUM = Severity.MEDIUM  # the fail level of synthetic_posts.CONFIG
KEY = ("rule", "start", "end", "severity")


@pytest.fixture(scope="module")
def spark():
    previous = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # else workers start the system Python
    session = (SparkSession.builder.master("local[2,3]")  # 3 attempts per task
               .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "25")  # several batches per partition
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = previous


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("config") / ".phiguard.yaml"
    path.write_text(synthetic_posts.CONFIG, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def library(config) -> dict[str, phiguard.FileResult]:
    """The library's results for the posts, named as scan_dataframe names them."""
    texts = [phiguard.Text(text, f"<{post_id}>.txt") for post_id, text in POSTS]
    results = phiguard.scan(texts, phiguard.Options(config=config, cache=False)).collect()
    return {post_id: r for (post_id, _), r in zip(POSTS, results)}


def posts_frame(spark, rows=POSTS, partitions=4):
    return spark.createDataFrame(rows, "id string, text string").repartition(partitions)


def by_post(rows) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for row in rows:
        found.setdefault(row["id"], []).append(tuple(row[k] for k in KEY))
    return {k: sorted(v) for k, v in found.items()}


def test_same_findings_as_the_library(spark, config, library):
    findings, verdicts = pgspark.scan_dataframe(posts_frame(spark), config=config)
    got = findings.collect()
    expected = [{**f.to_dict(False), "id": post_id, "blocking": f.severity >= MEDIUM, "suppression": None}
                for post_id, r in library.items() for f in r.findings]
    expected += [{**s.finding.to_dict(False), "id": post_id, "blocking": False, "suppression": s.kind}
                 for post_id, r in library.items() for s in r.suppressed]
    fields = ["id", *(k for k in expected[0] if k != "path"), "suppression"]
    assert Counter(tuple(r[k] for k in fields) for r in got) == Counter(tuple(e[k] for k in fields) for e in expected)
    assert any(r["suppression"] == "allowlist" for r in got) and any(r["suppression"] == "inline" for r in got)
    assert all(r["match"] is None for r in got)  # no PHI unless asked

    verdict = {r["id"]: r["verdict"] for r in verdicts.collect()}
    assert len(verdict) == len(POSTS)
    for post_id, r in library.items():
        assert verdict[post_id] == ("blocked" if r.blocking(MEDIUM) else "passes"), post_id
    assert 100 < Counter(verdict.values())["blocked"] < 200


def test_same_findings_as_phiguard_scan(spark, config, tmp_path):
    """The CLI on one .txt file per post: the same rule, start, end and severity per post, active and suppressed."""
    folder = tmp_path / "posts"
    folder.mkdir()
    for post_id, text in POSTS:
        (folder / f"{post_id}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "report.json"
    cli = Path(sys.executable).with_name("phiguard")
    done = subprocess.run([str(cli), "scan", str(folder), "--config", config, "--format", "json", "-o", str(out),
                           "--no-cache", "--jobs", "2"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    cli_rows = [{**f, "id": Path(f["path"]).stem} for f in report["findings"]]
    cli_suppressed = [{**f, "id": Path(f["path"]).stem} for f in report["suppressed"]]

    findings, _ = pgspark.scan_dataframe(posts_frame(spark), config=config)
    rows = [r.asDict() for r in findings.collect()]
    assert by_post(r for r in rows if r["suppression"] is None) == by_post(cli_rows)
    assert by_post(r for r in rows if r["suppression"]) == by_post(cli_suppressed)
    assert sum(r["blocking"] for r in rows) == report["summary"]["blocking"]


def _fail_once(markers: Path):
    """A pass-through step after the scan that kills its task once per partition, after some of the partition's
    results went out: the retried task must not add them twice."""

    def run(batches):
        context = TaskContext.get()
        marker = markers / f"partition-{context.partitionId()}"
        for i, batch in enumerate(batches):
            yield batch
            if i == 0 and not marker.exists():
                marker.write_text(str(context.attemptNumber()))
                raise RuntimeError("injected executor failure")
    return run


def test_a_failed_task_is_retried_without_duplicates(spark, config, library, tmp_path):
    posts = pgspark.scan_posts(posts_frame(spark), config=config)
    retried = posts.mapInPandas(_fail_once(tmp_path), posts.schema)
    rows = retried.collect()
    assert len(list(tmp_path.glob("partition-*"))) == 4  # every partition failed once, and was retried
    assert sorted(r["id"] for r in rows) == sorted(i for i, _ in POSTS)
    got = Counter((r["id"], f["rule"], f["start"], f["end"]) for r in rows for f in r["results"])
    expected = Counter((i, f.rule, f.start, f.end) for i, r in library.items() for f in [*r.findings,
                       *(s.finding for s in r.suppressed)])
    assert got == expected and max(got.values()) == 1


def test_an_empty_dataframe(spark, config):
    findings, verdicts = pgspark.scan_dataframe(posts_frame(spark, rows=[]), config=config)
    assert findings.count() == 0 and verdicts.count() == 0
    assert "rule" in findings.columns and "verdict" in verdicts.columns


def test_null_texts_pass_and_say_so_and_errors_are_not_checked(spark, config):
    rows = [("a", None), ("b", ""), ("c", "Our patient Maria Lopez, MRN 4471902, was discharged on March 3, 2025."),
            ("d", "# phiguard: disable-line no-such-rule\nWash your hands.")]
    findings, verdicts = pgspark.scan_dataframe(posts_frame(spark, rows, 2), config=config)
    got = {r["id"]: (r["verdict"], r["text_missing"], r["error"]) for r in verdicts.collect()}
    error = "<d>.txt:1: unknown rule id in directive at line 1 (see `phiguard rules`)"
    assert got == {"a": ("passes", True, None), "b": ("passes", False, None), "c": ("blocked", False, None),
                   "d": ("not checked", False, error)}
    assert "c" in {r["id"] for r in findings.collect()} and not {"a", "b"} & {r["id"] for r in findings.collect()}


def test_matches_only_when_asked_and_kinds_choose_the_reader(spark, config):
    text = "Our patient Maria Lopez, MRN 4471902, was discharged."
    rows = [(1, text, "caption"), (2, f"<!-- phiguard: disable-line medical-record-number -->{text}", "html"),
            (3, f"# phiguard: disable-next-line medical-record-number\n{text}", "alt_text"),
            (4, f"# phiguard: disable-next-line medical-record-number\n{text}", "html")]
    df = spark.createDataFrame(rows, "post_id long, message string, kind string")
    findings, verdicts = pgspark.scan_dataframe(df, id_col="post_id", text_col="message", kind_col="kind",
                                                config=config, include_match=True)
    got = findings.collect()
    assert {r["match"] for r in got if r["post_id"] == 1} >= {"Maria Lopez", "4471902"}
    assert all(text[r["start"]:r["end"]] == r["match"] for r in got if r["post_id"] == 1)
    # the HTML comment is a directive in an HTML post; `# ...` is a directive in plain text only
    mrn = {r["post_id"]: r["suppression"] for r in got if r["rule"] == "medical-record-number"}
    assert mrn == {1: None, 2: "inline", 3: "inline", 4: None}
    assert {r["post_id"]: r["kind"] for r in verdicts.collect()} == {1: "caption", 2: "html", 3: "alt_text", 4: "html"}


def test_the_policy_travels_with_the_job(spark, tmp_path):
    """Config and rule folder are read when the scan is made, on the driver: the executors never open them."""
    (tmp_path / "my-rules").mkdir()
    (tmp_path / ".phiguard.yaml").write_text("rules_dirs: [my-rules]\nfail_on: high\n", encoding="utf-8")
    (tmp_path / "my-rules" / "room.yaml").write_text(
        "id: room-number\nkind: entity\nentities: [ROOM_NUMBER]\nidentifier: other\nseverity: high\n"
        "message: Room number (house rule)\npatterns:\n  - name: pod\n    score: 0.9\n"
        "    regex: '\\bpod\\s+(?P<id>{{day}})'\n", encoding="utf-8")
    df = spark.createDataFrame([("x", "She moved to pod 7 today.")], "id string, text string")
    findings, verdicts = pgspark.scan_dataframe(df, config=str(tmp_path / ".phiguard.yaml"))
    shutil.rmtree(tmp_path)
    assert [(r["rule"], r["message"], r["blocking"]) for r in findings.collect()] == [
        ("room-number", "Room number (house rule)", True)]
    assert verdicts.first()["verdict"] == "blocked"


def test_a_session_refuses_a_process_with_another_secret(config, monkeypatch):
    """Fingerprints and baseline matches depend on the local secret: an executor without the driver's refuses."""
    import pickle

    from phiguard import secret
    from phiguard.api import Session
    from phiguard.errors import ConfigError

    shipped = pickle.dumps(Session(phiguard.Options(config=config)))
    monkeypatch.setenv(secret.ENV, "another team's secret")
    secret.reset()
    try:
        with pytest.raises(ConfigError, match="another local secret"):
            pickle.loads(shipped)
    finally:
        monkeypatch.delenv(secret.ENV)
        secret.reset()


def test_the_audit_example_runs_on_an_export(tmp_path, config):
    """examples/spark_audit.py as a user runs it: JSON Lines in, Parquet and a summary out, the CLI's exit code."""
    export = tmp_path / "posts.jsonl"
    export.write_text("".join(json.dumps({"id": i, "message": t}) + "\n" for i, t in POSTS[:24]), encoding="utf-8")
    script = Path(__file__).resolve().parent.parent / "examples" / "spark_audit.py"
    done = subprocess.run([sys.executable, str(script), str(export), "--text-col", "message", "--config", config,
                           "--out", str(tmp_path / "audit"), "--master", "local[2]"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYSPARK_PYTHON": sys.executable})
    assert done.returncode == 1, done.stderr[-2000:]
    assert "blocked" in done.stdout and "medical-record-number" in done.stdout
    assert list((tmp_path / "audit" / "findings").glob("*.parquet"))
    numbers = {n for _, t in POSTS[:24] for n in re.findall(r"\b\d{7}\b", t)}  # the posts' record numbers
    assert numbers and not any(n in done.stdout + done.stderr for n in numbers)  # the summary quotes no PHI
