"""Django forms generated from the schema, one per section, with a formset per table.

The form fields only convert what people type (dd/mm/yyyy, 4,98, a checkbox) into the
document's JSON values; every rule and every message comes from `validate`, so a page,
the API and the import say the same thing about the same mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _

from .types import Field, Schema
from .validation import DATE_RE, MONTH_RE, show_date, validate

DMY_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
MY_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{4})\s*$")
Y_RE = re.compile(r"^\s*(\d{4})\s*$")
INT_RE = re.compile(r"^\s*-?\d+\s*$")
LARGE_LISTS = frozenset({"communes"})  # too many entries for a select


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


# -- converting fields -----------------------------------------------------------------


class DocumentDateField(forms.CharField):
    """dd/mm/yyyy (or mm/yyyy, yyyy where the type allows) ↔ the document's ISO text.
    What does not have the shape is passed on as typed, for `validate` to explain."""

    def __init__(self, *, ftype: str, **kwargs):
        self.ftype = ftype
        placeholder = {"date": "dd/mm/yyyy", "partial_date": "dd/mm/yyyy",
                       "month": "mm/yyyy", "year": "yyyy"}[ftype]
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "placeholder": placeholder, "inputmode": "numeric", "autocomplete": "off",
            "class": "date-input", "data-format": placeholder,
        }))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if self.ftype == "year":
            return int(value) if Y_RE.match(value) else value
        m = DMY_RE.match(value)
        if m and self.ftype in ("date", "partial_date"):
            return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
        m = MY_RE.match(value)
        if m and self.ftype in ("month", "partial_date"):
            return f"{m[2]}-{int(m[1]):02d}"
        m = Y_RE.match(value)
        if m and self.ftype == "partial_date":
            return m[1]
        return value

    def prepare_value(self, value):
        if isinstance(value, str) and (DATE_RE.match(value) or MONTH_RE.match(value)):
            return show_date(value)
        return value


class DocumentNumberField(forms.CharField):
    """Whole numbers to int, decimals to "4.98" (a comma is accepted)."""

    def __init__(self, *, decimal: bool, **kwargs):
        self.decimal = decimal
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal" if decimal
                                                           else "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        value = value.replace(" ", "")
        if self.decimal:
            return value.replace(",", ".")
        return int(value) if INT_RE.match(value) else value

    def prepare_value(self, value):
        if self.decimal and isinstance(value, str):
            return value.replace(".", ",")
        return value


class PlaceWidget(forms.MultiWidget):
    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, provinces, attrs=None):
        widgets = {
            "province": forms.Select(choices=[("", _("— province —"))] + list(provinces)),
            "commune": forms.TextInput(attrs={"placeholder": _("commune code")}),
            "text": forms.TextInput(attrs={"placeholder": _("or as written")}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("province"), value.get("commune"), value.get("text")]
        return [None, None, None]


class PlaceField(forms.MultiValueField):
    def __init__(self, *, provinces=(), **kwargs):
        parts = (forms.CharField(required=False), forms.CharField(required=False),
                 forms.CharField(required=False))
        kwargs["required"] = False
        super().__init__(parts, require_all_fields=False, widget=PlaceWidget(provinces),
                         **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        value = {k: v for k, v in zip(("province", "commune", "text"), data_list, strict=False)
                 if v}
        return value or None


class EvidenceField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "evidence-id"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return int(value) if INT_RE.match(value) else value


def _choices(field: Field, category: str | None, on: dt.date | None):
    if field.choices:
        return [(c.code, c.label) for c in field.choices]
    list_key = field.code_list_for(category)
    if not list_key or list_key in LARGE_LISTS:
        return None
    from hoso.catalogs import selectors

    result = list(selectors.choices(list_key, on))
    for extra in field.also_code_lists:
        result += list(selectors.choices(extra, on))
    return result


def form_field(field: Field, *, category: str | None = None, on=None) -> forms.Field:
    """The Django form field of one schema field (tables excepted)."""
    common: dict[str, Any] = {"label": field.label, "help_text": field.help, "required": False}
    ftype = field.type
    if ftype in ("date", "partial_date", "month", "year"):
        result = DocumentDateField(ftype=ftype, **common)
    elif ftype == "integer":
        result = DocumentNumberField(decimal=False, **common)
    elif ftype == "decimal":
        result = DocumentNumberField(decimal=True, **common)
    elif ftype == "bool":
        result = forms.BooleanField(**common)
    elif ftype == "code":
        choices = _choices(field, category, on)
        if choices is None:
            result = forms.CharField(**common)
        else:
            result = forms.CharField(widget=forms.Select(
                choices=[("", "—")] + choices), **common)
    elif ftype == "place":
        from hoso.catalogs import selectors

        result = PlaceField(provinces=selectors.choices("provinces"), **common)
    elif ftype == "longtext":
        result = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    elif ftype == "email":
        result = forms.CharField(widget=forms.EmailInput, **common)
    elif ftype == "phone":
        result = forms.CharField(widget=forms.TextInput(attrs={"type": "tel",
                                                               "inputmode": "tel"}), **common)
    elif ftype == "id_number":
        result = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                               "maxlength": 12}), **common)
    elif ftype == "evidence":
        result = EvidenceField(**common)
    else:  # text, unit
        attrs = {"maxlength": field.max_length} if field.max_length else {}
        result = forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    result.schema_field = field
    if category and category in field.required_for:
        result.widget.attrs["aria-required"] = "true"
        result.schema_required = True
    return result


def _clean_value(value):
    if isinstance(value, str):
        value = value.strip()
    return None if _empty(value) else value


# -- forms -----------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a table; built per table by `_row_form_class`."""

    columns: list[Field] = []

    def row(self) -> dict:
        data = getattr(self, "cleaned_data", {}) or {}
        row = {}
        for col in self.columns:
            value = _clean_value(data.get(col.key))
            if col.type == "bool" and value is False:
                value = None
            if value is not None:
                row[col.key] = value
        return row


def _row_form_class(table: Field, category, on):
    attrs = {col.key: form_field(col, category=category, on=on) for col in table.columns}
    attrs["columns"] = table.columns
    return type(f"{table.key.title().replace('_', '')}RowForm", (RowForm,), attrs)


class SectionForm(forms.Form):
    """A section of the form. `formsets` holds one formset per table (rows can be
    added from `formset.empty_form` and removed with the DELETE box); `is_valid()`
    runs `validate` over the document with this section's part in it."""

    def __init__(self, *args, schema: Schema, section_key: str, category: str | None,
                 on: dt.date | None, document: dict | None, check_required: bool,
                 exclude_managed: bool, **kwargs):
        initial_doc = kwargs.pop("initial", None) or {}
        self.schema = schema
        self.section = schema.section(section_key)
        self.category = category or sorted(schema.categories)[0]
        self.on = on
        self.document = document or {}
        self.check_required = check_required
        self.schema_fields = [f for f in self.section.fields
                              if not (exclude_managed and f.managed_by_unit)]
        self.issues = []
        self._part: dict | None = None
        super().__init__(*args, initial={f.key: v for f, v in self._initial_items(initial_doc)},
                         **kwargs)
        for field in self.schema_fields:
            if not field.is_table:
                self.fields[field.key] = form_field(field, category=self.category, on=on)
        for field in self.schema_fields:
            if field.type == "place":
                self._commune_select(field, initial_doc.get(field.key))
        data = args[0] if args else kwargs.get("data")
        self.formsets = {}
        for field in self.schema_fields:
            if field.is_table:
                rows = initial_doc.get(field.key) or []
                formset_class = formset_factory(
                    _row_form_class(field, self.category, on),
                    extra=0 if rows or data is not None else 1,
                    can_delete=True,
                )
                formset = formset_class(data=data, initial=rows or None,
                                        prefix=f"{self.prefix + '-' if self.prefix else ''}"
                                               f"{field.key}")
                formset.schema_field = field
                formset.label = field.label
                self.formsets[field.key] = formset

    def _commune_select(self, field: Field, value) -> None:
        """Once the province is known, the commune is chosen from its communes."""
        province = value.get("province") if isinstance(value, dict) else None
        if not province:
            return
        from hoso.catalogs import selectors

        communes = selectors.choices("communes", parent=province)
        if communes:
            widget = self.fields[field.key].widget
            widget.widgets[1] = forms.Select(choices=[("", _("— commune —")), *communes])

    def _initial_items(self, document):
        for field in self.schema_fields:
            if not field.is_table and field.key in document:
                yield field, document[field.key]

    # the document part ---------------------------------------------------------------

    def _table_rows(self, key: str) -> tuple[list[dict], list[int]]:
        """The rows kept (not deleted, not blank) and each one's form index."""
        rows, index = [], []
        formset = self.formsets[key]
        for i, form in enumerate(formset.forms):
            if not hasattr(form, "cleaned_data"):
                continue
            if formset.can_delete and form.cleaned_data.get("DELETE"):
                continue
            row = form.row()
            if row:
                rows.append(row)
                index.append(i)
        return rows, index

    def cleaned_document(self) -> dict:
        """This section's part of the document: {key: value}, empty values left out.
        The values are those entered (converted), valid or not: a draft may keep them,
        a submission checks `is_valid()` first."""
        if self._part is not None:
            return dict(self._part)
        return self._build_part()

    def _build_part(self) -> dict:
        part = {}
        data = getattr(self, "cleaned_data", {}) or {}
        for field in self.schema_fields:
            if field.is_table:
                rows, _index = self._table_rows(field.key)
                if rows:
                    part[field.key] = rows
                continue
            value = _clean_value(data.get(field.key))
            if field.type == "bool" and value is False:
                value = None
            if value is not None:
                part[field.key] = value
        return part

    def merged_document(self) -> dict:
        """The whole document with this section's part in place of the old one."""
        keys = {f.key for f in self.schema_fields}
        merged = {k: v for k, v in self.document.items() if k not in keys}
        merged.update(self.cleaned_document())
        return merged

    # validation ----------------------------------------------------------------------

    def full_clean(self):
        super().full_clean()
        for formset in self.formsets.values():
            formset.full_clean()
        if not self.is_bound:
            return
        self._part = self._build_part()
        self.issues = validate(self.merged_document(), category=self.category, on=self.on,
                               check_required=self.check_required)
        keys = {f.key for f in self.schema_fields}
        indexes = {key: self._table_rows(key)[1] for key in self.formsets}
        for issue in self.issues:
            top, _sep, rest = issue.path.partition(".")
            if top not in keys:
                continue
            if top in self.formsets:
                row, _sep, column = rest.partition(".")
                formset = self.formsets[top]
                if row.isdigit() and int(row) < len(indexes[top]):
                    form = formset.forms[indexes[top][int(row)]]
                    column = column.split(".")[0]
                    if column in form.fields:
                        form.add_error(column, issue.message)
                    else:
                        form.add_error(None, issue.message)
                else:
                    formset._non_form_errors = formset.non_form_errors() + [issue.message]
            elif top in self.fields:
                self.add_error(top, issue.message)
            else:
                self.add_error(None, issue.message)

    def is_valid(self):
        valid = super().is_valid()
        return valid and all(fs.is_valid() for fs in self.formsets.values())

    @property
    def section_label(self):
        return self.section.label


def section_form(
    schema: Schema,
    section_key: str,
    *,
    data=None,
    initial: dict | None = None,
    category: str | None = None,
    document: dict | None = None,
    on: dt.date | None = None,
    check_required: bool = False,
    exclude_managed: bool = False,
    prefix: str | None = None,
) -> SectionForm:
    """A bound (`data`) or unbound form of one section.

    `initial` and `document` are profile documents (the draft or the approved
    revision): `initial` fills the fields, `document` gives the other sections the
    rules across sections need (birth date against recruitment …). A draft is saved
    without the required-field check (`check_required=False`); a person's own form
    leaves out the fields the unit manages (`exclude_managed=True`).
    """
    return SectionForm(
        data,
        initial=initial,
        schema=schema,
        section_key=section_key,
        category=category,
        on=on,
        document=document if document is not None else (initial or {}),
        check_required=check_required,
        exclude_managed=exclude_managed,
        prefix=prefix,
    )


__all__ = ["SectionForm", "form_field", "section_form"]
