"""Presidio + spaCy, run once per batch of segments."""
from __future__ import annotations

import functools
import logging
from typing import Iterable, Iterator

from ..errors import ModelNotInstalled, debug_trace
from ..findings import OTHER_LANGUAGE, Detection, Segment
from .matchers import IdPattern
from . import language, places
from . import model as spacy_model

SPACY_ENTITIES = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
                  "ORG": "ORGANIZATION", "DATE": "DATE_TIME", "TIME": "DATE_TIME"}
# Labels of spaCy's other-language pipelines (WikiNER: PER, LOC, ORG, MISC; OntoNotes-style: PERSON, GPE...).
OTHER_MODEL_ENTITIES = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION",
                        "ORG": "ORGANIZATION"}
BATCH_SIZE = 64
# spaCy's memory grows with the characters in a batch (~4 KB per character for the small English model):
# batches are cut by size too, so that a few long segments cannot take gigabytes.
BATCH_CHARS = 50_000


def batches(segments: Iterable[Segment], size: int = BATCH_SIZE, chars: int = BATCH_CHARS) -> Iterator[list[Segment]]:
    """Consecutive groups of at most `size` segments and (unless one segment is longer) `chars` characters."""
    batch: list[Segment] = []
    total = 0
    for segment in segments:
        if batch and (len(batch) == size or total + len(segment.text) > chars):
            yield batch
            batch, total = [], 0
        batch.append(segment)
        total += len(segment.text)
    if batch:
        yield batch


def _build_analyzer(nlp, patterns):
    from .presidio_imports import install

    install()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer, DateRecognizer, IbanRecognizer, IpRecognizer, MedicalLicenseRecognizer,
        SpacyRecognizer, UsItinRecognizer, UsSsnRecognizer,
    )

    from .recognizers import (
        ContextEnhancer, DocArtifacts, GatedPhoneRecognizer, GatedUrlRecognizer, IdPatternRecognizer,
        OfflineEmailRecognizer,
    )

    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping=SPACY_ENTITIES,
        labels_to_ignore=["NORP", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT",
                          "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"],
    )
    class LoadedSpacyEngine(SpacyNlpEngine):
        def _doc_to_nlp_artifact(self, doc, language):
            entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
            return DocArtifacts(doc, entities, scores, nlp_engine=self)

    engine = LoadedSpacyEngine(models=[{"lang_code": "en", "model_name": "loaded"}],
                               ner_model_configuration=ner_config)
    engine.nlp = {"en": nlp}  # loaded by us: SpacyNlpEngine.load() would try to download
    recognizers = [
        SpacyRecognizer(supported_entities=sorted(set(SPACY_ENTITIES.values()))),
        OfflineEmailRecognizer(), GatedPhoneRecognizer(), GatedUrlRecognizer(), IpRecognizer(), UsSsnRecognizer(),
        UsItinRecognizer(), CreditCardRecognizer(), IbanRecognizer(), DateRecognizer(),
        MedicalLicenseRecognizer(), IdPatternRecognizer(patterns),
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"],
                          context_aware_enhancer=ContextEnhancer())


class Detector:
    """Loads the model once; `detect` streams segments through `nlp.pipe` in batches. `patterns` are the
    entity rules' own (see detection/matchers.py)."""

    def __init__(self, model: str = spacy_model.DEFAULT_MODEL, patterns: tuple[IdPattern, ...] = (),
                 languages: tuple[tuple[str, str], ...] = ()) -> None:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)  # its debug logs quote text
        self.model = model
        self.nlp = _loaded(model)
        self.analyzer = _build_analyzer(self.nlp, patterns)
        for _, name in languages:
            spacy_model.require(name)
        self.languages = dict(languages)  # loaded when a paragraph in the language first comes

    def detect(self, segments: Iterable[Segment]) -> Iterator[tuple[Segment, list[Detection] | Exception]]:
        """Detections per segment, or the exception a segment's detection raised (its file's error, not the
        run's: a failed batch is retried one segment at a time). Paragraphs in another language are kept
        from the English model: the language-neutral detectors still read them, and they are reported as
        not checked for names."""
        for batch in batches(segments):
            try:
                yield from list(zip(batch, self._batch(batch)))
            except Exception:  # noqa: BLE001
                debug_trace()
                for segment in batch:
                    try:
                        yield segment, self._batch([segment])[0]
                    except Exception as exc:  # noqa: BLE001
                        debug_trace()
                        yield segment, exc

    def _batch(self, batch: list[Segment]) -> list[list[Detection]]:
        engine = self.analyzer.nlp_engine
        foreign = [language.foreign_paragraphs(s.text) for s in batch]
        texts = [language.blanked(s.text, f) for s, f in zip(batch, foreign)]
        found = []
        for doc, segment, other, text in zip(self.nlp.pipe(texts, batch_size=len(batch)), batch, foreign, texts):
            artifacts = engine._doc_to_nlp_artifact(doc, "en")
            results = self.analyzer.analyze(segment.text, language="en", nlp_artifacts=artifacts)
            found.append([
                Detection(r.entity_type, r.start, r.end, r.score,
                          (r.recognition_metadata or {}).get("recognizer_name", ""))
                for r in results
            ] + [d for f in other for d in self._other_language(segment.text, f)] + [
                Detection("LOCATION", start, end, places.SCORE, "phiguard:places") for start, end in places.find(text)])
        return found

    def _other_language(self, text: str, foreign: language.Foreign) -> list[Detection]:
        """Names and places of a paragraph in another language, by that language's model if one is configured."""
        name = self.languages.get(foreign.language)
        try:
            nlp = _loaded(name) if name else None
        except ModelNotInstalled:  # installed but not loadable (another spaCy's model): not checked, said so
            nlp = None
        if nlp is None:
            return list(_unchecked(text, foreign))
        doc = nlp(text[foreign.start:foreign.end])
        return [Detection(OTHER_MODEL_ENTITIES[e.label_], foreign.start + e.start_char, foreign.start + e.end_char,
                          0.85, f"spacy:{foreign.language}", note=f"read with {name}")
                for e in doc.ents if e.label_ in OTHER_MODEL_ENTITIES]


def _unchecked(text: str, foreign: language.Foreign) -> tuple[Detection, Detection]:
    """The paragraph no model of its language read (pattern rules for names skip it), and a finding at its
    first line."""
    first_line = text.find("\n", foreign.start, foreign.end)
    end = first_line if first_line > foreign.start else foreign.end
    return (Detection(OTHER_LANGUAGE, foreign.start, foreign.end, 1.0, "language"),
            Detection("LANGUAGE_UNCHECKED", foreign.start, min(end, foreign.start + 80), 1.0, "language",
                      note=f"language: {foreign.language}"))


@functools.lru_cache(maxsize=4)
def _loaded(model: str):
    return spacy_model.load(model)


@functools.lru_cache(maxsize=4)
def shared_detector(model: str, patterns: tuple[IdPattern, ...] = (),
                    languages: tuple[tuple[str, str], ...] = ()) -> Detector:
    """One loaded pipeline per model and process; one analyzer per set of rule patterns."""
    return Detector(model, patterns, languages)
