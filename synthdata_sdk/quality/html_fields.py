"""The per-field part of the HTML report: an overview table and one card per field."""

from __future__ import annotations

from synthdata_sdk.quality.html_charts import field_charts
from synthdata_sdk.quality.html_format import esc, json_value, number, percent
from synthdata_sdk.quality.html_sections import table_html
from synthdata_sdk.quality.metrics import QualityReport
from synthdata_sdk.quality.metrics_fields import FieldQuality
from synthdata_sdk.quality.metrics_histogram import LengthStats

_CHART_TITLES = {
    "values": "Values",
    "top-values": "Most frequent values",
    "lengths": "String length (characters)",
    "items": "Array length (items)",
    "presence": "Rows with a value",
}


def fields_overview(report: QualityReport) -> str:
    """One row per field, linking to its card."""
    rows = [
        [
            f'<a class="mono" href="#field-{i}">{esc(f.path)}</a>',
            esc(f.table),
            esc(f.kind),
            esc(percent(f.null_rate)),
            esc(number(f.distinct)),
            esc(percent(f.uniqueness)),
            _violations_cell(f),
        ]
        for i, f in enumerate(report.fields)
    ]
    head = ["field", "table", "kind", "null rate", "distinct", "uniqueness", "violations"]
    return f'<section id="fields"><h2>Fields</h2>{table_html(head, rows, {3, 4, 5, 6})}</section>'


def _violations_cell(field: FieldQuality) -> str:
    if not field.constraints:
        return '<span class="muted">no constraints</span>'
    css = "fail" if field.violating_values else "ok"
    return f'<span class="{css}">{field.violating_values:,}</span>'


def field_cards(report: QualityReport) -> str:
    """A grid of cards, one per field: stats, charts and constraint checks."""
    several = len(report.tables) > 1
    cards = "".join(_card(i, f, show_table=several) for i, f in enumerate(report.fields))
    return f'<section id="field-details"><h2>Field details</h2><div class="fields">{cards}</div></section>'


def _card(index: int, field: FieldQuality, *, show_table: bool) -> str:
    badges = f'<span class="badge">{esc(field.kind)}</span>'
    if field.categorical:
        badges += ' <span class="badge">categorical</span>'
    if show_table:
        badges += f' <span class="badge table">{esc(field.table)}</span>'
    if field.violating_values:
        badges += f' <span class="badge bad">{field.violating_values:,} violations</span>'
    charts = "".join(
        f'<div class="chart-title">{esc(_CHART_TITLES[kind])}</div>{svg}'
        for kind, svg in field_charts(field)
    )
    return (
        f'<article class="field" id="field-{index}"><header><h3>{_breakable(field.path)}</h3>'
        f"<div>{badges}</div></header>{_stats(field)}{charts}{_checks(field)}</article>"
    )


def _stats(field: FieldQuality) -> str:
    meter = f'<span class="meter"><span style="width:{field.null_rate * 100:.1f}%"></span></span>'
    items = [
        (
            "null rate",
            f"{esc(percent(field.null_rate))} ({field.nulls:,} of {field.rows:,}){meter}",
        ),
        ("distinct", esc(number(field.distinct))),
        ("uniqueness", esc(percent(field.uniqueness))),
    ]
    if field.kind == "mixed":
        items.append(("types", esc(", ".join(f"{t} {n:,}" for t, n in field.types.items()))))
    stats = field.numeric
    if stats is not None:
        items += [
            ("min / max", f"{esc(number(stats.min))} / {esc(number(stats.max))}"),
            ("mean ± stddev", f"{esc(number(stats.mean))} ± {esc(number(stats.stddev))}"),
        ]
    if field.lengths is not None:
        items.append(("length", _length_text(field.lengths)))
    if field.items is not None:
        items.append(("items", _length_text(field.items)))
    rows = "".join(f"<dt>{esc(name)}</dt><dd>{value}</dd>" for name, value in items)
    quantiles = _quantiles(stats.quantiles) if stats is not None else ""
    return f'<dl class="stats">{rows}</dl>{quantiles}'


def _quantiles(quantiles: dict[str, float]) -> str:
    head = "".join(f"<th>{esc(name)}</th>" for name in quantiles)
    cells = "".join(f"<td>{esc(number(value))}</td>" for value in quantiles.values())
    return f'<table class="quantiles"><tr>{head}</tr><tr>{cells}</tr></table>'


def _length_text(stats: LengthStats) -> str:
    return esc(f"min {stats.min:,} · mean {number(stats.mean)} · max {stats.max:,}")


def _checks(field: FieldQuality) -> str:
    if not field.constraints:
        return ""
    lines = "".join(
        f'<li><code>{esc(c.keyword)}</code> <span class="mono">{esc(json_value(c.expected, 40))}</span>: '
        f'<span class="{"fail" if c.violations else "ok"}">{c.violations:,}</span> of '
        f"{c.checked:,} values break it</li>"
        for c in field.constraints
    )
    return f'<ul class="checks">{lines}</ul>'


def _breakable(path: str) -> str:
    # long dotted paths wrap after a dot rather than inside a name
    return "<wbr>.".join(esc(part) for part in path.split("."))
