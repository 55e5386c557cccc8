"""Pages of people: the list and one person's (minimal) file. Thin: each calls one
selector; the selectors decide who sees whom and write the access rows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

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


@login_required
def person_detail(request, pk: int):
    try:
        person = selectors.person_get(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "records/person_detail.html",
        {
            "person": person,
            "show_id_number": selectors.may_see_id_number(user=request.user, person=person),
            "own": person.pk == request.user.person_id,
        },
    )
