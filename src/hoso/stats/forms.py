"""The statistics' filters: a unit (with its sub-units) among those the user may count,
a staff category, and the reference date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.org.forms import DATE_INPUTS, DateInput, UnitChoiceField
from hoso.records.models import StaffCategory

from . import selectors

EARLIEST = dt.date(1945, 9, 2)  # nobody in the files served before the state existed


class StatsFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit (with its sub-units)"), queryset=None, required=False,
        empty_label=_("All units in your scope"),
        error_messages={"invalid_choice": _(
            "Unit: choose one from the list; you may count only the units of your scope."
        )},
    )
    category = forms.ChoiceField(
        label=_("Staff category"), required=False,
        choices=[("", _("All categories")), *StaffCategory.choices],
        error_messages={"invalid_choice": _("Staff category: choose one from the list.")},
    )
    on = forms.DateField(
        label=_("Reference date"), required=False, widget=DateInput,
        input_formats=DATE_INPUTS,
        error_messages={"invalid": _("Reference date: write it as dd/mm/yyyy.")},
        help_text=_("Ages are counted on this day, arrivals and departures over the twelve "
                    "months up to it; the other figures are today's approved files."),
    )

    def __init__(self, data=None, *, user, **kwargs):
        # Without a unit in the query, the statistics open on the user's own unit (the
        # province for Sở Nội vụ); "all units" is chosen explicitly with an empty value.
        if data is not None and "unit" not in data:
            data = data.copy()
            unit = selectors.default_unit(user=user)
            data["unit"] = str(unit.pk) if unit else ""
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(user=user)

    def clean_on(self):
        day = self.cleaned_data.get("on")
        today = timezone.localdate()
        if day is not None and day > today:
            raise ValidationError(
                _("The reference date cannot be after today (%(today)s): statistics count "
                  "what the files hold."),
                params={"today": today.strftime("%d/%m/%Y")},
            )
        if day is not None and day < EARLIEST:
            raise ValidationError(
                _("The reference date must be on or after 02/09/1945."),
            )
        return day

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data
        return selectors.Filters(
            unit=data.get("unit"), category=data.get("category") or "", on=data.get("on")
        )
