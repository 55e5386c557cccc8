"""`/api/v1/role-assignments/` and `/api/v1/grants/`: administrators grant, restrict,
widen and revoke within their own scope only (Vĩnh Phúc Đ6.1, Đ14.1, Đ14.4); written
consents (Vĩnh Phúc Đ4.4) are recorded and revoked through the services."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from hoso.accounts.models import AccessGrant, RoleAssignment
from hoso.accounts.roles import Role
from hoso.audit.models import ChangeLog

from ..factories import PersonFactory, RoleFactory, UserFactory

ROLES = reverse("api:roleassignment-list")
GRANTS = reverse("api:grant-list")


def _today() -> dt.date:
    return timezone.localdate()


def _role(world, **over):
    return {
        "user": world.actors["staff"].pk, "role": "hr_head", "unit": world.in_unit.pk,
        "include_subtree": True, **over,
    }


# --- roles ---------------------------------------------------------------------------


def test_a_unit_administrator_cannot_grant_a_province_role(world, as_actor):
    before = RoleAssignment.objects.count()
    client = as_actor("unit_admin")
    response = client.post(ROLES, _role(world, role="province_admin"), format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Chỉ quản trị viên cấp tỉnh mới được cấp")
    # …nor on the province itself, which lies outside their scope.
    response = client.post(
        ROLES, _role(world, role="auditor", unit=world.root.pk), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["unit"]
    assert RoleAssignment.objects.count() == before


def test_a_unit_administrator_grants_a_role_within_scope(world, as_actor):
    response = as_actor("unit_admin").post(ROLES, _role(world), format="json")
    assert response.status_code == 201, response.json()
    ra = RoleAssignment.objects.get(pk=response.json()["id"])
    assert (ra.user, ra.role, ra.unit) == (world.actors["staff"], Role.HR_HEAD, world.in_unit)
    assert response.json()["active"] is True
    change = ChangeLog.objects.get(object_type="accounts.roleassignment", object_id=str(ra.pk))
    assert change.actor_id == world.actors["unit_admin"].pk


def test_a_role_ending_in_the_past_is_a_vietnamese_400_keyed_valid_to(world, as_actor):
    before = RoleAssignment.objects.count()
    start, end = (_today() - dt.timedelta(days=d) for d in (10, 1))
    response = as_actor("province_admin").post(
        ROLES, _role(world, valid_from=start.isoformat(), valid_to=end.isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["valid_to"]
    assert "đã qua" in response.json()["valid_to"][0]
    assert RoleAssignment.objects.count() == before


def test_restricting_and_revoking_a_role_with_a_reason(world, as_actor):
    ra = RoleFactory(user=world.actors["staff"], role=Role.HR_OFFICER, unit=world.in_unit)
    client = as_actor("unit_admin")
    url = reverse("api:roleassignment-detail", kwargs={"pk": ra.pk})
    end = (_today() + dt.timedelta(days=10)).isoformat()
    response = client.patch(url, {"include_subtree": False, "valid_to": end}, format="json")
    assert response.status_code == 200, response.json()
    ra.refresh_from_db()
    assert not ra.include_subtree and ra.valid_to.isoformat() == end

    url = reverse("api:roleassignment-revoke", kwargs={"pk": ra.pk})
    response = client.post(url, {"reason": "Nghỉ hưu"}, format="json")
    assert response.status_code == 200
    assert response.json()["active"] is False
    ra.refresh_from_db()
    assert ra.revoked_by == world.actors["unit_admin"]
    change = ChangeLog.objects.filter(
        object_type="accounts.roleassignment", object_id=str(ra.pk)
    ).latest("seq")
    assert change.reason == "Nghỉ hưu"


def test_seeing_a_role_does_not_allow_changing_it(world, as_actor):
    ra = RoleFactory(user=world.actors["staff"], role=Role.HR_OFFICER, unit=world.in_unit)
    url = reverse("api:roleassignment-revoke", kwargs={"pk": ra.pk})
    client = as_actor("hr_officer")
    assert client.get(reverse("api:roleassignment-detail", kwargs={"pk": ra.pk})).status_code == 200
    assert client.post(url).status_code == 403
    ra.refresh_from_db()
    assert ra.revoked_at is None


def test_everyone_sees_their_own_roles(world, as_actor):
    response = as_actor("staff").get(ROLES)
    assert response.status_code == 200
    assert [r["user"] for r in response.json()["results"]] == [world.actors["staff"].pk]


# --- written-consent grants ----------------------------------------------------------


def _grant(world, **over):
    return {
        "grantee": "staff", "document_number": "45/SNV-CCVC",
        "document_date": (_today() - dt.timedelta(days=1)).isoformat(),
        "signer_name": "Lê Văn Ký", "unit": world.in_unit.pk,
        "valid_to": (_today() + dt.timedelta(days=30)).isoformat(), **over,
    }


def test_recording_a_written_consent(world, as_actor):
    response = as_actor("unit_admin").post(
        GRANTS, _grant(world, sections=["family", "personal"]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    grant = AccessGrant.objects.get(pk=body["id"])
    assert grant.grantee == world.actors["staff"] and grant.unit == world.in_unit
    assert body["grantee"] == "staff" and body["sections"] == ["personal", "family"]
    assert body["active"] is True


def test_a_consent_for_an_unknown_account_or_already_expired_writes_nothing(world, as_actor):
    client = as_actor("unit_admin")
    response = client.post(GRANTS, _grant(world, grantee="khongcoai"), format="json")
    assert response.status_code == 400
    assert response.json()["grantee"] == [
        "Không có tài khoản đang hoạt động nào có tên đăng nhập “khongcoai”."
    ]
    past = (_today() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        GRANTS, _grant(world, valid_from=(_today() - dt.timedelta(days=9)).isoformat(),
                       valid_to=past), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["valid_to"]
    response = client.post(GRANTS, _grant(world, sections=[]), format="json")
    assert response.json()["sections"] == ["Phải chọn ít nhất một mục."]
    assert not AccessGrant.objects.exists()


def test_a_unit_administrator_cannot_open_another_units_files(world, as_actor):
    response = as_actor("unit_admin").post(
        GRANTS, _grant(world, unit=None, persons=[world.people["out"].pk]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["persons"]
    assert not AccessGrant.objects.exists()


def test_a_grant_shows_only_the_named_people_the_reader_may_see(world, as_actor):
    reader = UserFactory(username="thanh_tra", unit=world.root)
    with_out = PersonFactory(unit=world.out_unit)
    client = as_actor("province_admin")
    response = client.post(
        GRANTS,
        _grant(world, grantee="thanh_tra", unit=None,
               persons=[world.people["in"].pk, with_out.pk]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    url = reverse("api:grant-detail", kwargs={"pk": response.json()["id"]})
    body = as_actor("unit_admin").get(url).json()
    assert body["persons"] == [world.people["in"].pk] and body["persons_hidden"] == 1
    assert reader.access_grants.count() == 1


def test_revoking_a_written_consent(world, as_actor):
    grant_id = as_actor("unit_admin").post(GRANTS, _grant(world), format="json").json()["id"]
    url = reverse("api:grant-revoke", kwargs={"pk": grant_id})
    assert as_actor("unit_head").post(url).status_code == 403  # sees it, may not revoke
    response = as_actor("unit_admin").post(url, {"reason": "Hết nhu cầu"}, format="json")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert AccessGrant.objects.get(pk=grant_id).revoked_by == world.actors["unit_admin"]
