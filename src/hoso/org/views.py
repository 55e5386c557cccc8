"""Pages of the org tree: the tree, one unit, create and edit. Thin: each parses the
request, calls one selector or service, renders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError
from hoso.records.selectors import person_counts

from . import selectors, services
from .forms import UnitFilterForm, UnitForm
from .models import OrgUnit, UnitKind


def validity_label(unit: OrgUnit) -> str:
    """The unit's period in force, dd/mm/yyyy."""
    start = unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else ""
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return _("since %(start)s") % {"start": start}
    if end:
        return _("until %(end)s") % {"end": end}
    return _("no end date")


def _labelled(units) -> list[OrgUnit]:
    """The units with their kind and validity as text, for tables of thousands of rows.
    Labels are resolved once: get_kind_display() re-translates every choice on each
    call, which was most of the tree page's time."""
    kinds = {value: str(label) for value, label in UnitKind.choices}
    units = list(units)
    for u in units:
        u.kind_label = kinds.get(u.kind, u.kind)
        u.validity = validity_label(u)
    return units


def _visible_unit(user, pk: int, action: str = Action.ORG_VIEW) -> OrgUnit:
    try:
        return selectors.unit_get(user=user, pk=pk, action=action)
    except OrgUnit.DoesNotExist:
        raise Http404 from None


@login_required
def unit_list(request):
    """The tree as of a day (today unless asked), indented by depth; one query."""
    as_of, text = timezone.localdate(), ""
    form = UnitFilterForm(request.GET or None, initial={"as_of": as_of})
    if form.is_valid():
        text = form.cleaned_data["q"]
        if form.cleaned_data["every_period"]:
            as_of = None
        elif form.cleaned_data["as_of"]:
            as_of = form.cleaned_data["as_of"]
    units = _labelled(selectors.unit_tree(user=request.user, as_of=as_of, text=text))
    top = min((u.depth for u in units), default=0)
    # One reverse() for all rows (it costs more than the rest of a row): the detail URL
    # of pk 0, split around the 0.
    head, tail = reverse("org:unit_detail", args=[0]).rsplit("0", 1)
    for u in units:
        u.indent = str(u.depth - top)
        u.url = f"{head}{u.pk}{tail}"
    return render(
        request,
        "org/unit_list.html",
        {
            "form": form,
            "units": units,
            "as_of": as_of,
            "can_create": can(request.user, Action.ORG_CHANGE_ROOT)
            or selectors.units_changeable(user=request.user).exists(),
        },
    )


@login_required
def unit_detail(request, pk: int):
    unit = _visible_unit(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "ancestors": selectors.unit_ancestors(user=request.user, unit=unit),
            "children": _labelled(selectors.unit_children(user=request.user, unit=unit)),
            "counts": person_counts(user=request.user, unit=unit),
            "can_change": can(request.user, Action.ORG_CHANGE, unit),
            "today": today,
            "active": unit.is_active_on(today),
            "validity": validity_label(unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    """A new unit under `?parent=` (or the parent chosen in the form)."""
    user = request.user
    changeable = selectors.units_changeable(user=user)
    if not (can(user, Action.ORG_CHANGE_ROOT) or changeable.exists()):
        raise HttpForbidden
    initial = {}
    if request.GET.get("parent"):
        try:
            initial["parent"] = changeable.get(pk=int(request.GET["parent"])).pk
        except (ValueError, OrgUnit.DoesNotExist):
            raise Http404 from None
    form = UnitForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request, pk: int):
    """Edit a unit; a new parent moves it with its whole sub-tree."""
    user = request.user
    unit = _visible_unit(user, pk)
    if not can(user, Action.ORG_CHANGE, unit):
        raise HttpForbidden
    form = UnitForm(
        request.POST or None, user=user, unit=unit, initial=UnitForm.initial_for(unit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=user, unit=unit, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})
