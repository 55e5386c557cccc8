"""The search over the API: results, counts and facets from `visible_to`, the same
access rows as the page, exports, saved searches, and the OpenAPI schema."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.search.models import SavedSearch

from ..api.conftest import token_client
from ..factories import PersonFactory

SEARCH = "api:search-persons-list"


@pytest.fixture
def hr(world):
    return token_client(world.actors["hr_officer"])


def test_search_answers_results_counts_and_facets(world, hr):
    PersonFactory(unit=world.out_unit, full_name="Nguyễn Văn Dũng")  # out of scope
    response = hr.get(reverse(SEARCH), {"q": "nguyen van dung"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1
    assert [r["id"] for r in body["results"]] == [world.people["in"].pk]
    assert body["results"][0]["unit_name"] == "Sở Nội vụ"
    status = next(f for f in body["facets"] if f["key"] == "status")
    assert status["values"] == [
        {"value": "active", "label": "Đang công tác", "count": 1, "params": {"status": "active"}}
    ]
    row = AccessLog.objects.filter(action="search").latest("seq")
    assert row.detail["api"] is True and row.detail["results"] == 1


def test_search_pages(world, hr):
    for i in range(3):
        PersonFactory(unit=world.in_unit, full_name=f"Trịnh Văn Trang {i}")
    body = hr.get(reverse(SEARCH), {"q": "trinh", "page_size": 2, "page": 2}).json()
    assert body["count"] == 3 and body["pages"] == 2 and len(body["results"]) == 1


def test_a_wrong_filter_is_a_400_naming_the_field_in_vietnamese(world, hr):
    response = hr.get(reverse(SEARCH), {"age_min": 60, "age_max": 20})
    assert response.status_code == 400
    assert response.json() == {"age_max": ["Không được nhỏ hơn “tuổi từ” (60)."]}
    response = hr.get(reverse(SEARCH), {"unit": world.out_unit.pk})
    assert response.status_code == 400 and "unit" in response.json()


def test_export_over_the_api(world, hr):
    response = hr.get(reverse("api:search-persons-export"),
                      {"q": "le thi hoa", "fmt": "csv", "what": "summary"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "STT" and rows[1][1] == "Lê Thị Hoa"
    assert AccessLog.objects.get(action="export").person_id == world.people["in_child"].pk


def test_saved_searches_over_the_api_are_each_users_own(world, hr):
    url = reverse("api:savedsearch-list")
    response = hr.post(url, {"name": "Dũng", "query": "q=dung"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert [s["name"] for s in hr.get(url).json()] == ["Dũng"]
    other = token_client(world.actors["hr_head"])
    assert other.get(url).json() == []
    assert other.delete(reverse("api:savedsearch-detail", args=[pk])).status_code == 404
    assert hr.delete(reverse("api:savedsearch-detail", args=[pk])).status_code == 204
    assert not SavedSearch.objects.exists()


def test_the_schema_documents_the_search(world, hr):
    schema = hr.get(reverse("api:schema"), {"format": "json"})
    text = schema.content.decode()
    assert "/api/v1/search/persons/" in text and "/api/v1/search/persons/export/" in text
    assert "/api/v1/search/saved/" in text
