"""The search page, its live results, its exports and the saved searches; the access
rows a search and an export leave."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.models import AccessLog, ChangeLog
from hoso.search.models import SavedSearch

from ..clients import client_for
from ..factories import PersonFactory
from ..records.documents import first_revision

URL = "search:search"


def shown(html: str) -> list[int]:
    table = html.split('<table class="table">', 1)[1].split("</table>", 1)[0]
    return [int(pk) for pk in re.findall(r'<a href="/people/(\d+)/">', table)]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def hr(world):
    return client_for(world.actors["hr_officer"])


def test_the_empty_page_asks_for_a_search_and_logs_nothing(world, hr):
    before = AccessLog.objects.count()
    response = hr.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gõ họ tên (không cần dấu)" in html
    assert AccessLog.objects.count() == before


def test_a_search_shows_the_people_found_best_first(world, hr):
    PersonFactory(unit=world.in_unit, full_name="Nguyễn Văn Dũng Anh")
    response = hr.get(reverse(URL), {"q": "nguyen van dung"})
    html = response.content.decode()
    assert shown(html)[0] == world.people["in"].pk
    assert "Tìm thấy 2 người." in html
    assert "Danh sách trích ngang (Excel)" in html


def test_live_results_answer_htmx_with_the_results_alone(world, hr):
    response = hr.get(reverse(URL), {"q": "dung"}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    assert shown(html) == [world.people["in"].pk]


def test_facet_links_narrow_the_search(world, hr):
    html = hr.get(reverse(URL), {"q": "van"}).content.decode()
    assert f'?q=van&amp;unit={world.in_unit.pk}' in html
    assert "?q=van&amp;status=active" in html


def test_a_wrong_filter_is_named_in_vietnamese_and_finds_nothing(world, hr):
    before = AccessLog.objects.filter(action="search").count()
    html = hr.get(reverse(URL), {"q": "dung", "age_min": 50, "age_max": 30}).content.decode()
    assert "“Tuổi đến” (30) không được nhỏ hơn “Tuổi từ” (50)." in html
    assert "<table" not in html
    assert AccessLog.objects.filter(action="search").count() == before


def test_a_search_leaves_one_access_row_with_its_filters_and_no_name(world, hr):
    hr.get(reverse(URL), {"q": "nguyen van dung 1985", "status": "active",
                          "unit": world.in_unit.pk})
    row = AccessLog.objects.filter(action="search").latest("seq")
    assert row.actor == world.actors["hr_officer"]
    assert row.detail["filters"] == {"unit": world.in_unit.pk, "status": "active"}
    assert row.detail["query"] == ["name", "birth_year"]
    assert "nguyen" not in str(row.detail) and "1985" not in str(row.detail)
    assert row.detail["results"] == (1 if world.people["in"].birth_date.year == 1985 else 0)


def test_the_access_row_names_the_people_the_page_showed(world, hr):
    hr.get(reverse(URL), {"q": "le thi hoa"})
    row = AccessLog.objects.filter(action="search").latest("seq")
    assert row.detail["shown"] == [world.people["in_child"].pk]
    assert row.detail["results"] == 1


# --- exports -------------------------------------------------------------------------


def test_export_of_the_results_as_csv(world, hr):
    response = hr.get(reverse("search:export"), {"q": "dung", "fmt": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _csv(response)
    assert rows[0][:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    assert rows[1][:2] == ["1", "Nguyễn Văn Dũng"]
    assert len(rows) == 2


def test_export_leaves_one_access_row_per_person_exported(world, hr):
    hr.get(reverse("search:export"), {"q": "", "unit": world.in_unit.pk, "fmt": "xlsx"})
    rows = AccessLog.objects.filter(action="export").order_by("seq")
    exported = {r.person_id for r in rows}
    own = world.actors["hr_officer"].person_id
    visible = {world.people["in"].pk, world.people["in_child"].pk}
    assert visible <= exported and own not in exported
    assert world.people["out"].pk not in exported
    assert {r.detail["what"] for r in rows} == {"results"}
    assert {r.detail["format"] for r in rows} == {"xlsx"}


def test_a_cell_that_looks_like_a_formula_is_neutralised_in_the_export(world, hr):
    PersonFactory(unit=world.in_unit, full_name="=HYPERLINK(\"http://x\") Dũng")
    response = hr.get(reverse("search:export"), {"q": "hyperlink", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Kết quả tìm kiếm"
    assert sheet["B4"].value == "'=HYPERLINK(\"http://x\") Dũng"
    csv_rows = _csv(hr.get(reverse("search:export"), {"q": "hyperlink", "fmt": "csv"}))
    assert csv_rows[1][1].startswith("'=")


def test_export_needs_the_export_right(world):
    # The unit administrator sees people but may not export them: nothing to export.
    client = client_for(world.actors["unit_admin"])
    response = client.get(reverse("search:export"), {"q": "dung", "fmt": "csv"})
    assert _csv(response) == [_csv(response)[0]]  # the header alone
    assert not AccessLog.objects.filter(action="export").exists()


def test_export_without_a_search_goes_back_with_a_message(world, hr):
    response = hr.get(reverse("search:export"), {"fmt": "csv"}, follow=True)
    assert "Hãy tìm kiếm trước, rồi xuất kết quả tìm được." in response.content.decode()


def test_an_unknown_format_is_refused_in_vietnamese(world, hr):
    response = hr.get(reverse("search:export"), {"q": "dung", "fmt": "pdf"}, follow=True)
    assert "Hãy chọn Excel (xlsx) hoặc CSV để xuất." in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_summary_list_has_the_usual_columns_and_values(world, hr):
    person = world.people["in"]
    first_revision(person)
    response = hr.get(reverse("search:summary_list"), {"q": "nguyen van dung", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Danh sách trích ngang"
    header = [c.value for c in sheet[3]]
    assert header == [
        "STT", "Họ và tên", "Ngày sinh - Nam", "Ngày sinh - Nữ", "Quê quán", "Dân tộc",
        "Chức vụ, đơn vị công tác", "Ngạch, chức danh nghề nghiệp", "Mã ngạch",
        "Hệ số lương", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước",
        "Ngày vào Đảng", "Ghi chú",
    ]
    row = {h: c.value for h, c in zip(header, sheet[4], strict=True)}
    assert row["Họ và tên"] == "Nguyễn Văn Dũng"
    assert row["Ngày sinh - Nam"].date() == person.birth_date and row["Ngày sinh - Nữ"] is None
    assert row["Mã ngạch"] == "01.003"
    assert row["Hệ số lương"] == pytest.approx(3.0)
    assert row["Dân tộc"] == "Kinh"
    assert row["Chức vụ, đơn vị công tác"] == "Sở Nội vụ"
    assert row["Ngày vào Đảng"].date().isoformat() == f"{person.birth_date.year + 25}-05-19"
    assert sheet["N4"].number_format == "DD/MM/YYYY"


def test_the_summary_list_leaves_restricted_columns_empty_for_who_may_not_read_them(world):
    from hoso.search import tables

    person = world.people["in"]
    first_revision(person)
    person.refresh_from_db()
    # The unit administrator reads public fields only (no person.view_restricted).
    rows = list(tables.summary_rows(world.actors["unit_admin"], [person]))
    party = tables.summary_columns().index("Ngày vào Đảng")
    assert rows[0][party] is None
    assert rows[0][1] == "Nguyễn Văn Dũng"
    full = list(tables.summary_rows(world.actors["hr_officer"], [person]))
    assert full[0][party] is not None


def test_the_summary_list_export_is_logged_as_an_export(world, hr):
    hr.get(reverse("search:summary_list"), {"q": "le thi hoa", "fmt": "csv"})
    row = AccessLog.objects.get(action="export")
    assert row.person_id == world.people["in_child"].pk
    assert row.detail["what"] == "summary"


# --- saved searches ------------------------------------------------------------------


def test_save_run_and_delete_a_search(world, hr):
    response = hr.post(reverse("search:saved_create"),
                       {"name": "Dũng 1985", "query": "q=dung+1985&page=3&status=active"})
    saved = SavedSearch.objects.get()
    assert saved.owner == world.actors["hr_officer"]
    assert saved.query == "q=dung+1985&status=active"  # the page is not kept
    assert response["Location"] == f"{reverse(URL)}?q=dung+1985&status=active"
    html = hr.get(reverse(URL)).content.decode()
    assert "Dũng 1985" in html
    hr.post(reverse("search:saved_delete", args=[saved.pk]))
    assert not SavedSearch.objects.exists()


def test_a_saved_search_is_audited_without_what_was_typed(world, hr):
    hr.post(reverse("search:saved_create"), {"name": "Hoa", "query": "q=le+thi+hoa"})
    row = ChangeLog.objects.filter(object_type="search.savedsearch").latest("seq")
    assert "hoa" not in str(row.after).lower()
    assert len(row.after["query_sha256"]) == 64


def test_nobody_deletes_or_sees_someone_elses_saved_search(world, hr):
    other = SavedSearch.objects.create(owner=world.actors["hr_head"], name="Của người khác",
                                       query="q=x")
    assert hr.post(reverse("search:saved_delete", args=[other.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=other.pk).exists()
    assert "Của người khác" not in hr.get(reverse(URL)).content.decode()


def test_saving_without_a_name_or_twice_is_refused_in_vietnamese(world, hr):
    response = hr.post(reverse("search:saved_create"), {"name": " ", "query": "q=x"},
                       follow=True)
    assert "Hãy đặt tên cho tìm kiếm" in response.content.decode()
    hr.post(reverse("search:saved_create"), {"name": "A", "query": "q=x"})
    response = hr.post(reverse("search:saved_create"), {"name": "A", "query": "q=y"},
                       follow=True)
    assert "Bạn đã có tìm kiếm đã lưu tên “A”" in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_live_results_name_a_wrong_filter(world, hr):
    response = hr.get(reverse(URL), {"q": "dung", "age_min": 50, "age_max": 30},
                      HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "Tuổi đến: “Tuổi đến” (30) không được nhỏ hơn “Tuổi từ” (50)." in html
