"""Pages of the HR lists (namespace `hr`, /hr/…): retirements, salary-step raises and
files with problems, each with its filters, pages of 50, its count, and its export to
Excel and CSV. Thin: the selectors decide who is on a list (through `visible_to`);
every page and export leaves an access row per person shown (DESIGN principle 7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from hoso.accounts.roles import Action
from hoso.accounts.selectors import acts_anywhere
from hoso.records.models import Person
from hoso.records.selectors import log_list_access
from hoso.search.exports import table_response

from . import exports, selectors, services
from .forms import EXPORT_FORMATS, ProblemFilterForm, RaiseFilterForm, RetirementFilterForm

PAGE_SIZE = 50


def _may_export(user) -> bool:
    return acts_anywhere(user, Action.PERSON_EXPORT)


def _query(request) -> str:
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


def _log(request, people, what: str, action: str, filters: dict, **detail) -> None:
    log_list_access(
        user=request.user, people=people, action=action,
        # Which filters, never their values.
        detail={"what": what, "filters": sorted(filters), **detail},
    )


def _render_list(request, template: str, form, filters, items, rows_of, what: str, **extra):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_of(page.object_list)
    _log(request, [r.person for r in rows], what, "view", filters or {}, page=page.number)
    return render(request, template, {
        "form": form, "page": page, "rows": rows, "query": _query(request),
        "may_export": _may_export(request.user), "today": timezone.localdate(), **extra,
    })


def _export_format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if not _may_export(request.user):
        raise PermissionDenied
    return fmt


def _back(request, name: str):
    query = _query(request)
    return redirect(reverse(name) + (f"?{query}" if query else ""))


@login_required
def index(request):
    return render(request, "hr/index.html")


# --- retirement and raises: a filter form, the people it selects, their rows ---------


def _date_list(form_class, people_of, rows_of, table_of, template: str, what: str,
               name: str, doc: str):
    """The page and the export of a list whose rows are computed from dates (who
    retires, who is due for a raise): the same filters, paging, access rows."""

    @login_required
    def page(request):
        form = form_class(request.GET or None, user=request.user)
        filters = form.filters()
        people = (people_of(user=request.user, **filters)
                  if filters is not None else Person.objects.none())
        return _render_list(request, template, form, filters, people, rows_of, what,
                            export_url=f"hr:{name}_export")

    @login_required
    def export(request):
        fmt = _export_format(request)
        form = form_class(request.GET or None, user=request.user)
        filters = form.filters()
        if filters is None:
            return _back(request, f"hr:{name}")
        rows = rows_of(people_of(user=request.user, export=True, **filters))
        _log(request, [r.person for r in rows], what, "export", filters, format=fmt)
        return table_response(fmt=fmt, **table_of(rows, filters))

    page.__doc__ = doc
    return page, export


retirement, retirement_export = _date_list(
    RetirementFilterForm, selectors.retirement_people, selectors.retirement_rows,
    exports.retirement_table, "hr/retirement.html", "hr_retirement", "retirement",
    "Who reaches the retirement age in the next months (Nghị định 135/2020/NĐ-CP).",
)
raises, raises_export = _date_list(
    RaiseFilterForm, selectors.raise_people, selectors.raise_rows, exports.raise_table,
    "hr/raises.html", "hr_raises", "raises",
    "Who is due for a regular step raise or a seniority allowance change.",
)


# --- files with problems ---------------------------------------------------------------


@login_required
def problems(request):
    """Files with required fields missing or data that contradicts itself (Quảng Nam
    Quy định Đ14.4–14.5), each with the way to fix it."""
    form = ProblemFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    rules, remaining = None, 0
    if filters is not None:
        rules, remaining = services.check_for_list(
            user=request.user, unit=filters.get("unit"), category=filters.get("category", "")
        )
        people = selectors.problem_people(user=request.user, rules=rules, **filters)
    else:
        people = Person.objects.none()
    return _render_list(
        request, "hr/problems.html", form, filters, people,
        lambda page: selectors.problem_rows(user=request.user, people=page, rules=rules),
        "hr_problems", remaining=remaining,
    )


@login_required
def problems_export(request):
    fmt = _export_format(request)
    form = ProblemFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    if filters is None:
        return _back(request, "hr:problems")
    rules, remaining = services.check_for_list(
        user=request.user, unit=filters.get("unit"), category=filters.get("category", "")
    )
    if remaining:
        messages.warning(request, ngettext(
            "%(n)d file is still being checked; export the list once the check is done.",
            "%(n)d files are still being checked; export the list once the check is done.",
            remaining) % {"n": remaining})
        return _back(request, "hr:problems")
    rows = selectors.problem_rows(
        user=request.user,
        people=selectors.problem_people(user=request.user, rules=rules, export=True, **filters),
        rules=rules,
    )
    _log(request, [r.person for r in rows], "hr_problems", "export", filters, format=fmt)
    return table_response(fmt=fmt, **exports.problem_table(rows, filters))
