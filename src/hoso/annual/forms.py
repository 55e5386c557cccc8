"""Forms of the annual report. Signing reuses the signed CV's forms (`reports.forms`):
the passphrase or PIN of the competent person's key, and of the agency's when the
competent person may apply it too — asked at signing time, never kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.reports.forms import AgencySignForm, SignCopyForm

from .services import NOTES_MAX

__all__ = ["AgencySignForm", "DiscardForm", "SignReportForm", "YearForm"]


class SignReportForm(SignCopyForm):
    """The competent person's signature on the report, with the difficulties and
    problems the report reflects (Vĩnh Phúc Đ16.7, Lâm Đồng Đ13.9)."""

    notes = forms.CharField(
        label=_("Difficulties and problems arising (optional)"),
        help_text=_("Printed in the report under the tables, as you write them."),
        required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["notes", "secret", "with_agency", "agency_secret"]


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the signed report discarded?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the report is discarded.")},
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=2000)
