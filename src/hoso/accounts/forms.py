"""Forms of the login flow, accounts, roles and consent grants.

They parse input only. What is allowed is decided by `accounts.services` (and the
permission path behind it); `add_service_error` puts the services' Vietnamese refusals
on the form's fields.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hoso.core.errors import DomainError, as_validation_error
from hoso.org.forms import DATE_INPUTS, DateInput, ServiceErrorsMixin, UnitChoiceField
from hoso.org.models import OrgUnit
from hoso.records.sections import SECTIONS

from .models import AccessGrant, RoleAssignment
from .roles import Role

# Django's own messages that its Vietnamese catalog lacks (Django 5.2 changed the
# msgid); marked here so that our catalog carries their translation.
DJANGO_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)

ID_NUMBER_RE = re.compile(r"^\d{12}$")


class ServiceErrors(ServiceErrorsMixin):
    """`ServiceErrorsMixin` with the services' field names mapped to the form's."""

    service_fields: dict[str, str] = {}

    def add_service_error(self, exc: ValidationError | DomainError) -> None:
        if isinstance(exc, DomainError):
            field = self.service_fields.get(exc.field, exc.field)
            if field not in self.fields:
                field = None
            exc = as_validation_error(DomainError(exc.message, field=field, code=exc.code))
        super().add_service_error(exc)


# --- login ---------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form with our messages: a wrong password and an unknown name get
    the same answer; a locked account is told so (the backend notes it on the request)."""

    error_messages = {
        "invalid_login": _(
            "Wrong user name or password. Check both (letter case matters) and try again."
        ),
        "inactive": _("This account has been locked by an administrator."),
        "locked": _(
            "This account is locked for %(minutes)s minutes after too many failed log-ins. "
            "Try again later, or ask your unit's administrator to unlock it."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none"})

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "hoso_login_note", None) == "locked":
                from django.conf import settings

                raise ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": settings.LOCKOUT_MINUTES},
                ) from None
            raise


class PasswordChangeForm(ServiceErrors, forms.Form):
    service_fields = {"new_password": "new_password1"}

    old_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password1")
            and data.get("new_password2")
            and data["new_password1"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("The two new passwords do not match."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"), max_length=6, min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*",
                   "autofocus": True}
        ),
        error_messages={
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="digits")
        return token


# --- accounts ------------------------------------------------------------------------


class AccountFilterForm(forms.Form):
    STATES = [
        ("", _("Every state")),
        ("active", _("Active")),
        ("disabled", _("Locked by an administrator")),
        ("locked", _("Locked after failed log-ins")),
        ("must_change", _("Must set a new password")),
    ]
    q = forms.CharField(label=_("User name or name contains"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit (with its sub-units)"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=_("All units"),
    )
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AccountCreateForm(ServiceErrors, forms.Form):
    """A personal account: for a person's file (found by identification number), or for
    someone whose file is not in hoso yet (name and unit)."""

    id_number = forms.CharField(
        label=_("Personal identification number"), required=False, max_length=12,
        help_text=_("12 digits; links the account to the person's file and fills in the name."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=_("(the unit of the person's file)"),
    )
    username = forms.CharField(
        label=_("User name"), required=False, max_length=150,
        help_text=_("Leave empty to make one from the name (for example dungnv)."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    staff_role = forms.BooleanField(
        label=_("Grant the staff-member role on the unit"), required=False, initial=True
    )

    def __init__(self, *args, units, find_person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self._find_person = find_person

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip()
        if value and not ID_NUMBER_RE.match(value):
            raise ValidationError(_("The identification number must be exactly 12 digits."))
        return value

    def clean(self):
        data = super().clean()
        person = None
        if data.get("id_number"):
            person = self._find_person(data["id_number"])
            if person is None:
                self.add_error(
                    "id_number",
                    _("No personnel file with this identification number is within your scope."),
                )
                return data
        data["person"] = person
        if not data.get("full_name"):
            if person is None:
                self.add_error("full_name", _("Enter the full name, or the identification number."))
            else:
                data["full_name"] = person.full_name
        if not data.get("unit"):
            if person is None:
                self.add_error("unit", _("Choose the unit of the account."))
            else:
                data["unit"] = person.unit
        return data


class BulkCreateForm(ServiceErrors, forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    include_subtree = forms.BooleanField(label=_("Including its sub-units"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SetActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", _("Unlock")), ("0", _("Lock"))], coerce=lambda v: v == "1"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), required=False, max_length=500,
        widget=forms.TextInput,
    )


# --- roles ---------------------------------------------------------------------------


class RoleGrantForm(ServiceErrors, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(label=_("On unit"), queryset=OrgUnit.objects.none())
    include_subtree = RoleAssignment._meta.get_field("include_subtree").formfield(
        initial=True, required=False
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("Empty: from today."),
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("Empty: until revoked."),
    )
    focal = RoleAssignment._meta.get_field("focal").formfield(required=False)
    decision = RoleAssignment._meta.get_field("decision").formfield(required=False)

    def __init__(self, *args, roles: list[str], units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["unit"].queryset = units


class RoleUpdateForm(ServiceErrors, forms.Form):
    """Restrict or widen a role: its sub-tree and its end date (Vĩnh Phúc Đ14.1)."""

    include_subtree = RoleAssignment._meta.get_field("include_subtree").formfield(required=False)
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("Empty: until revoked."),
    )


# --- written-consent grants ----------------------------------------------------------


def _grant_field(name: str, **kwargs):
    return AccessGrant._meta.get_field(name).formfield(**kwargs)


class GrantCreateForm(ServiceErrors, forms.Form):
    """A written consent as the document says it (Vĩnh Phúc Đ4.4, Cần Thơ Đ3.4)."""

    document_number = _grant_field("document_number")
    document_date = forms.DateField(
        label=_("Document date"), widget=DateInput, input_formats=DATE_INPUTS
    )
    signer_name = _grant_field("signer_name")
    signer_title = _grant_field("signer_title")
    grantee = forms.CharField(
        label=_("Grantee (user name)"), max_length=150,
        help_text=_("The account that may read the files."),
    )
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=_("(none: only the people listed below)"),
    )
    include_subtree = _grant_field("include_subtree", required=False)
    people = forms.CharField(
        label=_("People (identification numbers)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One 12-digit number per line, for consent that names people."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections opened"), choices=list(SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = _grant_field("purpose", widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("Empty: from today."),
    )
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput, input_formats=DATE_INPUTS)

    def __init__(self, *args, units, find_grantee, find_person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self._find_grantee = find_grantee
        self._find_person = find_person

    def clean_grantee(self):
        user = self._find_grantee(self.cleaned_data["grantee"])
        if user is None:
            raise ValidationError(_("There is no active account with this user name."))
        return user

    def clean_people(self):
        numbers = [n.strip() for n in self.cleaned_data["people"].split() if n.strip()]
        bad = [n for n in numbers if not ID_NUMBER_RE.match(n)]
        if bad:
            raise ValidationError(
                _("Not a 12-digit identification number: %(numbers)s.")
                % {"numbers": ", ".join(bad)}
            )
        people, missing = [], []
        for n in dict.fromkeys(numbers):
            person = self._find_person(n)
            (people.append(person) if person else missing.append(n))
        if missing:
            raise ValidationError(
                _("No file within your scope has the identification number %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            )
        return people


class GrantFilterForm(forms.Form):
    STATUSES = [
        ("", _("Every state")),
        ("active", _("In force")),
        ("pending", _("Not yet in force")),
        ("expired", _("Expired")),
        ("revoked", _("Revoked")),
    ]
    status = forms.ChoiceField(label=_("State"), choices=STATUSES, required=False)



# --- delegations (ủy quyền) ----------------------------------------------------------


class DelegationCreateForm(ServiceErrors, forms.Form):
    """A delegation as its decision says it (Quảng Nam Đ5.2, Lâm Đồng Đ7.3, Lai Châu
    2.3): whose role, to whom, on which unit, by which decision, until when."""

    service_fields = {"delegator": "delegator", "delegate": "delegate"}

    delegator = forms.CharField(
        label=_("Delegator (user name)"), max_length=150, required=False,
        help_text=_("The holder of the role; yourself if empty."),
    )
    delegate = forms.CharField(
        label=_("Delegate (user name)"), max_length=150,
        help_text=_("The account that will act in the role."),
    )
    role = forms.ChoiceField(label=_("Role delegated"))
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=DateInput, input_formats=DATE_INPUTS
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DateInput, input_formats=DATE_INPUTS,
        help_text=_("Empty: from today."),
    )
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput, input_formats=DATE_INPUTS)

    def __init__(self, *args, units, roles, find_account, for_others: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self._find = find_account
        if not for_others:
            del self.fields["delegator"]

    def _account(self, name: str):
        user = self._find(name)
        if user is None:
            raise ValidationError(_("There is no active account with this user name."))
        return user

    def clean_delegate(self):
        return self._account(self.cleaned_data["delegate"])

    def clean_delegator(self):
        name = self.cleaned_data.get("delegator", "").strip()
        return self._account(name) if name else None
