"""The profile schema: one definition of the personnel file's form.

The CV of Thông tư 06/2023/TT-BNV (cv.yaml) for cán bộ, công chức, viên chức and cấp
xã staff, and the labour contract of Thông tư 05/2023/TT-BNV Phụ lục II
(contract.yaml) for người lao động, plus the province's extensions
(HOSO_SCHEMA_EXTENSIONS). Forms, validation, the API's JSON schema, the import
template, the printed CV and the exchange package are all generated from it.
"""

from .loader import SchemaError, form_for_category, get_form, get_schema
from .types import (
    ACCESS_LEVELS,
    CODE_LISTS,
    FIELD_TYPES,
    Completeness,
    Field,
    Issue,
    Schema,
    Section,
)
from .validation import completeness, sensitive_keys, validate

__all__ = [
    "ACCESS_LEVELS",
    "CODE_LISTS",
    "FIELD_TYPES",
    "Completeness",
    "Field",
    "Issue",
    "Schema",
    "SchemaError",
    "Section",
    "completeness",
    "form_for_category",
    "get_form",
    "get_schema",
    "json_schema",
    "print_items",
    "section_form",
    "sensitive_keys",
    "template_columns",
    "validate",
]


def json_schema(category: str) -> dict:
    from .json_export import json_schema as build

    return build(category)


def section_form(schema, section_key, **kwargs):
    from .forms import section_form as build

    return build(schema, section_key, **kwargs)


def template_columns(category: str):
    from .outputs import template_columns as build

    return build(category)


def print_items(schema):
    from .outputs import print_items as build

    return build(schema)
