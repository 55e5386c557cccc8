"""Pages of the annual report. Thin: the selectors and services decide who may see and
do what (through the permission path) and write the access rows; this turns their
answers into pages, files, 403, 404 and clear Vietnamese errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hoso.core.errors import DomainError, NotFound, as_validation_error
from hoso.core.errors import PermissionDenied as DomainPermissionDenied
from hoso.reports.exports import SignerChoice

from . import deadlines, exports, selectors, services
from .forms import AgencySignForm, DiscardForm, SignReportForm
from .models import Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _guarded(view):
    """Out of reach → 404; in reach but not theirs → 403; a wrong year or the like →
    the page says what is wrong (400)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except DomainPermissionDenied:
            raise HttpForbidden from None
        except DomainError as exc:
            return render(request, "annual/error.html", {"message": exc.message}, status=400)

    return wrapper


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _year(request) -> int:
    value = request.GET.get("year") or deadlines.last_year()
    try:
        return deadlines.check_year(value)
    except DomainError:
        return deadlines.last_year()


@login_required
def index(request):
    """The reporting units the user may report for, with their due dates and status;
    the province's overview for Sở Nội vụ."""
    year = _year(request)
    units = selectors.my_units(user=request.user, year=year)
    context = {
        "year": year, "units": units, "due": deadlines.unit_due(year),
        "province_due": deadlines.province_due(year),
        "may_compile": selectors.may_compile(request.user),
        "years": list(range(deadlines.last_year() + 1, deadlines.FIRST_YEAR - 1, -1))[:8],
    }
    return render(request, "annual/index.html", context)


def _report_page(request, view, *, sign_url: str, xlsx_url: str, pdf_url: str, **extra):
    from .layout import header_rows

    top, bottom = header_rows()
    return render(request, "annual/report.html", {
        "v": view, "f": view.figures, "sign_url": sign_url, "xlsx_url": xlsx_url,
        "pdf_url": pdf_url, "discard_form": DiscardForm(), "head_top": top,
        "head_bottom": bottom, **extra,
    })


@login_required
@_guarded
def unit_report(request, pk: int, year: int):
    view = selectors.unit_report_view(user=request.user, pk=pk, year=year)
    from django.urls import reverse

    args = {"pk": view.unit.pk, "year": view.year}
    return _report_page(
        request, view, sign_url=reverse("annual:unit_sign", kwargs=args),
        xlsx_url=reverse("annual:unit_xlsx", kwargs=args),
        pdf_url=reverse("annual:unit_pdf", kwargs=args),
    )


@login_required
@_guarded
def province(request, year: int):
    from django.urls import reverse

    view = selectors.province_report_view(user=request.user, year=year)
    root, statuses = selectors.submissions(user=request.user, year=year)
    return _report_page(
        request, view, statuses=statuses,
        sign_url=reverse("annual:province_sign", kwargs={"year": view.year}),
        xlsx_url=reverse("annual:province_xlsx", kwargs={"year": view.year}),
        pdf_url=reverse("annual:province_pdf", kwargs={"year": view.year}),
    )


def _export(request, *, kind: str, fmt: str, pk=None, year: int):
    unit, figures, report = selectors.export_figures(user=request.user, kind=kind, pk=pk,
                                                     year=year, fmt=fmt)
    if fmt == "xlsx":
        data = exports.workbook(kind=kind, unit=unit, figures=figures, report=report)
        name = exports.file_name(kind=kind, unit=unit, year=figures.year, ext="xlsx",
                                 draft=report is None)
        return _file(data, name, XLSX)
    data = exports.draft_pdf(kind=kind, unit=unit, figures=figures)
    name = exports.file_name(kind=kind, unit=unit, year=figures.year, ext="pdf", draft=True)
    return _file(data, name, "application/pdf")


@login_required
@_guarded
def unit_xlsx(request, pk: int, year: int):
    return _export(request, kind=Kind.UNIT, fmt="xlsx", pk=pk, year=year)


@login_required
@_guarded
def unit_pdf(request, pk: int, year: int):
    return _export(request, kind=Kind.UNIT, fmt="pdf", pk=pk, year=year)


@login_required
@_guarded
def province_xlsx(request, year: int):
    return _export(request, kind=Kind.PROVINCE, fmt="xlsx", year=year)


@login_required
@_guarded
def province_pdf(request, year: int):
    return _export(request, kind=Kind.PROVINCE, fmt="pdf", year=year)


# --- signing ---------------------------------------------------------------------------


@dataclass
class SigningOptions:
    """What the signing page offers (the attributes `reports.forms.SignCopyForm` reads)."""

    agency: object = None
    own: SignerChoice = field(default_factory=SignerChoice)
    agency_key: SignerChoice = field(default_factory=SignerChoice)
    one_step: bool = False

    @property
    def ready(self) -> bool:
        return not self.own.error and self.agency is not None


def _choice(find) -> SignerChoice:
    try:
        spec = find()
    except DomainError as exc:
        return SignerChoice(error=str(exc.message))
    return SignerChoice(description=spec.describe(), needs_secret=spec.backend != "remote")


def _options(user, kind: str, unit) -> SigningOptions:
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    options = SigningOptions(own=_choice(lambda: signer_for(user=user)))
    try:
        options.agency, spec = services.agency_of(kind, unit)
    except DomainError as exc:
        options.agency_key = SignerChoice(error=str(exc.message))
        return options
    options.agency_key = SignerChoice(description=spec.describe(),
                                      needs_secret=spec.backend != "remote")
    options.one_step = may_sign_for(user, options.agency)
    return options


def _sign(request, view, *, back: str, **target):
    if not selectors.competent(request.user, view.kind, view.unit):
        raise DomainPermissionDenied(_("Only the competent person signs the report."))
    if not view.reporting:
        raise DomainError(_("%(unit)s does not submit an annual report of its own: the "
                            "agency it belongs to reports for it.") % {"unit": view.unit.name})
    deadlines.require_year_over(view.year)
    if view.report is not None:
        raise DomainError(_("The report of %(year)d is already signed: discard it before "
                            "signing it again.") % {"year": view.year})
    options = _options(request.user, view.kind, view.unit)
    form = SignReportForm(request.POST if request.method == "POST" else None, options=options)
    if request.method == "POST" and options.ready and form.is_valid():
        try:
            report = services.report_sign(
                actor=request.user, kind=view.kind, year=view.year, **target,
                secret=form.cleaned_data.get("secret"),
                with_agency=bool(form.cleaned_data.get("with_agency")),
                agency_secret=form.cleaned_data.get("agency_secret"),
                notes=form.cleaned_data.get("notes", ""),
            )
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            form.add_error(None, as_validation_error(exc))
        else:
            if report.complete:
                messages.success(request, _("The report is signed by you and by %(agency)s: "
                                            "it can be submitted.")
                                 % {"agency": report.agency.name})
            else:
                messages.success(request, _("The report is signed by you; it now awaits the "
                                            "signature of %(agency)s.")
                                 % {"agency": report.agency.name})
            return redirect(back)
    return render(request, "annual/sign.html",
                  {"v": view, "form": form, "options": options, "back": back})


@login_required
@sensitive_post_parameters("secret", "agency_secret")
@_guarded
def unit_sign(request, pk: int, year: int):
    from django.urls import reverse

    view = selectors.unit_report_view(user=request.user, pk=pk, year=year, log=False)
    return _sign(request, view, pk=view.unit.pk,
                 back=reverse("annual:unit_report", kwargs={"pk": view.unit.pk, "year": view.year}))


@login_required
@sensitive_post_parameters("secret", "agency_secret")
@_guarded
def province_sign(request, year: int):
    from django.urls import reverse

    view = selectors.province_report_view(user=request.user, year=year, log=False)
    return _sign(request, view, code=view.unit.code,
                 back=reverse("annual:province", kwargs={"year": view.year}))


def _back(report) -> str:
    from django.urls import reverse

    if report.kind == Kind.PROVINCE:
        return reverse("annual:province", kwargs={"year": report.year})
    return reverse("annual:unit_report", kwargs={"pk": report.unit_id, "year": report.year})


@login_required
@sensitive_post_parameters("secret")
@_guarded
def report_agency(request, pk: int):
    """Whoever holds the agency's key completes the report with its signature."""
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import may_sign_for

    report = selectors.report_get(user=request.user, pk=pk)
    if not may_sign_for(request.user, report.agency):
        raise DomainPermissionDenied(_("You may not apply the signature of %(agency)s.")
                                     % {"agency": report.agency.name})
    key = _choice(lambda: signer_for(unit=report.agency))
    form = AgencySignForm(request.POST if request.method == "POST" else None,
                          needs_secret=key.needs_secret)
    if request.method == "POST" and not key.error and form.is_valid():
        try:
            report = services.report_agency_sign(actor=request.user, pk=report.pk,
                                                 secret=form.cleaned_data.get("secret"))
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            form.add_error(None, as_validation_error(exc))
        else:
            messages.success(request, _("The agency's signature is applied: the report can be "
                                        "submitted."))
            return redirect(_back(report))
    return render(request, "annual/agency.html",
                  {"report": report, "form": form, "key": key, "back": _back(report)})


@login_required
@require_POST
@_guarded
def report_submit(request, pk: int):
    report = services.report_submit(actor=request.user, pk=pk)
    if report.on_time:
        messages.success(request, _("The report is submitted, on time."))
    else:
        messages.warning(request, _("The report is submitted, after its due date %(date)s.")
                         % {"date": report.due_date.strftime("%d/%m/%Y")})
    return redirect(_back(report))


@login_required
@require_POST
@_guarded
def report_discard(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    form = DiscardForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_discard(actor=request.user, pk=pk,
                                             reason=form.cleaned_data["reason"])
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The signed report is discarded; it is kept, and a "
                                        "new one can be signed."))
    else:
        messages.error(request, " ".join(form.errors.get("reason", [])))
    return redirect(_back(report))


@login_required
@_guarded
def report_pdf(request, pk: int):
    report = selectors.report_pdf(user=request.user, pk=pk)
    return _file(report.pdf_bytes, report.download_name, "application/pdf")
