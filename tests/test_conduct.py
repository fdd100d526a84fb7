"""The professional-conduct pack: advisory by default, one switch to block, never redacted, never a PHI verdict."""
from __future__ import annotations

import json

PROMO = "Obsessed with these compression socks, use my code NURSEJO for 20% off!\n"
VENT = "Our frequent flyer is back for the fourth time this week, surprise surprise.\n"


def _conduct(run_cli, path, *args):
    doc = json.loads(run_cli("scan", str(path), "--format", "json", *args).stdout)
    return sorted({(f["rule"], f["severity"]) for f in doc["findings"] if f["identifier"] == "conduct"})


def test_the_pack_advises_by_default_and_blocks_when_told(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text(PROMO + VENT)
    assert run_cli("scan", str(post)).exit_code == 0  # notices: the PHI verdict is unchanged
    assert _conduct(run_cli, post, "--fail-on", "low") == [("disparaging-patient", "low"),
                                                          ("undisclosed-promotion", "low")]
    assert run_cli("scan", str(post), "--fail-on", "low").exit_code == 1
    (tmp_path / ".phiguard.yaml").write_text("conduct: block\n")
    assert _conduct(run_cli, post) == [("disparaging-patient", "medium"), ("undisclosed-promotion", "medium")]
    assert run_cli("scan", str(post)).exit_code == 1
    (tmp_path / ".phiguard.yaml").write_text("conduct: block\nrules:\n  disparaging-patient: low\n")
    assert _conduct(run_cli, post, "--fail-on", "low") == [("disparaging-patient", "low"),
                                                          ("undisclosed-promotion", "medium")]
    (tmp_path / ".phiguard.yaml").write_text("conduct: sometimes\n")
    assert run_cli("scan", str(post)).exit_code == 2


def test_a_disclosure_clears_the_promotion_and_explain_cites_the_guidance(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("#ad " + PROMO)
    assert _conduct(run_cli, post, "--fail-on", "low") == []
    explained = run_cli("explain", "undisclosed-promotion").output
    assert "FTC Endorsement Guides" in explained and "Fix: Disclose it" in explained


def test_conduct_findings_are_not_redacted_and_do_not_hide_phi(run_cli, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("The patient's family in room 12 is dumber than a rock.\n")
    found = _conduct(run_cli, post, "--fail-on", "low")
    assert ("disparaging-patient", "low") in found
    doc = json.loads(run_cli("scan", str(post), "--format", "json").stdout)
    assert any(f["rule"] == "room-number" for f in doc["findings"])  # the PHI finding beside it stays
    (tmp_path / ".phiguard.yaml").write_text("conduct: block\n")
    out = tmp_path / "redacted.txt"
    run_cli("redact", str(post), "--output", str(out))
    assert "dumber than a rock" in out.read_text() and "[ID]" in out.read_text()


def test_the_conduct_benchmark_scores_and_skips(tmp_path, capsys):
    from benchmarks import conduct

    posts = [{"text": PROMO, "conduct": ["undisclosed-promotion"]}, {"text": VENT, "conduct": []},
             {"text": "Wash your hands.", "conduct": [], "hard_negative": True}]
    flags = conduct.phiguard_flags([p["text"] for p in posts])
    assert flags == [{"undisclosed-promotion"}, {"disparaging-patient"}, set()]
    figures = conduct.score(posts, flags)
    assert figures["undisclosed-promotion"]["recall"] == 1.0 and figures["fine_flagged"] == 0.5
    assert figures["hard_negatives_flagged"] == 0.0
    assert conduct.main(["--corpora", str(tmp_path)]) == 0 and "skipped" in capsys.readouterr().out
