"""Forms of the oversight pages: signing the province batch, and the dashboard's period.

The passphrase or PIN is a form field only: it opens the signer's key and is forgotten
(never rendered back, stored or logged; the view marks it as a sensitive parameter).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.org.forms import UnitChoiceField
from hoso.signing.forms import KeySecretForm


class SignBatchForm(KeySecretForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PeriodForm(forms.Form):
    """A month of a year, or the whole year (the yearly ranking), and optionally one
    unit's sub-tree among those the reader may see."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None,
        choices=[],
    )
    unit = UnitChoiceField(label=_("Unit (with its sub-units)"), queryset=None,
                           required=False, empty_label=_("All units in my scope"))

    def __init__(self, *args, units, **kwargs):
        from django.utils.translation import gettext

        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            ("", gettext("The whole year")),
            *((str(m), gettext("Month %(m)d") % {"m": m}) for m in range(1, 13)),
        ]
        self.fields["unit"].queryset = units

    @staticmethod
    def initial_for_today() -> dict:
        today = timezone.localdate()
        return {"year": today.year, "month": today.month}
