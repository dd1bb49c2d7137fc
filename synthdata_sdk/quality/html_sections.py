"""The report-level sections of the HTML report: header, summary, errors, duplicates, keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from synthdata_sdk.quality.html_format import NOT_MEASURED, esc, json_value, number, percent
from synthdata_sdk.quality.metrics import SCORE_FORMULA, QualityReport
from synthdata_sdk.quality.metrics_validity import MAX_ERRORS

#: a score at or above this is shown as good, at or above ``FAIR`` as fair, below as poor
GOOD = 95.0
FAIR = 80.0


def score_class(score: float) -> str:
    """The CSS class of a score: ``good``, ``warn`` or ``bad``."""
    return "good" if score >= GOOD else "warn" if score >= FAIR else "bad"


def table_html(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """A scrollable table; cells are HTML already, columns in ``numeric`` align right."""
    cells = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>'


def header(report: QualityReport, title: str) -> str:
    """The title, the score and the formula with this report's factors."""
    tables = len(report.tables)
    facts = f"{report.rows:,} rows · {tables} table{'s' if tables != 1 else ''} · {len(report.fields)} fields"
    return (
        '<header class="top"><div>'
        f"<h1>{esc(title)}</h1>"
        f'<p class="muted">synthdata quality report · {esc(facts)}</p>'
        f'<div class="formula">{esc(SCORE_FORMULA)}<br>{esc(_factors(report))}</div>'
        f'</div><div class="score {score_class(report.score)}">'
        f'<div class="value">{esc(number(report.score))}</div>'
        '<div class="caption">score / 100</div></div></header>'
    )


def _factors(report: QualityReport) -> str:
    def rate(value: float | None, default: str, why: str) -> str:
        return f"{default} ({why})" if value is None else f"{value:.4f}"

    validity = rate(report.validity_rate, "1", "no schema")
    violations = rate(report.constraint_violation_rate, "0", "no schema")
    integrity = rate(report.referential_integrity_rate, "1", "no keys")
    return (
        f"= 100 × {validity} × (1 − {report.duplicate_row_rate:.4f})"
        f" × (1 − {violations}) × {integrity} = {number(report.score)}"
    )


def summary(report: QualityReport) -> str:
    """The headline rates as cards, then one row per table."""
    metrics = [
        ("Rows", number(report.rows)),
        ("Validity", percent(report.validity_rate)),
        ("Duplicate rows", percent(report.duplicate_row_rate)),
        ("Constraint violations", percent(report.constraint_violation_rate)),
        ("Referential integrity", percent(report.referential_integrity_rate)),
        ("Max null rate", percent(report.null_rate_max)),
        ("Fields", number(len(report.fields))),
    ]
    cards = "".join(
        f'<div class="metric"><div class="name">{esc(name)}</div><div class="value">{esc(value)}</div></div>'
        for name, value in metrics
    )
    rows = [
        [
            f'<span class="mono">{esc(t.name)}</span>',
            esc(number(t.rows)),
            esc(number(t.valid_rows)),
            esc(percent(t.validity_rate)),
            esc(number(t.duplicate_rows)),
            esc(percent(t.duplicate_row_rate)),
        ]
        for t in report.tables
    ]
    head = ["table", "rows", "valid rows", "validity", "duplicate rows", "duplicate rate"]
    return (
        f'<section id="summary"><h2>Summary</h2><div class="cards">{cards}</div>'
        f'<p class="muted note">{NOT_MEASURED} means not measured: validity and constraints need a '
        "schema, referential integrity needs two tables with a key between them.</p>"
        f"{table_html(head, rows, {1, 2, 3, 4, 5})}</section>"
    )


def schema_errors(report: QualityReport) -> str:
    """The first invalid rows with their most relevant error."""
    if report.validity_rate is None:
        body = '<p class="muted">No schema was given: validity was not measured.</p>'
    elif not report.schema_errors:
        body = '<p class="ok">Every record is valid against its schema.</p>'
    else:
        rows = [
            [
                esc(e.table),
                esc(number(e.row)),
                f'<span class="mono">{esc(e.path or "(record)")}</span>',
                esc(e.keyword),
                esc(e.message),
            ]
            for e in report.schema_errors
        ]
        invalid = sum(
            t.rows - (t.valid_rows or 0) for t in report.tables if t.valid_rows is not None
        )
        body = (
            f'<p><span class="fail">{invalid:,} invalid rows.</span> '
            f'<span class="muted">The most relevant error of the first {MAX_ERRORS} invalid rows '
            "of each table; paths are JSON pointers into the row.</span></p>"
            + table_html(["table", "row", "path", "keyword", "message"], rows, {1})
        )
    return f'<section id="schema-errors"><h2>Schema errors</h2>{body}</section>'


def constraint_violations(report: QualityReport) -> str:
    """Every constraint check that found a violation."""
    checks = [c for f in report.fields for c in f.constraints]
    if report.constraint_violation_rate is None:
        body = '<p class="muted">No schema was given: constraints were not checked.</p>'
    elif not report.constraint_violations:
        checked = sum(f.checked_values for f in report.fields)
        body = (
            f'<p class="ok">{len(checks):,} constraint checks over {checked:,} values: '
            "none was broken.</p>"
        )
    else:
        rows = [
            [
                esc(c.table),
                f'<span class="mono">{esc(c.path)}</span>',
                esc(c.keyword),
                f'<span class="mono">{esc(json_value(c.expected))}</span>',
                esc(number(c.checked)),
                f'<span class="fail">{esc(number(c.violations))}</span>',
            ]
            for c in report.constraint_violations
        ]
        head = ["table", "field", "keyword", "expected", "checked", "violations"]
        body = (
            '<p class="muted">Non-null values that break a keyword their field declares; for '
            "<code>unique</code>, each repeat of a value already seen.</p>"
            + table_html(head, rows, {4, 5})
        )
    return f'<section id="constraints"><h2>Constraint violations</h2>{body}</section>'


def duplicates(report: QualityReport) -> str:
    """Exact duplicate rows per table."""
    rows = [
        [
            f'<span class="mono">{esc(t.name)}</span>',
            esc(number(t.rows)),
            esc(number(t.duplicate_rows)),
            esc(percent(t.duplicate_row_rate)),
        ]
        for t in report.tables
    ]
    note = (
        '<p class="muted">A row is a duplicate when its canonical JSON (sorted keys) equals an '
        "earlier row of the same table.</p>"
    )
    head = ["table", "rows", "duplicate rows", "duplicate rate"]
    return f'<section id="duplicates"><h2>Duplicate rows</h2>{note}{table_html(head, rows, {1, 2, 3})}</section>'


def references(report: QualityReport) -> str:
    """Each foreign key found by name, with its orphans."""
    if len(report.tables) < 2:
        body = '<p class="muted">One table: there are no references between tables to check.</p>'
    elif not report.references:
        body = (
            '<p class="muted">No foreign key found: a field <code>&lt;table&gt;_id</code> or '
            "<code>&lt;singular table&gt;_id</code> refers to that table's <code>id</code>.</p>"
        )
    else:
        rows = [
            [
                f'<span class="mono">{esc(r.table)}.{esc(r.field)}</span>',
                f'<span class="mono">{esc(r.ref_table)}.{esc(r.ref_field)}</span>',
                esc(number(r.checked)),
                f'<span class="{"fail" if r.orphans else "ok"}">{esc(number(r.orphans))}</span>',
                esc(percent(r.integrity_rate)),
                f'<span class="mono">{esc(", ".join(json_value(v, 40) for v in r.orphan_samples))}</span>',
            ]
            for r in report.references
        ]
        head = ["foreign key", "refers to", "values", "orphans", "integrity", "orphan examples"]
        body = table_html(head, rows, {2, 3, 4})
    return f'<section id="references"><h2>Referential integrity</h2>{body}</section>'
