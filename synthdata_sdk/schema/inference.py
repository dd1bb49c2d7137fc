"""Infer a semantic type from a property's name and format, so plain schemas look realistic.

The table is documented in ``docs/schema.md``; names are compared after folding camelCase,
dashes and spaces to snake_case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


#: extra names (snake_case) that say what a string holds, beyond ``NAME_SEMANTICS``'s (the
#: words people use: schema.org's ``addressLocality``, Stripe's ``line1``, ``faxNumber``)
_MORE_NAMES: dict[str, str] = {
    **dict.fromkeys(("locality", "address_locality", "municipality"), "city"),
    **dict.fromkeys(("postal", "post_code", "zip_postal_code"), "postcode"),
    **dict.fromkeys(
        ("line1", "line_1", "address1", "address_1", "street1", "street_1", "street_line1"),
        "street_address",
    ),
    **dict.fromkeys(("fax", "fax_number", "cellphone", "msisdn", "phone_no"), "phone"),
    **dict.fromkeys(("middle_name", "nickname", "nick_name"), "first_name"),
    **dict.fromkeys(("display_name", "contact_name", "recipient", "cardholder"), "full_name"),
    **dict.fromkeys(("screen_name", "login_name", "user_handle"), "username"),
    **dict.fromkeys(("born", "born_on", "birth_day"), "date_of_birth"),
    **dict.fromkeys(("country_code", "country_iso", "iso_country", "nationality"), "country_code"),
    **dict.fromkeys(("currency", "currency_code", "iso_currency"), "currency_code"),
    "status": "status",
    **dict.fromkeys(("title_of_job", "role_title"), "job_title"),
    **dict.fromkeys(
        (
            "region", "province", "state_province", "state_or_province", "address_region",
            "administrative_area", "administrative_area_level_1", "bundesland",
            "province_name",
        ),
        "region",
    ),
    **dict.fromkeys(
        (
            "state_code", "region_code", "province_code", "state_abbr", "state_abbreviation",
            "subdivision_code", "address_region_code",
        ),
        "region_code",
    ),
}  # fmt: skip
#: every name (snake_case) that says what a string holds
STRING_NAMES: dict[str, str] = {**NAME_SEMANTICS, **_MORE_NAMES}
#: words that name a value only as a whole name, never as the last word of a longer one:
#: ``product_name`` is no person, ``cursor_position`` no job, ``last_login`` no user name
_WHOLE_ONLY = frozenset(
    {"name", "position", "login", "cell", "job", "handle", "host", "mail", "link", "region"}
)
#: words before ``state`` or ``region`` that make it an address's (``billing_state``,
#: ``shippingRegion``, ``address.state``), where ``aws_region`` or ``order_state`` is not one
ADDRESS_WORDS = frozenset(
    {"address", "billing", "shipping", "mailing", "home", "delivery", "postal", "residence"}
)
#: the semantics that make an object an address, so a member named ``state`` is its region
ADDRESS_SEMANTICS = frozenset({"street_address", "city", "postcode", "country", "country_code"})
#: words before ``name`` that make it a person's name (``customer_name``, ``holderName``)
PERSON_WORDS = frozenset(
    {
        "customer", "user", "contact", "recipient", "cardholder", "holder", "patient",
        "employee", "person", "owner", "member", "author", "buyer", "seller", "client",
        "account", "billing", "shipping", "legal", "guest", "driver", "student", "manager",
        "display", "real", "receiver", "sender", "payer", "payee", "beneficiary", "emergency",
    }
)  # fmt: skip


def name_words(name: str) -> list[str]:
    """A property name's words: ``billingZip``, ``billing-zip``, ``shipping_address.city``
    -> ``[billing, zip]``, ``[shipping, address, city]``."""
    return [word for word in snake_case(name).split("_") if word]


def infer_semantic(name: str | None, fmt: str | None, siblings: Iterable[str] = ()) -> str | None:
    """The semantic for a string property, from its format first, then its name.

    A name is read as its words: the whole name, else its trailing words (``contact_phone``,
    ``billingZip``, ``shipping_address.city``), except the words ``_WHOLE_ONLY`` holds
    (``customer_name`` is a person, ``product_name`` is not). ``state`` is a record's state
    or an address's: it is a region after an address word (``billing_state``), or alone when
    one of ``siblings`` (the other property names of its object) is an address member.
    """
    if fmt is not None:
        return FORMAT_SEMANTICS.get(fmt)
    if name is None:
        return None
    words = name_words(name)
    if words[-1:] == ["state"]:
        if len(words) > 1:
            return "region" if words[-2] in ADDRESS_WORDS else None
        return "region" if any(_is_address_member(other) for other in siblings) else None
    for start in range(len(words)):
        tail = "_".join(words[start:])
        semantic = STRING_NAMES.get(tail)
        if semantic is None:
            continue
        if start == 0 or tail not in _WHOLE_ONLY:
            return semantic
        if tail == "name" and words[start - 1] in PERSON_WORDS:
            return semantic
        if tail == "region" and words[start - 1] in ADDRESS_WORDS:
            return semantic
        return None
    return None


def _is_address_member(name: str) -> bool:
    return infer_semantic(name, None) in ADDRESS_SEMANTICS


#: a string named like a moment holds one: ``created_at``, ``updatedAt``, ``timestamp``
_DATE_TIME_WORDS = frozenset({"at", "timestamp", "datetime", "time_stamp"})
#: ... or a day: ``start_date``, ``valid_from`` (``*_on``: ``shipped_on``)
_DATE_WORDS = frozenset({"date", "day", "on"})
_PAIR_WORDS = frozenset({"from", "to", "until", "since"})


def infer_temporal_format(name: str | None) -> str | None:
    """``date-time`` or ``date`` when a plain string's name says it holds one, else None."""
    if name is None:
        return None
    words = name_words(name)
    if not words or (len(words) == 1 and words[0] in {"at", "on", "day", "from", "to"}):
        return None
    last = words[-1]
    if last in _DATE_TIME_WORDS or "_".join(words[-2:]) == "time_stamp":
        return "date-time"
    if last in _DATE_WORDS:
        return "date"
    if last in _PAIR_WORDS and len(words) > 1 and words[0] in {"valid", "effective", "active"}:
        return "date"
    return None


#: default bounds of a number or integer without any, by its name's last word
NUMBER_BOUNDS: dict[str, tuple[str, dict[str, float | int]]] = {
    **dict.fromkeys(
        ("price", "amount", "cost", "total", "subtotal", "fee", "balance", "tax", "discount"),
        ("money", {"minimum": 0, "maximum": 1000, "multipleOf": 0.01}),
    ),
    **dict.fromkeys(
        ("quantity", "qty", "count", "units"), ("quantity", {"minimum": 1, "maximum": 100})
    ),
    **dict.fromkeys(("latitude", "lat"), ("latitude", {"minimum": -90, "maximum": 90})),
    **dict.fromkeys(
        ("longitude", "lng", "lon", "long"), ("longitude", {"minimum": -180, "maximum": 180})
    ),
    "age": ("age", {"minimum": 18, "maximum": 90}),
    **dict.fromkeys(("rating", "stars"), ("rating", {"minimum": 1, "maximum": 5})),
    **dict.fromkeys(("percent", "percentage", "pct"), ("percent", {"minimum": 0, "maximum": 100})),
}


def infer_number(name: str | None) -> str | None:
    """The kind of number a name says (``money``, ``quantity``, ``latitude``...), or None."""
    if name is None:
        return None
    words = name_words(name)
    if not words or words[-1] not in NUMBER_BOUNDS:
        return None
    if words[-1] in {"long", "count", "total"} and len(words) > 1 and words[0] in {"is", "has"}:
        return None
    return NUMBER_BOUNDS[words[-1]][0]


def number_bounds(name: str | None) -> dict[str, float | int]:
    """The default bounds a number's name implies (empty when it implies none)."""
    if infer_number(name) is None:
        return {}
    assert name is not None
    return dict(NUMBER_BOUNDS[name_words(name)[-1]][1])


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
