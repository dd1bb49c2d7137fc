"""``render_html``: a quality report as one self-contained, offline HTML page.

Styles are inline and charts are inline SVG; the page loads nothing (no script, stylesheet,
font or image) and every value from the data is escaped.
"""

from __future__ import annotations

from synthdata_sdk.quality.html_fields import field_cards, fields_overview
from synthdata_sdk.quality.html_format import esc
from synthdata_sdk.quality.html_sections import (
    constraint_violations,
    duplicates,
    header,
    references,
    schema_errors,
    summary,
)
from synthdata_sdk.quality.html_style import CSS
from synthdata_sdk.quality.metrics import QualityReport


def render_html(report: QualityReport, *, title: str) -> str:
    """The whole report as an HTML document."""
    from synthdata_sdk import __version__

    body = "".join(
        [
            header(report, title),
            summary(report),
            schema_errors(report),
            constraint_violations(report),
            duplicates(report),
            references(report),
            fields_overview(report),
            field_cards(report),
            f"<footer>Made by synthdata {esc(__version__)}.</footer>",
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
