"""Infer a semantic type from a property's name and format, so plain schemas look realistic.

The table is documented in ``docs/schema.md``; names are compared after folding camelCase,
dashes and spaces to snake_case.
"""

from __future__ import annotations

import re

#: ``x-synthdata: {"semantic": "none"}``: the property holds no semantic type, so neither its
#: name nor its format implies one (how an identifier-named field opts out of safe values)
NO_SEMANTIC = "none"

#: JSON Schema ``format`` -> the semantic that produces safe values of that format
FORMAT_SEMANTICS: dict[str, str] = {
    "email": "email",
    "idn-email": "email",
    "uuid": "uuid",
    "uri": "url",
    "iri": "url",
    "uri-reference": "url",
    "iri-reference": "url",
    "ipv4": "ipv4",
    "ipv6": "ipv6",
    "hostname": "hostname",
    "idn-hostname": "hostname",
}

#: property name (snake_case) -> semantic
NAME_SEMANTICS: dict[str, str] = {
    **dict.fromkeys(("id", "uuid", "guid"), "uuid"),
    **dict.fromkeys(("email", "e_mail", "email_address", "mail"), "email"),
    **dict.fromkeys(
        ("phone", "phone_number", "telephone", "tel", "mobile", "mobile_number", "cell"), "phone"
    ),
    **dict.fromkeys(("first_name", "firstname", "given_name", "forename"), "first_name"),
    **dict.fromkeys(("last_name", "lastname", "surname", "family_name"), "last_name"),
    **dict.fromkeys(("name", "full_name", "fullname", "person_name"), "full_name"),
    **dict.fromkeys(
        ("dob", "date_of_birth", "birth_date", "birthdate", "birthday"), "date_of_birth"
    ),
    **dict.fromkeys(
        ("address", "street", "street_address", "address_line1", "address_line_1"),
        "street_address",
    ),
    **dict.fromkeys(("city", "town"), "city"),
    **dict.fromkeys(("zip", "zipcode", "zip_code", "postcode", "postal_code"), "postcode"),
    **dict.fromkeys(("country", "country_name"), "country"),
    **dict.fromkeys(
        ("company", "company_name", "employer", "organisation", "organization"), "company"
    ),
    **dict.fromkeys(("job", "job_title", "occupation", "position"), "job_title"),
    **dict.fromkeys(("ssn", "social_security_number"), "ssn"),
    **dict.fromkeys(
        ("card_number", "credit_card", "credit_card_number", "cc_number", "pan"), "credit_card"
    ),
    **dict.fromkeys(("iban", "iban_number"), "iban"),
    **dict.fromkeys(("ip", "ip_address", "ipv4", "ipv4_address"), "ipv4"),
    **dict.fromkeys(("ipv6", "ipv6_address"), "ipv6"),
    **dict.fromkeys(("mac", "mac_address"), "mac_address"),
    **dict.fromkeys(("url", "website", "homepage", "uri", "link"), "url"),
    **dict.fromkeys(("username", "user_name", "login", "handle"), "username"),
    **dict.fromkeys(("hostname", "host", "host_name"), "hostname"),
    **dict.fromkeys(("nhs_number", "nhs", "nhs_no"), "nhs_number"),
    **dict.fromkeys(
        ("ni_number", "national_insurance_number", "nino"), "national_insurance_number"
    ),
    **dict.fromkeys(("mbi", "medicare_id", "medicare_number"), "medicare_mbi"),
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def snake_case(name: str) -> str:
    """``firstName`` / ``First-Name`` / ``first name`` -> ``first_name``."""
    return _SEPARATORS.sub("_", _CAMEL.sub("_", name).lower()).strip("_")


def infer_semantic(name: str | None, fmt: str | None) -> str | None:
    """The semantic for a string property, from its format first, then its name."""
    if fmt is not None:
        return FORMAT_SEMANTICS.get(fmt)
    if name is None:
        return None
    return NAME_SEMANTICS.get(snake_case(name))


#: words (whole snake_case words) that make a property name about a birth (``born_on``)
BIRTH_WORDS = frozenset({"dob", "birth", "birthday", "born"})


def semantic_for_name(name: str | None) -> str | None:
    """The semantic a name implies, trying its trailing words too (``billing_zip``: postcode)."""
    if name is None:
        return None
    parts = snake_case(name).split("_")
    for start in range(len(parts)):
        semantic = NAME_SEMANTICS.get("_".join(parts[start:]))
        if semantic is not None:
            return semantic
    return None


def says_birth(name: str | None) -> bool:
    """Whether a property name holds a birth word (``born_on``, ``mother_dob``)."""
    return name is not None and not BIRTH_WORDS.isdisjoint(snake_case(name).split("_"))


def is_age_name(name: str | None) -> bool:
    """Whether a property name says it holds an age: ``age`` or ``*_age`` (``patientAge``)."""
    if name is None:
        return False
    folded = snake_case(name)
    return folded == "age" or folded.endswith("_age")


#: trailing words that name a collection rather than what it holds (``ssn_list``: SSNs)
COLLECTION_WORDS = frozenset({"list", "array", "set", "collection"})
#: endings whose plural adds ``-es`` (``addresses``, ``boxes``); others add ``-s`` (``panes``)
_TAKES_ES = ("s", "x", "z", "ch", "sh")


def item_name(name: str | None) -> str | None:
    """The name an array's items (or a map's values) are planned with, or ``None``.

    The array's name, or else the singular of its last word (``ssns``: ``ssn``,
    ``phone_numbers``: ``phone_number``, ``cardNumbers``: ``card_number``, ``cities``:
    ``city``, ``addresses``: ``address``), once a trailing collection word is dropped
    (``ssn_list``: ``ssn``), whichever first says what a value holds: a semantic (trailing
    words count, as for properties), an age or a birth. The singulars undo the regular English
    plurals: ``-ies`` to ``-y``, ``-es`` after s, x, z, ch and sh, else ``-s``. A name none of
    them makes meaningful gives ``None``, so its items are planned as before, without a name.
    """
    if name is None:
        return None
    words = snake_case(name).split("_")
    if len(words) > 1 and words[-1] in COLLECTION_WORDS:
        words = words[:-1]
    *head, last = words
    candidates = [last]
    if last.endswith("ies"):
        candidates.append(last[:-3] + "y")
    if last.endswith("es") and last[:-2].endswith(_TAKES_ES):
        candidates.append(last[:-2])
    if last.endswith("s") and not last.endswith("ss"):
        candidates.append(last[:-1])
    for candidate in candidates:
        named = "_".join([*head, candidate])
        if says_what(named):
            return named
    return None


def says_what(name: str | None) -> bool:
    """Whether a name says what its value holds: a semantic, an age or a birth."""
    return semantic_for_name(name) is not None or is_age_name(name) or says_birth(name)


def value_name(key: str, map_name: str | None) -> str:
    """The name a value of a map (an object's properties beyond ``properties``) is planned
    with: its key when that says what it holds, else the map's ``item_name`` (``phones``:
    ``phone``), else its key."""
    if says_what(key):
        return key
    return item_name(map_name) or key
