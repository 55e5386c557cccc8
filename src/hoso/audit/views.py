"""Pages of the audit trail: change and access rows, one change row, chain check.
Thin: each calls one selector of `audit.selectors`, which checks `audit.view`."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hoso.core.errors import PermissionDenied

from . import selectors
from .models import AccessLog, ChangeLog

PAGE_SIZE = 50
KINDS = {"change": ChangeLog, "access": AccessLog}

# Keys a tree move writes into its change rows (org.services._move_subtree).
EXTRA_LABELS = {"path_root": _("position in the tree"), "moved_with": _("moved along with unit")}


def audit_page(view):
    """Logged in, and the selectors' refusal shown as 403 (the page is not for you)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise HttpForbidden from None

    return wrapper


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor (account or job)"), required=False, max_length=100)

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *model.Action.choices]


def _type_labels() -> dict[str, str]:
    return {m._meta.label_lower: m._meta.verbose_name for m in apps.get_models()}


@audit_page
def log_list(request):
    """Change rows or access rows (`?kind=`), filtered and 50 a page."""
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "change"
    model = KINDS[kind]
    form = AuditFilterForm(request.GET or None, model=model)
    filters = form.cleaned_data if form.is_valid() else {}
    list_rows = selectors.change_log_list if kind == "change" else selectors.access_log_list
    rows = list_rows(user=request.user, **filters)
    if form.is_bound and form.errors:
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _type_labels()
    for row in page.object_list:
        row.object_label = labels.get(row.object_type, row.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log_list.html",
        {"form": form, "kind": kind, "page": page, "query": query.urlencode()},
    )


def _diff(row: ChangeLog) -> list[dict]:
    """The row's before and after, field by field, with the model's own labels."""
    try:
        fields = {f.attname: f for f in apps.get_model(row.object_type)._meta.concrete_fields}
    except (LookupError, ValueError):
        fields = {}
    before, after = row.before or {}, row.after or {}
    out = []
    for key in sorted(before.keys() | after.keys()):
        field = fields.get(key)
        choices = dict(field.flatchoices) if field is not None and field.choices else {}
        out.append(
            {
                "label": field.verbose_name if field is not None else EXTRA_LABELS.get(key, key),
                "before": choices.get(before.get(key), before.get(key)),
                "after": choices.get(after.get(key), after.get(key)),
                "in_before": key in before,
                "in_after": key in after,
                "changed": before.get(key) != after.get(key),
            }
        )
    return out


@audit_page
def log_detail(request, pk: int):
    try:
        row, show_values = selectors.change_log_get(user=request.user, pk=pk)
    except ChangeLog.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "audit/log_detail.html",
        {
            "row": row,
            "object_label": _type_labels().get(row.object_type, row.object_type),
            "diff": _diff(row),
            "show_values": show_values,
        },
    )


@audit_page
@require_POST
def verify(request):
    """Recompute both chains now and say, in words, where one is broken."""
    reports = [
        {
            "name": r.chain_name,
            "ok": r.ok,
            "rows": r.rows,
            "seq": r.broken_seq,
            "problem": r.problem_text,
        }
        for r in selectors.chains_verify(user=request.user)
    ]
    return render(
        request,
        "audit/verify.html",
        {"reports": reports, "intact": all(r["ok"] for r in reports)},
    )
