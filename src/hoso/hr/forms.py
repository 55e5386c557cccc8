"""The filters of the HR lists (read from the query string; an unreadable filter shows
its error and an empty list, never a wider one)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.org.forms import UnitChoiceField
from hoso.org.selectors import unit_list
from hoso.records.models import StaffCategory

from .raises import Kind
from .selectors import ProblemKind


class ListFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit (with its sub-units)"), queryset=None, required=False,
        empty_label=_("All units"),
    )
    category = forms.ChoiceField(
        label=_("Staff category"), required=False,
        choices=[("", _("All categories")), *StaffCategory.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)

    def filters(self) -> dict | None:
        """The selector's keyword arguments, or None when a filter cannot be read."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else {}
        out = {}
        for name, field in self.fields.items():
            value = data.get(name)
            if value in (None, ""):
                value = field.initial if field.initial is not None else value
            if value not in (None, "", False):
                out[name] = value
        return out


class RetirementFilterForm(ListFilterForm):
    months = forms.IntegerField(
        label=_("Within the next (months)"), min_value=1, max_value=120, initial=12,
        required=False, help_text=_("From this month on; 1 is this month only."),
    )
    overdue = forms.BooleanField(
        label=_("Also those past the age who still work"), required=False
    )


class RaiseFilterForm(ListFilterForm):
    months = forms.IntegerField(
        label=_("Within the next (months)"), min_value=1, max_value=60, initial=6,
        required=False, help_text=_("From this month on; 1 is this month only."),
    )
    kind = forms.ChoiceField(
        label=_("Raise"), required=False,
        choices=[("", _("Step raises and seniority allowance")),
                 (Kind.STEP, _("Regular step raises")),
                 (Kind.SENIORITY, _("Seniority allowance beyond the last step"))],
    )
    overdue = forms.BooleanField(
        label=_("Also step raises already due but not in the file"), required=False
    )


class ProblemFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Problem"), required=False,
        choices=[("", _("All problems")),
                 (ProblemKind.MISSING, _("Required fields missing")),
                 (ProblemKind.CONTRADICTION, _("Data that contradicts itself or the rules")),
                 (ProblemKind.UNAPPROVED, _("No approved file yet"))],
    )


EXPORT_FORMATS = ("xlsx", "csv")
