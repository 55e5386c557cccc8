"""The search page (results update as one types, through htmx), its exports and the
user's saved searches. Thin: the selectors decide who sees whom and write the access
rows; the services write the saved searches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.core.errors import DomainError, NotFound

from . import selectors, services, tables
from .exports import FORMATS, table_response
from .forms import SearchForm


def _query_without(query: QueryDict, *keys: str) -> QueryDict:
    """`query` without `keys` and without the parameters left empty."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        values = [v for v in values if v != ""]
        if key not in keys and values:
            kept.setlist(key, values)
    return kept


def _facet_links(facets, query: QueryDict) -> None:
    """Give every facet value the link that narrows the search to it."""
    base = _query_without(query, "page", "fmt")
    for facet in facets:
        for value in facet.values:
            link = base.copy()
            if facet.key == "age":
                link.pop("age_min", None)
                link.pop("age_max", None)
            for key, param in value.params.items():
                link[key] = str(param)
            value.url = "?" + link.urlencode()
            value.selected = all(query.get(k) == str(v) for k, v in value.params.items())


@login_required
def search(request):
    """The search page; an htmx request gets the results alone (live results)."""
    form = SearchForm(request.GET or None, user=request.user)
    result = None
    if form.searched and form.is_valid():
        result = selectors.search(
            user=request.user, q=form.cleaned_data["q"], filters=form.filters(),
            page=request.GET.get("page") or 1,
        )
        _facet_links(result.facets, request.GET)
    query = _query_without(request.GET, "page")
    context = {
        "form": form,
        "result": result,
        "query": query.urlencode(),
        "saved": selectors.saved_search_list(user=request.user),
        "formats": FORMATS,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        # The side panel is not swapped: the results say what is wrong with a filter.
        return render(request, "search/_results.html", {**context, "partial": True})
    return render(request, "search/search.html", context)


def _back_to_search(query: str):
    return redirect(f"{reverse('search:search')}?{query}" if query else "search:search")


def _export(request, what: str):
    form = SearchForm(request.GET or None, user=request.user)
    fmt = request.GET.get("fmt", "xlsx")
    back = _query_without(request.GET, "fmt", "page").urlencode()
    if fmt not in FORMATS:
        messages.error(request, _("Choose Excel (xlsx) or CSV to export."))
        return _back_to_search(back)
    if not form.searched or not form.is_valid():
        messages.error(request, _("Search first, then export what the search finds."))
        return _back_to_search(back)
    try:
        people = selectors.export_people(
            user=request.user, q=form.cleaned_data["q"], filters=form.filters(), what=what,
            fmt=fmt,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_search(back)
    if what == "summary":
        return table_response(
            rows=tables.summary_rows(request.user, people), columns=tables.summary_columns(),
            fmt=fmt, filename="danh-sach-trich-ngang", title=_("Summary list of staff"),
        )
    return table_response(
        rows=tables.result_rows(people), columns=tables.result_columns(), fmt=fmt,
        filename="ket-qua-tim-kiem", title=_("Search results"),
    )


@login_required
def export_results(request):
    """Every result of the search (that the user may export) as Excel or CSV."""
    return _export(request, "results")


@login_required
def export_summary(request):
    """The search's people as the "danh sách trích ngang" summary list."""
    return _export(request, "summary")


@login_required
@require_POST
def saved_create(request):
    try:
        saved = services.saved_search_create(
            actor=request.user, name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_search(services.clean_query(request.POST.get("query", "")))
    messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
    return _back_to_search(saved.query)


@login_required
@require_POST
def saved_delete(request, pk: int):
    try:
        services.saved_search_delete(actor=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Saved search deleted."))
    return redirect("search:search")
