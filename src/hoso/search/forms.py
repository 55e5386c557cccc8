"""The search page's form: the text box and the filters of the side panel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.org.forms import UnitChoiceField
from hoso.org.selectors import unit_list
from hoso.records.models import Sex, StaffCategory, Status

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]
PARTY_CHOICES = [("", _("Any")), ("yes", _("Party member")), ("no", _("Not a Party member"))]


def _catalog(list_key: str, empty):
    def choices():
        from hoso.catalogs.selectors import UnknownList, choices

        try:
            return [("", empty), *choices(list_key)]
        except UnknownList:
            return [("", empty)]

    return choices


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, birth year or identification number"), required=False, max_length=200,
        help_text=_("With or without accents, in any order: “nguyen van dung”, “dung 1985”, "
                    "“Dũng 15/03/1985”, or the 12-digit number."),
        # The box sits above the side panel's form, and belongs to it (form="…").
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "form": "search-form", "aria-describedby": "q-help",
                                      "placeholder": _("e.g. nguyen van dung 1985")}),
    )
    unit = UnitChoiceField(
        label=_("Unit (with its sub-units)"), queryset=None, required=False,
        empty_label=_("All units"),
    )
    category = forms.ChoiceField(
        label=_("Staff category"), required=False,
        choices=[("", _("All categories")), *StaffCategory.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices])
    rank = forms.ChoiceField(label=_("Civil-service rank"), required=False,
                             choices=_catalog("ranks", _("Any rank")))
    title = forms.ChoiceField(label=_("Professional title"), required=False,
                              choices=_catalog("titles", _("Any title")))
    job_position = forms.ChoiceField(label=_("Job position"), required=False,
                                     choices=_catalog("job_positions", _("Any job position")))
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False,
                                  choices=_catalog("ethnicities", _("Any ethnicity")))
    education = forms.ChoiceField(label=_("Professional qualification"), required=False,
                                  choices=_catalog("education_levels", _("Any level")))
    political_theory = forms.ChoiceField(
        label=_("Political theory"), required=False,
        choices=_catalog("political_theory_levels", _("Any level")),
    )
    party = forms.ChoiceField(
        label=_("Party membership"), required=False, choices=PARTY_CHOICES,
        help_text=_("Restricted: searches only the people whose restricted details you "
                    "may read."),
    )
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=15,
                                 max_value=100)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=15,
                                 max_value=100)
    changed_since = forms.DateField(
        label=_("File changed since"), required=False, input_formats=DATE_INPUTS,
        help_text=_("dd/mm/yyyy: files with a revision approved on or after that day."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "age_max",
                _("“Age to” (%(high)d) must not be below “Age from” (%(low)d).")
                % {"high": high, "low": low},
            )
        return data

    def filters(self) -> dict:
        """The validated filters (everything but the text)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "q" and v not in ("", None)}

    @property
    def searched(self) -> bool:
        """Whether anything was asked (an empty form shows no results and logs nothing)."""
        return self.is_bound and any(
            v not in ("", None) for k, v in self.data.items() if k in self.fields
        )
