"""The scanner's fast paths agree with the slow ones they shortcut: the table-driven Luhn
check with stdnum, flat records and CSV rows with the record walk, the block CSV reader
with the line reader, and the reworked detector helpers with their plain definitions."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from synthdata_sdk.quality import readers, scan
from synthdata_sdk.quality import scanner as scanner_module
from synthdata_sdk.quality.detectors import Field, Text, detectors
from synthdata_sdk.quality.detectors.base import digits_of
from synthdata_sdk.quality.detectors.cards import TEST_PANS, is_pan_shape, luhn_passes
from synthdata_sdk.quality.detectors.contact import _EMAIL_DOMAIN, _LOCAL_REVERSED, _nanp
from tests.sdk.quality.planted import FLAGGED, SAFE, luhn_invalid, luhn_valid

ALL = ("gdpr", "hipaa", "pci_dss")
DIGITS = "0123456789"
CARD_RULE = detectors()["payment_card"].judge(luhn_valid("453914", 16), Field())

# --- Luhn and the card judge ------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(digits=st.text(DIGITS, max_size=30) | st.text(max_size=30))
def test_the_luhn_table_agrees_with_stdnum(digits: str) -> None:
    assert luhn_passes(digits) == luhn.is_valid(digits)


def _stdnum_card_judge(value: str) -> str | None:
    """The card judge as it was: stdnum decides every number."""
    digits = value.strip().replace(" ", "").replace("-", "")
    if not is_pan_shape(digits) or not luhn.is_valid(digits) or digits in TEST_PANS:
        return None
    return CARD_RULE


_CARDS = (
    st.sampled_from(sorted(TEST_PANS))
    | st.builds(luhn_valid, st.text(DIGITS, min_size=1, max_size=6), st.integers(13, 19))
    | st.builds(
        luhn_invalid, st.builds(luhn_valid, st.text(DIGITS, min_size=6, max_size=6), st.just(16))
    )
    | st.sampled_from([p.value for p in FLAGGED + SAFE if p.detector == "payment_card"])
    | st.text(DIGITS + " -", max_size=24)
    | st.text(max_size=24)
)


@settings(max_examples=500, deadline=None)
@given(value=_CARDS)
def test_the_card_judge_agrees_with_stdnum_on_random_and_planted_values(value: str) -> None:
    assert detectors()["payment_card"].judge(value, Field()) == _stdnum_card_judge(value)


# --- detector helpers ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30) | st.text(DIGITS + " ()+-.٣", max_size=30))
def test_digits_of_keeps_the_ascii_digits(text: str) -> None:
    assert digits_of(text) == "".join(c for c in text if c in DIGITS)


def _nanp_before(digits: str) -> bool:
    """Whether ten NANP digits break the rule, checked in the original order."""
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return False
    area, exchange = digits[:3], digits[3:6]
    if area[1] == "9" or area[1:] == "11" or exchange[1:] == "11":
        return False
    return not (digits[3:6] == "555" and "0100" <= digits[6:] <= "0199")


@settings(max_examples=300, deadline=None)
@given(
    digits=st.text(DIGITS, min_size=9, max_size=11)
    | st.builds(
        lambda a, b: f"{a}5550{b}",
        st.text(DIGITS, min_size=3, max_size=3),
        st.text(DIGITS, max_size=3),
    )
)
def test_the_nanp_check_keeps_its_verdicts(digits: str) -> None:
    assert (_nanp(digits) is not None) == _nanp_before(digits)


def _email_spans_before(raw: str) -> list[tuple[int, int]]:
    """Email candidates as they were found: the local part measured by its length."""
    spans = []
    for match in _EMAIL_DOMAIN.finditer(raw):
        local = _LOCAL_REVERSED.match(raw[::-1], len(raw) - match.start())
        if local is not None:
            spans.append((match.start() - len(local[0]), match.end()))
    return spans


@settings(max_examples=300, deadline=None)
@given(raw=st.text("ab.-_+@%\n x1", max_size=40))
def test_email_candidates_keep_their_spans(raw: str) -> None:
    found = list(detectors()["email"].candidates(Text(raw), Field()))
    assert found == _email_spans_before(raw)


# --- the scanner: flat records and CSV rows against the record walk ----------------------------


@contextmanager
def _slow_scanner() -> Iterator[None]:
    """Every record walked and every value looked up in the clean cache."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(scanner_module._FlatRows, "take", _never))
        stack.enter_context(mock.patch.object(scanner_module._FlatRows, "learn", _nothing))
        stack.enter_context(mock.patch.object(scanner_module, "DISTINCT_BATCHES", 0))
        yield


def _never(*_: Any) -> bool:
    return False


def _nothing(*_: Any) -> None:
    return None


@contextmanager
def _small_batches() -> Iterator[None]:
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(scanner_module, "BATCH_ROWS", 3))
        stack.enter_context(mock.patch.object(scanner_module, "CLEAN_CACHE_SIZE", 2))
        yield


_PLANTED = [p.value for p in FLAGGED + SAFE]
_TEXTS = st.sampled_from(_PLANTED) | st.text("0123456789 -@.abc", max_size=12)
_VALUES = _TEXTS | st.integers(-10, 10**16) | st.none() | st.lists(_TEXTS, max_size=2)
_KEYS = st.sampled_from(["email", "phone", "card", "ssn", "note", "zip"])
_RECORDS = st.lists(
    st.dictionaries(_KEYS, _VALUES, max_size=4)
    | st.fixed_dictionaries({"email": _TEXTS, "phone": _TEXTS, "card": _TEXTS}),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(records=_RECORDS)
def test_flat_records_and_distinct_columns_scan_as_walked_records(
    records: list[dict[str, Any]],
) -> None:
    with _small_batches():
        fast = scan(records, ALL).to_json()
        with _slow_scanner():
            slow = scan(records, ALL).to_json()
    assert fast == slow


_CELLS = _TEXTS | st.sampled_from(["", "a,b", 'say "hi"', "two\nlines", "x\r\ny"])
_ROWS = st.lists(st.lists(_CELLS, min_size=0, max_size=5), max_size=14)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=100, deadline=None)
@given(
    header=st.sampled_from([["email", "phone", "card"], ["a", "a", "b"], ["note"]]),
    rows=_ROWS,
)
def test_csv_rows_scan_as_the_csv_records(header: list[str], rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "data.csv")
        path.write_text(_csv_text(header, rows), encoding="utf-8")
        (table,) = readers.iter_tables(str(path))
        with _small_batches():
            from_rows = scan(str(path), ALL).to_json()
            with _slow_scanner():
                from_records = scan(list(table.records), ALL, table=str(path)).to_json()
    from_records["bytes_scanned"] = from_rows["bytes_scanned"]  # a file counts its size
    assert from_rows == from_records


# --- the CSV reader: blocks against lines --------------------------------------------------------

_PIECES = st.sampled_from(
    [b"a", b"1", b",", b"\n", b"\r\n", b"\r", b'"', b'"q,\nx"', b" ", b"\xc3\xa9", b"\xff", b"\0"]
)


def _outcome(rows: Iterator[list[str]]) -> tuple[list[list[str]], str | None]:
    """The rows read before an error, and the error."""
    seen: list[list[str]] = []
    try:
        for row in rows:
            seen.append(row)
    except readers.ReadError as error:
        return seen, str(error)
    return seen, None


def _by_line(name: str) -> Iterator[list[str]]:
    return (row for _, row in readers._csv_rows_by_line(name))


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=40),
    bom=st.booleans(),
    block=st.integers(1, 12),
    chunk=st.integers(1, 4),
    cap=st.sampled_from([8, 20, readers.MAX_RECORD_BYTES]),
)
def test_the_block_reader_reads_as_the_line_reader(
    pieces: list[bytes], bom: bool, block: int, chunk: int, cap: int
) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        path = str(Path(folder, "data.csv"))
        Path(path).write_bytes(data)
        stack.enter_context(mock.patch.object(readers, "BLOCK_BYTES", block))
        stack.enter_context(mock.patch.object(readers, "CSV_CHUNK_ROWS", chunk))
        stack.enter_context(mock.patch.object(readers, "MAX_RECORD_BYTES", cap))
        assert _outcome(readers._csv_rows(path)) == _outcome(_by_line(path))


def test_a_long_clean_csv_is_read_by_blocks_alone(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    rows = [[f"{i}", f"name {i}", "two\nlines" if i % 7 == 0 else ""] for i in range(3000)]
    path.write_text(_csv_text(["id", "name", "note"], rows), encoding="utf-8")

    with mock.patch.object(readers, "_csv_rows_by_line", side_effect=AssertionError):
        read = list(readers._csv_rows(str(path)))

    assert read[1:] == rows


def test_the_luhn_rule_text_is_the_card_rule() -> None:
    assert CARD_RULE is not None and re.search("Luhn", CARD_RULE)
