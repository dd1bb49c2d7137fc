"""An optional second opinion: Microsoft Presidio's pattern recognizers as a candidate finder.

Presidio runs offline only with a no-op NLP engine (pattern recognizers, no spaCy model).
It flags safe values too (``example.com`` addresses, 555-01xx phones, test PANs), so its
spans are never the verdict: each one goes to the judge of the matching detector, and
spans our rules judge safe are dropped. Presidio is imported by name only, so the package
stays optional (``pip install 'synthdata[presidio]'``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import import_module
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.quality.detectors.base import Detector

MISSING = "presidio=True needs the [presidio] extra: pip install 'synthdata[presidio]'"
LANGUAGE = "en"

#: Presidio entity type -> the detectors whose judges decide its spans
ENTITY_DETECTORS: Mapping[str, tuple[str, ...]] = {
    "CREDIT_CARD": ("payment_card",),
    "US_SSN": ("us_ssn",),
    "US_ITIN": ("us_itin",),
    "EMAIL_ADDRESS": ("email",),
    "URL": ("url",),
    "IP_ADDRESS": ("ipv4", "ipv6"),
    "MAC_ADDRESS": ("mac_address",),
    "PHONE_NUMBER": ("phone",),
    "IBAN_CODE": ("iban",),
    "UK_NHS": ("nhs_number",),
    "UK_NINO": ("uk_nino",),
    "US_MBI": ("medicare_mbi",),
}


class PresidioOpinion:
    """Presidio's spans for the entity types our ``detectors`` can judge."""

    def __init__(self, detectors: Iterable[Detector]) -> None:
        try:
            import_module("presidio_analyzer")
        except ImportError as error:
            raise RequestError(MISSING) from error
        names = {d.name for d in detectors}
        self._entities = {
            entity: tuple(d for d in judged if d in names)
            for entity, judged in ENTITY_DETECTORS.items()
            if any(d in names for d in judged)
        }
        self._engine = _engine()
        supported = set(self._engine.get_supported_entities(language=LANGUAGE))
        self._wanted = sorted(e for e in self._entities if e in supported)

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """``(detector, start, end)`` for each entity span, once per detector that judges it."""
        if not self._wanted:
            return []
        results = self._engine.analyze(
            text=text, language=LANGUAGE, entities=self._wanted, score_threshold=0.0
        )
        spans = []
        for result in results:
            for detector in self._entities.get(str(result.entity_type), ()):
                spans.append((detector, int(result.start), int(result.end)))
        return spans


@cache
def _engine() -> Any:
    """An ``AnalyzerEngine`` with the predefined recognizers and a no-op NLP engine."""
    analyzer = import_module("presidio_analyzer")
    nlp_engine = _no_op_nlp_engine()
    try:
        registry = analyzer.RecognizerRegistry(supported_languages=[LANGUAGE])
    except TypeError:  # older releases know only English and take no languages
        registry = analyzer.RecognizerRegistry()
    try:
        registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=nlp_engine)
    except TypeError:  # older releases take no nlp_engine
        registry.load_predefined_recognizers(languages=[LANGUAGE])
    return analyzer.AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE]
    )


def _no_op_nlp_engine() -> Any:
    """Presidio's own ``NoOpNlpEngine`` where it has one, else a minimal equivalent."""
    nlp = import_module("presidio_analyzer.nlp_engine")
    official = getattr(nlp, "NoOpNlpEngine", None)
    if official is not None:
        engine = official(models=[{"lang_code": LANGUAGE, "model_name": "no_op"}])
        engine.load()
        return engine
    return _minimal_engine(nlp.NlpEngine, nlp.NlpArtifacts)()


def _minimal_engine(base: type, artifacts: Any) -> type:
    """An ``NlpEngine`` subclass that loads nothing and returns empty artifacts."""

    def process_text(self: Any, text: str, language: str) -> Any:
        return artifacts(
            entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=self, language=language
        )

    def process_batch(self: Any, texts: Iterable[str], language: str, **_: Any) -> Any:
        for text in texts:
            yield text, process_text(self, text, language)

    namespace = {
        "engine_name": "synthdata_no_op",
        "is_available": True,
        "load": lambda self: None,
        "is_loaded": lambda self: True,
        "process_text": process_text,
        "process_batch": process_batch,
        "is_stopword": lambda self, word, language: False,
        "is_punct": lambda self, word, language: False,
        "get_supported_entities": lambda self: [],
        "get_supported_languages": lambda self: [LANGUAGE],
    }
    return type("NoOpNlpEngine", (base,), namespace)
