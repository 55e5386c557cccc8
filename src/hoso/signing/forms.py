from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def _limit(upload):
    if upload is not None and upload.size > settings.SIGNING_UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size),
               "limit": filesizeformat(settings.SIGNING_UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    return upload


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed file"),
        help_text=_("A signed PDF, a data package (.zip), or a JSON file."),
    )
    signature = forms.FileField(
        label=_("Signature file (for a JSON file)"), required=False,
        help_text=_("The .sig or .p7s file that goes with the JSON file."),
    )

    def clean_file(self):
        return _limit(self.cleaned_data.get("file"))

    def clean_signature(self):
        return _limit(self.cleaned_data.get("signature"))
