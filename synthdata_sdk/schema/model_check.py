"""Every record generated from a pydantic model is checked with the model itself.

The normalised schema is written so that the model accepts what it describes, but a model
can check more than any JSON Schema says: a ``field_validator`` or ``model_validator``, an
``AfterValidator``, a custom type. Each chunk is validated as the JSON it is
(``model_validate_json``, one call for the whole chunk), and the first record the model
rejects stops generation with a :class:`ModelRejectedError` naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from synthdata_sdk.errors import ModelRejectedError

Chunk = TypeVar("Chunk", bound=Sequence[Mapping[str, Any]])


class ModelCheck:
    """Validates the chunks of one dataset with ``model``, counting rows across chunks."""

    def __init__(self, model: type) -> None:
        self.name = model.__name__
        self.adapter: TypeAdapter[list[Any]] = TypeAdapter(list[model])  # type: ignore[valid-type]
        self.rows = 0

    def wrap(self, chunks: Iterable[Chunk]) -> Iterable[Chunk]:
        """``chunks`` unchanged, each checked before it is handed on."""
        for chunk in chunks:
            self.check(chunk)
            yield chunk

    def check(self, chunk: Sequence[Mapping[str, Any]]) -> None:
        """Raise ModelRejectedError for the first record of ``chunk`` the model rejects."""
        try:
            self.adapter.validate_json(json.dumps(chunk))
        except ValidationError as error:
            first = error.errors()[0]
            location = first.get("loc", ())
            row = location[0] if location and isinstance(location[0], int) else 0
            field = ".".join(str(part) for part in location[1:])
            raise ModelRejectedError(self.name, self.rows + row, field, first["msg"]) from None
        self.rows += len(chunk)
