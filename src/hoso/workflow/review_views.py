"""The reviewers' pages (namespace `workflow`, /changes/…): the queue of steps to
decide, soonest due first; a request's review page — the field-by-field changes with
Vietnamese labels, the evidence beside them, every round's steps with their due dates,
and the forms to approve (signing with one's key), return with reasons per field, or
reject; and the person's withdrawal of a draft or a returned request.

Thin views: reads through `selectors`, writes through one `decisions`/`services` call;
who may decide is the permission path's answer, asked by the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hoso.core.errors import DomainError

from . import decisions, selectors, services
from .forms import ApproveForm, ApproveManyForm, RejectForm, ReturnForm, WithdrawForm
from .models import Status
from .views import _change

PAGE_SIZE = 50


def _queue_context(request, form=None):
    from hoso.records.selectors import log_list_access

    steps = selectors.queue_for(request.user)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    log_list_access(user=request.user, people=[s.change_request.person for s in page],
                    action="view", detail={"what": "review_queue"})
    today = timezone.localdate()
    finals = [s for s in page if s.final]
    signer = selectors.signer_choice(user=request.user) if finals else None
    return {
        "page": page, "today": today, "overdue": steps.filter(due_date__lt=today).count(),
        "finals": finals, "signer": signer,
        "many_form": form or ApproveManyForm(
            needs_secret=bool(signer and signer.needs_secret and not signer.error)),
    }


@login_required
def review_queue(request):
    """The steps the user decides, soonest due first, the overdue ones marked; the final
    approvals on the page can be given together (the month's approval window)."""
    return render(request, "workflow/review_queue.html", _queue_context(request))


@sensitive_post_parameters("secret")
@login_required
@require_POST
def review_approve_many(request):
    """The final approvals of the requests ticked in the queue, as one signed act."""
    signer = selectors.signer_choice(user=request.user)
    form = ApproveManyForm(request.POST,
                           needs_secret=signer.needs_secret and not signer.error)
    if not form.is_valid():
        return render(request, "workflow/review_queue.html",
                      _queue_context(request, form))
    # only requests the user may see; any other is as if it did not exist
    chosen = form.cleaned_data["change_requests"]
    visible = list(selectors.change_request_list(user=request.user)
                   .filter(pk__in=chosen).values_list("pk", flat=True))
    if len(visible) != len(set(chosen)):
        raise Http404
    try:
        done = decisions.approve_many(actor=request.user, change_requests=visible,
                                      comment=form.cleaned_data["comment"],
                                      secret=form.cleaned_data.get("secret") or None)
    except DomainError as exc:
        if isinstance(exc, decisions.ReviewRefused):
            raise HttpForbidden from None
        form.add_error(None, exc.message)  # the passphrase is never rendered back
        return render(request, "workflow/review_queue.html",
                      _queue_context(request, form), status=409 if isinstance(
                          exc, decisions.Stale) else 200)
    messages.success(request, _("Approved and signed: %(n)d change requests.")
                     % {"n": len(done)})
    return redirect("workflow:review_queue")


def _forms(request, cr, page, *, bound=None):
    step = page.step
    initial = {"step": step.pk, "version": cr.version} if step else {}
    needs_secret = bool(page.signer and page.signer.needs_secret)
    forms = {
        "approve_form": ApproveForm(initial=initial, needs_secret=needs_secret),
        "return_form": ReturnForm(initial=initial, changes=page.overview.changes,
                                  category=cr.category),
        "reject_form": RejectForm(initial=initial),
    }
    if bound is not None:
        forms.update(bound)
    return forms


def _review_context(request, cr, *, bound=None, error=""):
    page = selectors.review_page(user=request.user, cr=cr)
    return {
        "cr": cr, "person": cr.person, "p": page, "d": page.overview,
        "today": timezone.localdate(), "error": error,
        **_forms(request, cr, page, bound=bound),
    }


@login_required
def review(request, pk: int):
    cr = _change(request, pk)
    return render(request, "workflow/review.html", _review_context(request, cr))


def _decided(request, cr, message: str):
    messages.success(request, message)
    return redirect("workflow:review", pk=cr.pk)


def _refused(request, cr, exc: DomainError, *, bound=None):
    """A refusal: the page again, the reason on it, nothing changed (403 when the
    refusal is about who the user is)."""
    status = 403 if isinstance(exc, decisions.ReviewRefused) else 200
    if isinstance(exc, decisions.Stale):
        status = 409
    context = _review_context(request, cr, bound=bound, error=str(exc.message))
    return render(request, "workflow/review.html", context, status=status)


@sensitive_post_parameters("secret")
@login_required
@require_POST
def review_approve(request, pk: int):
    cr = _change(request, pk)
    step = selectors.decidable_step(user=request.user, cr=cr)
    needs_secret = False
    if step is not None and step.signs:
        choice = selectors.signer_choice(user=request.user)
        needs_secret = choice.needs_secret and not choice.error
    form = ApproveForm(request.POST, needs_secret=needs_secret)
    if not form.is_valid():
        return _refused_form(request, cr, {"approve_form": form})
    data = form.cleaned_data
    try:
        cr = decisions.approve(
            actor=request.user, change_request=cr, step=data["step"], version=data["version"],
            comment=data["comment"], secret=data.get("secret") or None,
        )
    except DomainError as exc:
        form = ApproveForm(initial={"step": data["step"], "version": data["version"],
                                    "comment": data["comment"]},
                           needs_secret="secret" in form.fields)
        return _refused(request, cr, exc, bound={"approve_form": form})
    if cr.status == Status.APPROVED:
        return _decided(request, cr, _("Approved and signed: the file now holds revision "
                                       "%(n)d.") % {"n": cr.revision.number})
    return _decided(request, cr, _("Approved: the request goes on to step %(n)d of %(total)d.")
                    % {"n": cr.current_step, "total": cr.steps_total})


def _refused_form(request, cr, bound):
    context = _review_context(request, cr, bound=bound)
    if context["p"].step is None:
        raise HttpForbidden
    return render(request, "workflow/review.html", context)


@login_required
@require_POST
def review_return(request, pk: int):
    cr = _change(request, pk)
    changes = selectors.change_overview(user=request.user, cr=cr).changes
    form = ReturnForm(request.POST, changes=changes, category=cr.category)
    if not form.is_valid():
        return _refused_form(request, cr, {"return_form": form})
    data = form.cleaned_data
    try:
        decisions.return_for_correction(
            actor=request.user, change_request=cr, field_reasons=form.field_reasons(),
            comment=data["comment"], step=data["step"], version=data["version"],
        )
    except DomainError as exc:
        if not isinstance(exc, decisions.ReviewRefused | decisions.Stale):
            form.add_error(None, exc.message)
            return _refused_form(request, cr, {"return_form": form})
        return _refused(request, cr, exc, bound={"return_form": form})
    return _decided(request, cr, _("Returned to the person with your reasons."))


@login_required
@require_POST
def review_reject(request, pk: int):
    cr = _change(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, cr, {"reject_form": form})
    data = form.cleaned_data
    try:
        decisions.reject(actor=request.user, change_request=cr, reason=data["reason"],
                         step=data["step"], version=data["version"])
    except DomainError as exc:
        return _refused(request, cr, exc, bound={"reject_form": form})
    return _decided(request, cr, _("Rejected. The person is told the reason."))


@login_required
@require_POST
def change_withdraw(request, pk: int):
    cr = _change(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.withdraw(actor=request.user, change_request=cr, reason=reason)
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise HttpForbidden from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The change request is withdrawn; it is kept in the "
                                    "file's records."))
    return redirect("workflow:change_detail", pk=cr.pk)
