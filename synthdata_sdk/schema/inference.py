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
