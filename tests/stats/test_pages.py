"""The statistics pages, their exports and their API: each chart an accessible inline
SVG whose every value is the table's, the same figures in the spreadsheet and the
JSON, and one access row for each look."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hoso.audit.models import AccessLog
from hoso.stats.selectors import STATISTICS

from .pages import figures_of, logged_in, number

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_page(province):
    client = logged_in(province.users["province_admin"])
    response = client.get(reverse("stats:overview"))
    assert response.status_code == 200
    return response


def test_every_statistic_is_on_the_page_as_a_chart_and_a_table(admin_page):
    found = figures_of(admin_page.content.decode())
    assert set(found.tables) == set(STATISTICS)
    assert set(found.charts) == set(STATISTICS)


def test_each_chart_is_an_accessible_svg_drawn_on_the_server(admin_page):
    html = admin_page.content.decode()
    found = figures_of(html)
    for key, svg in found.svgs.items():
        assert svg["role"] == "img"
        assert svg["labelledby"] == f"chart-{key}-title chart-{key}-desc"
        assert svg["title"] and svg["desc"], key
    assert "<script" not in html.split("</head>")[1]  # no chart script in the page
    assert found.svgs["age"]["title"] == "Tháp tuổi theo giới tính"
    assert "Tháp tuổi, 9 dòng: Nam, Nữ." in found.svgs["age"]["desc"]


def test_every_value_drawn_is_the_tables_value(admin_page):
    found = figures_of(admin_page.content.decode())
    for key, drawn in found.charts.items():
        table = found.tables[key]
        assert drawn, f"{key}: nothing drawn"
        for (row, column), value in drawn.items():
            assert number(table[(row, column)]) == value, (key, row, column)
        # and every non-zero charted cell is drawn: the rows the chart leaves out are
        # the ones the table marks (Kinh, "not declared"), never a value of a drawn row
        drawn_rows = {row for row, _c in drawn}
        for (row, column), text in table.items():
            if row in drawn_rows and (row, column) not in drawn:
                columns_drawn = {c for _r, c in drawn}
                assert column not in columns_drawn or not number(text), (key, row, column)


def test_the_table_shows_vietnamese_numbers(admin_page):
    found = figures_of(admin_page.content.decode())
    assert found.tables["age"][("25_29", "share")] == "18,2"
    assert found.tables["headcount"][("total", "total")] == "11"


def test_a_page_view_leaves_one_access_row_without_a_person(province):
    client = logged_in(province.users["province_admin"])
    before = AccessLog.objects.count()
    client.get(reverse("stats:overview"))
    rows = list(AccessLog.objects.order_by("-seq")[: AccessLog.objects.count() - before])
    assert len(rows) == 1
    row = rows[0]
    assert row.action == "view" and row.person_id is None
    assert row.object_type == "org.orgunit" and row.object_id == str(province.root.pk)
    assert row.detail == {"what": "statistics", "statistic": "all", "unit": province.root.pk,
                          "category": "", "on": timezone.localdate().isoformat()}


def test_one_statistic_alone_has_its_page(province):
    client = logged_in(province.users["syt_head"])
    response = client.get(reverse("stats:detail", args=["education"]))
    assert response.status_code == 200
    found = figures_of(response.content.decode())
    assert set(found.tables) == {"education"}
    assert number(found.tables["education"][("dh", "count")]) == 1  # P9
    assert client.get(reverse("stats:detail", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_holds_the_tables_figures_and_is_logged(province, fmt):
    client = logged_in(province.users["province_admin"])
    before = AccessLog.objects.filter(action="export").count()
    response = client.get(reverse("stats:export", args=["age"]),
                          {"format": fmt, "unit": province.root.pk})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0][0].startswith("Tháp tuổi theo giới tính — ")
        header, body = values[2], values[3:]
    assert header == ["Nhóm tuổi", "Nam", "Nữ", "Tổng số", "Tỷ lệ (%)"]
    assert [str(c) for c in body[0][:4]] == ["Dưới 25", "1", "0", "1"]
    assert [str(c) for c in body[-1][:4]] == ["Tổng số", "5", "6", "11"]
    assert AccessLog.objects.filter(action="export").count() == before + 1
    row = AccessLog.objects.filter(action="export").order_by("-seq").first()
    assert row.detail["statistic"] == "age" and row.detail["format"] == fmt


def test_an_unknown_export_format_is_refused_in_vietnamese(province):
    client = logged_in(province.users["province_admin"])
    response = client.get(reverse("stats:export", args=["age"]), {"format": "pdf"})
    assert response.status_code == 400
    assert "Định dạng xuất “pdf” không hợp lệ: chọn xlsx (Excel) hoặc csv." in (
        response.content.decode()
    )


def test_a_withheld_statistic_shows_why_and_offers_no_export(province):
    client = logged_in(province.users["snv_unit_admin"])
    html = client.get(reverse("stats:overview")).content.decode()
    assert "vai trò của bạn không được xem các thông tin hạn chế" in html
    assert 'data-statistic="party"' not in html
    assert reverse("stats:export", args=["party"]) not in html
    response = client.get(reverse("stats:export", args=["party"]), {"format": "csv"})
    assert response.status_code == 403


def test_a_future_reference_date_is_refused_in_vietnamese(province):
    client = logged_in(province.users["province_admin"])
    response = client.get(reverse("stats:overview"), {"on": "2999-01-01"})
    assert response.status_code == 400
    assert "Ngày thống kê không được sau ngày hôm nay" in response.content.decode()


def test_the_api_returns_the_pages_figures(province, admin_page):
    client = logged_in(province.users["province_admin"], api=True)
    response = client.get(reverse("api:stats-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {"unit": province.root.pk, "category": "",
                               "on": timezone.localdate().isoformat()}
    page = figures_of(admin_page.content.decode())
    for stat in body["statistics"]:
        table = page.tables[stat["key"]]
        for row in [*stat["rows"], stat["total"]]:
            for column, value in row["values"].items():
                assert number(table[(row["key"], column)]) == value, (stat["key"], row, column)
    one = client.get(reverse("api:stats-detail", args=["party"]), {"category": "cong_chuc"})
    assert one.status_code == 200
    assert one.json()["total"]["values"]["member"] == 2  # P1, P7


def test_the_api_logs_each_call_and_refuses_bad_filters(province):
    client = logged_in(province.users["province_admin"], api=True)
    before = AccessLog.objects.count()
    client.get(reverse("api:stats-detail", args=["age"]))
    assert AccessLog.objects.count() == before + 1
    bad = client.get(reverse("api:stats-list"), {"on": "2999-01-01", "category": "x"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"on", "category"}
    assert client.get(reverse("api:stats-detail", args=["nothing"])).status_code == 404


def test_the_api_documents_both_operations(province):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["paths"]["/api/v1/stats/"]["get"]["summary"]
    detail = schema["paths"]["/api/v1/stats/{key}/"]["get"]
    assert {p["name"] for p in detail["parameters"]} >= {"key", "unit", "category", "on"}


def test_the_number_of_queries_does_not_grow_with_people_or_units(province):
    """Every statistic is a GROUP BY: more people and more units, the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hoso.records.models import StaffCategory

    from ..factories import OrgUnitFactory, PersonFactory

    client = logged_in(province.users["province_admin"], api=True)
    url = reverse("api:stats-list")
    client.get(url)  # warm: catalogs, scopes
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    unit = OrgUnitFactory(parent=province.root, name="Sở Tài chính", code="000.03.00.H26")
    for category in (StaffCategory.CONG_CHUC, StaffCategory.VIEN_CHUC, StaffCategory.CAN_BO):
        PersonFactory(unit=unit, category=category)
    PersonFactory(unit=province.hospital, category=StaffCategory.VIEN_CHUC)
    with CaptureQueriesContext(connection) as second:
        body = client.get(url).json()
    assert len(second) == len(first)
    headcount = next(s for s in body["statistics"] if s["key"] == "headcount")
    assert headcount["total"]["values"]["total"] == 11 + 4
    assert "000.03.00.H26" in {r["key"] for r in headcount["rows"]}


def test_a_scope_with_nobody_shows_zero_tables_and_no_charts(province):
    client = logged_in(province.users["province_admin"])
    response = client.get(reverse("stats:overview"), {"category": "cap_xa"})
    found = figures_of(response.content.decode())
    assert found.charts == {}
    assert found.tables["headcount"][("total", "total")] == "0"
    assert response.content.decode().count("Mọi số liệu ở đây đều bằng 0.") == len(STATISTICS)
