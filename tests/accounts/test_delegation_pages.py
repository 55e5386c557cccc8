"""The delegation pages (`/accounts/delegations/…`) and `/api/v1/delegations/`: the
holder records a delegation as its decision says, reads it with the decisions taken
under it, and revokes it; others are refused with the reason on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hoso.accounts.models import Delegation
from hoso.accounts.roles import Role

from ..api.conftest import token_client
from ..clients import client_for
from ..factories import PersonFactory, UserFactory


@pytest.fixture
def deputy(world):
    person = PersonFactory(unit=world.in_unit, full_name="Trần Văn Phó")
    return UserFactory(username="deputy", unit=world.in_unit, person=person,
                       full_name=person.full_name)


def _form(world, **changes):
    today = timezone.localdate()
    data = {
        "delegate": "deputy", "role": Role.UNIT_HEAD, "unit": world.in_unit.pk,
        "decision_number": "15/QĐ-SNV", "decision_date": today.strftime("%d/%m/%Y"),
        "valid_from": "", "valid_to": (today + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
    }
    data.update(changes)
    return data


def test_the_holder_records_reads_and_revokes_a_delegation(world, deputy):
    client = client_for(world.actors["unit_head"])
    form = client.get(reverse("accounts:delegation_create")).content.decode()
    assert 'name="delegator"' not in form  # one delegates one's own role
    assert 'value="unit_head"' in form and 'value="hr_officer"' not in form
    response = client.post(reverse("accounts:delegation_create"), _form(world))
    assert response.status_code == 302
    d = Delegation.objects.get()
    assert (d.delegator, d.delegate, d.role) == (world.actors["unit_head"], deputy,
                                                 Role.UNIT_HEAD)
    html = client.get(response["Location"]).content.decode()
    assert "Ủy quyền số 15/QĐ-SNV" in html and "Trần Văn Phó" in html
    listing = client_for(deputy).get(reverse("accounts:delegation_list")).content.decode()
    assert "15/QĐ-SNV" in listing
    client.post(reverse("accounts:delegation_revoke", args=[d.pk]), {"reason": "Đã về"})
    d.refresh_from_db()
    assert d.revoked_at is not None
    assert "đã bị thu hồi" in client.get(response["Location"]).content.decode()


def test_a_wrong_delegation_comes_back_with_the_reason_and_nothing_is_kept(world, deputy):
    client = client_for(world.actors["unit_head"])
    response = client.post(reverse("accounts:delegation_create"),
                           _form(world, unit=world.out_unit.pk, delegate="nobody"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không có tài khoản đang hoạt động nào mang tên đăng nhập này." in html
    response = client.post(reverse("accounts:delegation_create"),
                           _form(world, valid_to="01/01/2020"))
    assert "Ngày hết hiệu lực" in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_unit_administrator_records_it_for_the_holder(world, deputy):
    client = client_for(world.actors["unit_admin"])
    form = client.get(reverse("accounts:delegation_create")).content.decode()
    assert 'name="delegator"' in form
    response = client.post(reverse("accounts:delegation_create"),
                           _form(world, delegator="unit_head"))
    assert response.status_code == 302
    assert Delegation.objects.get().created_by == world.actors["unit_admin"]


def test_staff_are_not_offered_the_form(world):
    assert client_for(world.actors["staff"]).get(
        reverse("accounts:delegation_create")).status_code == 403


def test_delegations_over_the_api(world, deputy):
    today = timezone.localdate()
    body = {"delegate": "deputy", "role": "unit_head", "unit": world.in_unit.pk,
            "decision_number": "21/QĐ-SNV", "decision_date": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=10)).isoformat()}
    head = token_client(world.actors["unit_head"])
    created = head.post(reverse("api:delegation-list"), body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["delegator"] == "unit_head" and created.json()["active"] is True
    pk = created.json()["id"]
    refused = token_client(world.actors["hr_officer"]).post(
        reverse("api:delegation-list"), {**body, "delegator": "unit_head"}, format="json")
    assert refused.status_code == 403
    mine = token_client(deputy).get(reverse("api:delegation-list")).json()
    assert [d["id"] for d in mine["results"]] == [pk]
    revoked = head.post(reverse("api:delegation-revoke", args=[pk]), {"reason": "Hết việc"},
                        format="json")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
