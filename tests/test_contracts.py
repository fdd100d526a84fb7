"""Contracts of the private library APIs we override or call: if an upgrade changes one, this fails first.

detection/recognizers.py overrides phonenumbers' PhoneNumberMatcher._find/_parse_and_verify and reads its
candidate patterns; it overrides Presidio's LemmaContextAwareEnhancer._find_index_of_match_token; and
detection/engine.py overrides SpacyNlpEngine._doc_to_nlp_artifact with the helpers it calls.
"""
from __future__ import annotations

import inspect

import pytest

from phiguard.detection.presidio_imports import install

install()


def _params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_phonenumbers_matcher_internals_we_override():
    from phonenumbers import phonenumbermatcher as matcher

    cls = matcher.PhoneNumberMatcher
    assert _params(cls._find) == ["self", "index"]
    assert _params(cls._parse_and_verify) == ["self", "candidate", "offset"]
    assert _params(cls._extract_match) == ["self", "candidate", "offset"]
    assert _params(cls._trim_after_first_match) == ["self", "pattern", "candidate"]
    assert hasattr(matcher._PATTERN, "search") and hasattr(matcher._SECOND_NUMBER_START_PATTERN, "search")
    m = cls("call 617-555-0142", "US")
    assert m._max_tries > 0 and m._min_candidate_length >= 1 and m.text == "call 617-555-0142"
    assert [match.raw_string for match in m] == ["617-555-0142"]


def test_presidio_context_token_search_is_ours_exactly(scanner):
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    from phiguard.detection.recognizers import ContextEnhancer

    assert _params(LemmaContextAwareEnhancer._find_index_of_match_token) == ["word", "start", "tokens",
                                                                            "tokens_indices"]
    doc = scanner.detector.nlp("Call  her cell at (617) 555-0142,\tthen Dr. Lee at 4 pm.")
    tokens, indices = [t.text for t in doc], [t.idx for t in doc]
    for start in range(len(doc.text)):
        try:
            expected = LemmaContextAwareEnhancer._find_index_of_match_token("x", start, tokens, indices)
        except ValueError:
            with pytest.raises(ValueError):
                ContextEnhancer._find_index_of_match_token("x", start, tokens, indices)
            continue
        assert ContextEnhancer._find_index_of_match_token("x", start, tokens, indices) == expected, start


def test_presidio_nlp_artifacts_helpers_we_call(scanner):
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    for name in ("_doc_to_nlp_artifact", "_get_updated_entities", "_get_entities", "_get_scores_for_entities"):
        assert callable(getattr(SpacyNlpEngine, name)), name
    assert _params(SpacyNlpEngine._doc_to_nlp_artifact) == ["self", "doc", "language"]
    engine = scanner.detector.analyzer.nlp_engine
    doc = scanner.detector.nlp("Maria Lopez moved to Springfield on March 3, 2024.")
    ours = engine._doc_to_nlp_artifact(doc, "en")
    theirs = SpacyNlpEngine._doc_to_nlp_artifact(engine, doc, "en")
    assert [(e.label_, e.start_char, e.end_char) for e in ours.entities] == [
        (e.label_, e.start_char, e.end_char) for e in theirs.entities]
    assert ours.scores == theirs.scores and ours.tokens_indices == theirs.tokens_indices
    assert ours.lemmas == [t.lower_ for t in doc] and ours.entities
