"""Template search (BM25 over the catalogue) and prompts: what a prompt resolves to, the error
when it resolves to nothing, the ``templates search`` command, and that none of it needs the
generation engine.

``PROMPTS`` is the documented table: docs/templates.md shows the same rows (checked below).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import RequestError, UnresolvedPromptError
from synthdata_sdk.schema.bm25 import BM25, stem, tokens
from synthdata_sdk.schema.prompt import MIN_SCORE, ResolvedPrompt, parse_rows, resolve_prompt
from synthdata_sdk.schema.template_search import _index, search
from synthdata_sdk.schema.templates import list_bundles, list_templates
from tests.sdk.cli_support import Run

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "templates.md"

#: prompt -> (template or bundle, rows); rows None: the prompt writes no count
PROMPTS: list[tuple[str, str, int | None]] = [
    ("500 patients with diagnoses", "healthcare", 500),
    ("customers and their orders", "retail", None),
    ("accounts with transactions", "banking", None),
    ("users and subscriptions", "saas", None),
    ("patients", "patient", None),
    ("a thousand orders", "order", 1000),
    ("1k customers", "customer", 1000),
    ("10,000 transactions", "transaction", 10000),
    ("order items for a shop", "order_item", None),
    ("200 products in a catalogue", "product", 200),
    ("hospital visits", "encounter", None),
    ("50 prescriptions", "prescription", 50),
    ("ICD-10 codes", "diagnosis", None),
    ("bank accounts", "account", None),
    ("credit cards", "payment_card", None),
    ("card payments", "payment", None),
    ("staff salaries", "employee", None),
    ("two hundred employees", "employee", 200),
    ("iot sensor readings", "telemetry_event", None),
    ("network devices", "device", None),
    ("users", "user_account", None),
    ("saas subscriptions", "subscription", None),
    ("2.5k audit log entries", "audit_log", 2500),
    ("security events", "audit_log", None),
    ("a dozen drugs", "prescription", 12),
    ("merchant spending", "transaction", None),
    ("10_000 telemetry events", "telemetry_event", 10000),
]

UNRESOLVABLE = ["banana smoothies", "500 invoices", "names", "dates", "addresses", "people"]


# ----------------------------------------------------------------------------------------
# the documented prompts


@pytest.mark.parametrize(("prompt", "template", "rows"), PROMPTS)
def test_documented_prompt_resolves_to_its_template(
    prompt: str, template: str, rows: int | None
) -> None:
    resolved = resolve_prompt(prompt)

    kind = "bundle" if template in list_bundles() else "template"
    assert (resolved.name, resolved.kind, resolved.rows) == (template, kind, rows)
    assert resolved.score >= MIN_SCORE
    assert template not in resolved.alternatives
    assert len(resolved.alternatives) <= 3


def test_the_docs_show_the_same_prompt_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| `(\w+)` \| (\S+) \|$", text, flags=re.MULTILINE)
    shown = [(prompt, name, None if count == "—" else int(count)) for prompt, name, count in rows]
    assert shown == PROMPTS


def test_a_prompt_naming_one_table_of_a_bundle_gets_the_template() -> None:
    # "order items" names the retail bundle's order_items (its "order" is part of that name,
    # not the orders table): one kind of record, so the template
    resolved = resolve_prompt("order items for a shop")
    assert (resolved.name, resolved.kind) == ("order_item", "template")
    assert resolve_prompt("patients with diagnoses", kinds=("template",)).name == "diagnosis"


def test_a_bundle_prompt_generates_the_related_tables() -> None:
    dataset = SynthDataClient().generate(prompt="12 customers and their orders", seed=3)
    assert list(dataset.tables) == ["customers", "products", "orders", "order_items"]
    assert len(dataset.tables["customers"]) == 12
    ids = {row["id"] for row in dataset.tables["customers"]}
    assert all(row["customer_id"] in ids for row in dataset.tables["orders"])


def test_resolved_prompt_is_frozen() -> None:
    resolved = resolve_prompt("patients")
    with pytest.raises(AttributeError):
        resolved.name = "order"  # type: ignore[misc]


# ----------------------------------------------------------------------------------------
# counts


@pytest.mark.parametrize(
    ("text", "rows", "rest"),
    [
        ("500 patients", 500, "patients"),
        ("10,000 orders", 10_000, "orders"),
        ("10_000 orders", 10_000, "orders"),
        ("1k users", 1_000, "users"),
        ("1K users", 1_000, "users"),
        ("2.5k devices", 2_500, "devices"),
        ("1m events", 1_000_000, "events"),
        ("10 thousand accounts", 10_000, "accounts"),
        ("a billion events", 1_000_000_000, "events"),
        ("500 mg doses", 500, "mg doses"),
        ("a thousand orders", 1_000, "orders"),
        ("A hundred orders", 100, "orders"),
        ("two hundred products", 200, "products"),
        ("ten thousand employees", 10_000, "employees"),
        ("a dozen drugs", 12, "drugs"),
        ("twelve patients", 12, "patients"),
        ("orders, 300 of them", 300, "orders, of them"),
        ("an order", None, "an order"),
        ("ICD-10 diagnoses", None, "ICD-10 diagnoses"),
        ("ipv4 devices", None, "ipv4 devices"),
        ("patients", None, "patients"),
    ],
)
def test_parse_rows_reads_the_first_count(text: str, rows: int | None, rest: str) -> None:
    assert parse_rows(text) == (rows, rest)


def test_a_fractional_count_is_refused() -> None:
    with pytest.raises(RequestError, match=r"'2\.5' is not a whole number"):
        parse_rows("2.5 patients")


# ----------------------------------------------------------------------------------------
# the error path


@pytest.mark.parametrize("prompt", UNRESOLVABLE)
def test_an_unresolvable_prompt_is_a_typed_error_naming_the_nearest(prompt: str) -> None:
    with pytest.raises(UnresolvedPromptError) as caught:
        resolve_prompt(prompt)

    error = caught.value
    assert isinstance(error, RequestError)  # the CLI's exit 2
    assert error.prompt == prompt
    hits = search(parse_rows(prompt)[1], kinds=("template",))
    assert error.nearest == tuple(hit.name for hit in hits[:3])
    assert all(hit.score < MIN_SCORE for hit in hits)
    assert "synthdata templates search" in str(error)
    for name in error.nearest:
        assert name in str(error)


def test_the_nearest_are_listed_when_some_words_match() -> None:
    with pytest.raises(UnresolvedPromptError) as caught:
        resolve_prompt("addresses")
    assert caught.value.nearest[0] == "customer"
    assert "nearest: customer, " in str(caught.value)


def test_a_prompt_of_no_known_word_says_so() -> None:
    with pytest.raises(UnresolvedPromptError, match="no word of it is in the library"):
        resolve_prompt("banana smoothies")


@pytest.mark.parametrize("prompt", ["", "   ", 5, None])
def test_a_prompt_must_be_text(prompt: object) -> None:
    with pytest.raises(RequestError):
        resolve_prompt(prompt)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------
# the client


def test_generate_with_a_prompt_is_generate_with_the_resolved_template() -> None:
    client = SynthDataClient()

    by_prompt = client.generate(prompt="12 hospital visits", seed=3)
    by_name = client.generate("encounter", rows=12, seed=3)

    assert by_prompt.fingerprint == by_name.fingerprint
    assert by_prompt.records == by_name.records


def test_a_prompt_without_a_count_keeps_rows() -> None:
    dataset = SynthDataClient().generate(prompt="bank accounts", rows=7)
    assert len(dataset.records) == 7
    assert set(dataset.records[0]) >= {"account_id", "iban", "balance"}


def test_client_resolve_prompt_pins_the_request() -> None:
    resolved = SynthDataClient().resolve_prompt("500 patients with diagnoses")
    assert isinstance(resolved, ResolvedPrompt)
    assert (resolved.name, resolved.kind, resolved.rows) == ("healthcare", "bundle", 500)
    assert resolved.alternatives[0] == "diagnosis"


@pytest.mark.parametrize(
    "arguments", [{}, {"source": "customer", "prompt": "customers"}], ids=["neither", "both"]
)
def test_generate_takes_exactly_one_of_source_and_prompt(arguments: dict[str, str]) -> None:
    with pytest.raises(RequestError, match="exactly one of source and prompt"):
        SynthDataClient().generate(**arguments)


def test_a_count_past_the_row_limit_is_the_usual_request_error() -> None:
    with pytest.raises(RequestError, match="rows"):
        SynthDataClient().generate(prompt="a billion orders")


def test_generate_with_an_unresolvable_prompt_raises() -> None:
    with pytest.raises(UnresolvedPromptError):
        SynthDataClient().generate(prompt="500 banana smoothies")


# ----------------------------------------------------------------------------------------
# ranking


@pytest.mark.parametrize("name", [*list_templates(), *list_bundles()])
def test_a_query_of_an_exact_name_ranks_it_first(name: str) -> None:
    for query in (name, name.replace("_", " ")):
        hits = search(query)
        assert hits[0].name == name, (query, hits[:2])
        assert len(hits) == 1 or hits[0].score > hits[1].score


def test_a_plural_finds_what_the_singular_finds() -> None:
    pairs = [("diagnosis", "diagnoses"), ("category", "categories"), ("analysis", "analyses")]
    for singular, plural in pairs:
        assert stem(singular) == stem(plural)
    assert [h.name for h in search("diagnoses")] == [h.name for h in search("diagnosis")]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("patients", "patient"),
        ("addresses", "address"),
        ("statuses", "status"),
        ("address", "address"),
        ("ids", "ids"),
        ("ipv4", "ipv4"),
    ],
)
def test_stem_folds_plurals_only(word: str, stemmed: str) -> None:
    assert stem(word) == stem(stemmed) == stemmed


def test_tokens_split_field_names_and_drop_stopwords() -> None:
    assert tokens("customer_id of billingZip with 500 rows") == [
        "customer",
        "id",
        "billing",
        "zip",
        "500",
    ]


def test_kinds_and_limit_filter_the_hits() -> None:
    assert {hit.kind for hit in search("patients", kinds=("bundle",))} == {"bundle"}
    assert len(search("patients", limit=2)) == 2


def test_bm25_scores_a_rarer_term_higher() -> None:
    index = BM25.build([["a", "b"], ["a", "c"], ["a", "b"]])
    assert index.scores(["c"])[1] > index.scores(["a"])[1] > 0
    assert index.scores(["z"]) == [0.0, 0.0, 0.0]


# words of the library, and words that are in no document
_INDEX_WORDS = sorted({term for entry in _index()[0] for term in entry.terms if term[0].isalpha()})
_WORDS = st.sampled_from(_INDEX_WORDS)
_UNKNOWN = st.from_regex(r"\Aqx[a-z]{1,8}\Z")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_WORDS, _UNKNOWN), max_size=6))
def test_scores_are_non_negative_and_zero_only_without_a_shared_word(words: list[str]) -> None:
    entries, index, _ = _index()
    scores = index.scores(words)
    for entry, score in zip(entries, scores, strict=True):
        assert score >= 0
        assert (score > 0) == bool(set(words) & set(entry.terms))


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=5), _UNKNOWN)
def test_appending_an_unknown_word_changes_no_score(words: list[str], unknown: str) -> None:
    query = " ".join(words)
    before = [(hit.name, hit.score) for hit in search(query)]
    after = [(hit.name, hit.score) for hit in search(f"{query} {unknown}")]
    assert after == before


# ----------------------------------------------------------------------------------------
# the command


def test_templates_search_prints_ranked_names_scores_and_descriptions(run: Run) -> None:
    code, out, err = run("templates", "search", "patients with diagnoses")

    assert (code, err) == (0, "")
    hits = search("patients with diagnoses")
    lines = out.splitlines()
    assert len(lines) == len(hits)
    for line, hit in zip(lines, hits, strict=True):
        assert line.split()[:3] == [hit.name, hit.kind, f"{hit.score:.2f}"]
        assert line.endswith(hit.description)
    assert lines[0].split()[:2] == ["healthcare", "bundle"]


def test_templates_search_json_and_limit(run: Run) -> None:
    code, out, _ = run("templates", "search", "card", "payments", "--json", "--limit", "2")

    assert code == 0
    document = json.loads(out)
    assert [(hit["name"], hit["kind"]) for hit in document] == [
        (hit.name, hit.kind) for hit in search("card payments", limit=2)
    ]
    assert set(document[0]) == {"name", "kind", "score", "description"}


def test_templates_search_with_no_hit_exits_1(run: Run) -> None:
    code, out, err = run("templates", "search", "banana")
    assert (code, out) == (1, "")
    assert err == "synthdata: no template or bundle matches 'banana'\n"


def test_templates_search_with_no_hit_quotes_a_long_query_cut_short(run: Run) -> None:
    code, _, err = run("templates", "search", "x" * 100_000)
    assert code == 1
    assert err.startswith("synthdata: no template or bundle matches 'xxx")
    assert len(err) < 200 and "...'" in err


@pytest.mark.parametrize(
    "argv",
    [["templates", "search"], ["templates", "order", "extra"], ["templates", "order", "--json"]],
)
def test_templates_usage_errors_exit_2(run: Run, argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("synthdata: error: ")


def test_templates_prints_a_bundle_as_its_table_set(run: Run) -> None:
    code, out, _ = run("templates", "retail")
    assert code == 0
    assert list(json.loads(out)["tables"]) == ["customers", "products", "orders", "order_items"]


# ----------------------------------------------------------------------------------------
# no engine needed


def test_the_library_search_and_prompts_import_nothing_of_the_engine() -> None:
    code = (
        "import sys\n"
        "import synthdata_sdk.schema.templates, synthdata_sdk.schema.template_search\n"
        "import synthdata_sdk.schema.prompt\n"
        "synthdata_sdk.schema.prompt.resolve_prompt('500 patients')\n"
        "loaded = [m for m in sys.modules if m.startswith(('synthdata_sdk.generation',"
        " 'synthdata_sdk.formats', 'synthdata_sdk.quality', 'numpy', 'faker'))]\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout == "[]\n"


@pytest.mark.parametrize(
    ("query", "words"),
    [("ünïcødé", ["ünïcødé"]), ("患者 🙂", ["患者"]), ("Straße", ["straße"]), ("naïve", ["naïve"])],
)
def test_a_word_outside_ascii_is_one_word_not_its_ascii_letters(
    query: str, words: list[str]
) -> None:
    # before: 'ünïcødé' was read as the words n, c and d, and ranked telemetry_event
    assert tokens(query) == words
    assert search(query) == []


@pytest.mark.parametrize("prompt", ["-5 customers", "customers: -200", "−5 customers"])
def test_a_negative_count_is_refused_not_ignored(prompt: str) -> None:
    # before: the sign kept the number from being read as a count, so '-5 customers' got the
    # default rows without a word
    with pytest.raises(RequestError, match="is negative"):
        resolve_prompt(prompt)


def test_an_unresolved_prompt_of_any_length_has_a_short_message() -> None:
    with pytest.raises(UnresolvedPromptError) as raised:
        resolve_prompt("zq" * 50_000)
    assert len(str(raised.value)) < 400
    assert raised.value.nearest == ()


@pytest.mark.parametrize(
    ("text", "rows"), [("1e6 customers", 1_000_000), ("2.5e3 orders", 2500), ("1E4 users", 10_000)]
)
def test_a_count_in_e_notation_is_read(text: str, rows: int) -> None:
    # before: the exponent kept the number from being read, and the default rows applied
    assert parse_rows(text)[0] == rows


@pytest.mark.parametrize("text", ["9" * 400 + " customers", "1e9999 customers", "1e100 users"])
def test_a_count_past_any_dataset_is_a_request_error(text: str) -> None:
    # before: 400 nines were read as a float, infinity, and int() raised OverflowError
    with pytest.raises(RequestError, match="more rows than a dataset can have") as raised:
        parse_rows(text)
    assert len(str(raised.value)) < 300


@pytest.mark.parametrize("text", ["10**9 customers", "10^6 users"])
def test_a_power_is_refused_rather_than_read_as_its_base(text: str) -> None:
    # before: '10**9 customers' asked for 10 rows
    with pytest.raises(RequestError, match="is a power"):
        parse_rows(text)
