"""Forms of the signed copy: the passphrase or PIN of a key, asked at signing time.

The secret is a form field only: it goes to the signing service and is forgotten (never
rendered back into the page, stored or logged; the views mark it as a sensitive POST
parameter, so error reports leave it out too).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.signing.forms import KeySecretForm, key_secret_field


class SignCopyForm(forms.Form):
    """The competent person's signature (and, where they hold it, the agency's)."""

    secret = key_secret_field()
    with_agency = forms.BooleanField(
        label=_("Apply the agency's signature now as well"), required=False,
    )
    agency_secret = key_secret_field(_("Passphrase or PIN of the agency's key"), "")

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


class AgencySignForm(KeySecretForm):
    """The agency's signature on a copy the competent person has signed."""

    secret = key_secret_field(
        _("Passphrase or PIN of the agency's key"),
        _("Used once to open the key; hoso never keeps it."),
    )
    secret_missing = _("Enter the passphrase or PIN of the agency's key.")
