"""Pages of the oversight app: the province batch (prepare, read, sign, download) and
the compliance dashboard. Thin: the selectors and services decide who may do what and
write the access rows; a refusal of the permission path is a 403, an object out of
reach a 404, a broken rule a Vietnamese message on the page."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound, as_validation_error
from hoso.core.errors import PermissionDenied as DomainPermissionDenied

from . import compliance, selectors, services
from .forms import PeriodForm, SignBatchForm


def _denied(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except DomainPermissionDenied:
            raise HttpForbidden from None

    return wrapper


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _batch_page(request, *, pk: int | None, form: SignBatchForm | None = None, status=200):
    view = selectors.batch_view(user=request.user, pk=pk, page=request.GET.get("page"),
                                unit_id=_int(request.GET.get("unit")))
    signer = None
    if view.may_sign:
        signer = selectors.signer_choice(user=request.user)
        if form is None:
            form = SignBatchForm(initial={"version": view.batch.version},
                                 needs_secret=signer.needs_secret)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "oversight/batch.html", {
        "v": view, "batch": view.batch, "form": form, "signer": signer,
        "query": query.urlencode(), "current": pk is None,
    }, status=status)


@login_required
@_denied
def batch_current(request):
    """The province's open batch: counts per agency, its items, prepare and sign."""
    return _batch_page(request, pk=None)


@login_required
@_denied
def batch_detail(request, pk: int):
    return _batch_page(request, pk=pk)


@login_required
@require_POST
@_denied
def batch_prepare(request):
    """Add every approval since the last signed batch to the open batch."""
    try:
        prepared = services.batch_prepare(actor=request.user)
    except DomainPermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if prepared.added:
            messages.success(request, ngettext(
                "%(n)d approval was added to the batch.",
                "%(n)d approvals were added to the batch.", prepared.added,
            ) % {"n": prepared.added})
        else:
            messages.info(request, _("No new approval since the batch was last prepared."))
    return redirect("oversight:batch_current")


@login_required
@require_POST
@sensitive_post_parameters("secret")
@_denied
def batch_sign(request, pk: int):
    """Sign the batch as one act (the passphrase or PIN asked now)."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    signer = selectors.signer_choice(user=request.user)
    form = SignBatchForm(request.POST, needs_secret=signer.needs_secret)
    if form.is_valid():
        try:
            services.batch_sign(actor=request.user, batch_id=batch.pk,
                                version=form.cleaned_data["version"],
                                secret=form.cleaned_data.get("secret"))
        except DomainPermissionDenied:
            raise
        except DomainError as exc:
            form.add_error(None, as_validation_error(exc))
        else:
            messages.success(request, _(
                "The province's data is signed: %(n)d approvals, ready for the national "
                "database.") % {"n": batch.item_count})
            return redirect("oversight:batch_detail", pk=batch.pk)
    # the page again, with the form's errors (and the batch as it is now)
    return _batch_page(request, pk=batch.pk, form=form, status=200)


@login_required
@_denied
def batch_list(request):
    batches = selectors.batch_list(user=request.user)
    return render(request, "oversight/batch_list.html", {"batches": batches})


@login_required
@_denied
def batch_package(request, pk: int):
    """The signed package (manifest + detached signature) the national exchange sends."""
    try:
        package = selectors.batch_package(user=request.user, pk=pk)
    except DomainError as exc:
        if isinstance(exc, NotFound | DomainPermissionDenied):
            raise
        messages.error(request, exc.message)
        return redirect("oversight:batch_detail", pk=pk)
    response = HttpResponse(package.data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.batch.package_name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the compliance dashboard --------------------------------------------------------


def _board(request):
    if not compliance.may_read(request.user):
        raise HttpForbidden
    from hoso.org.selectors import unit_list

    form = PeriodForm(request.GET or None, units=unit_list(user=request.user,
                                                           action=compliance.ACTION),
                      initial=PeriodForm.initial_for_today())
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        unit = form.cleaned_data.get("unit")
    else:
        initial = PeriodForm.initial_for_today()
        year, month, unit = initial["year"], initial["month"], None
    board = None
    if not form.is_bound or form.is_valid():
        board = compliance.dashboard(user=request.user, year=year, month=month, unit=unit)
    return form, board


@login_required
@_denied
def compliance_page(request):
    """Per agency and month (or year): deadlines kept, overdue, files incomplete."""
    form, board = _board(request)
    query = request.GET.copy()
    query.pop("format", None)
    context = {"form": form, "board": board, "query": query.urlencode()}
    if board is not None:
        context["columns"] = compliance.columns(board)
        context["rows"] = [(f, compliance.row_values(board, f)) for f in board.rows]
        context["total"] = compliance.row_values(board, board.total)
    return render(request, "oversight/compliance.html", context)


@login_required
@_denied
def compliance_export(request):
    """The dashboard's table as xlsx or csv (`?format=`), with an access row."""
    from hoso.search.exports import table_response

    form, board = _board(request)
    if board is None:
        return compliance_page(request)
    fmt = request.GET.get("format", "xlsx")
    try:
        response = table_response(
            rows=compliance.table_rows(board), columns=compliance.columns(board), fmt=fmt,
            filename=f"tuan-thu-{board.period.slug}",
            title=_("Compliance, %(period)s") % {"period": board.period.label},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("oversight:compliance")
    log_access(action="export", detail={"what": "compliance", "period": board.period.slug,
                                        "unit": board.unit.pk if board.unit else None,
                                        "format": fmt})
    return response
