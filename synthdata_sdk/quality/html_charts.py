"""Inline SVG charts of one field: histograms, top-value bars and a presence bar.

Every chart is an ``<svg>`` carrying ``data-field`` (the field path), ``data-table`` and
``data-chart`` attributes, ``role="img"`` and a ``<title>`` first, for screen readers; bars
carry their own ``<title>``, which browsers show as a tooltip. Nothing is scripted.
"""

from __future__ import annotations

from synthdata_sdk.quality.html_format import esc, label, number
from synthdata_sdk.quality.metrics_fields import FieldQuality
from synthdata_sdk.quality.metrics_histogram import Histogram

WIDTH = 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 10, 12, 30
_ROW = 20
_LABEL_WIDTH = 118
#: a discrete histogram labels every bar up to this many bins
_MAX_BAR_LABELS = 12
#: the widest a histogram bar gets
_MAX_BAR_STEP = 36


def field_charts(field: FieldQuality) -> list[tuple[str, str]]:
    """``(chart kind, svg)`` for each chart of a field; every field gets at least one."""
    charts: list[tuple[str, str]] = []
    name = field.path
    if field.numeric is not None:
        hist = field.numeric.histogram
        charts.append(("values", histogram_svg(field, "values", hist, f"{name}: values")))
    if field.top_values:
        charts.append(("top-values", top_values_svg(field)))
    if field.lengths is not None:
        hist = field.lengths.histogram
        charts.append(("lengths", histogram_svg(field, "lengths", hist, f"{name}: string length")))
    if field.items is not None:
        hist = field.items.histogram
        charts.append(("items", histogram_svg(field, "items", hist, f"{name}: array length")))
    if not charts:
        charts.append(("presence", presence_svg(field)))
    return charts


def _open(field: FieldQuality, chart: str, height: int, title: str) -> str:
    return (
        f'<svg class="chart" data-field="{esc(field.path)}" data-table="{esc(field.table)}" '
        f'data-chart="{chart}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}">'
        f"<title>{esc(title)}</title>"
    )


def histogram_svg(field: FieldQuality, chart: str, hist: Histogram, title: str) -> str:
    """Vertical bars, one per bin, with the count scale on the left and bounds below."""
    height = 150
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    bins = len(hist.counts)
    peak = max(hist.counts) or 1
    step = min(plot_w / bins, _MAX_BAR_STEP)
    left = _LEFT + (plot_w - step * bins) / 2  # few bins: narrow bars, centred
    total = sum(hist.counts)
    parts = [_open(field, chart, height, f"{title}: histogram of {total:,} values in {bins} bins")]
    base = _TOP + plot_h
    parts.append(
        f'<text class="axis" x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end">{peak:,}</text>'
        f'<text class="axis" x="{_LEFT - 4}" y="{base}" text-anchor="end">0</text>'
        f'<line class="grid" x1="{_LEFT}" y1="{_TOP}" x2="{WIDTH - _RIGHT}" y2="{_TOP}"/>'
    )
    for i, count in enumerate(hist.counts):
        bar_h = count / peak * plot_h
        x = left + i * step
        span = _bin_text(hist, i)
        parts.append(
            f'<rect class="bar" x="{x + 0.5:.1f}" y="{base - bar_h:.1f}" '
            f'width="{max(step - 1, 1):.1f}" height="{bar_h:.1f}">'
            f"<title>{esc(span)}: {count:,}</title></rect>"
        )
    parts.append(
        f'<line class="axis-line" x1="{_LEFT}" y1="{base}" x2="{WIDTH - _RIGHT}" y2="{base}"/>'
    )
    parts.extend(_x_labels(hist, left, step, base + 16))
    parts.append("</svg>")
    return "".join(parts)


def _bin_text(hist: Histogram, i: int) -> str:
    if hist.discrete:
        return number(hist.edges[i])
    closing = "]" if i == len(hist.counts) - 1 else ")"
    return f"[{number(hist.edges[i])}, {number(hist.edges[i + 1])}{closing}"


def _x_labels(hist: Histogram, left: float, step: float, y: float) -> list[str]:
    bins = len(hist.counts)
    if hist.discrete and bins <= _MAX_BAR_LABELS:
        return [
            f'<text class="axis" x="{left + (i + 0.5) * step:.1f}" y="{y:.0f}" '
            f'text-anchor="middle">{esc(number(hist.edges[i]))}</text>'
            for i in range(bins)
        ]
    low = hist.edges[0]
    high = hist.edges[-2] if hist.discrete else hist.edges[-1]
    if hist.discrete:  # labels under the first and last bars
        start, end = left + step / 2, left + step * (bins - 0.5)
        anchors = ("middle", "middle")
    else:  # labels at the outer edges
        start, end = left, left + step * bins
        anchors = ("start", "end")
    return [
        f'<text class="axis" x="{start:.1f}" y="{y:.0f}" text-anchor="{anchors[0]}">{esc(number(low))}</text>',
        f'<text class="axis" x="{end:.1f}" y="{y:.0f}" text-anchor="{anchors[1]}">{esc(number(high))}</text>',
    ]


def top_values_svg(field: FieldQuality) -> str:
    """Horizontal bars of the most frequent values; the rest is summed up in a note below.

    Bars are scaled to the most frequent value, so the rest (often most rows of a field
    with many distinct values) does not flatten them.
    """
    tops = field.top_values
    rest = field.non_null - sum(top.count for top in tops)
    height = len(tops) * _ROW + (_ROW if rest > 0 else 0) + 8
    peak = max((top.count for top in tops), default=1) or 1
    bar_room = WIDTH - _LABEL_WIDTH - 56
    title = f"{field.path}: {len(tops)} most frequent of {field.distinct:,} values"
    parts = [_open(field, "top-values", height, title)]
    for i, top in enumerate(tops):
        y = 4 + i * _ROW
        width = max(top.count / peak * bar_room, 1)
        parts.append(
            f"<g><title>{esc(label(top.value, limit=200))}: {top.count:,}</title>"
            f'<text class="label" x="{_LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">'
            f"{esc(label(top.value))}</text>"
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}"/>'
            f'<text class="count" x="{_LABEL_WIDTH + width + 4:.1f}" y="{y + 14}">{top.count:,}</text></g>'
        )
    if rest > 0:
        others = field.distinct - len(tops)
        y = 4 + len(tops) * _ROW
        parts.append(
            f'<text class="axis" x="{_LABEL_WIDTH}" y="{y + 14}">'
            f"+ {others:,} other value{'s' if others != 1 else ''} in {rest:,} rows</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def presence_svg(field: FieldQuality) -> str:
    """One bar split into rows with a value and rows without (missing or null)."""
    height = 56
    total = field.rows or 1
    present_w = (WIDTH - 20) * field.non_null / total
    title = f"{field.path}: {field.non_null:,} of {field.rows:,} rows have a value"
    return (
        _open(field, "presence", height, title)
        + f'<rect class="bar rest" x="10" y="8" width="{WIDTH - 20}" height="18"/>'
        + f'<rect class="bar" x="10" y="8" width="{present_w:.1f}" height="18"/>'
        + f'<text class="axis" x="10" y="44">{field.non_null:,} with a value</text>'
        + f'<text class="axis" x="{WIDTH - 10}" y="44" text-anchor="end">{field.nulls:,} null or missing</text>'
        + "</svg>"
    )
