"""The annual report's pages, API, workbook and command: what people get, in Vietnamese,
from the same selectors and services the other tests check."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoso.annual.models import AnnualReport, Status
from hoso.audit.models import AccessLog

from ..clients import client_for
from ..reports.pdf import Pdf
from ..signing.conftest import PASSPHRASE
from .province import YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def unit_url(name, unit, year=YEAR):
    return reverse(f"annual:{name}", kwargs={"pk": unit.pk, "year": year})


def text(data: bytes) -> str:
    return " ".join(unicodedata.normalize("NFC", Pdf(data).all_text).split())


def test_the_unit_page_shows_the_figures_due_date_and_what_the_reader_may_do(world, people):
    officer = world.actors["hr_officer"]
    page = client_for(officer).get(unit_url("unit_report", world.in_unit))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Báo cáo năm 2025" in html and "Sở Nội vụ" in html
    assert "15/01/2026" in html and "Hạn gửi báo cáo" in html
    assert "Số lượng công chức chia theo ngạch" in html and "Chuyên viên chính" in html
    assert "Tổng số 7 người" in html
    assert "Ký số báo cáo" not in html  # the HR officer prepares; the head signs
    assert AccessLog.objects.filter(action="view", object_type="org.orgunit",
                                    object_id=str(world.in_unit.pk)).exists()
    head_page = client_for(world.actors["unit_head"]).get(unit_url("unit_report", world.in_unit))
    assert "Ký số báo cáo" in head_page.content.decode()


def test_a_year_out_of_range_is_refused_in_vietnamese(world):
    page = client_for(world.actors["hr_officer"]).get(unit_url("unit_report", world.in_unit,
                                                               1999))
    assert page.status_code == 400
    assert "Năm báo cáo phải là một năm từ 2000 đến" in page.content.decode()


def test_the_workbook_has_the_report_layout_and_its_totals_are_the_rows_sums(world, people):
    response = client_for(world.actors["hr_officer"]).get(unit_url("unit_xlsx", world.in_unit))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "bao-cao-nam-2025-0000100H26-ban-nhap.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Biểu 1", "Biểu 2", "Biểu 3", "Biểu 4", "Biểu 5"]
    sheet = book["Biểu 3"]
    assert sheet["A1"].value == "UBND TỈNH VĨNH PHÚC"
    assert sheet["M1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["M2"].value == "Độc lập - Tự do - Hạnh phúc"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A9:A10", "E9:G9", "H9:L9"} <= merged  # STT; "Trong đó"; "Độ tuổi"
    assert sheet["E9"].value == "Trong đó" and sheet["H9"].value == "Độ tuổi"
    rows = [r for r in sheet.iter_rows(min_row=12, values_only=True) if isinstance(r[0], int)]
    total = next(r for r in sheet.iter_rows(min_row=12, values_only=True)
                 if r[1] == "Tổng cộng")
    assert [r[2] for r in rows] == ["01.001", "01.002", "01.003", "01.005", "06.031"]
    for col in range(3, 3 + 22):
        assert total[col] == sum(r[col] for r in rows)
    assert total[3] == 7  # the seven civil servants of Sở Nội vụ and its Phòng


def test_the_draft_pdf_says_it_is_not_signed(world, people):
    response = client_for(world.actors["unit_head"]).get(unit_url("unit_pdf", world.in_unit))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    shown = text(response.content)
    assert "BẢN NHÁP, CHƯA KÝ" in shown
    assert "tổng số 7 người" in shown and "Biểu 5. Số lượng chia theo vị trí việc làm" in shown
    assert Pdf(response.content).find(0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is not None


def test_signing_and_submitting_through_the_pages(world, people, keys):
    head = client_for(world.actors["unit_head"])
    page = head.get(unit_url("unit_sign", world.in_unit))
    assert page.status_code == 200 and "Khó khăn, vướng mắc" in page.content.decode()
    wrong = head.post(unit_url("unit_sign", world.in_unit), {"secret": "sai"})
    assert wrong.status_code == 200 and AnnualReport.objects.count() == 0
    done = head.post(unit_url("unit_sign", world.in_unit),
                     {"secret": PASSPHRASE, "with_agency": "on", "agency_secret": PASSPHRASE,
                      "notes": "Không có vướng mắc."})
    assert done.status_code == 302 and done["Location"] == unit_url("unit_report", world.in_unit)
    report = AnnualReport.objects.get()
    assert report.status == Status.SIGNED
    officer = client_for(world.actors["hr_officer"])
    html = officer.get(unit_url("unit_report", world.in_unit)).content.decode()
    assert "Gửi Sở Nội vụ" in html and "Báo cáo đã ký số (PDF)" in html
    sent = officer.post(reverse("annual:report_submit", kwargs={"pk": report.pk}))
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.on_time is False
    pdf = officer.get(reverse("annual:report_pdf", kwargs={"pk": report.pk}))
    assert pdf.content == report.pdf_bytes
    # Sở Nội vụ sees it among the units' reports
    overview = client_for(world.actors["province_admin"]).get(
        reverse("annual:province", kwargs={"year": YEAR})).content.decode()
    assert "gửi chậm" in overview and "quá hạn, chưa gửi" in overview
    assert "chưa gửi báo cáo: số liệu tính từ cơ sở dữ liệu" in overview


def test_the_api_gives_the_figures_and_takes_the_signatures(world, people, keys):
    officer, head = api(world.actors["hr_officer"]), api(world.actors["unit_head"])
    base = f"/api/v1/annual-reports/units/{world.in_unit.pk}/{YEAR}/"
    data = officer.get(base).json()
    assert data["due_date"] == "2026-01-15" and data["report"] is None
    assert data["figures"]["total"][0] == 7 and data["figures"]["columns"][0] == "total"
    assert [t["key"] for t in data["figures"]["tables"]] == [
        "category", "grade", "rank", "title", "position"]
    export = officer.get(base + "export/?fmt=xlsx")
    assert export.status_code == 200 and export["Content-Type"] == XLSX
    assert officer.get(base + "export/?fmt=doc").status_code == 400

    refused = head.post(base + "sign/", {"secret": "sai"}, format="json")
    assert refused.status_code == 400
    assert "mật khẩu" in str(refused.json()).lower() or "khóa" in str(refused.json()).lower()
    assert officer.post(base + "sign/", {"secret": PASSPHRASE}, format="json").status_code == 403
    signed = head.post(base + "sign/", {"secret": PASSPHRASE}, format="json")
    assert signed.status_code == 201 and signed.json()["status"] == "awaiting_agency"
    pk = signed.json()["id"]
    early = officer.post(f"/api/v1/annual-reports/{pk}/submit/")
    assert early.status_code == 400
    assert "Báo cáo chỉ được gửi sau khi cơ quan đã ký số." in str(early.json())
    agency = api(world.actors["hr_head"]).post(f"/api/v1/annual-reports/{pk}/agency/",
                                               {"secret": PASSPHRASE}, format="json")
    assert agency.status_code == 200 and agency.json()["status"] == "signed"
    sent = officer.post(f"/api/v1/annual-reports/{pk}/submit/")
    assert sent.status_code == 200 and sent.json()["on_time"] is False
    pdf = officer.get(f"/api/v1/annual-reports/{pk}/signed.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert [r["id"] for r in officer.get("/api/v1/annual-reports/?year=2025").json()] == [pk]
    province = api(world.actors["province_admin"]).get(
        f"/api/v1/annual-reports/province/{YEAR}/").json()
    states = {s["unit_code"]: s["state"] for s in province["submissions"]}
    assert states == {world.in_unit.code: "submitted_late", world.out_unit.code: "late",
                      world.commune.code: "late"}
    assert province["figures"]["total"][0] == 18
    assert api(world.actors["hr_officer"]).get(
        f"/api/v1/annual-reports/province/{YEAR}/").status_code == 403


def test_the_openapi_schema_documents_the_annual_report_routes(world):
    schema = client_for(world.actors["staff"]).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    for path in ("/api/v1/annual-reports/", "/api/v1/annual-reports/{id}/signed.pdf",
                 "/api/v1/annual-reports/units/{id}/{year}/",
                 "/api/v1/annual-reports/units/{id}/{year}/sign/",
                 "/api/v1/annual-reports/province/{year}/"):
        assert path in paths, path


def test_the_command_writes_the_workbook_and_the_pdf(world, people, tmp_path):
    xlsx, pdf = tmp_path / "bao-cao.xlsx", tmp_path / "bao-cao.pdf"
    out = io.StringIO()
    with translation.override("vi"):
        call_command("report", "annual", "--year", "2025", "--unit", world.out_unit.code,
                     "--xlsx", str(xlsx), "--pdf", str(pdf), stdout=out)
    assert "Sở Y tế, năm 2025, số liệu đến ngày 31/12/2025: 6 người" in out.getvalue()
    assert "Bản nháp PDF (chưa ký)" in out.getvalue()
    assert "tổng số 6 người" in text(pdf.read_bytes())
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Biểu 1"
    # without --unit: the province's report, compiled
    out = io.StringIO()
    with translation.override("vi"):
        call_command("report", "annual", "--year", "2025", "--pdf", str(pdf), stdout=out)
    assert "18 người" in out.getvalue()
    assert "chưa gửi báo cáo" in text(pdf.read_bytes())
    with pytest.raises(CommandError), translation.override("vi"):
        call_command("report", "annual", "--year", "2025", "--unit", "999.99.99.H99",
                     "--pdf", str(pdf))
    with pytest.raises(CommandError), translation.override("vi"):
        call_command("report", "annual", "--year", "2025")
