"""`/api/v1/change-requests/` and `/api/v1/evidence/`: the same drafts, evidence and
submission as the pages, with Vietnamese errors, in the OpenAPI schema."""

from __future__ import annotations

import hashlib

from django.urls import reverse

from hoso.workflow.models import ChangeRequest, Status

from ..api.conftest import token_client
from ..documents.samples import scanned_pdf_bytes, upload
from ..records.documents import first_revision

LIST = reverse("api:changerequest-list")
EVIDENCE = reverse("api:evidence-list")


def _url(name, pk):
    return reverse(f"api:changerequest-{name}", args=[pk])


def test_a_person_drafts_patches_attaches_and_submits_over_the_api(world, staff, evidence_kind):
    first_revision(staff.person)
    api = token_client(staff)
    response = api.post(LIST, {"person": staff.person_id}, format="json")
    assert response.status_code == 201
    draft = response.json()
    assert draft["status"] == "draft" and draft["base_revision"] == 1
    assert draft["document"]["full_name"] == staff.person.full_name
    assert api.post(LIST, {"person": staff.person_id}, format="json").status_code == 200

    response = api.patch(_url("detail", draft["id"]),
                         {"document": {"rank_code": "01.002", "salary_step": 1,
                                       "salary_coefficient": "4.40"}}, format="json")
    assert response.status_code == 200, response.json()
    problems = response.json()["problems"]
    assert [p["path"] for p in problems] == ["evidence"]

    refused = api.post(_url("submit", draft["id"]))
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["path"] == "evidence"
    assert "Chưa gửi được" in refused.json()["non_field_errors"][0]

    content = scanned_pdf_bytes(marker="api")
    response = api.post(EVIDENCE, {
        "person": staff.person_id, "file": upload("qd.pdf", content), "kind": evidence_kind,
        "number": "7/QĐ-SNV", "issued_on": "2025-05-05",
    }, format="multipart")
    assert response.status_code == 201, response.json()
    evidence = response.json()
    assert evidence["sha256"] == hashlib.sha256(content).hexdigest()
    download = api.get(evidence["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content

    assert api.post(_url("attach", draft["id"]), {"evidence": evidence["id"]},
                    format="json").status_code == 200
    response = api.post(_url("submit", draft["id"]))
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert ChangeRequest.objects.get(pk=draft["id"]).status == Status.IN_REVIEW
    # read-only from now on
    response = api.patch(_url("detail", draft["id"]), {"note": "x"}, format="json")
    assert response.status_code == 400
    assert "không thể thay đổi" in str(response.json())


def test_wrong_values_are_refused_per_field_in_vietnamese(world, staff):
    api = token_client(staff)
    draft = api.post(LIST, {"person": staff.person_id}, format="json").json()
    response = api.patch(_url("detail", draft["id"]), {"document": {
        "id_issue_date": "2099-01-01", "staff_number": "NV-1", "no_such_field": "x",
    }}, format="json")
    assert response.status_code == 400
    errors = response.json()["document"]
    assert set(errors) == {"staff_number", "no_such_field"}  # refused before any value check
    assert "cán bộ tổ chức" in errors["staff_number"][0]
    response = api.patch(_url("detail", draft["id"]),
                         {"document": {"id_issue_date": "2099-01-01"}}, format="json")
    assert "tương lai" in response.json()["document"]["id_issue_date"][0]


def test_others_drafts_are_not_found_and_uploads_refused_by_content(world, staff, evidence_kind):
    hr = token_client(world.actors["hr_officer"])
    out = token_client(world.actors["province_admin"]).post(
        LIST, {"person": world.people["out"].pk}, format="json").json()
    assert hr.get(_url("detail", out["id"])).status_code == 404
    # a file out of sight is not found; one in sight but not one's to change is forbidden
    assert token_client(staff).post(LIST, {"person": world.people["in"].pk},
                                    format="json").status_code == 404
    assert token_client(world.actors["unit_head"]).post(
        LIST, {"person": world.people["in"].pk}, format="json").status_code == 403
    response = token_client(staff).post(EVIDENCE, {
        "person": staff.person_id, "file": upload("anh.jpg", b"<html></html>"),
        "kind": evidence_kind,
    }, format="multipart")
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.json()["file"][0]


def test_the_list_shows_the_change_requests_of_files_one_may_change(world, staff):
    mine = token_client(staff).post(LIST, {"person": staff.person_id}, format="json").json()
    other = token_client(world.actors["province_admin"]).post(
        LIST, {"person": world.people["out"].pk}, format="json").json()
    ids = {r["id"] for r in token_client(world.actors["hr_officer"]).get(LIST).json()["results"]}
    assert mine["id"] in ids and other["id"] not in ids
    ids = {r["id"] for r in token_client(world.actors["unit_head"]).get(LIST).json()["results"]}
    assert ids == set()


def test_the_endpoints_are_in_the_openapi_schema(world):
    schema = token_client(world.actors["staff"]).get(reverse("api:schema"),
                                                     {"format": "json"}).json()
    assert "/api/v1/change-requests/{id}/submit/" in schema["paths"]
    assert "/api/v1/evidence/{id}/download/" in schema["paths"]
    doc = schema["components"]["schemas"]["ChangeRequestDetail"]["properties"]["document"]
    assert "/api/v1/profile-schema/" in doc["description"]
