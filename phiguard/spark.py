"""phiguard on Spark: scan a DataFrame of posts (`pip install 'phiguard-lint[spark]'`).

    from phiguard import spark as pgspark   # not `spark`: that name is usually the SparkSession
    findings, verdicts = pgspark.scan_dataframe(posts, id_col="post_id", text_col="message", kind_col="kind",
                                                config=".phiguard.yaml")

The config, its rule folders, baseline and fail level are read on the driver and shipped with the job (as a
pickled Session, broadcast once): executors need phiguard and the spaCy model installed, not the files. Each
Python worker loads the model once, at its first batch, and keeps it for every later task of the job (and of
later jobs with the same policy: the cache is keyed by the shipped policy's digest).

Findings carry the JSON report's fields, with `path` replaced by the id column; `match` is null unless
include_match=True. Suppressed findings are rows too (`suppression` says how), as the JSON report lists them.
Verdicts: one row per post, "blocked" (a finding at or above the fail level), "passes", or "not checked" (the
post could not be checked: `error` says why). A null text has nothing to publish: it is scanned as an empty
text (so it passes) and flagged in `text_missing`.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from typing import Iterator

import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame, functions as F
from pyspark.sql import types as T

from .api import Options, Session, Text

# How a kind of post is read (as the name's suffix chooses the reader); any other kind (post, caption,
# alt_text...) is plain text.
KIND_SUFFIXES = {"markdown": ".md", "md": ".md", "html": ".html"}

FINDING = T.StructType([
    T.StructField("start", T.LongType()), T.StructField("end", T.LongType()),
    T.StructField("line", T.IntegerType()), T.StructField("column", T.IntegerType()),
    T.StructField("end_line", T.IntegerType()), T.StructField("end_column", T.IntegerType()),
    *(T.StructField(name, T.StringType()) for name in ("segment", "rule", "entity", "identifier", "severity")),
    T.StructField("confidence", T.DoubleType()),
    *(T.StructField(name, T.StringType()) for name in ("message", "match", "fingerprint", "offsets", "fix")),
    T.StructField("blocking", T.BooleanType()),
    T.StructField("suppression", T.StringType()), T.StructField("suppression_reason", T.StringType()),
])
VERDICT = [
    T.StructField("verdict", T.StringType()), T.StructField("findings", T.IntegerType()),
    T.StructField("blocking", T.IntegerType()), T.StructField("suppressed", T.IntegerType()),
    T.StructField("error", T.StringType()), T.StructField("text_missing", T.BooleanType()),
    T.StructField("notes", T.ArrayType(T.StringType())),
]
RESULTS = "results"

KEPT_SESSIONS = 4
_sessions: dict[str, Session] = {}  # per Python worker: policy digest -> session with its model loaded


def scan_posts(df: DataFrame, id_col: str = "id", text_col: str = "text", kind_col: str | None = None,
               config=None, fail_on: str | None = None, include_match: bool = False, model: str | None = None,
               session: Session | None = None) -> DataFrame:
    """One row per post: its id (and kind), its verdict columns, and `results`, an array of its findings. Lazy:
    each action on it scans again (scan_dataframe persists it)."""
    session = session or Session(Options(config=config, fail_on=fail_on, model=model, cache=False))
    keys = [id_col] + ([kind_col] if kind_col else [])
    taken = {f.name for f in FINDING.fields} | {f.name for f in VERDICT} | {RESULTS}
    if taken & set(keys):
        raise ValueError(f"rename the column {sorted(taken & set(keys))[0]!r}: the results use that name")
    shipped = pickle.dumps(session)
    digest = hashlib.sha256(shipped).hexdigest()
    policy = df.sparkSession.sparkContext.broadcast(shipped)
    schema = T.StructType([df.schema[k] for k in keys] + VERDICT + [T.StructField(RESULTS, T.ArrayType(FINDING))])
    run = functools.partial(_scan_partition, digest=digest, policy=policy, id_col=id_col, text_col=text_col,
                            kind_col=kind_col, include_match=include_match)
    return df.select(*keys, text_col).mapInPandas(run, schema)


def scan_dataframe(df: DataFrame, id_col: str = "id", text_col: str = "text", kind_col: str | None = None,
                   config=None, fail_on: str | None = None, include_match: bool = False, model: str | None = None,
                   session: Session | None = None) -> tuple[DataFrame, DataFrame]:
    """(findings, verdicts) from one scan of the posts, persisted (MEMORY_AND_DISK) so that using both does not scan
    twice; `spark.catalog.clearCache()` or scan_posts(...) for control over that."""
    posts = scan_posts(df, id_col, text_col, kind_col, config, fail_on, include_match, model, session)
    posts = posts.persist(StorageLevel.MEMORY_AND_DISK)
    keys = [id_col] + ([kind_col] if kind_col else [])
    findings = posts.select(*keys, F.explode(RESULTS).alias("f")).select(*keys, "f.*")
    return findings, posts.drop(RESULTS)


def _session(digest: str, policy) -> Session:
    """This worker's session for the policy, its model loaded at the first call."""
    if digest not in _sessions:
        session = pickle.loads(policy.value)
        session.scanner  # noqa: B018 - load the model now, once per worker
        while len(_sessions) >= KEPT_SESSIONS:  # the oldest policy's model goes (as shared_detector's cache does)
            del _sessions[next(iter(_sessions))]
        _sessions[digest] = session
    return _sessions[digest]


def _scan_partition(batches: Iterator[pd.DataFrame], digest: str, policy, id_col: str, text_col: str,
                    kind_col: str | None, include_match: bool) -> Iterator[pd.DataFrame]:
    for batch in batches:
        yield _scan_batch(_session(digest, policy), batch, id_col, text_col, kind_col, include_match)


def _scan_batch(session: Session, batch: pd.DataFrame, id_col: str, text_col: str, kind_col: str | None,
                include_match: bool) -> pd.DataFrame:
    texts, missing = [], []
    for i, (post_id, text) in enumerate(zip(batch[id_col], batch[text_col])):
        kind = batch[kind_col].iat[i] if kind_col else None
        missing.append(text is None or (isinstance(text, float) and pd.isna(text)))
        suffix = KIND_SUFFIXES.get(str(kind).casefold(), ".txt") if isinstance(kind, str) else ".txt"
        texts.append(Text("" if missing[-1] else str(text), f"<{post_id}>{suffix}"))
    rows = []
    for result, absent in zip(session.check_all(texts), missing):
        found = [_row(f, session.fix(f), f.severity >= session.fail_on, include_match) for f in result.findings]
        found += [_row(s.finding, session.fix(s.finding), False, include_match, s.kind, s.reason)
                  for s in result.suppressed]
        blocking = sum(row["blocking"] for row in found)
        rows.append({"verdict": session.verdict(result), "findings": len(result.findings), "blocking": blocking,
                     "suppressed": len(result.suppressed), "error": result.error, "text_missing": absent,
                     "notes": list(result.notes), RESULTS: found})
    out = pd.DataFrame(rows, columns=[f.name for f in VERDICT] + [RESULTS])
    keys = [id_col] + ([kind_col] if kind_col else [])
    return pd.concat([batch[keys].reset_index(drop=True), out], axis=1)


def _row(finding, fix: str, blocking: bool, include_match: bool, suppression: str | None = None,
         reason: str | None = None) -> dict:
    row = finding.to_dict(include_match)
    del row["path"]  # the post's id stands for it
    return {**row, "fix": fix, "blocking": blocking, "suppression": suppression, "suppression_reason": reason}
