"""The draft's section forms: the schema's generated `section_form`, cut to what the
actor may change.

The schema's form converts what people type and attaches `schema.validate`'s messages
to the fields; this wrapper only decides which of the section's fields are offered:
those the actor may change (`services.editable_fields`). A field the person may not
change about themselves (`managed_by_unit`: the header, the unit's remarks) is shown
read-only; a field the actor may not read is not shown at all and keeps its value.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms as dj_forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.signing.forms import KeySecretForm


def _schema(category: str):
    from hoso.records.schema import get_schema

    return get_schema(category)


def section_keys(draft) -> list[str]:
    return [s.key for s in _schema(draft.category).sections]


def first_section(actor, draft) -> str:
    """The first section with a field the actor may change (a person's own form does not
    open on the unit's header)."""
    from .services import editable_fields

    keys = editable_fields(actor=actor, person=draft.person, category=draft.category).keys
    sections = _schema(draft.category).sections
    for section in sections:
        if any(f.key in keys for f in section.fields):
            return section.key
    return sections[0].key


@dataclass
class ReadOnly:
    key: str
    label: str
    text: str


@dataclass
class SectionLink:
    key: str
    label: str
    url: str
    current: bool
    missing: int


@dataclass
class Row:
    """One item of the section as the template renders it, in the form's order."""

    key: str
    field: object = None  # a bound field
    formset: object = None  # a table's formset
    readonly: ReadOnly | None = None


class SectionForm:
    def __init__(self, *, actor, draft, section_key: str, data=None):
        from hoso.records.display import display_value
        from hoso.records.schema import section_form
        from hoso.records.selectors import visible_document

        from .services import editable_fields

        self.draft = draft
        self.schema = _schema(draft.category)
        self.section = self.schema.section(section_key)
        document = draft.document
        self.form = section_form(
            self.schema, section_key, data=data, initial=document, document=document,
            category=draft.category, on=timezone.localdate(), check_required=False,
        )
        editable = editable_fields(actor=actor, person=draft.person, category=draft.category)
        seen = visible_document(actor, draft.person, document, category=draft.category)
        readonly_keys = [f.key for f in self.form.schema_fields if f.key not in editable.keys]
        self.form.schema_fields = [f for f in self.form.schema_fields if f.key in editable.keys]
        for key in readonly_keys:
            self.form.fields.pop(key, None)
            self.form.formsets.pop(key, None)
        self.readonly = {
            f.key: ReadOnly(f.key, str(f.label),
                            display_value(f, seen.get(f.key), category=draft.category))
            for f in self.section.fields
            if f.key in readonly_keys and _shown(actor, draft, f)
        }

    # saving ---------------------------------------------------------------------------

    def readable_part(self) -> tuple[dict, set[str]]:
        """(this section's part of the document as typed, the keys it replaces)."""
        from django import forms

        # Convert what was typed, then take the part before the schema's messages are
        # attached: attaching one drops its value from `cleaned_data`, and a value
        # must not be lost because it does not (yet) agree with another (a salary
        # coefficient after a change of rank). Submitting refuses it until it is fixed.
        forms.Form.full_clean(self.form)
        for formset in self.form.formsets.values():
            formset.full_clean()
        part = self.form.cleaned_document()
        self.form.full_clean()  # now with the schema's messages on the fields
        return part, {f.key for f in self.form.schema_fields}

    def section_issues(self) -> list:
        keys = {f.key for f in self.form.schema_fields}
        return [i for i in self.form.issues if i.path.split(".", 1)[0] in keys]

    # rendering ------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        rows = []
        for f in self.section.fields:
            if f.key in self.form.formsets:
                rows.append(Row(f.key, formset=self.form.formsets[f.key]))
            elif f.key in self.form.fields:
                rows.append(Row(f.key, field=self.form[f.key]))
            elif f.key in self.readonly:
                rows.append(Row(f.key, readonly=self.readonly[f.key]))
        return rows

    @property
    def label(self):
        return self.section.label

    def non_field_errors(self):
        return self.form.non_field_errors()

    def add_row(self, table_key: str) -> None:
        """Offer one more blank row in a table (the "add a row" button)."""
        formset = self.form.formsets.get(table_key)
        if formset is not None:
            formset.extra = 1
            formset.__dict__.pop("forms", None)

    def section_links(self) -> list[SectionLink]:
        from hoso.records.schema import completeness

        missing = completeness(self.draft.document, category=self.draft.category).missing
        per_section: dict[str, int] = {}
        for f in missing:
            per_section[f.section] = per_section.get(f.section, 0) + 1
        return [
            SectionLink(
                s.key, str(s.label),
                reverse("workflow:section_edit", args=[self.draft.pk, s.key]),
                s.key == self.section.key, per_section.get(s.key, 0),
            )
            for s in self.schema.sections
        ]


def _shown(actor, draft, f) -> bool:
    from hoso.accounts.permissions import file_access

    access = file_access(actor, draft.person)
    section = _schema(draft.category).section(f.section).grant_section
    levels = {f.access} | {c.access for c in (f.columns or ())}
    return all(access.sees(level, section) for level in levels)


# --- the reviewers' decisions ---------------------------------------------------------
#
# Each names the step and the version of the request it was taken on (hidden fields):
# a decision on a page opened before another decision or an edit is refused by the
# service, not applied to what the reviewer did not see.


class _DecisionForm(dj_forms.Form):
    step = dj_forms.IntegerField(widget=dj_forms.HiddenInput)
    version = dj_forms.IntegerField(widget=dj_forms.HiddenInput)


class ApproveForm(KeySecretForm, _DecisionForm):
    field_order = ["step", "version", "comment", "secret"]
    comment = dj_forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000,
        widget=dj_forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs_secret: bool = False, **kwargs):
        super().__init__(*args, needs_secret=needs_secret, **kwargs)


class ApproveManyForm(KeySecretForm):
    """The final approvals ticked in the queue, signed in one session."""

    field_order = ["change_requests", "comment", "secret"]
    change_requests = dj_forms.TypedMultipleChoiceField(
        label=_("Change requests"), coerce=int, choices=(),
        error_messages={"required": _("Tick the change requests to approve.")},
    )
    comment = dj_forms.CharField(label=_("Comment (optional)"), required=False,
                                 max_length=2000)

    def __init__(self, *args, needs_secret: bool = False, **kwargs):
        super().__init__(*args, needs_secret=needs_secret, **kwargs)

    def clean_change_requests(self):
        return self.cleaned_data["change_requests"]

    def full_clean(self):
        # the choices are whatever the page offered: any id is read here and checked
        # against what the user may see and decide by the view and the service
        raw = self.data.getlist("change_requests") if hasattr(self.data, "getlist") else []
        self.fields["change_requests"].choices = [(v, v) for v in raw if str(v).isdigit()]
        super().full_clean()

class ReturnForm(_DecisionForm):
    """A reason per field: one box for each field the request changes, one for the
    evidence, and one more field of the form to name."""

    comment = dj_forms.CharField(
        label=_("General comment (optional)"), required=False, max_length=2000,
        widget=dj_forms.Textarea(attrs={"rows": 2}),
    )
    other_field = dj_forms.ChoiceField(label=_("Another field of the form"), required=False)
    other_reason = dj_forms.CharField(
        label=_("What is wrong with it"), required=False, max_length=2000,
        widget=dj_forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, changes=(), category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = []
        for change in changes:
            name = f"reason__{change.path}"
            self.fields[name] = dj_forms.CharField(
                label=change.label, required=False, max_length=2000,
                widget=dj_forms.Textarea(attrs={"rows": 2}),
            )
            self.paths.append((name, change.path))
        self.fields["reason__evidence"] = dj_forms.CharField(
            label=_("Evidence documents"), required=False, max_length=2000,
            widget=dj_forms.Textarea(attrs={"rows": 2}),
        )
        self.paths.append(("reason__evidence", "evidence"))
        choices = [("", "—")]
        if category:
            choices += [(f.key, str(f.label)) for f in _schema(category).fields]
        self.fields["other_field"].choices = choices
        # the order on the page: the changed fields, evidence, another field, comment
        order = [name for name, _path in self.paths]
        self.order_fields([*order, "other_field", "other_reason", "comment"])

    def reason_fields(self):
        return [self[name] for name, _path in self.paths]

    def clean(self):
        data = super().clean()
        if data.get("other_reason", "").strip() and not data.get("other_field"):
            self.add_error("other_field", _("Choose the field this reason is about."))
        return data

    def field_reasons(self) -> dict[str, str]:
        data = self.cleaned_data
        out = {path: data.get(name, "").strip() for name, path in self.paths}
        if data.get("other_field") and data.get("other_reason", "").strip():
            out[data["other_field"]] = data["other_reason"].strip()
        return {k: v for k, v in out.items() if v}


class RejectForm(_DecisionForm):
    reason = dj_forms.CharField(
        label=_("Reason for rejecting"), max_length=2000,
        widget=dj_forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person reads it; the file does not change."),
    )


class WithdrawForm(dj_forms.Form):
    reason = dj_forms.CharField(
        label=_("Why (optional)"), required=False, max_length=2000,
        widget=dj_forms.Textarea(attrs={"rows": 2}),
    )
