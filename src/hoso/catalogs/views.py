"""Pages of the code lists: every list with its source and version, one list's
entries as of a day, and the province administrator's changes (add an entry, correct
its label, end it, load a new version from a file — Vĩnh Phúc Đ19.3). Thin: each parses
the request, calls one selector or service, renders. Code lists are no one's personal
data: every logged-in user may read them; changing them is `catalog.manage`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError

from . import loader, selectors, services
from .forms import EndForm, EntryFilterForm, EntryForm, LabelForm, UploadForm
from .models import CodeEntry, CodeList

PAGE_SIZE = 100


def _list_or_404(pk: int) -> CodeList:
    try:
        return selectors.code_list_get(pk=pk)
    except CodeList.DoesNotExist:
        raise Http404 from None


def _entry_or_404(pk: int) -> CodeEntry:
    try:
        return selectors.entry_get(pk=pk)
    except CodeEntry.DoesNotExist:
        raise Http404 from None


def _manager(request) -> None:
    if not can(request.user, Action.CATALOG_MANAGE):
        raise HttpForbidden


def period_label(entry: CodeEntry) -> str:
    start = entry.valid_from.strftime("%d/%m/%Y") if entry.valid_from else ""
    end = entry.valid_to.strftime("%d/%m/%Y") if entry.valid_to else ""
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return _("since %(start)s") % {"start": start}
    if end:
        return _("until %(end)s") % {"end": end}
    return _("no end date")


@login_required
def list_list(request):
    return render(
        request,
        "catalogs/list_list.html",
        {"lists": selectors.code_list_all(), "can_manage": can(request.user,
                                                               Action.CATALOG_MANAGE)},
    )


@login_required
def list_detail(request, pk: int):
    """One list's entries valid on a day (today unless asked, or every period)."""
    code_list = _list_or_404(pk)
    on, text, parent = timezone.localdate(), "", ""
    form = EntryFilterForm(request.GET or None, initial={"on": on})
    if form.is_valid():
        text, parent = form.cleaned_data["q"], form.cleaned_data["parent"]
        if form.cleaned_data["every_period"]:
            on = None
        elif form.cleaned_data["on"]:
            on = form.cleaned_data["on"]
    entries = selectors.entry_search(code_list=code_list, on=on, text=text, parent=parent)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.period = period_label(e)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogs/list_detail.html",
        {
            "code_list": code_list, "form": form, "page": page, "on": on,
            "query": query.urlencode(),
            "can_manage": can(request.user, Action.CATALOG_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk: int):
    _manager(request)
    code_list = _list_or_404(pk)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_create(actor=request.user, code_list=code_list, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The entry was added."))
            return redirect("catalogs:list_detail", pk=code_list.pk)
    return render(request, "catalogs/entry_form.html",
                  {"form": form, "code_list": code_list, "entry": None, "mode": "create"})


@login_required
@require_http_methods(["GET", "POST"])
def entry_update(request, pk: int):
    _manager(request)
    entry = _entry_or_404(pk)
    form = LabelForm(request.POST or None,
                     initial={"label": entry.label, "parent_code": entry.parent_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("catalogs:list_detail", pk=entry.code_list_id)
    return render(request, "catalogs/entry_form.html",
                  {"form": form, "code_list": entry.code_list, "entry": entry, "mode": "update"})


@login_required
@require_http_methods(["GET", "POST"])
def entry_end(request, pk: int):
    _manager(request)
    entry = _entry_or_404(pk)
    form = EndForm(request.POST or None, initial={"valid_to": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_end(actor=request.user, entry=entry, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The entry was ended."))
            return redirect("catalogs:list_detail", pk=entry.code_list_id)
    return render(request, "catalogs/entry_form.html",
                  {"form": form, "code_list": entry.code_list, "entry": entry, "mode": "end"})


@login_required
@require_http_methods(["GET", "POST"])
def list_upload(request, pk: int):
    """A new version of the list from a file; problems are shown line by line."""
    _manager(request)
    code_list = _list_or_404(pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.list_upload(
                actor=request.user, code_list=code_list, name=upload.name, data=upload.read(),
                dry_run=form.cleaned_data["check_only"],
            )
        except loader.LoadError as exc:
            problems = [str(p) for p in exc.problems]
            form.add_error(None, loader.failure_summary(exc))
        else:
            if not result.dry_run:
                for line in loader.summary(result):
                    messages.success(request, line)
                return redirect("catalogs:list_detail", pk=code_list.pk)
    return render(
        request,
        "catalogs/list_upload.html",
        {"form": form, "code_list": code_list, "problems": problems,
         "summary": loader.summary(result) if result else []},
    )
