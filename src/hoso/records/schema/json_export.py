"""The JSON Schema (draft 2020-12) of a profile document, for the API and OpenAPI.

It states the shapes (types, formats, lengths, code lists as annotations); the rules
that need the catalogs or several fields at once stay in `validate`.
"""

from __future__ import annotations

from .loader import get_schema
from .types import Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
PATTERNS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "partial_date": r"^\d{4}(-\d{2}(-\d{2})?)?$",
    "month": r"^\d{4}-\d{2}$",
    "decimal": r"^-?\d+(\.\d+)?$",
    "unit": r"^[A-Z0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$",
    "phone": r"^(0\d{9,10}|\+84\d{9,10})$",
    "id_number": r"^\d{12}$",
}


def field_schema(field: Field, category: str) -> dict:
    t = field.type
    if t in ("text", "longtext"):
        out: dict = {"type": "string", "minLength": 1}
        if field.max_length:
            out["maxLength"] = field.max_length
        if field.pattern:
            out["pattern"] = field.pattern
    elif t in ("date", "partial_date", "month", "decimal", "unit", "phone", "id_number"):
        out = {"type": "string", "pattern": PATTERNS[t]}
        if t == "date":
            out["format"] = "date"
    elif t == "year":
        out = {"type": "integer", "minimum": 1900, "maximum": 2999}
    elif t == "integer":
        out = {"type": "integer"}
        if field.min is not None:
            out["minimum"] = field.min
        if field.max is not None:
            out["maximum"] = field.max
    elif t == "bool":
        out = {"type": "boolean"}
    elif t == "code":
        out = {"type": "string", "minLength": 1}
        if field.choices:
            out["enum"] = [c.code for c in field.choices]
        else:
            out["x-code-lists"] = list(field.accepted_code_lists(category))
    elif t == "place":
        text = {"type": "string", "minLength": 1}
        out = {
            "type": "object",
            "properties": {"province": text, "commune": text,
                           "text": {"type": "string", "minLength": 1, "maxLength": 500}},
            "additionalProperties": False,
            "minProperties": 1,
        }
    elif t == "email":
        out = {"type": "string", "format": "email"}
    elif t == "evidence":
        out = {"type": "integer", "minimum": 1}
    elif t == "table":
        required = sorted(c.key for c in field.columns if c.required_for)
        row = {
            "type": "object",
            "properties": {c.key: field_schema(c, category) for c in field.columns},
            "additionalProperties": False,
        }
        if required:
            row["required"] = required
        out = {"type": "array", "minItems": 1, "items": row}
    else:  # pragma: no cover - the loader admits no other type
        raise ValueError(t)
    out["title"] = str(field.label)
    if field.help:
        out["description"] = str(field.help)
    out["x-access"] = field.access
    return out


def json_schema(category: str) -> dict:
    """The document schema of a staff category's form."""
    schema = get_schema(category)
    required = [f.key for f in schema.fields if category in f.required_for]
    return {
        "$schema": DIALECT,
        "$id": f"urn:hoso:profile:{schema.form}:{schema.version}:{category}",
        "title": str(schema.title),
        "type": "object",
        "properties": {f.key: field_schema(f, category) for f in schema.fields},
        "required": required,
        "additionalProperties": False,
    }
