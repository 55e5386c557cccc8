"""What the import template and the printed CV take from the schema: the columns of
the import sheet and the ordered items of the printed form."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .loader import get_schema
from .types import Field, Schema

HINTS = {
    "date": "dd/mm/yyyy",
    "partial_date": "dd/mm/yyyy | mm/yyyy | yyyy",
    "month": "mm/yyyy",
    "year": "yyyy",
    "decimal": "4,98",
    "bool": "x",
}


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the import sheet: `key` is the document path ("birth_date",
    "birth_place.province", or a table's column key on that table's sheet)."""

    key: str
    header: str
    field: Field
    required: bool
    hint: str = ""


@dataclass
class PrintItem:
    """One numbered item of the printed form (fields printed together)."""

    number: int
    fields: list[Field] = field(default_factory=list)

    @property
    def table(self) -> Field | None:
        return self.fields[0] if self.fields and self.fields[0].is_table else None

    @property
    def section(self) -> str:
        return self.fields[0].section


def _columns(fields, category: str, *, prefix: str = "") -> list[TemplateColumn]:
    out = []
    for f in fields:
        required = category in f.required_for
        if f.type == "place":
            for part, name in (("province", _("province code")), ("commune", _("commune code")),
                               ("text", _("as written"))):
                key = f"{prefix}{f.key}.{part}"
                out.append(TemplateColumn(key, f"{f.label} – {name} [{key}]", f, False))
            continue
        key = f"{prefix}{f.key}"
        out.append(TemplateColumn(key, f"{f.label} [{key}]", f, required, HINTS.get(f.type, "")))
    return out


def template_columns(category: str) -> list[TemplateColumn]:
    """The main sheet's columns (every field but the tables and the photo), in form
    order; headers are the Vietnamese labels followed by the key in brackets."""
    schema = get_schema(category)
    return _columns([f for f in schema.fields if not f.is_table and f.type != "evidence"],
                    category)


def template_tables(category: str) -> dict[str, list[TemplateColumn]]:
    """One sheet per table: the person's identification number, then the columns."""
    schema = get_schema(category)
    out = {}
    for table in (f for f in schema.fields if f.is_table):
        id_field = schema.field("id_number")
        out[table.key] = [
            TemplateColumn("id_number", f"{id_field.label} [id_number]", id_field, True),
            *(
                TemplateColumn(c.key, c.header, c.field, bool(c.field.required_for), c.hint)
                for c in _columns([c for c in table.columns if c.type != "evidence"], category)
            ),
        ]
    return out


def print_items(schema: Schema) -> list[PrintItem]:
    """The printed form's items in order: the fields of one item of the form
    (`form_item`) print together; the rest one by one. Header fields (the units, the
    staff number, the photo) are item 0."""
    items: list[PrintItem] = []
    by_item: dict[object, PrintItem] = {}
    header = PrintItem(0)
    for f in schema.fields:
        if not f.printable:
            continue
        if f.section == "header":
            header.fields.append(f)
            continue
        group = f.form_item if f.form_item is not None else f.key
        if group not in by_item:
            by_item[group] = PrintItem(len(items) + 1)
            items.append(by_item[group])
        by_item[group].fields.append(f)
    return [header, *items] if header.fields else items
