"""How the HTML report writes values: escaped text, numbers, rates and JSON values."""

from __future__ import annotations

import html
import json
import math
from typing import Any

#: shown where a metric was not measured
NOT_MEASURED = "—"


def esc(value: Any) -> str:
    """``value`` as HTML text or attribute content (quotes escaped too).

    The colon of ``://`` becomes a character reference: it reads the same, but a URL in the
    data never appears in the page source, so the page holds no URL at all.
    """
    return html.escape(str(value), quote=True).replace("://", "&#58;//")


def number(value: float | None) -> str:
    """A compact, readable number: integers with separators, floats to 4 decimals at most."""
    if value is None:
        return NOT_MEASURED
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-3):
        return f"{value:.3e}"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def percent(rate: float | None) -> str:
    """A rate in 0..1 as a percentage with two decimals (``—`` when not measured)."""
    if rate is None:
        return NOT_MEASURED
    return f"{rate * 100:.2f}%"


def json_value(value: Any, limit: int = 80) -> str:
    """A JSON value as short text: strings quoted, long text cut with an ellipsis."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(value: Any, limit: int = 18) -> str:
    """A chart label for a categorical value: JSON text for non-strings, cut to ``limit``."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    if text == "":
        text = '""'
    return text if len(text) <= limit else text[: limit - 1] + "…"
