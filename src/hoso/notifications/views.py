"""Pages (namespace `notifications`): the user's notifications, the unread badge for the
page header (an htmx fragment), and the overdue list of the units one keeps or
approves. Thin: each reads through `selectors` or writes through one `services` call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoso.core.errors import NotFound
from hoso.org.selectors import unit_list

from . import selectors, services

PAGE_SIZE = 30
OVERDUE_PAGE_SIZE = 50


@login_required
def notification_list(request):
    """The user's notifications, unread first; each opens its page and is marked read."""
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notification_list(user=request.user, unread=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(user=request.user),
        "query": "unread=1" if unread_only else "",
    })


@login_required
def badge(request):
    """The header's link to the notifications with the unread count (htmx fragment)."""
    return render(request, "notifications/_badge.html",
                  {"unread": selectors.unread_count(user=request.user)})


def _safe_next(request, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read; with `open`, go on to its page."""
    try:
        n = services.mark_read(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    if request.POST.get("open") and _safe_next(request, n.url):
        return redirect(n.url)
    return redirect(_safe_next(request, request.POST.get("next", "")) or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


class OverdueFilterForm(forms.Form):
    all = forms.CharField(required=False, widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (with its sub-units)"), required=False, queryset=None,
        empty_label=gettext_lazy("All the units I keep or approve"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)


KIND_LABELS = {
    "review": gettext_lazy("Review step"),
    selectors.ACCOUNT_CREATION: gettext_lazy("Account creation"),
    selectors.SELF_ENTRY: gettext_lazy("Self-entry of data"),
}


@login_required
def overdue(request):
    """Overdue review steps and tracked deadlines of the files the user keeps or
    approves (Cần Thơ Đ11.4: monthly monitoring), by due date, 50 a page."""
    if not selectors.may_see_overdue(request.user):
        raise HttpForbidden
    form = OverdueFilterForm(request.GET or None, user=request.user)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    upcoming = request.GET.get("all") == "1"
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    if form.is_bound and form.errors:
        # a filter that can't be read must not widen the list
        result = selectors.OverduePage([], 0, {})
    else:
        result = selectors.overdue_list(
            user=request.user, unit=unit, offset=(number - 1) * OVERDUE_PAGE_SIZE,
            limit=OVERDUE_PAGE_SIZE, upcoming=upcoming,
        )
    page = Paginator(range(result.total), OVERDUE_PAGE_SIZE).get_page(number)
    if result.total and page.number != number:  # past the last page: show the last
        result = selectors.overdue_list(
            user=request.user, unit=unit, offset=(page.number - 1) * OVERDUE_PAGE_SIZE,
            limit=OVERDUE_PAGE_SIZE, upcoming=upcoming,
        )
    selectors.log_page_access(
        user=request.user, items=result.items,
        detail={"list": "overdue", "page": page.number,
                "filters": [k for k, v in (("unit", unit), ("all", upcoming)) if v]},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "notifications/overdue.html", {
        "form": form, "items": result.items, "page": page, "total": result.total,
        "counts": [(KIND_LABELS[k], n) for k, n in result.counts.items() if n],
        "query": query.urlencode(), "upcoming": upcoming, "unit": unit,
    })
