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


# --- the passphrase or PIN of a signing key, asked at signing time -------------------
#
# A form field only: it opens the key and is forgotten (never rendered back into the
# page, stored or logged; the views mark it as a sensitive POST parameter, so error
# reports leave it out too).


def key_secret_field(label=None, help_text=None):
    return forms.CharField(
        label=label or _("Passphrase or PIN of your signing key"),
        help_text=_("Used once to open your key; hoso never keeps it.")
        if help_text is None else help_text,
        required=False, strip=False, max_length=256,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class KeySecretForm(forms.Form):
    """A form that signs with a key: `secret` is asked when the key needs one
    (`needs_secret`, from the signer's settings) and then required."""

    secret = key_secret_field()
    secret_missing = _("Enter the passphrase or PIN of your key.")

    def __init__(self, *args, needs_secret: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_secret:
            del self.fields["secret"]

    def clean(self):
        data = super().clean()
        if "secret" in self.fields and not data.get("secret"):
            self.add_error("secret", self.secret_missing)
        return data


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
