"""Every record generated from a pydantic model is checked with the model itself.

The normalised schema is written so that the model accepts what it describes, but a model
can check more than any JSON Schema says: a ``field_validator`` or ``model_validator``, an
``AfterValidator``, a custom type. Each chunk is validated as the JSON it is
(``model_validate_json``, one call for the whole chunk). The records the model rejects are
drawn again, up to :data:`ATTEMPTS` times (fewer when :data:`HOPELESS` records in a row were
all rejected), each redraw derived from the request alone (see
``generation/redraw.py``), so the same request still gives the same bytes; a record still
rejected then stops generation with a :class:`ModelRejectedError` naming the field and the
validator function that raised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from types import TracebackType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from synthdata_sdk.errors import ModelRejectedError

#: how many times a record the model rejects is drawn again before the model is refused
ATTEMPTS = 30
#: records redrawn in a row, all rejected, that refuse the model before ``ATTEMPTS``: a check
#: that accepts 1% of the drawn records fails 3,000 draws in a row once in 10**13, while one
#: that accepts nothing would otherwise validate every record of a chunk 30 times
HOPELESS = 3_000

Record = dict[str, Any]
#: (dataset rows, ascending; attempt from 1) -> those rows drawn again, in the same order
Redraw = Callable[[Sequence[int], int], list[Record]]


class ModelCheck:
    """Validates the chunks of one dataset with ``model``, counting rows across chunks;
    ``redraw`` (none: refuse at once) draws rejected rows again."""

    def __init__(self, model: type, redraw: Redraw | None = None) -> None:
        self.name = model.__name__
        self.adapter: TypeAdapter[list[Any]] = TypeAdapter(list[model])  # type: ignore[valid-type]
        self.redraw = redraw
        self.rows = 0

    def wrap(self, chunks: Iterable[list[Record]]) -> Iterable[list[Record]]:
        """``chunks``, each checked, with rejected records drawn again, before it is handed on."""
        for chunk in chunks:
            yield self.check(chunk)

    def check(self, chunk: list[Record]) -> list[Record]:
        """``chunk`` with each record the model rejects drawn again until it accepts it;
        ModelRejectedError for the first record still rejected after ``ATTEMPTS`` redraws."""
        rejected = self._rejected(chunk)
        records = chunk
        attempts = 0
        unanswered = 0  # records redrawn since the model last accepted one
        while rejected and self.redraw is not None and attempts < ATTEMPTS:
            if unanswered >= HOPELESS:
                break
            attempts += 1
            if records is chunk:
                records = list(chunk)  # the caller's list stays as it was
            positions = sorted(rejected)
            fresh = self.redraw([self.rows + p for p in positions], attempts)
            for position, record in zip(positions, fresh, strict=True):
                records[position] = record
            again = self._rejected(fresh)
            unanswered = unanswered + len(fresh) if len(again) == len(fresh) else 0
            rejected = {positions[i]: error for i, error in again.items()}
        if rejected:
            row = min(rejected)
            raise self._refusal(self.rows + row, rejected[row], attempts)
        self.rows += len(records)
        return records

    def instances(self, records: Sequence[Record]) -> list[Any]:
        """``records`` as model instances; ModelRejectedError for the first one rejected."""
        try:
            return self.adapter.validate_json(json.dumps(records))
        except ValidationError as error:
            detail: dict[str, Any] = dict(error.errors()[0])
            location = detail.get("loc", ())
            row = location[0] if location and isinstance(location[0], int) else 0
            raise self._refusal(row, detail, 0) from None

    def _rejected(self, records: Sequence[Record]) -> dict[int, dict[str, Any]]:
        """The first error of each record the model rejects, by position."""
        try:
            self.adapter.validate_json(json.dumps(records))
        except ValidationError as error:
            out: dict[int, dict[str, Any]] = {}
            for detail in error.errors():
                location = detail.get("loc", ())
                row = location[0] if location and isinstance(location[0], int) else 0
                out.setdefault(row, dict(detail))
            return out
        return {}

    def _refusal(self, row: int, detail: dict[str, Any], attempts: int) -> ModelRejectedError:
        field = ".".join(str(part) for part in detail.get("loc", ())[1:])
        return ModelRejectedError(
            self.name,
            row,
            field,
            detail["msg"],
            validator=validator_name(detail),
            attempts=attempts,
        )


def validator_name(detail: dict[str, Any]) -> str:
    """The qualified name of the function that raised the error ``detail`` reports: the first
    frame of its traceback, which pydantic's core entered by calling the validator; ``""``
    for pydantic's own checks (no exception behind them)."""
    raised = detail.get("ctx", {}).get("error")
    trace: TracebackType | None = getattr(raised, "__traceback__", None)
    while trace is not None:
        code = trace.tb_frame.f_code
        if not str(trace.tb_frame.f_globals.get("__name__", "")).startswith("pydantic"):
            return code.co_qualname
        trace = trace.tb_next
    return ""


def model_checks(core_schema: Any) -> list[str]:
    """The qualified names of the validator functions in a model's core schema (its own, its
    fields' and its nested models'), sorted; pydantic's own are left out."""
    found: set[str] = set()
    stack = [core_schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("function-"):
                function = node.get("function")
                if isinstance(function, dict):
                    function = function.get("function")
                while isinstance(function, partial):  # pydantic's own constraint checks
                    function = function.func
                module = str(getattr(function, "__module__", ""))
                if callable(function) and not module.startswith("pydantic"):
                    # never a repr: it may hold a memory address, which no fingerprint may
                    found.add(str(getattr(function, "__qualname__", type(function).__qualname__)))
            # serializers (field_serializer...) shape the output, never what is accepted
            stack.extend(value for key, value in node.items() if key != "serialization")
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return sorted(found)
