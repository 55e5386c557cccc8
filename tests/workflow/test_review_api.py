"""The review over the API (`/api/v1/change-requests/…`): the queue, the steps, the
decisions with their refusals (403 for who one is, 409 for a decision on what changed
meanwhile, 400 for a bad reason), withdrawal and resubmission, in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hoso.records.models import Revision
from hoso.workflow.models import ChangeRequest, Status

from ..api.conftest import token_client
from .conftest import PASSPHRASE, submitted


def _url(name, pk=None):
    return reverse(f"api:changerequest-{name}", args=[pk] if pk else [])


@pytest.fixture
def can_tho(settings, clock):
    settings.PROVINCE = "can-tho"
    clock.set(dt.date(2027, 2, 3))


def test_the_queue_lists_the_callers_steps_soonest_due_first(world, can_tho, clock):
    staff = world.actors["staff"]
    first = submitted(staff)  # Wed 3/2 → 5 wd: 4, 12, 15, 16, 17 → 17/2
    clock.set(dt.date(2027, 2, 1))
    other = submitted(world.actors["province_admin"], world.people["in"])  # → 15/2
    clock.set(dt.date(2027, 2, 16))
    api = token_client(world.actors["hr_officer"])
    body = api.get(_url("queue")).json()
    assert body["count"] == 2
    rows = body["results"]
    assert [r["change_request"] for r in rows] == [other.pk, first.pk]
    assert [r["due_date"] for r in rows] == ["2027-02-15", "2027-02-17"]
    assert [r["overdue"] for r in rows] == [True, False]
    assert rows[0]["label"] == "Công chức tổ chức cán bộ rà soát, kiểm tra"
    assert rows[0]["person_name"] == world.people["in"].full_name
    assert token_client(world.actors["unit_head"]).get(_url("queue")).json()["count"] == 0


def test_a_chain_is_decided_over_the_api(world, can_tho, keys):
    cr = submitted(world.actors["staff"])
    steps = token_client(world.actors["hr_officer"]).get(_url("steps", cr.pk)).json()
    assert [(s["number"], s["status"], s["role"]) for s in steps] == [
        (1, "active", "hr_officer"), (2, "waiting", "hr_head"), (3, "waiting", "unit_head")]
    version = ChangeRequest.objects.get(pk=cr.pk).version
    answer = token_client(world.actors["hr_officer"]).post(
        _url("approve", cr.pk), {"step": steps[0]["id"], "version": version}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["current_step"] == 2
    # the second reviewer's page was opened before: 409, nothing changed
    late = token_client(world.actors["hr_head"]).post(
        _url("approve", cr.pk), {"step": steps[0]["id"], "version": version}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "stale"
    assert token_client(world.actors["hr_head"]).post(
        _url("approve", cr.pk), {}, format="json").status_code == 200
    head = token_client(world.actors["unit_head"])
    wrong = head.post(_url("approve", cr.pk), {"secret": "sai"}, format="json")
    assert wrong.status_code == 400
    done = head.post(_url("approve", cr.pk), {"secret": PASSPHRASE}, format="json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "approved" and body["revision"] == 2
    assert body["steps"][2]["signature"] is not None
    assert "secret" not in str(body)
    assert Revision.objects.filter(person=world.actors["staff"].person).count() == 2


def test_out_of_turn_is_403_and_a_bad_return_400(world, can_tho):
    cr = submitted(world.actors["staff"])
    early = token_client(world.actors["unit_head"]).post(_url("approve", cr.pk), {},
                                                         format="json")
    assert early.status_code == 403 and "Chưa đến lượt" in early.json()["detail"]
    hr = token_client(world.actors["hr_officer"])
    bad = hr.post(_url("return", cr.pk), {"field_reasons": {"phone": ""}}, format="json")
    assert bad.status_code == 400 and "field_reasons" in bad.json()
    bad = hr.post(_url("return", cr.pk), {"field_reasons": {"x_y": "sai"}}, format="json")
    assert bad.status_code == 400 and "x_y" in bad.json()["field_reasons"][0]
    assert hr.post(_url("reject", cr.pk), {}, format="json").status_code == 400
    assert ChangeRequest.objects.get(pk=cr.pk).status == Status.IN_REVIEW


def test_return_correct_resubmit_and_withdraw_over_the_api(world, can_tho):
    staff = world.actors["staff"]
    cr = submitted(staff)
    hr = token_client(world.actors["hr_officer"])
    answer = hr.post(_url("return", cr.pk),
                     {"field_reasons": {"phone": "Thiếu một chữ số."}, "comment": "Xem lại"},
                     format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "returned"
    me = token_client(staff)
    detail = me.get(_url("detail", cr.pk)).json()
    assert detail["steps"][0]["field_reasons"] == {"phone": "Thiếu một chữ số."}
    assert me.patch(_url("detail", cr.pk), {"document": {"phone": "0912345670"}},
                    format="json").status_code == 200
    again = me.post(_url("resubmit", cr.pk))
    assert again.status_code == 200 and again.json()["status"] == "in_review"
    assert [s["round"] for s in again.json()["steps"]] == [1, 1, 1, 2, 2, 2]
    refused = me.post(_url("withdraw", cr.pk), {}, format="json")
    assert refused.status_code == 400
    hr.post(_url("reject", cr.pk), {"reason": "Không có hồ sơ gốc"}, format="json")
    assert ChangeRequest.objects.get(pk=cr.pk).status == Status.REJECTED


def test_the_review_is_in_the_openapi_schema(world):
    schema = token_client(world.actors["staff"]).get(reverse("api:schema"),
                                                     {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("/api/v1/change-requests/queue/", "/api/v1/change-requests/{id}/steps/",
                 "/api/v1/change-requests/{id}/approve/", "/api/v1/change-requests/{id}/return/",
                 "/api/v1/change-requests/{id}/reject/", "/api/v1/change-requests/{id}/withdraw/",
                 "/api/v1/change-requests/{id}/resubmit/"):
        assert path in paths, path
    approve = paths["/api/v1/change-requests/{id}/approve/"]["post"]
    assert approve["summary"] == "Phê duyệt bước hiện tại"
