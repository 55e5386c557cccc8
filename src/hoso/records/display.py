"""A document's values as people read them: dates dd/mm/yyyy, decimals with a comma,
code values by their catalog label, units by name, places by commune and province.

Used by the file pages, the revision diff (`selectors.revision_diff`) and whatever
else shows a stored value to a person. Pure formatting: it decides nothing about who
may see a value (`selectors.visible_document` does).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils.translation import gettext as _


def _catalog_label(list_key: str, code: str, memo: dict | None = None) -> str:
    if memo is not None:
        key = (list_key, code)
        if key not in memo:
            memo[key] = _catalog_label(list_key, code)
        return memo[key]
    try:
        from hoso.catalogs.selectors import code_label
    except ImportError:  # the catalogs app is not installed yet
        return code
    try:
        return code_label(list_key, code) or code
    except (LookupError, ValueError):
        return code


@lru_cache(maxsize=4096)
def _unit_name(code: str) -> str:
    from hoso.org.models import OrgUnit

    name = OrgUnit.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name} ({code})" if name else code


def clear_caches() -> None:
    _unit_name.cache_clear()


def _choice_label(field, code) -> str | None:
    if not getattr(field, "choices", None):
        return None
    label = field.choice_label(code)
    return None if label is None else str(label)


def date_text(value: str) -> str:
    """"YYYY-MM-DD" → "dd/mm/yyyy"; "YYYY-MM" → "mm/yyyy"; "YYYY" as it is."""
    parts = str(value).split("-")
    return "/".join(reversed(parts))


def decimal_text(value) -> str:
    return str(value).replace(".", ",")


def display_value(field, value, *, category: str | None = None, memo: dict | None = None) -> str:
    """`value` of `field` (a schema Field) as text, "" when empty. `memo`: a dict kept by
    the caller for the catalog labels of one page or diff (each is read once)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    kind = field.type
    if kind in ("date", "partial_date", "month"):
        return date_text(value)
    if kind == "decimal":
        return decimal_text(value)
    if kind == "bool":
        return _("Yes") if value else _("No")
    if kind == "code":
        label = _choice_label(field, value)
        if label is None:
            list_key = field.code_list_for(category)
            label = _catalog_label(list_key, value, memo) if list_key else str(value)
        return label
    if kind == "unit":
        return _unit_name(str(value))
    if kind == "place" and isinstance(value, dict):
        parts = []
        if value.get("text"):
            parts.append(value["text"])
        if value.get("commune"):
            parts.append(_catalog_label("communes", value["commune"], memo))
        if value.get("province"):
            parts.append(_catalog_label("provinces", value["province"], memo))
        return ", ".join(parts)
    if kind == "evidence":
        return _("Document no. %(id)s") % {"id": value}
    if kind == "table" and isinstance(value, list):
        return _("%(n)d rows") % {"n": len(value)}
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def row_text(columns, row: dict, *, category: str | None = None, memo: dict | None = None) -> str:
    """One table row as "Column: value; Column: value"."""
    parts = []
    for col in columns:
        text = display_value(col, row.get(col.key), category=category, memo=memo)
        if text:
            parts.append(f"{col.label}: {text}")
    return "; ".join(parts)
