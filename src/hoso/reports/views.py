"""Pages of the printed CV: the approved file's PDF and the draft's, and the signed
copies (made by the competent person, completed by the agency, downloaded). Thin: the
selectors and services decide who may do what and write the access rows; this turns
their answer into a PDF response, a form, a clear page when there is nothing to print,
a 403 or a 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from hoso.core.errors import DomainError, NotFound, as_validation_error
from hoso.core.errors import PermissionDenied as DomainPermissionDenied

from . import exports, selectors, services
from .forms import AgencySignForm, SignCopyForm


def _pdf_response(printed: selectors.CvPrint, pdf: bytes) -> HttpResponse:
    if printed.revision is not None:
        name = f"so-yeu-ly-lich-{printed.person.pk}-r{printed.revision.number}.pdf"
    else:
        name = f"so-yeu-ly-lich-{printed.person.pk}-ban-nhap.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    # Personal data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "no-store, private"
    return response


def _print(request, pk: int, *, draft: bool):
    try:
        printed, pdf = selectors.cv_pdf(user=request.user, pk=pk, draft=draft)
    except NotFound:
        raise Http404 from None
    except selectors.NothingToPrint as exc:
        return render(
            request,
            "reports/cv_unavailable.html",
            {"person": exc.person, "message": exc.message, "draft": draft},
            status=404,
        )
    return _pdf_response(printed, pdf)


@login_required
def person_cv(request, pk: int):
    """The CV printed from the approved file (Cần Thơ Đ7.6, Lâm Đồng Đ9.5)."""
    return _print(request, pk, draft=False)


@login_required
def person_cv_draft(request, pk: int):
    """The person's draft printed as a CV, with "BẢN NHÁP" across every page."""
    return _print(request, pk, draft=True)


# --- signed copies (Vĩnh Phúc Đ9.4, Cần Thơ Đ7.5) ------------------------------------


def _denied(view):
    """The selectors' and services' refusals as 404 (out of reach) and 403 (in reach,
    but not theirs to do)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except DomainPermissionDenied:
            raise HttpForbidden from None

    return wrapper


@login_required
@_denied
def signed_cv_list(request, pk: int):
    """The signed copies of a person's CV, and the way to make one."""
    copies = exports.signed_copies(user=request.user, pk=pk)
    return render(request, "reports/signed_cv_list.html", {"c": copies, "person": copies.person})


@login_required
@sensitive_post_parameters("secret", "agency_secret")
@_denied
def signed_cv_new(request, pk: int):
    """The competent person signs a copy of the approved CV (passphrase or PIN asked now)."""
    try:
        options = exports.signing_options(user=request.user, pk=pk)
    except selectors.NothingToPrint as exc:
        return render(request, "reports/cv_unavailable.html",
                      {"person": exc.person, "message": exc.message, "draft": False}, status=404)
    form = SignCopyForm(request.POST if request.method == "POST" else None, options=options)
    if request.method == "POST" and options.ready and form.is_valid():
        try:
            export = services.signed_cv_create(
                actor=request.user, pk=options.person.pk, secret=form.cleaned_data.get("secret"),
                with_agency=bool(form.cleaned_data.get("with_agency")),
                agency_secret=form.cleaned_data.get("agency_secret"),
            )
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            form.add_error(None, as_validation_error(exc))
        else:
            if export.complete:
                messages.success(request, _("The copy is signed by you and by %(agency)s: it "
                                            "can be downloaded.") % {"agency": export.agency.name})
            else:
                messages.success(request, _("The copy is signed by you; it now awaits the "
                                            "signature of %(agency)s.")
                                 % {"agency": export.agency.name})
            return redirect("reports:signed_cv_list", pk=options.person.pk)
    return render(request, "reports/signed_cv_sign.html",
                  {"form": form, "options": options, "person": options.person})


@login_required
@sensitive_post_parameters("secret")
@_denied
def signed_cv_agency(request, pk: int):
    """Whoever holds the agency's key completes a copy with the agency's signature."""
    options = exports.agency_options(user=request.user, pk=pk)
    export = options.export
    form = AgencySignForm(request.POST if request.method == "POST" else None,
                          needs_secret=options.key.needs_secret)
    if request.method == "POST" and not export.complete and not options.key.error \
            and form.is_valid():
        try:
            export = services.signed_cv_complete(
                actor=request.user, pk=export.pk, secret=form.cleaned_data.get("secret")
            )
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            form.add_error(None, as_validation_error(exc))
        else:
            messages.success(request, _("The agency's signature is applied: the copy is "
                                        "complete."))
            return redirect("reports:signed_cv_list", pk=export.person_id)
    return render(request, "reports/signed_cv_agency.html",
                  {"form": form, "options": options, "export": export,
                   "person": export.person})


@login_required
@_denied
def signed_cv_download(request, pk: int):
    export, data = exports.signed_export_pdf(user=request.user, pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export.download_name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
