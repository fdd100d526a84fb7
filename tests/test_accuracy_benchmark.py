"""The accuracy benchmark's metric code, on a tiny synthetic corpus (no shared corpora needed)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks import accuracy
from benchmarks.corpus import parse
from benchmarks.scoring import Prediction, errors, score

REPO_ROOT = Path(__file__).resolve().parents[1]


def span(text: str, value: str, label: str) -> dict:
    start = text.index(value)
    return {"start": start, "end": start + len(value), "label": label, "source_label": label}


A = "Jane Roe saw Dr. Poe on 3 May in Boston."
B = "Call 555-0100 or mail jroe@example.org"
C = "Wash your hands."
D = "Nothing to see here."
LINES = [
    json.dumps({"id": "a", "text": A,
                "spans": [span(A, "Jane Roe", "NAME"), span(A, "3 May", "DATE"), span(A, "Boston", "LOCATION")],
                "non_phi_spans": [span(A, "Dr.", "OTHER")]}),
    json.dumps({"id": "b", "text": B, "spans": [span(B, "555-0100", "PHONE"), span(B, "jroe@example.org", "EMAIL")]}),
    json.dumps({"id": "c", "text": C, "spans": [], "hard_negative": True}),
    json.dumps({"id": "d", "text": D, "spans": []}),
]
PREDICTIONS = [
    [Prediction(0, 4, "person-name"),  # part of "Jane Roe": recalls NAME
     Prediction(13, 16, "person-name"),  # "Dr.": a non-PHI span, so a false positive
     Prediction(A.index("Boston"), A.index("Boston") + 6, "location")],
    [Prediction(0, 5, "location")],  # "Call " ends where the phone starts: no overlap
    [Prediction(0, 4, "date")],  # a clean document blocked
    [],
]


def test_scores_on_a_synthetic_corpus():
    docs = [parse(line) for line in LINES]
    s = score(docs, PREDICTIONS)

    assert (s.recalled_spans, s.gold_spans) == (2, 5)
    assert s.recall == 0.4
    assert {label: s.label_recall(label) for label in s.gold_by_label} == {
        "NAME": 1.0, "DATE": 0.0, "LOCATION": 1.0, "PHONE": 0.0, "EMAIL": 0.0}
    assert (s.correct_findings, s.findings) == (2, 5)
    assert s.precision == 0.4
    assert s.findings_on_non_phi == 1
    assert dict(s.false_positives_by_kind) == {"person-name": 1, "location": 1, "date": 1}
    assert (s.phi_docs_blocked, s.phi_docs) == (2, 2)
    assert (s.clean_docs_passed, s.clean_docs) == (1, 2)
    assert s.label_recall("URL") is None


def test_no_findings_has_no_precision_and_passes_clean_docs():
    docs = [parse(LINES[2]), parse(LINES[3])]
    s = score(docs, [[], []])
    assert s.precision is None and s.recall is None
    assert (s.clean_docs_passed, s.clean_docs, s.phi_docs) == (2, 2, 0)


def test_errors_list_false_negatives_and_false_positives():
    docs = [parse(line) for line in LINES]
    found = list(errors(docs, PREDICTIONS))
    assert [(e["doc"], e["text"]) for e in found if e["error"] == "false_negative"] == [
        ("a", "3 May"), ("b", "555-0100"), ("b", "jroe@example.org")]
    assert [(e["doc"], e["text"]) for e in found if e["error"] == "false_positive"] == [
        ("a", "Dr."), ("b", "Call "), ("c", "Wash")]


def test_missing_corpora_dir_skips_with_exit_0(tmp_path):
    missing = tmp_path / "no-corpora"
    result = subprocess.run([sys.executable, "-m", "benchmarks.accuracy", "--corpora", str(missing)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"skipped: corpora not found at {missing}" in result.stdout


def test_errors_dump_inside_the_repo_is_refused(tmp_path, capsys):
    (tmp_path / "tiny.jsonl").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    code = accuracy.main(["--corpora", str(tmp_path), "--corpus", "tiny",
                          "--errors", str(REPO_ROOT / "errors.jsonl")])
    assert code == 2
    assert "inside the repository" in capsys.readouterr().err
    assert not (REPO_ROOT / "errors.jsonl").exists()


def test_missing_corpus_file_is_an_error(tmp_path, capsys):
    assert accuracy.main(["--corpora", str(tmp_path), "--corpus", "absent"]) == 2
    assert "corpus 'absent' not found" in capsys.readouterr().err


def test_end_to_end_on_a_tiny_corpus(tmp_path, scanner):
    """Both real systems run offline; an email address is found by both, a plain sentence passes."""
    text = "Write to jroe@example.org today."
    lines = [json.dumps({"id": "e", "text": text, "spans": [span(text, "jroe@example.org", "EMAIL")]}),
             json.dumps({"id": "f", "text": "Wash your hands.", "spans": []})]
    (tmp_path / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "figures.json"
    assert accuracy.main(["--corpora", str(tmp_path), "--corpus", "tiny", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))["corpora"]["tiny"]
    assert figures["docs"] == 2
    for system in ("phiguard", "presidio"):
        got = figures["systems"][system]
        assert got["recall_by_label"]["EMAIL"] == {"recall": 1.0, "recalled": 1, "gold": 1}
        assert (got["phi_docs_blocked"], got["clean_docs_passed"]) == (1, 1)


def test_safe_harbor_scoring_ignores_what_safe_harbor_allows():
    from benchmarks.safe_harbor import safe_harbor_only

    text = "Ana Ruiz of Acme Corp moved to Texas in 2019, then to Springfield on a Monday."
    doc = parse(json.dumps({"id": "s", "text": text, "spans": [
        span(text, "Ana Ruiz", "NAME"), {**span(text, "Acme Corp", "OTHER"), "source_label": "ORGANIZATION"},
        {**span(text, "Texas", "LOCATION"), "source_label": "GPE"}, {**span(text, "2019", "DATE"), "source_label": "DATE_TIME"},
        {**span(text, "Springfield", "LOCATION"), "source_label": "GPE"},
        {**span(text, "a Monday", "DATE"), "source_label": "DATE_TIME"}]}))
    only_company = parse(json.dumps({"id": "t", "text": "Acme Corp is hiring.", "spans": [
        {"start": 0, "end": 9, "label": "OTHER", "source_label": "ORGANIZATION"}]}))
    (kept, company_doc), moved = safe_harbor_only([doc, only_company])
    assert [kept.text[s.start:s.end] for s in kept.spans] == ["Ana Ruiz", "Springfield"]
    assert moved == {"company name": 2, "country, state or province": 1, "bare year or weekday": 2}
    # a finding on an ignored span is neither right nor wrong; a document left without gold is not counted
    acme = text.index("Acme")
    scores = score([kept, company_doc], [[Prediction(acme, acme + 4, "organization")], [Prediction(0, 4, "x")]])
    assert (scores.findings, scores.correct_findings, scores.phi_docs, scores.clean_docs) == (0, 0, 1, 0)
