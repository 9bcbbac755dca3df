"""A small JSON Schema validator: the subset the API's request declarations use.

The same declarations are written into the OpenAPI document (spec.py), so what a client reads
there is what a request is held to here: ``type`` (one, or a list such as ``["string",
"null"]``), ``properties``, ``required``, ``additionalProperties: false``, ``enum``,
``minLength``, ``maxLength`` and ``pattern``, ``minimum`` and ``maximum``, ``format`` (``uuid``,
``date``), ``items``, ``minItems``, ``maxItems`` and ``uniqueItems``.
"""

import datetime
import re
import uuid


class ValidationError(Exception):
    """The first thing wrong with a value, and where (``field``: a dotted path; "": the whole)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _type_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _matches(value, expected: str) -> bool:
    actual = _type_of(value)
    return actual == expected or (expected == "number" and actual == "integer")


def _check_format(value: str, fmt: str, where: str) -> None:
    if fmt == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            raise ValidationError(f"{where or 'value'} is not a UUID", where) from None
    elif fmt == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{where or 'value'} is not a date (YYYY-MM-DD)", where) from None
        if len(value) != 10:
            raise ValidationError(f"{where or 'value'} is not a date (YYYY-MM-DD)", where)


def validate(value, schema: dict, where: str = "") -> None:
    """Raise ValidationError unless ``value`` meets ``schema``."""
    name = where or "the body"
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_matches(value, each) for each in types):
            raise ValidationError(f"{name} must be of type {' or '.join(types)}", where)
    if "enum" in schema and value not in schema["enum"]:
        raise ValidationError(
            f"{name} must be one of: {', '.join(map(str, schema['enum']))}", where
        )
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise ValidationError(f"{name} is too short", where)
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise ValidationError(f"{name} is too long", where)
        if "format" in schema:
            _check_format(value, schema["format"], where)
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise ValidationError(f"{name} is not in the expected form", where)
    if _type_of(value) in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValidationError(f"{name} is too small", where)
        if "maximum" in schema and value > schema["maximum"]:
            raise ValidationError(f"{name} is too large", where)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise ValidationError(f"{name} has too few items", where)
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise ValidationError(f"{name} has too many items", where)
        if schema.get("uniqueItems") and len({repr(item) for item in value}) != len(value):
            raise ValidationError(f"{name} has the same item twice", where)
        for index, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{where}[{index}]" if where else f"[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                raise ValidationError(f"{_join(where, key)} is required", _join(where, key))
        if schema.get("additionalProperties") is False:
            unknown = sorted(set(value) - set(properties))
            if unknown:
                field = _join(where, unknown[0])
                raise ValidationError(f"{field} is not a field of this request", field)
        for key, item in value.items():
            if key in properties:
                validate(item, properties[key], _join(where, key))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
