"""Presidio adapters for our recognizers."""
from __future__ import annotations

import tldextract

from .presidio_imports import install

install()
from presidio_analyzer import EntityRecognizer, RecognizerResult  # noqa: E402
from presidio_analyzer.predefined_recognizers import EmailRecognizer  # noqa: E402

from . import patterns  # noqa: E402

# The suffix list snapshot bundled with tldextract: no download, no cache file.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


class IdPatternRecognizer(EntityRecognizer):
    def __init__(self) -> None:
        entities = sorted({p.entity for p in patterns.PATTERNS})
        super().__init__(supported_entities=entities, name="PhiguardPatterns", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return [
            RecognizerResult(p.entity, start, end, p.score,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: f"phiguard:{p.name}",
                                                   RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for p, start, end in patterns.find(text)
            if p.entity in entities
        ]
