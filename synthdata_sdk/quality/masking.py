"""Masks for reported values: a report shows where an identifier is, never the identifier.

Cards keep the BIN and the last four digits (PCI DSS v4 3.4.1). Other identifiers keep at
most the first two and last two meaningful (alphanumeric) characters and never more than
half of them; separators stay, so the shape is still visible. E-mail addresses keep the
first letter and the domain (the domain is the evidence), dates the year only.
"""

from __future__ import annotations

import re

_HIDDEN = "*"
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)?(?P<rest>.*)$", re.DOTALL)


def mask_middle(value: str, keep: int = 2) -> str:
    """Keep at most ``keep`` alphanumerics at each end (and at most a quarter each), hide the rest."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    kept = min(keep, len(positions) // 4)
    shown = set(positions[:kept]) | set(positions[len(positions) - kept :])
    return "".join(c if i in shown or not c.isalnum() else _HIDDEN for i, c in enumerate(value))


def mask_card(value: str) -> str:
    """The BIN (first six digits), ``*`` for the middle and the last four digits."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) < 13:
        return mask_middle(value)
    middle = len(digits) - 10
    return "".join(digits[:6]) + _HIDDEN * middle + "".join(digits[-4:])


def mask_email(value: str) -> str:
    """``j***@gmail.com``: the local part's first character and the domain."""
    local, _, domain = value.rpartition("@")
    if not local:
        return mask_middle(value)
    return f"{local[0]}***@{domain}"


def mask_url(value: str) -> str:
    """Scheme and domain, with leading host labels and the path hidden.

    A host of three or more labels keeps its last two (``https://***.facebook.com/***``);
    a shorter one keeps its first character and top-level label (``https://f***.com``).
    """
    match = _URL.match(value)
    scheme = (match["scheme"] or "") if match else ""
    rest = match["rest"] if match else value
    host, separator, _path = _split_host(rest)
    host = host.rpartition("@")[2]
    if not host.startswith("["):
        host = host.partition(":")[0]
    labels = host.split(".")
    if len(labels) >= 3:
        shown = "***." + ".".join(labels[-2:])
    elif len(labels) == 2 and labels[0]:
        shown = f"{labels[0][0]}***.{labels[1]}"
    else:
        shown = mask_middle(host)
    return f"{scheme}{shown}{'/***' if separator else ''}"


def _split_host(rest: str) -> tuple[str, str, str]:
    for index, char in enumerate(rest):
        if char in "/?#":
            return rest[:index], char, rest[index + 1 :]
    return rest, "", ""


def mask_year(year: int | str) -> str:
    """A date shown as its year only."""
    return str(year)
