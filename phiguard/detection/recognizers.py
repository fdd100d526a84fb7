"""Presidio adapters: our recognizers, and Presidio's with cheap checks that skip texts they cannot match."""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from functools import cached_property

import tldextract

from .presidio_imports import install

install()
from presidio_analyzer import EntityRecognizer, RecognizerResult  # noqa: E402
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer  # noqa: E402
from presidio_analyzer.nlp_engine import NlpArtifacts  # noqa: E402
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UrlRecognizer  # noqa: E402

from phonenumbers import (  # noqa: E402
    PhoneMetadata, PhoneNumberMatcher, country_code_for_region, region_codes_for_country_code,
)
from phonenumbers.phonenumbermatcher import _PATTERN as _CANDIDATE  # noqa: E402
from phonenumbers.phonenumbermatcher import _SECOND_NUMBER_START_PATTERN as _SECOND_NUMBER_START  # noqa: E402

from .matchers import IdPattern  # noqa: E402

# The suffix list snapshot bundled with tldextract: no download, no cache file.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


_DIGIT = re.compile(r"\d")  # any Unicode digit, as phonenumbers reads them
_DOT_LETTER = re.compile(r"\.[^\W\d_]")


# Written without a plus, a number of `region` is a national number of its country code (national prefixes and
# carrier codes only take digits away in these regions), or an international call after a prefix that starts
# with 0: at least 2 prefix digits, 1 country code digit and the 4 digits of the shortest numbers anywhere.
_FEWEST_INTERNATIONAL = 2 + 1 + 4
_PLUS_OR_LETTER = re.compile(r"[+＋]|[^\W\d_]")  # letters: vanity numbers and extensions count differently


@functools.lru_cache(maxsize=None)
def _fewest_digits(region: str) -> int:
    """The fewest digits of a valid national number of any region that shares `region`'s country code."""
    regions = region_codes_for_country_code(country_code_for_region(region))
    return min(min(n for n in PhoneMetadata.metadata_for_region(r).general_desc.possible_length if n > 0)
               for r in regions)


class _SharedSearchMatcher(PhoneNumberMatcher):
    """phonenumbers' matcher whose candidate searches are shared by the matchers of all regions on one text.

    `_find` is phonenumbers' own (9.x), with `_PATTERN.search` looked up in `searches` first: the candidate
    search does not depend on the region, and it is a fifth of the matcher's time."""

    def __init__(self, text: str, region: str, leniency: int, searches: dict) -> None:
        super().__init__(text, region, leniency=leniency)
        self._searches = searches
        self._fewest_digits = _fewest_digits(region)

    def _parse_and_verify(self, candidate, offset):
        # A candidate with fewer digits than any valid number it could be parsed as: phonenumbers would reject it.
        if not _PLUS_OR_LETTER.search(candidate):
            digits = _DIGIT.findall(candidate)
            if len(digits) < (min(self._fewest_digits, _FEWEST_INTERNATIONAL) if digits[:1] == ["0"]
                              else self._fewest_digits):
                return None
        return super()._parse_and_verify(candidate, offset)

    def _search(self, index: int):
        if index not in self._searches:
            self._searches[index] = _CANDIDATE.search(self.text, index)
        return self._searches[index]

    def _find(self, index):
        match = self._search(index)
        while self._max_tries > 0 and match is not None:
            start = match.start()
            candidate = self._trim_after_first_match(_SECOND_NUMBER_START, self.text[start:match.end()])
            if len(candidate) >= self._min_candidate_length:
                found = self._extract_match(candidate, start)
                if found is not None:
                    return found
                self._max_tries -= 1
            match = self._search(start + len(candidate))
        return None


class GatedPhoneRecognizer(PhoneRecognizer):
    """Presidio's phone recognizer, cheaper: it skips texts with fewer digits than the shortest valid number of
    any of its regions, skips Canada (the US pass finds the same numbers: one numbering plan, +1) and shares the
    candidate search between regions. Results and scores are Presidio's."""

    REGIONS = tuple(r for r in PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS if r != "CA")

    def __init__(self) -> None:
        super().__init__(name="PhoneRecognizer", supported_regions=self.REGIONS)
        self.min_digits = min(_fewest_digits(r) for r in self.supported_regions)

    def analyze(self, text, entities, nlp_artifacts=None):
        if len(_DIGIT.findall(text)) < self.min_digits:
            return []
        searches: dict = {}
        results = [self._get_recognizer_result(match, text, region, nlp_artifacts)
                   for region in self.supported_regions
                   for match in _SharedSearchMatcher(text, region, self.leniency, searches)]
        return EntityRecognizer.remove_duplicates(results)


class GatedUrlRecognizer(UrlRecognizer):
    """Skips texts without a dot before a letter: each of its patterns needs one before the top-level domain."""

    def __init__(self) -> None:
        super().__init__(name="UrlRecognizer")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if not _DOT_LETTER.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


class DocArtifacts(NlpArtifacts):
    """Presidio's view of a Doc. Token offsets, lower-cased tokens and keywords are only needed to enhance a
    result with context words: they are made on first use. No lemmatizer runs (see model.py), so the
    lower-cased tokens stand in for lemmas and context words match them as substrings ("call" in "called")."""

    def __init__(self, doc, entities, scores, nlp_engine) -> None:  # no super().__init__: it makes them all
        self.tokens = doc
        self.entities = entities
        self.scores = scores
        self.nlp_engine = nlp_engine

    @cached_property
    def tokens_indices(self) -> list[int]:
        return self.tokens.to_array("IDX").tolist()

    @cached_property
    def lemmas(self) -> list[str]:
        return [token.lower_ for token in self.tokens]

    @cached_property
    def keywords(self) -> set[str]:
        """Presidio's keywords (lemmas that are not stop words or punctuation, split at colons), as a set:
        the context enhancer only asks whether a word is one."""
        vocab = self.tokens.vocab
        return {part for lemma in self.lemmas
                if not vocab[lemma].is_stop and not vocab[lemma].is_punct and lemma != "be"
                for part in lemma.split(":")}


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
    """The `patterns` of the policy's entity rules."""

    def __init__(self, patterns: tuple[IdPattern, ...]) -> None:
        self.patterns = patterns
        entities = sorted({p.entity for p in patterns}) or ["PHIGUARD_NONE"]
        super().__init__(supported_entities=entities, name="PhiguardPatterns", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return [
            RecognizerResult(p.entity, start, end, p.score,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: f"phiguard:{p.name}",
                                                   RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for p in self.patterns if p.entity in entities
            for start, end in p.find(text)
        ]
