"""Forms of the org pages. They parse input; `org.services` decides what is allowed
and `add_service_error` turns its refusals into Vietnamese form errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError, as_validation_error

from .models import OrgUnit
from .selectors import units_changeable

# Browsers send <input type="date"> as ISO; people typing keep the Vietnamese order.
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """Puts a service's ValidationError or DomainError on the form's fields."""

    def add_service_error(self, exc: ValidationError | DomainError) -> None:
        if isinstance(exc, DomainError):
            exc = as_validation_error(exc)
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class UnitSelect(forms.Select):
    """A <select> rendered in one pass: Django's per-option templates take seconds for
    the thousands of units of a province, this takes milliseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in selected else "", label)
                for key, label in ((str(k), lbl) for k, lbl in self.choices)
            ),
        )
        return format_html("<select{}>{}</select>", flatatt({"name": name, **attrs}), options)


class UnitChoiceField(forms.ModelChoiceField):
    """Units as an indented list, code first: how HR staff find a unit."""

    widget = UnitSelect

    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'— ' * obj.depth}{obj.code} {obj.name}"


class UnitFilterForm(forms.Form):
    as_of = forms.DateField(
        label=_("Valid on"), required=False, widget=DateInput, input_formats=DATE_INPUTS
    )
    every_period = forms.BooleanField(label=_("Every period"), required=False)
    q = forms.CharField(label=_("Name or code contains"), required=False, max_length=100)


def _model_field(name: str, **kwargs):
    return OrgUnit._meta.get_field(name).formfield(**kwargs)


class UnitForm(ServiceErrorsMixin, forms.Form):
    """Create or edit one unit; the parent list holds the units the user may change."""

    code = _model_field("code")
    name = _model_field("name")
    short_name = _model_field("short_name")
    kind = _model_field("kind")
    parent = _model_field("parent", form_class=UnitChoiceField, queryset=OrgUnit.objects.none())
    valid_from = _model_field("valid_from", widget=DateInput, input_formats=DATE_INPUTS)
    valid_to = _model_field("valid_to", widget=DateInput, input_formats=DATE_INPUTS)

    def __init__(self, *args, user, unit: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = units_changeable(user=user)
        if unit is not None and unit.parent_id:
            # Editing a unit keeps its current parent selectable even when the user may
            # not change the parent itself (a unit administrator renaming their unit).
            parents = parents | OrgUnit.objects.filter(pk=unit.parent_id)
        field = self.fields["parent"]
        field.queryset = parents.order_by("path")
        if can(user, Action.ORG_CHANGE_ROOT):
            field.empty_label = _("(none: top level, the province)")
        else:
            field.required = True
        self.fields["code"].help_text = _("Form ABC.DE.FG.HIK, for example 000.00.00.H62.")

    @classmethod
    def initial_for(cls, unit: OrgUnit) -> dict:
        return {name: getattr(unit, name) for name in cls.base_fields if name != "parent"} | {
            "parent": unit.parent_id
        }
