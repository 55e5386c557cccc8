"""Pages of the statistics: all of them for a scope, one of them, and one as a
spreadsheet. Thin: the form reads the filters, the selectors count (through
`visible_to`) and write the access row, the templates draw."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from hoso.core.errors import NotFound, PermissionDenied
from hoso.records.models import StaffCategory
from hoso.search.exports import FORMATS, table_response

from . import selectors
from .forms import StatsFilterForm


def stats_page(view):
    """Logged in; the selectors' refusals shown as 403 and 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            selectors.require_view(request.user)
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise HttpForbidden from None
        except NotFound:
            raise Http404 from None

    return wrapper


def _query(form: StatsFilterForm) -> str:
    """The filters as they were applied (the default unit included), for the links."""
    data = form.cleaned_data
    return urlencode({
        "unit": data["unit"].pk if data.get("unit") else "",
        "category": data.get("category") or "",
        "on": data["on"].isoformat() if data.get("on") else "",
    })


def _context(request, form: StatsFilterForm) -> dict:
    context = {"form": form, "formats": FORMATS}
    if form.is_valid():
        filters = form.filters()
        context |= {
            "filters": filters,
            "query": _query(form),
            "scope": selectors.scope_label(user=request.user, filters=filters),
            "category_label": dict(StaffCategory.choices).get(filters.category, ""),
        }
    return context


@stats_page
def overview(request):
    """Every statistic of the chosen scope, each a chart with its table."""
    form = StatsFilterForm(request.GET, user=request.user)
    context = _context(request, form)
    if form.is_valid():
        context["stats"] = selectors.statistic_list(
            user=request.user, filters=context["filters"]
        )
    return render(request, "stats/overview.html", context, status=200 if form.is_valid() else 400)


@stats_page
def detail(request, key: str):
    if key not in selectors.STATISTICS:
        raise Http404
    form = StatsFilterForm(request.GET, user=request.user)
    context = _context(request, form) | {"key": key}
    if form.is_valid():
        context["stat"] = selectors.statistic_get(
            user=request.user, key=key, filters=context["filters"]
        )
    return render(request, "stats/detail.html", context, status=200 if form.is_valid() else 400)


@stats_page
def export(request, key: str):
    """The statistic's table as xlsx or csv (`?format=`), with the page's filters."""
    if key not in selectors.STATISTICS:
        raise Http404
    fmt = request.GET.get("format", "xlsx")
    form = StatsFilterForm(request.GET, user=request.user)
    context = _context(request, form) | {"key": key}
    if fmt not in FORMATS:
        context["export_error"] = _(
            "Unknown export format “%(fmt)s”: choose xlsx (Excel) or csv."
        ) % {"fmt": fmt}
    if not form.is_valid() or fmt not in FORMATS:
        return render(request, "stats/detail.html", context, status=400)
    filters = context["filters"]
    stat = selectors.statistic_get(
        user=request.user, key=key, filters=filters, action="export", fmt=fmt
    )
    day = filters.day.strftime("%d-%m-%Y")
    return table_response(
        rows=stat.table_rows(), columns=stat.header(), fmt=fmt,
        filename=f"{stat.title} {day}", title=f"{stat.title} — {context['scope']}",
    )

