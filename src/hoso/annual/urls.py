"""Pages of the annual app (namespace `annual`), under /annual-report/."""

from django.urls import path

from . import views

app_name = "annual"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/<int:year>/", views.unit_report, name="unit_report"),
    path("units/<int:pk>/<int:year>/bao-cao.xlsx", views.unit_xlsx, name="unit_xlsx"),
    path("units/<int:pk>/<int:year>/ban-nhap.pdf", views.unit_pdf, name="unit_pdf"),
    path("units/<int:pk>/<int:year>/sign/", views.unit_sign, name="unit_sign"),
    path("province/<int:year>/", views.province, name="province"),
    path("province/<int:year>/bao-cao.xlsx", views.province_xlsx, name="province_xlsx"),
    path("province/<int:year>/ban-nhap.pdf", views.province_pdf, name="province_pdf"),
    path("province/<int:year>/sign/", views.province_sign, name="province_sign"),
    path("reports/<int:pk>/agency/", views.report_agency, name="report_agency"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/discard/", views.report_discard, name="report_discard"),
    path("reports/<int:pk>/ky-so.pdf", views.report_pdf, name="report_pdf"),
]
