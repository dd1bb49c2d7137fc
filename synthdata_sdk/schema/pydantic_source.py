"""The JSON Schema of a pydantic model, written so that what it accepts the model accepts.

pydantic's own schema for a ``Decimal`` is ``anyOf [number, string]``, with no trace of
``max_digits`` or ``decimal_places``: any string (``"recog"``) and any float
(``0.47000000000000003``) is valid for it, and the model rejects both. Here a constrained
``Decimal`` is a ``number`` whose places the engine honours exactly:

- ``decimal_places`` *d* (2 when only ``max_digits`` is given; at most 9) becomes
  ``x-synthdata: {"decimals": d}``: values are whole numbers of 10**-d, written as floats
  whose shortest text is that decimal (102.37), all endings alike. Not ``multipleOf`` 0.01,
  which the JSON the engine checks its output against cannot meet in floating point (0.07 /
  0.01 is 7.000000000000001), nor a grid of 2**-d (0.25 for two places), which can but
  looks nothing like money;
- ``multiple_of`` *m* joins in as the least common multiple of *m* and 10**-d, in decimal,
  kept as ``x-synthdata`` ``multiple`` (a Decimal check, not a float division);
- the values stay within 15 significant digits, where a float's shortest text (which
  pydantic reads a float as) is the exact decimal, and below 10 ** (max_digits -
  decimals); an unbounded side gets the engine's span of 1000 from the other;
- ``ge``/``gt``/``le``/``lt`` are kept as ``minimum``/``exclusiveMinimum``/...;
- with ``max_digits`` no more than ``decimal_places``, zero is left out: pydantic reads
  ``0.0`` as ``0``, one digit before the point.

A plain ``Decimal`` is a plain ``number``. A model with validator functions (``field_validator``,
``model_validator``, ``AfterValidator``...) names them in a root ``x-model-checks``
annotation: the records they reject are drawn again, so they are part of the fingerprint. All this is a subset of what the model accepts,
as every normalised schema is a subset of its source; a range with no value of its places
(``gt=0.1, lt=0.2`` with one place) is refused when planning.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import PydanticUserError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema import pydantic_types as types
from synthdata_sdk.schema.keywords import EXTENSION
from synthdata_sdk.schema.model_check import model_checks
from synthdata_sdk.schema.numbers import DEFAULT_SPAN, EXACT_DIGITS, exact, fraction_lcm

#: the root annotation naming the model's validator functions (part of the fingerprint)
MODEL_CHECKS = "x-model-checks"
#: decimal places drawn when a Decimal has ``max_digits`` but no ``decimal_places``
DEFAULT_PLACES = 2
#: the most decimal places drawn (more are honoured as fewer): values keep 6 digits before
#: the point within the 15 significant digits a float holds exactly
MAX_PLACES = 9
#: where ``decimal_number`` leaves a Decimal's places until ``_place_decimals`` moves them
_DECIMALS = "x-synthdata-decimals"
_BOUNDS = (
    ("ge", "minimum"),
    ("gt", "exclusiveMinimum"),
    ("le", "maximum"),
    ("lt", "exclusiveMaximum"),
)


def model_schema(model: type) -> dict[str, Any]:
    """``model.model_json_schema()`` with the field types above and in ``pydantic_types``
    written so that the model accepts their values; a type none can promise is refused."""
    try:
        schema: dict[str, Any] = model.model_json_schema(  # type: ignore[attr-defined]
            schema_generator=_ModelSchema
        )
    except PydanticUserError as error:  # a field type with no JSON Schema (a callable...)
        raise SchemaError(
            "", "source", f"{model.__name__} has no JSON Schema: {error}", "JSON-typed fields"
        ) from None
    except types.RefusedTypeError as refused:  # outside a model's fields (a dataclass...)
        raise SchemaError(
            "", "source", f"{model.__name__} holds {refused}", refused.expected
        ) from None
    _place_decimals(schema)
    checks = model_checks(getattr(model, "__pydantic_core_schema__", None))
    if checks:
        # records a validator rejected are drawn again, so the validators decide the records:
        # the fingerprint must tell a model with them from its schema without them
        schema[MODEL_CHECKS] = checks
    return schema


class _ModelSchema(GenerateJsonSchema):
    """pydantic's schema generator, in validation mode, with the types whose JSON Schema says
    less than the model checks written from their core schemas (``pydantic_types``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._models: list[str] = []  # the models being written, outermost first

    def generate_inner(self, schema: Any) -> JsonSchemaValue:
        if self.mode != "validation":
            return super().generate_inner(schema)
        if schema.get("type") == "model-field":
            try:
                return super().generate_inner(schema)
            except types.RefusedTypeError as refused:
                refused.field = refused.field or schema  # the innermost field refused
                raise
        honoured = types.function_schema(schema)
        if honoured is not None:
            return honoured
        out = super().generate_inner(schema)
        fmt = out.get("format") if isinstance(out, dict) else None
        if fmt in types.FORMATS:
            return types.FORMATS[fmt]()
        if isinstance(fmt, str) and fmt[:4] == "uuid" and fmt[4:].isdigit():
            # UuidVersion writes format uuid1...: unknown to validators; the version is in
            # the pattern (uuid_schema)
            return {**out, "format": "uuid"}
        if fmt in ("password", "path"):  # SecretStr, Path: hints no validator checks
            return {key: value for key, value in out.items() if key != "format"}
        if fmt in ("base64", "base64url"):
            inner = schema.get("schema", {}).get("type")
            return types.base64_schema(text=inner == "str", url=fmt == "base64url")
        return out

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        self._models.append(schema["cls"].__name__)
        try:
            return super().model_schema(schema)
        finally:
            self._models.pop()

    def model_fields_schema(self, schema: core_schema.ModelFieldsSchema) -> JsonSchemaValue:
        try:
            return super().model_fields_schema(schema)
        except types.RefusedTypeError as refused:
            fields = schema["fields"].items()
            name = next((name for name, field in fields if field is refused.field), "?")
            model = self._models[-1] if self._models else "model"
            nested = len(self._models) > 1
            raise SchemaError(
                f"/$defs/{model}/properties/{name}" if nested else f"/properties/{name}",
                "source",
                f"field {model}.{name} ({refused.type_name}): {refused.reason}; the model would"
                " reject the values drawn for it",
                refused.expected,
            ) from None

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        if self.mode != "validation":
            return super().decimal_schema(schema)
        return decimal_number(schema)

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return self._temporal(types.date_schema, schema, super().date_schema(schema))

    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
        return self._temporal(types.datetime_schema, schema, super().datetime_schema(schema))

    def uuid_schema(self, schema: core_schema.UuidSchema) -> JsonSchemaValue:
        return self._temporal(types.uuid_schema, schema, super().uuid_schema(schema))

    def url_schema(self, schema: core_schema.UrlSchema) -> JsonSchemaValue:
        base = super().url_schema(schema)
        if self.mode != "validation":
            return base
        return types.url_schema(dict(schema), base, multi_host=False)

    def multi_host_url_schema(self, schema: core_schema.MultiHostUrlSchema) -> JsonSchemaValue:
        base = super().multi_host_url_schema(schema)
        if self.mode != "validation":
            return base
        return types.url_schema(dict(schema), base, multi_host=True)

    def complex_schema(self, schema: core_schema.ComplexSchema) -> JsonSchemaValue:
        base = super().complex_schema(schema)
        return types.complex_schema() if self.mode == "validation" else base

    def tagged_union_schema(self, schema: core_schema.TaggedUnionSchema) -> JsonSchemaValue:
        out = super().tagged_union_schema(schema)
        if self.mode == "validation":
            # OpenAPI's annotation: the branches' const tags already say which is which
            out.pop("discriminator", None)
        return out

    def json_schema(self, schema: core_schema.JsonSchema) -> JsonSchemaValue:
        if self.mode == "validation":
            return types.refuse_json()
        return super().json_schema(schema)

    def _temporal(self, write: Any, schema: Any, base: JsonSchemaValue) -> JsonSchemaValue:
        out: JsonSchemaValue = write(dict(schema), base) if self.mode == "validation" else base
        return out


def decimal_number(schema: core_schema.DecimalSchema) -> dict[str, Any]:
    """The ``number`` schema of a Decimal core schema (its constraints as described above)."""
    out: dict[str, Any] = {"type": "number"}
    bounds: dict[str, Fraction] = {}
    for key, keyword in _BOUNDS:
        value = schema.get(key)
        if value is not None:
            bounds[keyword] = exact(value)
    digits = schema.get("max_digits")
    places = schema.get("decimal_places")
    multiple = schema.get("multiple_of")
    if places is None and digits is not None:
        places = min(DEFAULT_PLACES, max(digits - 1, 0))
    if places is not None and digits is not None:
        places = min(places, digits)  # each decimal is a digit: 3 digits hold 3 decimals at most
    if places is None and multiple is None:
        out.update({keyword: _number(value) for keyword, value in bounds.items()})
        return out  # unconstrained: any float's text is a Decimal the model accepts
    decimals = min(places if places is not None else _decimal_places(multiple), MAX_PLACES)
    extension: dict[str, Any] = {"decimals": decimals}
    if multiple is not None:
        # a multiple of both, in decimal: lcm(a/b, c/d) is lcm(a, c) / gcd(b, d)
        unit = Fraction(1, 10**decimals)
        step = fraction_lcm(exact(multiple), unit)
        if step != unit:
            extension["multiple"] = _number(step)
    magnitude = Fraction(10) ** (EXACT_DIGITS - decimals)
    if digits is not None:
        magnitude = min(magnitude, Fraction(10) ** (digits - (places or 0)))
    low = bounds.get("minimum", bounds.get("exclusiveMinimum"))
    high = bounds.get("maximum", bounds.get("exclusiveMaximum"))
    if low is None and high is None:
        low = bounds["minimum"] = Fraction(0)
    if high is None:
        bounds["maximum"] = max(low or Fraction(0), Fraction(0)) + DEFAULT_SPAN
    if low is None:
        bounds["minimum"] = min(Fraction(0), (high or Fraction(0)) - DEFAULT_SPAN)
    bounds.setdefault("exclusiveMaximum", magnitude)
    bounds.setdefault("exclusiveMinimum", -magnitude)
    bounds["exclusiveMaximum"] = min(bounds["exclusiveMaximum"], magnitude)
    bounds["exclusiveMinimum"] = max(bounds["exclusiveMinimum"], -magnitude)
    out.update({keyword: _number(bounds[keyword]) for _, keyword in _BOUNDS if keyword in bounds})
    out[_DECIMALS] = extension  # joins the field's own x-synthdata in _place_decimals
    if digits is not None and digits <= (places or 0):
        # no digit left before the point: pydantic counts zero's ("0.0" is "0") as one
        out["not"] = {"const": 0}
    return out


def _place_decimals(node: Any) -> None:
    """Move each Decimal's places into its ``x-synthdata``, beside the options a field gives
    in ``json_schema_extra`` (which pydantic writes over the type's ``x-synthdata``)."""
    if isinstance(node, list):
        for item in node:
            _place_decimals(item)
    elif isinstance(node, dict):
        places = node.get(_DECIMALS)
        if isinstance(places, dict) and "decimals" in places and node.get("type") == "number":
            del node[_DECIMALS]
            node[EXTENSION] = {**node.get(EXTENSION, {}), **places}
        for value in node.values():
            _place_decimals(value)


def _decimal_places(value: Any) -> int:
    exponent = Decimal(str(value)).as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _number(value: Fraction) -> int | float:
    """An int when whole, else the nearest float (whose shortest text is the decimal value
    when it has at most 15 significant digits, as every bound and multiple here has)."""
    return int(value) if value.denominator == 1 else float(value)
