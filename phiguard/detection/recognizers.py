"""Presidio adapters: our recognizers, and Presidio's with cheap checks that skip texts they cannot match."""
from __future__ import annotations

import re
from bisect import bisect_right

import tldextract

from .presidio_imports import install

install()
from presidio_analyzer import EntityRecognizer, RecognizerResult  # noqa: E402
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer  # noqa: E402
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UrlRecognizer  # noqa: E402

from . import patterns  # noqa: E402

# The suffix list snapshot bundled with tldextract: no download, no cache file.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


_DIGIT = re.compile(r"\d")  # any Unicode digit, as phonenumbers reads them
_DOT_LETTER = re.compile(r"\.[^\W\d_]")


class GatedPhoneRecognizer(PhoneRecognizer):
    """Skips texts with fewer digits than the shortest valid number of any of its regions."""

    def __init__(self) -> None:
        from phonenumbers import PhoneMetadata

        super().__init__(name="PhoneRecognizer")
        self.min_digits = min(min(PhoneMetadata.metadata_for_region(r).general_desc.possible_length)
                              for r in self.supported_regions)

    def analyze(self, text, entities, nlp_artifacts=None):
        if len(_DIGIT.findall(text)) < self.min_digits:
            return []
        return super().analyze(text, entities, nlp_artifacts)


class GatedUrlRecognizer(UrlRecognizer):
    """Skips texts without a dot before a letter: each of its patterns needs one before the top-level domain."""

    def __init__(self) -> None:
        super().__init__(name="UrlRecognizer")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if not _DOT_LETTER.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


class _OwnedResults(list):
    """Results made for one analysis only: Presidio's defensive deep copy of them would be wasted work."""

    def __deepcopy__(self, memo):
        return list(self)


class ContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's context enhancer, without the deep copy and with a bisection to find the match's token."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return super().enhance_using_context(text, _OwnedResults(raw_results), nlp_artifacts, recognizers, context)

    @staticmethod
    def _find_index_of_match_token(word, start, tokens, tokens_indices):
        # The first token that ends after `start`, as Presidio's linear search finds it.
        i = bisect_right(tokens_indices, start) - 1
        if i < 0 or start >= tokens_indices[i] + len(tokens[i]):
            i += 1
        if i >= len(tokens_indices):
            raise ValueError(f"no token at offset {start}")
        return i


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
