"""``scan``: walk every value of every record and judge every candidate identifier in it.

Input is a ``Dataset``, an iterable of records (nested dicts and lists, or bare scalars),
or a path to a file or directory (read by ``quality.readers``). Strings are scanned whole
and as free text; integers too by number-shaped detectors (a card number stored as an
int); booleans, ``None`` and floats are skipped.

Records are walked in batches. Each field collects its values; a value the field has
already found clean is counted from a bounded cache, and the others are joined with
newlines and scanned by each detector in one pass (see ``detectors.base``), so the cost
per value is a few list appends rather than a dozen regex calls.

Shortcuts that never change a finding: a flat record (a dict of strings with the keys of
the last one walked) and a CSV row as wide as its header skip the walk and reach their
columns in one transpose per batch (``_FlatRows``); a column of distinct values whose
cache is full is scanned without cache lookups for a few batches (``DISTINCT_BATCHES``).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, filterfalse, repeat
from typing import Any, Protocol

from synthdata_sdk.errors import RequestError
from synthdata_sdk.quality.detectors.base import Detector, Text, detectors
from synthdata_sdk.quality.detectors.fields import (
    Field,
    field_for,
    items_schema,
    property_schema,
    schema_semantic,
)
from synthdata_sdk.quality.findings import ComplianceReport, ScanError, Violation
from synthdata_sdk.quality.profiles import (
    DEFAULT_PROFILES,
    detectors_for,
    enforcing,
    resolve_profiles,
)

#: clean values remembered per field; beyond this a field's values are always scanned
CLEAN_CACHE_SIZE = 16_384
#: batches a column of distinct values (its clean cache full) is scanned without looking
#: its values up; the lookup is only a shortcut, so findings and counts never depend on it
DISTINCT_BATCHES = 8
#: records walked before their values are scanned column by column
BATCH_ROWS = 2048
#: values buffered before a batch is scanned early (records with long lists)
BATCH_VALUES = 200_000
#: the table name of in-memory records when none is given
DEFAULT_TABLE = "data"

#: a batch of canonical UUIDs (8-4-4-4-12 hex), one per line: it holds no candidate for
#: detectors that do not read UUIDs (see ``Detector.reads_uuids``)
_UUID_LINES = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"(?:\n[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})*",
    re.ASCII,
)
#: a judged candidate inside one value: detector, rule, start, end
_Finding = tuple[Detector, str, int, int]


class SecondOpinion(Protocol):
    """Another candidate finder whose spans our judges decide (see ``quality.presidio``)."""

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """``(detector name, start, end)`` of each span it finds in ``text``."""
        ...


@dataclass(frozen=True)
class _Table:
    """Records to scan; with ``csv_rows``, CSV rows instead (``readers.CsvRecords.rows``:
    the header row, then each record's row)."""

    name: str
    records: Iterable[Any]
    schema: Mapping[str, Any] | None
    size: int | None = None
    csv_rows: bool = False


def scan(
    data: Any,
    profiles: str | Iterable[str] = DEFAULT_PROFILES,
    *,
    table: str | None = None,
    schema: Mapping[str, Any] | None = None,
    presidio: bool = False,
) -> ComplianceReport:
    """Scan ``data`` for identifiers that no safe rule of ``profiles`` covers.

    ``table`` names in-memory records (default: the dataset's name, else ``data``);
    ``schema`` supplies each field's semantic (default: a dataset's own schema); file
    inputs are named by their path. ``presidio=True`` adds Microsoft Presidio's pattern
    recognizers as a second candidate finder (needs the ``presidio`` extra). Unknown
    profiles raise ``RequestError``. ``bytes_scanned`` counts file sizes for paths and the
    characters of scanned values for in-memory records.
    """
    chosen = resolve_profiles(profiles)
    registry = detectors()
    active = tuple(registry[name] for name in detectors_for(chosen))
    opinion: SecondOpinion | None = None
    if presidio:
        from synthdata_sdk.quality.presidio import PresidioOpinion

        opinion = PresidioOpinion(active)
    report = ComplianceReport(profiles=chosen)
    walker = _Walker(report, active, chosen, opinion)
    for source in _tables(data, table, schema, report):
        walker.table(source)
    return report


def _tables(
    data: Any, table: str | None, schema: Mapping[str, Any] | None, report: ComplianceReport
) -> Iterator[_Table]:
    from synthdata_sdk.dataset import Dataset, default_table_name

    if isinstance(data, Dataset):
        name = table or default_table_name(data.request)
        yield _Table(name, data.records, schema if schema is not None else data.schema)
    elif isinstance(data, (str, os.PathLike)):
        yield from _file_tables(data, schema, report)
    elif isinstance(data, Mapping):
        yield _Table(table or DEFAULT_TABLE, [data], schema)
    elif isinstance(data, Iterable) and not isinstance(data, (bytes, bytearray)):
        yield _Table(table or DEFAULT_TABLE, data, schema)
    else:
        raise RequestError(
            f"cannot scan {type(data).__name__}: expected a Dataset, an iterable of records"
            " or a path"
        )


def _file_tables(
    path: str | os.PathLike[str], schema: Mapping[str, Any] | None, report: ComplianceReport
) -> Iterator[_Table]:
    from synthdata_sdk.quality.readers import CsvRecords, ReadError, TableInput, iter_tables

    def guarded(item: TableInput, records: Iterable[Any]) -> Iterator[Any]:
        """The table's records; a read error ends the table with a ``ScanError``."""
        try:
            yield from records
        except ReadError as error:
            report.errors.append(ScanError(source=item.name, message=str(error)))

    try:
        for item in iter_tables(path):
            if isinstance(item.records, CsvRecords):  # rows: no dict per record
                rows = guarded(item, item.records.rows())
                yield _Table(item.name, rows, schema, item.size, csv_rows=True)
            else:
                yield _Table(item.name, guarded(item, item.records), schema, item.size)
    except ReadError as error:
        report.errors.append(ScanError(source=os.fspath(path), message=str(error)))


class _Column:
    """One field's values buffered for a batch (with their rows, and their paths when the
    field sits inside a list), the detectors that read them, and values found clean."""

    __slots__ = (
        "clean",
        "counted",
        "distinct",
        "order",
        "path",
        "paths",
        "plan",
        "rows",
        "values",
    )

    def __init__(self, plan: tuple[Detector, ...], path: str | None, order: int) -> None:
        self.plan = plan
        #: the path of every value, unless the field sits inside a list
        self.path = path
        #: creation order, which is the order fields are met in a record
        self.order = order
        self.values: list[str] = []
        self.rows: list[int] = []
        self.paths: list[str] = []
        self.clean: dict[str, int] = {}
        #: whether a value in ``clean`` holds candidates (else its counts need no lookup)
        self.counted = False
        #: batches left to scan whole: a full cache met only new values (see DISTINCT_BATCHES)
        self.distinct = 0


def _all_text(values: tuple[Any, ...]) -> bool:
    """Whether every one of ``values`` is a string (``str.join`` checks them in C)."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _occurrence_counts(
    values: list[str], clean: Mapping[str, int], todo: list[str], counts: list[int]
) -> int:
    """The candidates in all of ``values``: each value's count from the cache ``clean``, or
    for a value just scanned (``todo``, none of them cached) from ``counts``."""
    zeros = repeat(0)
    total = sum(map(clean.get, values, zeros)) if clean else 0
    if any(counts):
        total += sum(map(dict(zip(todo, counts, strict=True)).get, values, zeros))
    return total


def _value_indices(
    spans: list[tuple[int, int]], starts: list[int], firsts: Mapping[int, int]
) -> list[int]:
    """The index of the value holding each span: looked up in ``firsts`` (value index by
    start offset) for a span that starts its value, the usual case, else by bisection."""
    return [
        firsts[start] if start in firsts else bisect_right(starts, start) - 1 for start, _ in spans
    ]


def _add_findings(
    findings: dict[int, list[_Finding]],
    detector: Detector,
    rules: list[str | None],
    indices: list[int],
    spans: list[tuple[int, int]],
    starts: list[int],
) -> None:
    """Add each candidate with a rule to the findings of its value (spans made relative)."""
    for rule, index, (start, end) in zip(rules, indices, spans, strict=True):
        if rule is not None:
            base = starts[index]
            findings.setdefault(index, []).append((detector, rule, start - base, end - base))


class _FlatRows:
    """Flat records (every value a string) with the keys of the last one walked.

    Such a record needs no walk: its values are kept as a tuple and, before its columns
    are scanned, all of them are moved column by column (``settle``). ``take`` only accepts
    a record that continues the buffered rows, so each column receives exactly the values,
    in the same order, that walking the records one by one would have given it.
    """

    __slots__ = ("columns", "keys", "rows", "start")

    def __init__(self) -> None:
        #: the keys of the last flat record walked, and the text column of each key
        self.keys: tuple[Any, ...] | None = None
        self.columns: tuple[_Column, ...] = ()
        self.rows: list[Sequence[Any]] = []
        #: the row of ``rows[0]``
        self.start = 0

    def take(self, record: Any, row: int) -> bool:
        """Buffer ``record`` (record number ``row``) if it is flat with the learned keys."""
        if type(record) is not dict or self.keys is None or tuple(record) != self.keys:
            return False
        values = tuple(record.values())
        if not _all_text(values):
            return False
        self.add(values, row)
        return True

    def add(self, values: Sequence[str], row: int) -> None:
        """Buffer the values of a record (number ``row``) with the learned keys, in order."""
        if not self.rows:
            self.start = row
        self.rows.append(values)

    def learn(self, record: Any, root: _Node) -> None:
        """Accept records with the keys of ``record`` from now on, if it is a flat dict
        that was just walked from ``root`` (so each key has its node)."""
        if type(record) is dict and _all_text(tuple(record.values())):
            self.keys = tuple(record)
            self.columns = tuple(root.children[key].texts for key in self.keys)

    def settle(self) -> None:
        """Move the buffered rows' values into their columns."""
        if not self.rows:
            return
        rows = range(self.start, self.start + len(self.rows))
        for column, values in zip(self.columns, zip(*self.rows, strict=True), strict=True):
            column.values.extend(values)
            column.rows.extend(rows)
        self.rows.clear()


class _Node:
    """A field during a scan: its context, its text and integer columns, its children.

    ``path`` is the field's path when it is the same for every record (no list above it),
    else ``None`` and the walk builds each value's path.
    """

    __slots__ = ("children", "field", "ints", "item", "path", "schema", "texts")

    def __init__(
        self,
        field: Field,
        schema: Mapping[str, Any] | None,
        path: str | None,
        walker: _Walker,
    ) -> None:
        self.field = field
        self.schema = schema
        self.path = path
        reading = tuple(d for d in walker.active if d.active(field))
        order = len(walker.all_columns)
        self.texts = walker.add_column(_Column(reading, path, order), field)
        numeric = tuple(d for d in reading if d.numeric)
        self.ints = walker.add_column(_Column(numeric, path, order + 1), field)
        self.children: dict[Any, _Node] = {}
        self.item: _Node | None = None

    def child(self, key: Any, walker: _Walker) -> _Node:
        """The node of the value under ``key`` (created on first use)."""
        node = self.children.get(key)
        if node is None:
            name = str(key)
            sub = property_schema(self.schema, name)
            path = None if self.path is None else f"{self.path}.{name}" if self.path else name
            node = self.children[key] = _Node(field_for(name, sub), sub, path, walker)
        return node

    def list_item(self, walker: _Walker) -> _Node:
        """The node of this list's items: they take the list's name."""
        if self.item is None:
            sub = items_schema(self.schema)
            semantic = schema_semantic(sub) or self.field.semantic
            self.item = _Node(Field(self.field.name, semantic), sub, None, walker)
        return self.item


class _Walker:
    """Walks records into columns, scans them batch by batch and fills the report."""

    def __init__(
        self,
        report: ComplianceReport,
        active: tuple[Detector, ...],
        profiles: tuple[str, ...],
        opinion: SecondOpinion | None,
    ) -> None:
        self.report = report
        self.active = active
        self.opinion = opinion
        self.by_name = {d.name: d for d in active}
        self.profiles = {d.name: enforcing(d.name, profiles) for d in active}
        self.table_name = ""
        self.row = 0
        self.buffered = 0
        self.chars = 0
        #: whether ``chars`` is wanted: ``bytes_scanned`` of records with no file size
        self.count_chars = True
        self.all_columns: list[tuple[_Column, Field]] = []
        self.flat = _FlatRows()

    def add_column(self, column: _Column, field: Field) -> _Column:
        """Register a new column (its place in the list is its place in record order)."""
        self.all_columns.append((column, field))
        return column

    def table(self, source: _Table) -> None:
        """Scan every record of one table."""
        report = self.report
        report.tables.append(source.name)
        self.table_name = source.name
        self.chars = 0
        self.count_chars = source.size is None
        self.all_columns = []
        self.flat = _FlatRows()
        root = _Node(Field(), source.schema, "", self)
        if source.csv_rows:
            self._csv_rows(source.records, root)
        else:
            self._records(source.records, root)
        self.flush()
        report.bytes_scanned += self.chars if source.size is None else source.size

    def _records(self, records: Iterable[Any], root: _Node) -> None:
        """Buffer each record, scanning the buffered columns every batch."""
        flat = self.flat
        next_flush = BATCH_ROWS
        for row, record in enumerate(records):
            if flat.take(record, row):
                self.buffered += len(flat.columns)
            else:
                self._walk_record(record, row, root)
            next_flush = self._counted(row, next_flush)

    def _csv_rows(self, rows: Iterable[list[str]], root: _Node) -> None:
        """``_records`` for CSV rows: a row as wide as the header (of distinct names) is
        buffered as it is, once a record of the header's keys taught ``flat`` its columns;
        any other row is walked as the record readers would give."""
        from synthdata_sdk.quality.readers import csv_record

        rows = iter(rows)
        header = next(rows, None)
        if header is None:
            return
        keys = tuple(header)
        width = len(keys) if len(set(keys)) == len(keys) else -1  # repeated names: records
        flat = self.flat
        fast = False
        next_flush = BATCH_ROWS
        for row, values in enumerate(rows):
            if fast and len(values) == width:
                flat.add(values, row)
                self.buffered += width
            else:
                self._walk_record(csv_record(header, values), row, root)
                fast = flat.keys == keys
            next_flush = self._counted(row, next_flush)

    def _counted(self, row: int, next_flush: int) -> int:
        """Count record ``row`` as read and scan the buffered columns when the batch is full
        (``BATCH_ROWS`` records, or ``BATCH_VALUES`` values); returns the next flush row."""
        self.report.rows += 1
        if row + 1 >= next_flush or self.buffered >= BATCH_VALUES:
            self.flush()
            return row + 1 + BATCH_ROWS
        return next_flush

    def _walk_record(self, record: Any, row: int, root: _Node) -> None:
        """Walk one record (after the flat rows before it), and learn its keys if flat."""
        self.flat.settle()
        self.row = row
        self.walk(record, root, "")
        self.flat.learn(record, root)

    def walk(self, value: Any, node: _Node, path: str) -> None:
        """Buffer ``value`` (and what it holds); ``path`` matters only inside lists."""
        if isinstance(value, str):
            self._buffer(node.texts, value, path)
        elif isinstance(value, Mapping):
            self.buffered += len(value)
            row, children, dynamic = self.row, node.children, node.path is None
            for key, item in value.items():
                child = children.get(key) or node.child(key, self)
                if type(item) is str:  # the common case, inlined
                    column = child.texts
                    column.values.append(item)
                    column.rows.append(row)
                    if dynamic:
                        column.paths.append(f"{path}.{key}")
                else:
                    self.walk(item, child, f"{path}.{key}" if dynamic else "")
        elif isinstance(value, (list, tuple)):
            self.buffered += len(value)
            item_node = node.item or node.list_item(self)
            for index, item in enumerate(value):
                self.walk(item, item_node, f"{path or node.path}[{index}]")
        elif isinstance(value, int) and not isinstance(value, bool):
            self._buffer(node.ints, str(value), path)

    def _buffer(self, column: _Column, value: str, path: str) -> None:
        column.values.append(value)
        column.rows.append(self.row)
        if column.path is None:
            column.paths.append(path)

    def flush(self) -> None:
        """Scan the buffered columns and add their violations in record order."""
        self.flat.settle()
        found: list[tuple[int, int, int, int, Violation]] = []
        for column, field in self.all_columns:
            if column.values:
                self.report.values += len(column.values)
                if self.count_chars:
                    self.chars += sum(map(len, column.values))
                if column.plan:
                    self._column(column, field, found)
                column.values.clear()
                column.rows.clear()
                column.paths.clear()
        self.buffered = 0
        found.sort(key=lambda item: item[:4])
        self.report.violations.extend(item[4] for item in found)

    def _column(
        self, column: _Column, field: Field, found: list[tuple[int, int, int, int, Violation]]
    ) -> None:
        if column.distinct:  # a column of distinct values: no repeat to look up
            column.distinct -= 1
            counts, findings = self._scan_values(column.values, field, column.plan)
            self.report.candidates += sum(counts)
            bad = {column.values[i]: value_findings for i, value_findings in findings.items()}
        else:
            bad = self._column_cached(column, field)
        if bad:
            self._report(column, bad, found)

    def _column_cached(self, column: _Column, field: Field) -> dict[str, list[_Finding]]:
        """Scan the values of ``column`` not found clean before; the findings by value."""
        clean, values = column.clean, column.values
        todo = list(filterfalse(clean.__contains__, dict.fromkeys(values)))
        counts, findings = self._scan_values(todo, field, column.plan) if todo else ([], {})
        bad = {todo[i]: value_findings for i, value_findings in findings.items()}
        if len(todo) == len(values):  # all distinct, none cached: one count per value
            self.report.candidates += sum(counts)
            if len(clean) >= CLEAN_CACHE_SIZE:
                column.distinct = DISTINCT_BATCHES
        else:
            self.report.candidates += _occurrence_counts(
                values, clean if column.counted else {}, todo, counts
            )
        room = CLEAN_CACHE_SIZE - len(clean)
        for value, count in zip(todo[:room] if room > 0 else (), counts, strict=False):
            if value not in bad:
                clean[value] = count
                column.counted = column.counted or count > 0
        return bad

    def _report(
        self,
        column: _Column,
        bad: dict[str, list[_Finding]],
        found: list[tuple[int, int, int, int, Violation]],
    ) -> None:
        """A violation for every occurrence of a value with findings."""
        for index, value in enumerate(column.values):
            value_findings = bad.get(value)
            if value_findings is None:
                continue
            row = column.rows[index]
            path = column.path if column.path is not None else column.paths[index]
            for detector, rule, start, end in value_findings:
                violation = self._violation(detector, rule, value, row, path, start, end)
                found.append((row, column.order, index, start, violation))

    def _scan_values(
        self, values: list[str], field: Field, plan: tuple[Detector, ...]
    ) -> tuple[list[int], dict[int, list[_Finding]]]:
        """Each value's candidate count, and the violations by value index."""
        joined = "\n".join(values)
        # where each value starts in ``joined`` (and, last, where the next one would)
        starts = list(accumulate(map((1).__add__, map(len, values)), initial=0))
        text = Text(joined)
        uuids = _UUID_LINES.fullmatch(joined) is not None
        counts = [0] * len(values)
        findings: dict[int, list[_Finding]] = {}
        spans: dict[int, set[tuple[str, int, int]]] = {}
        firsts: dict[int, int] | None = None  # value index by start, made on first use
        for detector in plan:
            if uuids and not detector.reads_uuids:
                continue
            if detector.needles and not any(n in joined for n in detector.needles):
                continue
            found = list(detector.candidates(text, field))
            if not found:
                continue
            if firsts is None:
                firsts = dict(zip(starts, range(len(values)), strict=False))  # not the end
            indices = _value_indices(found, starts, firsts)
            for index in indices:
                counts[index] += 1
            judge = detector.judge
            rules = [judge(joined[start:end], field) for start, end in found]
            if self.opinion is not None:
                for index, (start, end) in zip(indices, found, strict=True):
                    base = starts[index]
                    spans.setdefault(index, set()).add((detector.name, start - base, end - base))
            if rules.count(None) < len(rules):
                _add_findings(findings, detector, rules, indices, found, starts)
        if self.opinion is not None:
            self._second_opinion(values, field, plan, spans, counts, findings)
        return counts, findings

    def _second_opinion(
        self,
        values: list[str],
        field: Field,
        plan: tuple[Detector, ...],
        spans: dict[int, set[tuple[str, int, int]]],
        counts: list[int],
        findings: dict[int, list[_Finding]],
    ) -> None:
        """Judge the spans the second opinion finds that our detectors did not.

        A span overlapping one the same detector already has is that candidate, found
        again with other edges (a URL with or without its closing bracket), not a second one.
        """
        assert self.opinion is not None
        names = {d.name for d in plan}
        for index, value in enumerate(values):
            seen = spans.get(index, set())
            for name, start, end in self.opinion.spans(value):
                if name not in names or any(
                    other == name and o_start < end and start < o_end
                    for other, o_start, o_end in seen
                ):
                    continue
                seen.add((name, start, end))
                counts[index] += 1
                detector = self.by_name[name]
                rule = detector.judge(value[start:end], field)
                if rule is not None:
                    findings.setdefault(index, []).append((detector, rule, start, end))

    def _violation(
        self, detector: Detector, rule: str, value: str, row: int, path: str, start: int, end: int
    ) -> Violation:
        return Violation(
            table=self.table_name,
            row=row,
            path=path,
            detector=detector.name,
            rule=rule,
            masked=detector.mask(value[start:end]),
            profiles=self.profiles[detector.name],
            start=start,
            end=end,
        )
