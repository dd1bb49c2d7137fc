"""An optional second opinion: Microsoft Presidio's pattern recognizers as a candidate finder.

Presidio runs offline only with a no-op NLP engine (pattern recognizers, no spaCy model).
It flags safe values too (``example.com`` addresses, 555-01xx phones, test PANs), so its
spans are never the verdict: each one goes to the judge of the matching detector, and
spans our rules judge safe are dropped. Presidio is imported by name only, so the package
stays optional (``pip install 'synthdata[presidio]'``).

The engine is built by hand rather than from Presidio's default configuration, so that it
stays silent and offline:

- the registry holds only the recognizers of the entity types in ``ENTITY_DETECTORS``
  (the default configuration loads Spanish, Italian and Polish recognizers too and warns
  for each that the English registry drops);
- the e-mail recognizer checks domains against ``tldextract``'s bundled public suffix
  snapshot (Presidio's own calls ``tldextract.extract``, which downloads the list from
  the network on first use and caches it under the home directory);
- context enhancement is off: the no-op engine yields no tokens, so Presidio's default
  enhancer could only log "Skipping context extraction" for every span.

Some of Presidio's spans are trimmed or dropped before they reach a judge, because a judge
assumes the shape its own candidate finder gives: quotes and trailing punctuation around
URLs, URL "hosts" cut from e-mail domains or from inside a word (``host.in`` of
``host.invalid``), and SSN or ITIN spans not grouped 3-2-4 (Presidio's weakest SSN
patterns take ZIP+4 codes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import import_module
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.quality.detectors.base import Detector

MISSING = "presidio=True needs the [presidio] extra: pip install 'synthdata[presidio]'"
LANGUAGE = "en"

#: Presidio entity type -> the detectors whose judges decide its spans (an ``IP_ADDRESS``
#: span goes to the one of its family: ``ipv6`` when it holds a colon, else ``ipv4``)
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

#: Presidio entity type -> its recognizer in ``presidio_analyzer.predefined_recognizers``
#: (a release without one of them simply does not offer that entity)
RECOGNIZERS: Mapping[str, str] = {
    "CREDIT_CARD": "CreditCardRecognizer",
    "US_SSN": "UsSsnRecognizer",
    "US_ITIN": "UsItinRecognizer",
    "EMAIL_ADDRESS": "EmailRecognizer",
    "URL": "UrlRecognizer",
    "IP_ADDRESS": "IpRecognizer",
    "MAC_ADDRESS": "MacAddressRecognizer",
    "PHONE_NUMBER": "PhoneRecognizer",
    "IBAN_CODE": "IbanRecognizer",
    "UK_NHS": "NhsRecognizer",
    "UK_NINO": "UkNinoRecognizer",
    "US_MBI": "UsMbiRecognizer",
}

#: a Presidio span: entity type, start, end
_Span = tuple[str, int, int]

#: the only SSN and ITIN shapes kept: 9 digits, ungrouped or grouped 3-2-4 with one
#: separator. Presidio's very weak patterns also take 5-4 (a ZIP+4 code far more often
#: than a mistyped SSN) and 3-6 groupings, which our judges would read as 3-2-4.
_SSN_SHAPE = re.compile(r"\d{3}([- ]?)\d{2}\1\d{4}", re.ASCII)
#: quotes that Presidio's "Quoted URL" patterns take with a URL
_URL_QUOTES = frozenset("'\"")
#: punctuation that ends a quote, a sentence or a clause rather than a URL
_URL_TRAILERS = _URL_QUOTES | frozenset(".,;:!?")


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

    @property
    def entities(self) -> list[str]:
        """The Presidio entity types asked for: judged by a detector and offered here."""
        return list(self._wanted)

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """``(detector, start, end)`` for each entity span, once per detector that judges it.

        Spans are trimmed to the identifier (``_trimmed``) and dropped where they cannot be
        one (``_plausible``); a span inside a longer span of another entity type is part of
        that identifier, not a second one (Presidio's URL recognizer matches the domain of
        every e-mail address), and is left out too.
        """
        if not self._wanted:
            return []
        results = self._engine.analyze(
            text=text, language=LANGUAGE, entities=self._wanted, score_threshold=0.0
        )
        found = [_trimmed((str(r.entity_type), int(r.start), int(r.end)), text) for r in results]
        found = [span for span in found if _plausible(span, text)]
        return [
            (detector, start, end)
            for entity, start, end in _outermost(found)
            for detector in self._judges(entity, text[start:end])
        ]

    def _judges(self, entity: str, value: str) -> tuple[str, ...]:
        """The active detectors that judge ``value``, a span of ``entity``."""
        judges = self._entities.get(entity, ())
        if entity == "IP_ADDRESS":
            family = "ipv6" if ":" in value else "ipv4"
            return tuple(d for d in judges if d == family)
        return judges


def _trimmed(span: _Span, text: str) -> _Span:
    """``span`` without the quotes and punctuation that Presidio's URL recognizer takes
    around a URL (``"https://x.org/a"``, ``https://x.org/a,``), so that the span is the one
    our own ``url`` rule finds and its judge can parse."""
    entity, start, end = span
    if entity == "URL":
        while start < end and text[start] in _URL_QUOTES:
            start += 1
        while end > start and text[end - 1] in _URL_TRAILERS:
            end -= 1
    return entity, start, end


def _plausible(span: _Span, text: str) -> bool:
    """Whether ``span`` can be the identifier its entity type names.

    An SSN or ITIN must have ``_SSN_SHAPE``. A URL must not start right after an ``@``
    (the domain of an e-mail address: Presidio's e-mail recognizer drops addresses whose
    suffix is not public, such as ``a@host.invalid``, and its URL recognizer then takes
    ``host.in``) nor stop inside a word.
    """
    entity, start, end = span
    if entity in ("US_SSN", "US_ITIN"):
        return _SSN_SHAPE.fullmatch(text, start, end) is not None
    if entity == "URL":
        after_at = start > 0 and text[start - 1] == "@"
        cut = end < len(text) and (text[end].isalnum() or text[end] == "_")
        return not (after_at or cut)
    return True


def _outermost(spans: list[_Span]) -> Iterator[_Span]:
    """The spans not strictly inside a longer span of another entity type, in order."""
    for span in sorted(set(spans), key=lambda s: (s[1], s[2], s[0])):
        entity, start, end = span
        if not any(
            other != entity and o_start <= start and end <= o_end and o_end - o_start > end - start
            for other, o_start, o_end in spans
        ):
            yield span


@cache
def _engine() -> Any:
    """An ``AnalyzerEngine`` with our entities' recognizers and a no-op NLP engine."""
    analyzer = import_module("presidio_analyzer")
    nlp_engine = _no_op_nlp_engine()
    try:
        registry = analyzer.RecognizerRegistry(supported_languages=[LANGUAGE])
    except TypeError:  # older releases know only English and take no languages
        registry = analyzer.RecognizerRegistry()
    for recognizer in _recognizers():
        registry.add_recognizer(recognizer)
    options: dict[str, Any] = {"registry": registry, "nlp_engine": nlp_engine}
    try:
        return analyzer.AnalyzerEngine(
            **options, supported_languages=[LANGUAGE], context_aware_enhancer=_no_enhancer()
        )
    except TypeError:  # older releases take no context_aware_enhancer
        return analyzer.AnalyzerEngine(**options, supported_languages=[LANGUAGE])


def _recognizers() -> list[Any]:
    """One English recognizer for each entity in ``RECOGNIZERS`` that this release has."""
    predefined = import_module("presidio_analyzer.predefined_recognizers")
    recognizers = []
    for name in RECOGNIZERS.values():
        recognizer = getattr(predefined, name, None)
        if recognizer is None:
            continue
        if name == "EmailRecognizer":
            recognizer = _offline_email(recognizer)
        recognizers.append(recognizer(supported_language=LANGUAGE))
    return recognizers


def _offline_email(base: type) -> type:
    """``base`` (Presidio's ``EmailRecognizer``) checking domains with no network access.

    ``tldextract`` with no suffix list URLs and no cache directory reads only the public
    suffix snapshot it ships, and writes nothing.
    """
    tldextract = import_module("tldextract")
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def validate_result(self: Any, pattern_text: str) -> bool:
        """Whether the address ends in a known public suffix (Presidio's own rule)."""
        return str(extract(pattern_text).fqdn) != ""

    return type("OfflineEmailRecognizer", (base,), {"validate_result": validate_result})


def _no_enhancer() -> Any:
    """A ``ContextAwareEnhancer`` that keeps every score as its recognizer set it."""
    enhancers = import_module("presidio_analyzer.context_aware_enhancers")

    def enhance_using_context(self: Any, text: str, raw_results: Any, *_: Any, **__: Any) -> Any:
        """The results unchanged: the no-op engine yields no context words to use."""
        return raw_results

    no_enhancer = type(
        "NoContextEnhancer",
        (enhancers.ContextAwareEnhancer,),
        {"enhance_using_context": enhance_using_context},
    )
    return no_enhancer(
        context_similarity_factor=0.0,
        min_score_with_context_similarity=0.0,
        context_prefix_count=0,
        context_suffix_count=0,
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
