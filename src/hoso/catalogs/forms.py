"""Forms of the code-list pages. They parse input; `catalogs.services` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.org.forms import DATE_INPUTS, DateInput, ServiceErrorsMixin

MAX_UPLOAD = 20 * 1024 * 1024  # a whole country's communes as CSV is about 1 MB


class EntryFilterForm(forms.Form):
    on = forms.DateField(
        label=_("Valid on"), required=False, widget=DateInput, input_formats=DATE_INPUTS
    )
    every_period = forms.BooleanField(label=_("Every period"), required=False)
    q = forms.CharField(label=_("Code or label contains"), required=False, max_length=100)
    parent = forms.CharField(label=_("Parent code"), required=False, max_length=40)


class EntryForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=255)
    parent_code = forms.CharField(
        label=_("Parent code"), max_length=40, required=False,
        help_text=_("For a commune, the code of its province."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DateInput, input_formats=DATE_INPUTS
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DateInput, input_formats=DATE_INPUTS
    )


class LabelForm(ServiceErrorsMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=255)
    parent_code = forms.CharField(label=_("Parent code"), max_length=40, required=False)


class EndForm(ServiceErrorsMixin, forms.Form):
    valid_to = forms.DateField(
        label=_("Last day in force"), widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("From the next day the code can no longer be chosen; files that used "
                    "it while it applied stay valid."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (YAML or CSV)"),
        help_text=_("The list's header (key, name, version, source) and its entries; the "
                    "format of the shipped files in catalogs/data/."),
    )
    check_only = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_UPLOAD // 2**20}
            )
        return f
