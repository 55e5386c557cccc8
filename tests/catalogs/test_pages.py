"""The code-list pages and API: everyone reads them; the province administrator adds,
relabels and ends entries and loads new versions (Vĩnh Phúc Đ19.3), with per-line
errors; nothing is ever deleted."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoso.audit.models import ChangeLog
from hoso.catalogs import selectors
from hoso.catalogs.models import CodeEntry, CodeList

from ..api.conftest import token_client
from ..clients import client_for


def _list(key):
    return CodeList.objects.get(key=key)


def test_the_list_page_shows_every_list_with_its_source_and_version(world):
    html = client_for(world.actors["staff"]).get(reverse("catalogs:list_list")).content.decode()
    assert "Danh mục" in html and "Dân tộc" in html
    assert "QĐ 121-TCTK/PPCĐ, 02/03/1979" in html
    assert "Nghị định 204/2004/NĐ-CP" in html


def test_a_list_shows_the_entries_valid_on_the_chosen_day(world):
    client = client_for(world.actors["hr_officer"])
    url = reverse("catalogs:list_detail", args=[_list("provinces").pk])
    before = client.get(url, {"on": "2025-06-30"}).content.decode()
    after = client.get(url, {"on": "2025-07-01"}).content.decode()
    assert "Vĩnh Phúc" in before and "Vĩnh Phúc" not in after
    assert "Có hiệu lực ngày 30/06/2025: 63." in before
    assert "Có hiệu lực ngày 01/07/2025: 34." in after
    every = client.get(url, {"every_period": "on"}).content.decode()
    assert "Mọi thời kỳ: 98." in every
    # Only the administrator is offered the changes.
    assert reverse("catalogs:entry_create", args=[_list("provinces").pk]) not in before


def test_the_province_administrator_adds_an_entry(world):
    client = client_for(world.actors["province_admin"])
    religions = _list("religions")
    response = client.post(reverse("catalogs:entry_create", args=[religions.pk]), {
        "code": "17", "label": "Đạo   Thử", "valid_from": "01/01/2026", "valid_to": "",
        "parent_code": "",
    })
    assert response.status_code == 302
    entry = CodeEntry.objects.get(code_list=religions, code="17")
    assert entry.label == "Đạo Thử" and entry.valid_from == dt.date(2026, 1, 1)
    assert ChangeLog.objects.filter(object_type="catalogs.codeentry", object_id=str(entry.pk),
                                    action="create").exists()
    assert selectors.code_valid("religions", "17", dt.date(2026, 1, 1))


def test_a_new_entry_may_not_overlap_a_code_in_force(world):
    client = client_for(world.actors["province_admin"])
    response = client.post(reverse("catalogs:entry_create", args=[_list("religions").pk]), {
        "code": "01", "label": "Phật giáo 2", "valid_from": "2026-01-01",
    })
    assert response.status_code == 200
    assert "đang có một mục còn hiệu lực" in response.content.decode()
    assert CodeEntry.objects.filter(code_list__key="religions", code="01").count() == 1


def test_ending_an_entry_keeps_it_and_stops_it_from_the_next_day(world):
    client = client_for(world.actors["province_admin"])
    entry = CodeEntry.objects.get(code_list__key="religions", code="16")
    response = client.post(reverse("catalogs:entry_end", args=[entry.pk]),
                           {"valid_to": "2026-03-31"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == dt.date(2026, 3, 31)
    assert selectors.code_valid("religions", "16", dt.date(2026, 3, 31))
    assert not selectors.code_valid("religions", "16", dt.date(2026, 4, 1))
    before_start = client.post(reverse("catalogs:entry_end", args=[
        CodeEntry.objects.get(code_list__key="provinces", code="68",
                              valid_from=dt.date(2025, 7, 1)).pk]), {"valid_to": "2025-01-01"})
    assert "không thể kết thúc trước khi bắt đầu" in before_start.content.decode()


def test_editing_a_label_is_audited_with_before_and_after(world):
    client = client_for(world.actors["province_admin"])
    entry = CodeEntry.objects.get(code_list__key="ethnicities", code="08")
    response = client.post(reverse("catalogs:entry_update", args=[entry.pk]),
                           {"label": "Mông", "parent_code": ""})
    assert response.status_code == 302
    row = ChangeLog.objects.get(object_type="catalogs.codeentry", object_id=str(entry.pk))
    assert (row.before["label"], row.after["label"]) == ("HMông", "Mông")
    assert selectors.code_label("ethnicities", "08") == "Mông"


def test_an_uploaded_version_with_errors_shows_each_line_and_writes_nothing(world):
    client = client_for(world.actors["province_admin"])
    religions = _list("religions")
    body = ("key: religions\nname: Religions\nversion: 2026\nsource: Luật TNTG 2016\n"
            "entries:\n  - {code: \"01\", label: \"Phật giáo\"}\n  - {code: \"20\"}\n"
            "  - {code: \"21\", label: \"X\", valid_from: 2026-13-01}\n").encode()
    response = client.post(reverse("catalogs:list_upload", args=[religions.pk]), {
        "file": SimpleUploadedFile("religions.yaml", body),
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 7" in html and "Dòng 8" in html
    assert "Không ghi gì vào cơ sở dữ liệu: phát hiện 2 lỗi" in html
    assert not CodeEntry.objects.filter(code_list=religions, code__in=["20", "21"]).exists()


def test_an_uploaded_version_must_hold_the_same_list(world):
    client = client_for(world.actors["province_admin"])
    body = (b"key: ethnicities\nname: E\nversion: 2026\nsource: s\n"
            b"entries:\n  - {code: \"01\", label: \"Kinh\"}\n")
    response = client.post(reverse("catalogs:list_upload", args=[_list("religions").pk]), {
        "file": SimpleUploadedFile("ethnicities.yaml", body),
    })
    assert "không phải “religions”" in response.content.decode()


def test_an_uploaded_version_is_loaded(world):
    client = client_for(world.actors["province_admin"])
    religions = _list("religions")
    body = ("# key: religions\n# name: Religions\n# version: 2026\n# source: Luật TNTG 2016\n"
            "code,label,valid_from\n30,Đạo mới,2026-02-01\n").encode()
    response = client.post(reverse("catalogs:list_upload", args=[religions.pk]), {
        "file": SimpleUploadedFile("religions.csv", body),
    })
    assert response.status_code == 302
    religions.refresh_from_db()
    assert religions.version == "2026"
    assert selectors.code_valid("religions", "30", dt.date(2026, 2, 1))
    assert selectors.code_valid("religions", "01")  # entries not in the file stay


def test_others_may_read_but_not_change(world):
    client = client_for(world.actors["hr_head"])
    religions = _list("religions")
    assert client.get(reverse("catalogs:entry_create", args=[religions.pk])).status_code == 403
    response = client.post(reverse("catalogs:entry_create", args=[religions.pk]),
                           {"code": "55", "label": "X"})
    assert response.status_code == 403
    assert not CodeEntry.objects.filter(code_list=religions, code="55").exists()


def test_the_menu_offers_code_lists_to_the_province_administrator_only(world):
    admin = client_for(world.actors["province_admin"]).get("/").content.decode()
    officer = client_for(world.actors["hr_officer"]).get("/").content.decode()
    url = reverse("catalogs:list_list")
    assert f'href="{url}"' in admin and f'href="{url}"' not in officer


def test_the_api_lists_code_lists_and_their_entries_on_a_day(world):
    client = token_client(world.actors["staff"])
    lists = client.get("/api/v1/catalogs/", {"key": "provinces"}).json()
    assert lists["count"] == 1
    item = lists["results"][0]
    assert item["key"] == "provinces" and item["name"] == "Tỉnh, thành phố trực thuộc trung ương"
    url = f"/api/v1/catalogs/{item['id']}/entries/"
    after = client.get(url, {"on": "2025-07-01", "limit": 100}).json()
    assert after["count"] == 34
    assert {"code", "label", "parent_code", "attrs", "valid_from", "valid_to"} <= set(
        after["results"][0])
    communes = client.get(f"/api/v1/catalogs/{_list('communes').pk}/entries/",
                          {"parent": "68", "on": "2025-08-01"}).json()
    assert communes["count"] > 100
    bad = client.get(url, {"on": "hôm qua"})
    assert bad.status_code == 400
