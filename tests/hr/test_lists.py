"""The retirement and raise lists as pages, exports and API, on 10/05/2026: who is on
them (only what `visible_to` lets through, only people still working), in which order,
and the access rows every page and export leaves."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from hoso.audit.models import AccessLog
from hoso.records.models import Status

from .conftest import login, person, salaried

D = dt.date


@pytest.fixture
def retiring(quiet_world):
    w = quiet_world
    return {
        # 2026 asks 61y6m of men: born 11/1964 → 31/05/2026.
        "may": person(w.in_unit, born=D(1964, 11, 20), name="Trần Văn Năm"),
        # 2026 asks 57 of women: born 8/1969 → 31/08/2026.
        "august": person(w.in_child, born=D(1969, 8, 3), sex="female", name="Lê Thị Tám"),
        "september": person(w.in_unit, born=D(1965, 3, 15), name="Phạm Văn Chín"),
        # 2025 asked 61y3m: born 9/1964 → 31/12/2025, still working.
        "past": person(w.in_unit, born=D(1964, 9, 1), name="Đỗ Văn Quá"),
        # 2027 asks 57y4m of women: born 6/1970 → 31/10/2027, beyond 12 months.
        "later": person(w.in_unit, born=D(1970, 6, 1), sex="female", name="Vũ Thị Sau"),
        "retired": person(w.in_unit, born=D(1964, 11, 1), name="Hồ Văn Hưu",
                          status=Status.RETIRED),
        "out": person(w.out_unit, born=D(1964, 12, 1), name="Ngô Văn Ngoài"),
    }


def _names(html: str, candidates) -> list[str]:
    found = [(html.index(n), n) for n in candidates if n in html]
    return [n for _i, n in sorted(found)]


ALL = ["Trần Văn Năm", "Lê Thị Tám", "Phạm Văn Chín", "Đỗ Văn Quá", "Vũ Thị Sau",
       "Hồ Văn Hưu", "Ngô Văn Ngoài"]


def test_the_retirement_page_lists_the_next_twelve_months_by_retirement_date(
    client, quiet_world, retiring
):
    html = login(client, quiet_world.actors["hr_officer"]).get(
        reverse("hr:retirement")).content.decode()
    assert _names(html, ALL) == ["Trần Văn Năm", "Lê Thị Tám", "Phạm Văn Chín"]
    assert "31/05/2026" in html and "01/06/2026" in html  # the moment, the pension
    assert "31/08/2026" in html and "30/09/2026" in html


def test_the_retirement_filters(client, quiet_world, retiring):
    client = login(client, quiet_world.actors["hr_officer"])
    url = reverse("hr:retirement")
    html = client.get(url, {"months": 4}).content.decode()
    assert _names(html, ALL) == ["Trần Văn Năm", "Lê Thị Tám"]
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert _names(html, ALL) == ["Đỗ Văn Quá", "Trần Văn Năm", "Lê Thị Tám", "Phạm Văn Chín"]
    assert "31/12/2025" in html
    html = client.get(url, {"months": 18}).content.decode()
    assert "Vũ Thị Sau" in html  # 10/2027 is the 18th month
    html = client.get(url, {"unit": quiet_world.in_child.pk}).content.decode()
    assert _names(html, ALL) == ["Lê Thị Tám"]
    html = client.get(url, {"category": "vien_chuc"}).content.decode()
    assert _names(html, ALL) == []


def test_a_filter_that_cannot_be_read_shows_its_error_and_nobody(client, quiet_world, retiring):
    client = login(client, quiet_world.actors["province_admin"])
    response = client.get(reverse("hr:retirement"), {"months": "0"})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="errors"' in html
    assert _names(html, ALL) == []
    # A unit outside the user's sight is as unknown as a unit that does not exist.
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:retirement"),
                      {"unit": quiet_world.out_unit.pk}).content.decode()
    assert 'class="errors"' in html and _names(html, ALL) == []


def test_nobody_outside_the_users_scope_is_listed(client, quiet_world, retiring):
    html = login(client, quiet_world.actors["province_admin"]).get(
        reverse("hr:retirement")).content.decode()
    assert _names(html, ALL) == ["Trần Văn Năm", "Ngô Văn Ngoài", "Lê Thị Tám", "Phạm Văn Chín"]
    for actor in ("auditor", "expired", "staff"):
        html = login(client, quiet_world.actors[actor]).get(
            reverse("hr:retirement")).content.decode()
        assert _names(html, ALL) == [], actor


def test_a_staff_member_sees_at_most_their_own_retirement(client, quiet_world, retiring):
    staff = quiet_world.actors["staff"]
    staff.person.birth_date = D(1964, 11, 5)
    staff.person.save()
    html = login(client, staff).get(reverse("hr:retirement")).content.decode()
    assert staff.person.full_name in html and _names(html, ALL) == []


def test_each_page_leaves_an_access_row_per_person_shown(client, quiet_world, retiring):
    before = AccessLog.objects.count()
    login(client, quiet_world.actors["hr_officer"]).get(reverse("hr:retirement"))
    rows = AccessLog.objects.filter(seq__gt=before, action="view")
    assert sorted(rows.values_list("person_id", flat=True)) == sorted(
        retiring[k].pk for k in ("may", "august", "september"))
    assert {r.detail["what"] for r in rows} == {"hr_retirement"}


def test_the_pages_split_into_pages_of_fifty(client, quiet_world):
    for i in range(53):
        person(quiet_world.in_unit, born=D(1964, 11, 20), name=f"Người Số {i:02d}")
    client = login(client, quiet_world.actors["hr_officer"])
    first = client.get(reverse("hr:retirement")).content.decode()
    second = client.get(reverse("hr:retirement"), {"page": 2}).content.decode()
    assert "Người Số 00" in first and "Người Số 49" in first and "Người Số 50" not in first
    assert "Người Số 50" in second and "Người Số 52" in second
    assert "53" in first  # the count


def test_the_retirement_export_in_csv_and_excel(client, quiet_world, retiring):
    client = login(client, quiet_world.actors["hr_officer"])
    before = AccessLog.objects.count()
    response = client.get(reverse("hr:retirement_export"), {"format": "csv", "overdue": "on"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert [row[1] for row in table[1:]] == [
        "Đỗ Văn Quá", "Trần Văn Năm", "Lê Thị Tám", "Phạm Văn Chín"]
    assert table[2][7:9] == ["31/05/2026", "01/06/2026"]
    exported = AccessLog.objects.filter(seq__gt=before, action="export")
    assert exported.count() == 4
    assert {r.detail["format"] for r in exported} == {"csv"}

    response = client.get(reverse("hr:retirement_export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] and row[1] and row[7])
    assert [row[1] for row in values[header + 1:]] == ["Trần Văn Năm", "Lê Thị Tám",
                                                      "Phạm Văn Chín"]
    assert values[header + 1][7].date() == D(2026, 5, 31)


def test_only_those_who_may_export_get_an_export(client, quiet_world, retiring):
    for actor in ("staff", "unit_admin", "auditor"):
        response = login(client, quiet_world.actors[actor]).get(
            reverse("hr:retirement_export"), {"format": "csv"})
        assert response.status_code == 403, actor
    response = login(client, quiet_world.actors["hr_officer"]).get(
        reverse("hr:retirement_export"), {"format": "pdf"})
    assert response.status_code == 404


def test_the_retirement_api(client, quiet_world, retiring):
    token, _ = Token.objects.get_or_create(user=quiet_world.actors["hr_officer"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    data = client.get(reverse("api:hr-retirement"), {"overdue": "true"}).json()
    assert data["count"] == 4
    first = data["results"][1]
    assert (first["full_name"], first["retirement_date"], first["pension_from"],
            first["age_years"], first["age_months"], first["overdue"]) == (
        "Trần Văn Năm", "2026-05-31", "2026-06-01", 61, 6, False)
    assert data["results"][0]["overdue"] is True
    page = client.get(reverse("api:hr-retirement"), {"limit": 1, "offset": 2}).json()
    assert [r["full_name"] for r in page["results"]] == ["Phạm Văn Chín"]
    bad = client.get(reverse("api:hr-retirement"), {"months": 500})
    assert bad.status_code == 400


def test_the_raise_page_and_export(client, quiet_world):
    salaried(quiet_world.in_unit, rank="01.005", group="B", step=5, since=D(2024, 7, 15),
             name="Bình Nhân Viên")
    salaried(quiet_world.out_unit, rank="01.005", group="B", step=5, since=D(2024, 7, 15),
             name="Minh Ngoài")
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:raises")).content.decode()
    assert "Bình Nhân Viên" in html and "15/07/2026" in html and "Minh Ngoài" not in html
    response = client.get(reverse("hr:raises_export"), {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 2 and table[1][1] == "Bình Nhân Viên"
    assert table[1][11:14] == ["15/07/2026", "6", "2.86"]


def test_the_raise_api(client, quiet_world):
    salaried(quiet_world.in_unit, rank="01.003", group="A1", step=9, since=D(2023, 5, 20),
             name="Khánh Bậc Cuối")
    token, _ = Token.objects.get_or_create(user=quiet_world.actors["hr_head"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    data = client.get(reverse("api:hr-raises"), {"kind": "seniority"}).json()
    assert [(r["full_name"], r["kind"], r["due"], r["seniority_percent"], r["interval_months"])
            for r in data["results"]] == [("Khánh Bậc Cuối", "seniority", "2026-05-20", 5, 36)]


def test_an_export_holds_only_those_the_user_may_export(client, quiet_world, retiring):
    from ..factories import GrantFactory

    # A written consent lets the HR officer read Sở Y tế's files, not export them.
    GrantFactory(grantee=quiet_world.actors["hr_officer"], unit=quiet_world.out_unit)
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:retirement")).content.decode()
    assert "Ngô Văn Ngoài" in html
    response = client.get(reverse("hr:retirement_export"), {"format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert names[1:] == ["Trần Văn Năm", "Lê Thị Tám", "Phạm Văn Chín"]


def test_the_index_page_leads_to_the_three_lists(client, quiet_world):
    html = login(client, quiet_world.actors["hr_officer"]).get(reverse("hr:index")).content.decode()
    for name in ("hr:retirement", "hr:raises", "hr:problems"):
        assert f'href="{reverse(name)}"' in html
