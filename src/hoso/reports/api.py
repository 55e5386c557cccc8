"""The printed CV over the API: `/api/v1/persons/{id}/cv.pdf` and `…/cv-draft.pdf`.

The same selector as the pages (`selectors.cv_pdf`): printing is exporting the file
(`person.export`), someone out of reach is "not found", the CV comes from the approved
revision only (Cần Thơ 641/QĐ-UBND Đ7.6, Lâm Đồng Đ9.5) — or from the person's draft,
watermarked "BẢN NHÁP" — cut to the fields the caller may read, and every print leaves
an access row.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet

from . import selectors


class JsonErrors(BaseContentNegotiation):
    """The PDF is the answer whatever the client accepts; errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PrintErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(label=_("message"))


def _pdf_doc(operation_id, summary, description):
    return extend_schema(
        operation_id=operation_id, summary=summary, description=description,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                                      description=_("The CV as an A4 PDF.")),
            404: OpenApiResponse(PrintErrorSerializer, description=_(
                "No such file, or nothing to print (no approved revision, no draft).")),
        },
    )


class PersonCvViewSet(ApiViewSet):
    content_negotiation_class = JsonErrors

    def _print(self, request, pk, *, draft: bool):
        try:
            printed, pdf = selectors.cv_pdf(user=request.user, pk=int(pk), draft=draft)
        except selectors.NothingToPrint as exc:
            return Response({"detail": str(exc.message)}, status=status.HTTP_404_NOT_FOUND)
        if printed.revision is not None:
            name = f"so-yeu-ly-lich-{printed.person.pk}-r{printed.revision.number}.pdf"
        else:
            name = f"so-yeu-ly-lich-{printed.person.pk}-ban-nhap.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store, private"
        return response

    @_pdf_doc(
        "persons_cv_pdf",
        _("The CV printed from the approved file"),
        _("The CV (sơ yếu lý lịch) as A4 PDF, printed from the newest approved revision only "
          "(Cần Thơ Đ7.6, Lâm Đồng Đ9.5), with the fields you may read; the revision's "
          "number and content hash are in every page's footer. Needs the right to export the "
          "file; every print is recorded."),
    )
    def cv(self, request, pk=None):
        return self._print(request, pk, draft=False)

    @_pdf_doc(
        "persons_cv_draft_pdf",
        _("The person's draft printed as a CV"),
        _("The open draft of the file as A4 PDF, with “BẢN NHÁP” across every page: for "
          "checking it before it is submitted. Only for those who may see the draft."),
    )
    def cv_draft(self, request, pk=None):
        return self._print(request, pk, draft=True)
