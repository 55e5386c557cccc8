"""API routes of the annual app, included in `/api/v1/` (namespace `api`)."""

from django.urls import path

from .api import AnnualReportExportViewSet, AnnualReportPdfViewSet, AnnualReportViewSet

V = AnnualReportViewSet.as_view
E = AnnualReportExportViewSet.as_view
UNIT = "annual-reports/units/<int:pk>/<int:year>/"
PROVINCE = "annual-reports/province/<int:year>/"

urlpatterns = [
    path("annual-reports/", V({"get": "list"}), name="annual-report-list"),
    path("annual-reports/<int:pk>/", V({"get": "retrieve"}), name="annual-report-detail"),
    path("annual-reports/<int:pk>/signed.pdf", AnnualReportPdfViewSet.as_view({"get": "pdf"}),
         name="annual-report-pdf"),
    path("annual-reports/<int:pk>/agency/", V({"post": "agency"}), name="annual-report-agency"),
    path("annual-reports/<int:pk>/submit/", V({"post": "submit"}), name="annual-report-submit"),
    path("annual-reports/<int:pk>/discard/", V({"post": "discard"}),
         name="annual-report-discard"),
    path(UNIT, V({"get": "unit"}), name="annual-report-unit"),
    path(UNIT + "export/", E({"get": "unit_export"}), name="annual-report-unit-export"),
    path(UNIT + "sign/", V({"post": "unit_sign"}), name="annual-report-unit-sign"),
    path(PROVINCE, V({"get": "province"}), name="annual-report-province"),
    path(PROVINCE + "export/", E({"get": "province_export"}),
         name="annual-report-province-export"),
    path(PROVINCE + "sign/", V({"post": "province_sign"}), name="annual-report-province-sign"),
]
