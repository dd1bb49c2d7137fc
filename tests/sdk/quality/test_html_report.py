"""The HTML quality report: well-formed, one chart per field, offline, and escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.quality import QualityReport, measure_quality
from synthdata_sdk.quality.html_report import render_html

VOID = {"meta", "br", "wbr", "hr", "img", "input", "link", "rect", "line", "path", "circle"}
ATTACK = "<script>alert(1)</script>"


class Page(HTMLParser):
    """Collects tags, chart attributes, and checks every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.charts: list[dict[str, str | None]] = []
        self.svg_first_child: list[str] = []
        self.text: list[str] = []
        self._in_svg_start = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._in_svg_start:
            self.svg_first_child.append(tag)
            self._in_svg_start = False
        if tag == "svg":
            self.charts.append(attributes)
            self._in_svg_start = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []
    return parser


@pytest.fixture(scope="module")
def customer_report() -> QualityReport:
    return SynthDataClient().quality(SynthDataClient().generate("customer", rows=300, seed=2))


@pytest.fixture(scope="module")
def hostile_report() -> QualityReport:
    """Two tables whose names, fields and values try to inject markup and URLs."""
    schema = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok", "late"]},
            "amount": {"type": "number", "minimum": 0},
        },
    }
    orders: list[dict[str, Any]] = [
        {
            "status": ["ok", "late", ATTACK][i % 3],
            "amount": i - 3,
            "customer_id": i % 7,
            "tags": ["a"] * (i % 4),
            ATTACK: "x",
            "link": "https://example.com/x",
            "address": {"city": "<b>Town</b>", "zip": None},
            "mixed": [1, "1", True, None][i % 4],
            "empty": None,
        }
        for i in range(40)
    ]
    orders.append(dict(orders[0]))
    tables = {"customers": [{"id": i} for i in range(5)], 'orders"<x>': orders}
    report = measure_quality(tables, tables={'orders"<x>': schema})
    assert report.schema_errors
    assert report.references
    return report


def test_the_page_parses_and_every_element_is_closed(customer_report: QualityReport) -> None:
    page = render_html(customer_report, title="customers")
    assert page.startswith("<!DOCTYPE html>")
    parsed = parse(page)
    assert [tag for tag, _ in parsed.tags[:1]] == ["html"]


@pytest.mark.parametrize("which", ["customer_report", "hostile_report"])
def test_every_field_has_a_chart_with_a_title(which: str, request: pytest.FixtureRequest) -> None:
    report: QualityReport = request.getfixturevalue(which)
    parsed = parse(render_html(report, title="report"))
    charted = {(c["data-table"], c["data-field"]) for c in parsed.charts}
    assert charted == {(f.table, f.path) for f in report.fields}
    assert parsed.svg_first_child == ["title"] * len(parsed.charts)
    assert all(c.get("role") == "img" for c in parsed.charts)


def test_each_kind_of_field_gets_its_chart(hostile_report: QualityReport) -> None:
    parsed = parse(render_html(hostile_report, title="report"))
    kinds: dict[str, set[str | None]] = {}
    for chart in parsed.charts:
        kinds.setdefault(str(chart["data-field"]), set()).add(chart["data-chart"])
    assert kinds["amount"] == {"values"}
    assert kinds["status"] == {"top-values", "lengths"}
    assert kinds["tags"] == {"items"}
    assert kinds["empty"] == {"presence"}
    assert "presence" not in kinds["mixed"]  # its numbers get a histogram


@pytest.mark.parametrize("which", ["customer_report", "hostile_report"])
def test_the_page_loads_nothing(which: str, request: pytest.FixtureRequest) -> None:
    page = render_html(request.getfixturevalue(which), title="report")
    parsed = parse(page)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "http://" not in page
    assert "https://" not in page
    for _, attributes in parsed.tags:
        assert "src" not in attributes
        assert str(attributes.get("href", "#")).startswith("#")  # in-page anchors only
    assert "@import" not in page and "url(" not in page
    assert {tag for tag, _ in parsed.tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "div", "h1", "h2",
        "h3", "p", "br", "wbr", "span", "section", "table", "thead", "tbody", "tr", "th", "td",
        "a", "code", "article", "dl", "dt", "dd", "ul", "li", "svg", "rect", "line", "text",
        "g", "footer",
    }  # fmt: skip


def test_user_data_comes_out_escaped(hostile_report: QualityReport) -> None:
    page = render_html(hostile_report, title=f"orders {ATTACK}")
    parsed = parse(page)
    assert ATTACK not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page
    assert not any(tag == "script" or tag == "x" for tag, _ in parsed.tags)
    # escaped text reads back as the original: a field named like a tag, a table with a quote
    assert ATTACK in {c["data-field"] for c in parsed.charts}
    assert 'orders"<x>' in {c["data-table"] for c in parsed.charts}
    text = "".join(parsed.text)
    assert f"orders {ATTACK}" in text
    assert "https://example.com/x" in text  # shown, but not as a URL in the source


def test_the_header_shows_the_score_and_its_formula(hostile_report: QualityReport) -> None:
    text = "".join(parse(render_html(hostile_report, title="t")).text)
    assert "validity_rate × (1 − duplicate_row_rate)" in text
    assert f"{hostile_report.score:g}" in text
    for section in ("Schema errors", "Constraint violations", "Duplicate rows"):
        assert section in text
    assert "Referential integrity" in text
    assert "customer_id" in text


def test_an_empty_report_renders() -> None:
    page = render_html(measure_quality([]), title="nothing")
    parsed = parse(page)
    assert parsed.charts == []
    assert "No schema was given" in "".join(parsed.text)
