"""The annual report over the API: `/api/v1/annual-reports/…`.

- `GET annual-reports/?year=`: the signed reports you may open;
- `GET annual-reports/units/{unit}/{year}/`: a unit's report — its figures (frozen if
  signed, else counted now as of 31/12), its due date and status;
- `GET annual-reports/units/{unit}/{year}/export/?fmt=xlsx|pdf`: the workbook, or the
  unsigned draft PDF;
- `POST annual-reports/units/{unit}/{year}/sign/`: the competent person signs (figures
  frozen); `with_agency` applies the agency's signature too;
- `GET annual-reports/province/{year}/`: the units' submissions and the province's
  compiled figures (Sở Nội vụ); `…/export/` and `…/sign/` as for a unit;
- `GET annual-reports/{id}/`, `GET annual-reports/{id}/signed.pdf`;
- `POST annual-reports/{id}/agency/`, `…/submit/`, `…/discard/`.

The same selectors and services as the pages: counted through `visible_to`, offered to
whoever may export the files of the whole unit, access-logged.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet
from hoso.reports.api import JsonErrors

from . import deadlines, exports, layout, selectors, services
from .models import AnnualReport, Kind, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def choice(values, **kwargs) -> serializers.CharField:
    """A string whose values the description lists. Not an enum: drf-spectacular names
    enums after their field ("kind", "status"), which other apps' fields of the same name
    and other values already take."""
    listed = ", ".join(f"`{v}`" for v in values)
    help_text = kwargs.pop("help_text", "")
    return serializers.CharField(help_text=f"{help_text} ({listed})" if help_text else listed,
                                 **kwargs)


class AnnualRowSerializer(serializers.Serializer):
    key = serializers.CharField(label=_("row key"))
    label = serializers.CharField(label=_("label"))
    code = serializers.CharField(label=_("code"), required=False)
    values = serializers.ListField(child=serializers.IntegerField(), label=_("figures"),
                                   help_text=_("One number per column, in `columns` order."))
    subtotal = serializers.BooleanField(label=_("group line (not added to the total)"),
                                        required=False)


class AnnualTableSerializer(serializers.Serializer):
    key = choice([k for k, _t in layout.TABLES], label=_("table"))
    title = serializers.CharField(label=_("title"))
    rows = AnnualRowSerializer(many=True, label=_("rows"))
    total = serializers.ListField(child=serializers.IntegerField(), label=_("totals row"))


class AnnualUnitLineSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField())
    status = choice(["submitted", "not_submitted", "direct"],
                    help_text=_("Where the unit's figures come from."))
    report_id = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.CharField(allow_blank=True)
    on_time = serializers.BooleanField(allow_null=True)


class AnnualFiguresSerializer(serializers.Serializer):
    kind = choice(Kind.values)
    year = serializers.IntegerField(label=_("reporting year"))
    as_of = serializers.DateField(label=_("figures as of"))
    preview = serializers.BooleanField(label=_("provisional (the year is not over)"))
    columns = serializers.ListField(child=serializers.CharField(), label=_("columns"))
    tables = AnnualTableSerializer(many=True)
    total = serializers.ListField(child=serializers.IntegerField(), label=_("totals"))
    not_approved = serializers.IntegerField(label=_("files not counted: no approved revision"))
    units = AnnualUnitLineSerializer(many=True, label=_("units (the province's report)"))
    notes = serializers.CharField(label=_("difficulties and problems arising"))


class AnnualReportSerializer(serializers.ModelSerializer):
    kind = choice(Kind.values, read_only=True)
    status = choice(Status.values, read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = AnnualReport
        fields = ("id", "kind", "unit", "unit_code", "year", "as_of", "status",
                  "figures_sha256", "pdf_sha256", "pdf_size", "agency", "agency_code",
                  "signed_by", "signed_at", "agency_signed_by", "agency_signed_at",
                  "due_date", "submitted_by", "submitted_at", "on_time", "discarded_at",
                  "discard_reason")
        read_only_fields = fields


class AnnualSubmissionSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    state = choice(
        ["not_started", "awaiting_agency", "signed", "submitted", "submitted_late", "late"],
        help_text=_("late: the due date passed and nothing is submitted"))
    report = AnnualReportSerializer(allow_null=True)


class AnnualReportViewSerializer(serializers.Serializer):
    """A report as its page shows it (documentation of the answer's shape)."""

    kind = choice(Kind.values)
    unit = serializers.IntegerField()
    unit_code = serializers.CharField()
    year = serializers.IntegerField()
    due_date = serializers.DateField(label=_("due date"))
    overdue = serializers.BooleanField()
    reporting = serializers.BooleanField(label=_("submits a report of its own"))
    report = AnnualReportSerializer(allow_null=True, label=_("the signed report, if any"))
    figures = AnnualFiguresSerializer()
    submissions = AnnualSubmissionSerializer(many=True, required=False,
                                       label=_("the units' submissions (the province's)"))


class AnnualSignSerializer(serializers.Serializer):
    secret = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                   style={"input_type": "password"},
                                   label=_("passphrase or PIN of your key"))
    with_agency = serializers.BooleanField(required=False, default=False,
                                           label=_("apply the agency's signature too"))
    agency_secret = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                          label=_("passphrase or PIN of the agency's key"))
    notes = serializers.CharField(required=False, allow_blank=True,
                                  max_length=services.NOTES_MAX,
                                  label=_("difficulties and problems arising"))


class AnnualAgencySerializer(serializers.Serializer):
    secret = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                   label=_("passphrase or PIN of the agency's key"))


class AnnualDiscardSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("why the report is discarded"), max_length=1000)


def _view_data(view, submissions=None) -> dict:
    data = {
        "kind": view.kind, "unit": view.unit.pk, "unit_code": view.unit.code,
        "year": view.year, "due_date": view.due.isoformat(), "overdue": view.overdue,
        "reporting": view.reporting,
        "report": AnnualReportSerializer(view.report).data if view.report else None,
        "figures": view.figures.to_json(),
    }
    if submissions is not None:
        data["submissions"] = [
            {"unit": s.unit.pk, "unit_code": s.unit.code, "unit_name": s.unit.name,
             "state": s.state,
             "report": AnnualReportSerializer(s.report).data if s.report else None}
            for s in submissions
        ]
    return data


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


FMT = OpenApiParameter("fmt", str, enum=["xlsx", "pdf"], required=True,
                       description=_("xlsx: the workbook; pdf: the unsigned draft."))
FILE_RESPONSES = {
    (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=_("The workbook.")),
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                              description=_("The draft PDF.")),
}


class AnnualReportViewSet(ApiViewSet):
    serializer_class = AnnualReportSerializer

    @extend_schema(
        operation_id="annual_reports_list", summary=_("Signed annual reports"),
        description=_("The signed annual reports you may open (of the units whose files "
                      "you may export as a whole), newest first."),
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: AnnualReportSerializer(many=True)},
    )
    def list(self, request):
        year = request.query_params.get("year")
        year = deadlines.check_year(year) if year else None
        return Response(AnnualReportSerializer(selectors.report_list(user=self.user, year=year),
                                         many=True).data)

    @extend_schema(
        operation_id="annual_reports_retrieve", summary=_("A signed annual report"),
        responses={200: AnnualReportSerializer},
    )
    def retrieve(self, request, pk=None):
        return Response(AnnualReportSerializer(selectors.report_get(user=self.user, pk=pk)).data)

    @extend_schema(
        operation_id="annual_reports_unit", summary=_("A unit's annual report"),
        description=_(
            "The headcount of the unit and its sub-units as of 31 December of the year "
            "(as of today while the year runs), by staff category, grade, civil-service "
            "rank, professional title and job position, with the Ministry's breakdowns; "
            "counted from the approved files you may see, or the frozen figures of the "
            "signed report. Units report to the Department of Home Affairs by 15 January "
            "(Vĩnh Phúc Đ14.4, Lâm Đồng Đ13.9)."),
        responses={200: AnnualReportViewSerializer},
    )
    def unit(self, request, pk=None, year=None):
        view = selectors.unit_report_view(user=self.user, pk=pk, year=year)
        return Response(_view_data(view))

    @extend_schema(
        operation_id="annual_reports_province", summary=_("The province's annual report"),
        description=_(
            "For the Department of Home Affairs: which units have submitted their report "
            "(and which are late), and the province's figures compiled from the submitted "
            "reports, the units that have not submitted counted from the database and "
            "flagged. Due to the Ministry by 31 January (Vĩnh Phúc Đ16.7)."),
        responses={200: AnnualReportViewSerializer},
    )
    def province(self, request, year=None):
        view = selectors.province_report_view(user=self.user, year=year)
        _root, statuses = selectors.submissions(user=self.user, year=year)
        return Response(_view_data(view, statuses))

    def _export(self, request, *, kind, pk=None, year=None):
        fmt = request.query_params.get("fmt", "")
        unit, figures, report = selectors.export_figures(user=self.user, kind=kind, pk=pk,
                                                         year=year, fmt=fmt)
        if fmt == "xlsx":
            data = exports.workbook(kind=kind, unit=unit, figures=figures, report=report)
            return _file(data, exports.file_name(kind=kind, unit=unit, year=figures.year,
                                                 ext="xlsx", draft=report is None), XLSX)
        data = exports.draft_pdf(kind=kind, unit=unit, figures=figures)
        return _file(data, exports.file_name(kind=kind, unit=unit, year=figures.year,
                                             ext="pdf", draft=True), "application/pdf")

    @extend_schema(operation_id="annual_reports_unit_export",
                   summary=_("A unit's annual report as a file"), parameters=[FMT],
                   responses=FILE_RESPONSES)
    def unit_export(self, request, pk=None, year=None):
        return self._export(request, kind=Kind.UNIT, pk=pk, year=year)

    @extend_schema(operation_id="annual_reports_province_export",
                   summary=_("The province's annual report as a file"), parameters=[FMT],
                   responses=FILE_RESPONSES)
    def province_export(self, request, year=None):
        return self._export(request, kind=Kind.PROVINCE, year=year)

    def _sign(self, request, **target):
        data = AnnualSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.report_sign(
            actor=self.user, secret=v.get("secret") or None,
            with_agency=v.get("with_agency", False),
            agency_secret=v.get("agency_secret") or None, notes=v.get("notes", ""), **target)
        return Response(AnnualReportSerializer(report).data, status=201)

    @extend_schema(
        operation_id="annual_reports_unit_sign", summary=_("Sign a unit's annual report"),
        description=_("The competent person (head of unit, chairman, head of HR) signs the "
                      "report of a year that is over; its figures are frozen. With "
                      "`with_agency`, the agency's signature is applied too."),
        request=AnnualSignSerializer, responses={201: AnnualReportSerializer},
    )
    def unit_sign(self, request, pk=None, year=None):
        return self._sign(request, kind=Kind.UNIT, pk=pk, year=year)

    @extend_schema(
        operation_id="annual_reports_province_sign",
        summary=_("Sign the province's annual report"),
        request=AnnualSignSerializer, responses={201: AnnualReportSerializer},
    )
    def province_sign(self, request, year=None):
        return self._sign(request, kind=Kind.PROVINCE, year=year)

    @extend_schema(operation_id="annual_reports_agency",
                   summary=_("Apply the agency's signature to a report"),
                   request=AnnualAgencySerializer, responses={200: AnnualReportSerializer})
    def agency(self, request, pk=None):
        data = AnnualAgencySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_agency_sign(actor=self.user, pk=pk,
                                             secret=data.validated_data.get("secret") or None)
        return Response(AnnualReportSerializer(report).data)

    @extend_schema(operation_id="annual_reports_submit", summary=_("Submit a signed report"),
                   request=None, responses={200: AnnualReportSerializer})
    def submit(self, request, pk=None):
        return Response(AnnualReportSerializer(services.report_submit(actor=self.user, pk=pk)).data)

    @extend_schema(operation_id="annual_reports_discard",
                   summary=_("Discard a signed report before it is submitted"),
                   request=AnnualDiscardSerializer, responses={200: AnnualReportSerializer})
    def discard(self, request, pk=None):
        data = AnnualDiscardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_discard(actor=self.user, pk=pk,
                                         reason=data.validated_data["reason"])
        return Response(AnnualReportSerializer(report).data)


class AnnualReportPdfViewSet(ApiViewSet):
    content_negotiation_class = JsonErrors

    @extend_schema(
        operation_id="annual_reports_signed_pdf", summary=_("A signed report's PDF"),
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def pdf(self, request, pk=None):
        report = selectors.report_pdf(user=self.user, pk=pk)
        return _file(report.pdf_bytes, report.download_name, "application/pdf")


class AnnualReportExportViewSet(AnnualReportViewSet):
    """The file exports: the answer is a file whatever the client accepts."""

    content_negotiation_class = JsonErrors
