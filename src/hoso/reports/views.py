"""Pages of the printed CV: the approved file's PDF and the draft's. Thin: the
selectors decide who may print what and write the access row; this turns their answer
into a PDF response, a clear page when there is nothing to print, or a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from hoso.core.errors import NotFound

from . import selectors


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
