"""Forms of the signed copy: the passphrase or PIN of a key, asked at signing time.

The secret is a form field only: it goes to the signing service and is forgotten (never
rendered back into the page, stored or logged; the views mark it as a sensitive POST
parameter, so error reports leave it out too).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def _secret(label, help_text=""):
    return forms.CharField(
        label=label, help_text=help_text, required=False, strip=False, max_length=256,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class SignCopyForm(forms.Form):
    """The competent person's signature (and, where they hold it, the agency's)."""

    secret = _secret(
        _("Passphrase or PIN of your signing key"),
        _("Used once to open your key; hoso never keeps it."),
    )
    with_agency = forms.BooleanField(
        label=_("Apply the agency's signature now as well"), required=False,
    )
    agency_secret = _secret(_("Passphrase or PIN of the agency's key"))

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        if not options.own.needs_secret:
            del self.fields["secret"]
        if not options.one_step:
            del self.fields["with_agency"]
            del self.fields["agency_secret"]
        elif not options.agency_key.needs_secret:
            del self.fields["agency_secret"]

    def clean(self):
        data = super().clean()
        if "secret" in self.fields and not data.get("secret"):
            self.add_error("secret", _("Enter the passphrase or PIN of your key."))
        if data.get("with_agency") and "agency_secret" in self.fields \
                and not data.get("agency_secret"):
            self.add_error("agency_secret", _("Enter the passphrase or PIN of the agency's key."))
        return data


class AgencySignForm(forms.Form):
    """The agency's signature on a copy the competent person has signed."""

    secret = _secret(
        _("Passphrase or PIN of the agency's key"),
        _("Used once to open the key; hoso never keeps it."),
    )

    def __init__(self, *args, needs_secret: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_secret:
            del self.fields["secret"]

    def clean(self):
        data = super().clean()
        if "secret" in self.fields and not data.get("secret"):
            self.add_error("secret", _("Enter the passphrase or PIN of the agency's key."))
        return data
