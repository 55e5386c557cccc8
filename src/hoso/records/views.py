"""Pages of people: the list, one person's file by sections, its revisions, the file as
it was on a date and the diff between two revisions. Thin: each calls the selectors,
which decide who sees whom and what, and write the access rows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hoso.core.errors import NotFound
from hoso.org.forms import UnitChoiceField
from hoso.org.selectors import unit_list

from . import selectors
from .models import Person, StaffCategory, Status

PAGE_SIZE = 50


class PersonFilterForm(forms.Form):
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
    name = forms.CharField(label=_("Name contains"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)


@login_required
def person_list(request):
    """Everyone the user may see, 50 a page; the page's other people get access rows."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_search(user=request.user, **filters)
    if form.is_bound and form.errors:
        people = people.none()  # a filter that can't be read must not widen the list
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_list_access(
        user=request.user,
        people=page.object_list,
        detail={
            "page": page.number,
            # Which filters, never their values: a typed name is personal data.
            "filters": sorted(k for k, v in filters.items() if v),
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/person_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _person(request, pk: int) -> Person:
    try:
        return selectors.person_list(user=request.user).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def _file_context(request, person: Person, revision) -> dict:
    sections, hidden = selectors.file_sections(request.user, person, revision)
    return {"person": person, "revision": revision, "sections": sections, "hidden": hidden}


@login_required
def person_detail(request, pk: int):
    """The approved file by sections: what the user may read, and what is empty."""
    try:
        file = selectors.person_file(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    person = file.person
    return render(
        request,
        "records/person_detail.html",
        {
            "person": person,
            "file": file,
            "revision": file.revision,
            "sections": file.sections,
            "hidden": file.hidden_sections,
            "show_id_number": selectors.may_see_id_number(user=request.user, person=person),
            "own": person.pk == request.user.person_id,
        },
    )


@login_required
def revision_list(request, pk: int):
    person = _person(request, pk)
    revisions = selectors.revision_list(user=request.user, person=person)
    return render(
        request, "records/revision_list.html", {"person": person, "revisions": revisions}
    )


@login_required
def revision_detail(request, pk: int, number: int):
    person = _person(request, pk)
    try:
        revision = selectors.revision_get(user=request.user, person=person, number=number)
    except NotFound:
        raise Http404 from None
    return render(
        request, "records/revision_detail.html", _file_context(request, person, revision)
    )


class AsOfForm(forms.Form):
    date = forms.DateField(
        label=_("As it was on"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy"), widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


@login_required
def revision_as_of(request, pk: int):
    """The file as it was at the end of a given day."""
    person = _person(request, pk)
    form = AsOfForm(request.GET or None)
    context = {"person": person, "form": form, "revision": None, "asked": False}
    if form.is_valid():
        revision = selectors.revision_as_of(
            user=request.user, person=person, on=form.cleaned_data["date"]
        )
        context |= _file_context(request, person, revision) if revision else {}
        context |= {"asked": True, "on": form.cleaned_data["date"]}
    return render(request, "records/revision_as_of.html", context)


class DiffForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From revision"), coerce=int)
    new = forms.TypedChoiceField(label=_("To revision"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Revision %(n)d") % {"n": n}) for n in numbers]
        self.fields["old"].choices = [(0, _("(empty file)")), *choices]
        self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if "old" in data and "new" in data and data["old"] >= data["new"]:
            raise forms.ValidationError(_("Choose an older revision first, then a newer one."))
        return data


@login_required
def revision_diff(request, pk: int):
    """Field by field what changed between two revisions (by default: the newest and
    the one before it)."""
    person = _person(request, pk)
    numbers = selectors.revision_numbers(user=request.user, person=person)
    data = request.GET.copy() if {"old", "new"} <= set(request.GET) else None
    if data is None and numbers:
        data = {"new": numbers[-1], "old": numbers[-2] if len(numbers) > 1 else 0}
    form = DiffForm(data, numbers=numbers)
    context = {"person": person, "form": form, "changes": None}
    if numbers and form.is_valid():
        old, new, changes = selectors.revision_compare(
            user=request.user, person=person,
            old_number=form.cleaned_data["old"], new_number=form.cleaned_data["new"],
        )
        context |= {"old": old, "new": new, "changes": changes}
    return render(request, "records/revision_diff.html", context)
