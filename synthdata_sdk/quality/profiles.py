"""Compliance profiles: which detectors each one enforces, and why.

``gdpr`` enforces every identifier detector (a real identifier would make the data
personal data); ``pci_dss`` only card numbers; ``hipaa`` the Safe Harbor identifiers that
a detector can check, including its quasi-identifiers (birth dates, ages, ZIP codes).
A scan that names no profile enforces ``DEFAULT_PROFILES``: the identifiers only.
"""

from __future__ import annotations

from collections.abc import Iterable

from synthdata_sdk.errors import RequestError

#: profile -> the detectors it enforces
PROFILES: dict[str, tuple[str, ...]] = {
    "gdpr": (
        "email",
        "url",
        "phone",
        "ipv4",
        "ipv6",
        "mac_address",
        "us_ssn",
        "us_itin",
        "iban",
        "nhs_number",
        "uk_nino",
        "medicare_mbi",
        "payment_card",
    ),
    "hipaa": (
        "us_ssn",
        "us_itin",
        "phone",
        "email",
        "url",
        "ipv4",
        "ipv6",
        "mac_address",
        "medicare_mbi",
        "payment_card",
        "iban",
        "date_of_birth",
        "age",
        "zip_code",
    ),
    "pci_dss": ("payment_card",),
}

#: profile -> what it rests on, for the documentation table
PROFILE_BASIS: dict[str, str] = {
    "gdpr": (
        "Art. 4(1), Recital 26: rule-generated data has no data subject; the remaining risk"
        " is a collision with a real identifier"
    ),
    "hipaa": (
        "45 CFR 164.514(b)(2) Safe Harbor: identifiers (A)-(R) that a pattern can find,"
        " dates as the year only, no age over 89, ZIP3 only"
    ),
    "pci_dss": "PCI DSS v4 6.5.5 (no live PANs outside the CDE), 3.4.1 (BIN + last four)",
}

#: every profile
ALL_PROFILES: tuple[str, ...] = tuple(PROFILES)

#: what a scan enforces when no profile is named: every identifier detector (``gdpr`` holds
#: them all; ``pci_dss`` is named so card findings say so). ``hipaa`` adds Safe Harbor's
#: quasi-identifier rules (dates of birth as the year, ages, ZIP3), which say how a
#: de-identified dataset must be shaped, not whether a value is real: like generation, which
#: applies them only under ``hipaa``, a scan checks them only when asked.
DEFAULT_PROFILES: tuple[str, ...] = ("gdpr", "pci_dss")


def resolve_profiles(profiles: str | Iterable[str]) -> tuple[str, ...]:
    """The requested profiles, sorted and de-duplicated; ``RequestError`` on an unknown one.

    A string may name several, separated by commas (``"gdpr,pci_dss"``); the names and their
    messages are the request options' (``synthdata_sdk.options``). A scan needs at least one.
    """
    from synthdata_sdk.options import PROFILE_NAMES, check_profiles

    names = check_profiles(profiles)
    if not names:
        raise RequestError(
            f"no compliance profile given; expected any of {', '.join(PROFILE_NAMES)}"
        )
    return names


def detectors_for(profiles: Iterable[str]) -> tuple[str, ...]:
    """The detectors any of ``profiles`` enforces, in a stable order."""
    wanted = {d for p in profiles for d in PROFILES[p]}
    ordered = dict.fromkeys(d for p in ALL_PROFILES for d in PROFILES[p])
    return tuple(d for d in ordered if d in wanted)


def enforcing(detector: str, profiles: Iterable[str]) -> tuple[str, ...]:
    """Which of ``profiles`` enforce ``detector``."""
    return tuple(p for p in profiles if detector in PROFILES[p])


def profile_table() -> str:
    """A Markdown table: each detector, its safe values, and which profiles enforce it."""
    from synthdata_sdk.quality.detectors import detectors

    registry = detectors()
    names = list(PROFILES)
    lines = [
        "| detector | safe values | " + " | ".join(f"`{p}`" for p in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for detector in detectors_for(names):
        marks = " | ".join("yes" if detector in PROFILES[p] else "" for p in names)
        lines.append(f"| `{detector}` | {registry[detector].description} | {marks} |")
    return "\n".join(lines)
