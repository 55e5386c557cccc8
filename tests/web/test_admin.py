"""Django's admin: the province administrator's window on the data, behind one gate.

Guards: only the province administrator with a verified second factor passes
`has_permission`; nothing can be added, changed or deleted there (audit rows least of
all); the writes it offers go through the services; no identification number is shown
and a look at a person's file leaves an access row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.accounts.models import User
from hoso.accounts.roles import Role
from hoso.audit.models import AccessLog, ChangeLog
from hoso.audit.services import log_access
from hoso.web.admin_site import admin_site

from ..accounts.test_pages import client_for
from ..conftest import ACTOR_ROLES
from ..factories import GrantFactory, RoleFactory


def _request(user, *, verified: bool):
    request = RequestFactory().get("/admin/")
    request.user = user
    user.is_verified = lambda: verified
    return request


@pytest.mark.parametrize("actor", sorted(ACTOR_ROLES))
def test_only_the_verified_province_administrator_passes_the_gate(world, actor):
    user = world.actors[actor]
    assert admin_site.has_permission(_request(user, verified=True)) is (actor == "province_admin")
    assert admin_site.has_permission(_request(user, verified=False)) is False


def test_the_gate_refuses_anonymous_locked_and_disabled_accounts(world):
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    assert not admin_site.has_permission(request)
    admin = world.actors["province_admin"]
    User.objects.filter(pk=admin.pk).update(is_active=False)
    admin.refresh_from_db()
    assert not admin_site.has_permission(_request(admin, verified=True))


def test_a_province_role_held_below_the_province_does_not_open_the_admin(world):
    user = world.actors["staff"]
    RoleFactory(user=user, role=Role.PROVINCE_ADMIN, unit=world.in_unit)
    assert not admin_site.has_permission(_request(user, verified=True))


def test_others_are_refused_without_a_redirect_loop(world):
    client = client_for(world.actors["unit_admin"])
    first = client.get("/admin/")
    assert first.status_code == 302
    second = client.get(first.headers["Location"])
    assert second.status_code == 403
    anonymous = Client().get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_an_unverified_province_administrator_is_sent_to_the_second_factor(world):
    admin = world.actors["province_admin"]
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.headers["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.fixture
def province(world):
    return client_for(world.actors["province_admin"])


def test_the_index_lists_the_province_data_in_vietnamese(province):
    html = province.get("/admin/").content.decode()
    assert "hoso — quản trị hệ thống" in html
    for model in ("accounts/user", "accounts/roleassignment", "accounts/accessgrant",
                  "org/orgunit", "records/person", "audit/changelog", "audit/accesslog"):
        assert f"/admin/{model}/" in html, model


def test_nothing_can_be_added_changed_or_deleted_in_any_model(world):
    request = _request(world.actors["province_admin"], verified=True)
    for model, model_admin in admin_site._registry.items():
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model


@pytest.mark.parametrize("model", [ChangeLog, AccessLog])
def test_audit_rows_cannot_be_edited_or_deleted_through_the_admin(world, province, model):
    log_access(action="view", obj=world.people["in"], person_id=world.people["in"].pk)
    row = model.objects.order_by("seq").first()
    before = (row.hash, row.action, row.object_id)
    base = f"/admin/audit/{model._meta.model_name}/"
    view = province.get(f"{base}{row.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert province.post(f"{base}{row.pk}/change/", {"action": "delete"}).status_code == 403
    assert province.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert province.get(f"{base}add/").status_code == 403
    row = model.objects.get(pk=row.pk)
    assert (row.hash, row.action, row.object_id) == before


def test_a_unit_cannot_be_moved_in_the_admin(world, province):
    unit = world.in_child
    url = f"/admin/org/orgunit/{unit.pk}/change/"
    response = province.post(url, {"parent": world.out_unit.pk, "name": "Khác"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.parent == world.in_unit and unit.path.startswith(world.in_unit.path)


def test_a_person_is_shown_without_the_identification_number_and_the_view_is_logged(
    world, province
):
    person = world.people["in"]
    html = province.get(f"/admin/records/person/{person.pk}/change/").content.decode()
    assert person.full_name in html
    assert person.id_number not in html and person.id_number_hash not in html
    assert AccessLog.objects.filter(action="view", person_id=person.pk).exists()
    listing = province.get("/admin/records/person/").content.decode()
    assert person.full_name in listing and person.id_number not in listing
    assert AccessLog.objects.filter(action="search", person_id=person.pk).exists()


def test_locking_accounts_from_the_admin_goes_through_the_service(world, province):
    target = world.actors["staff"]
    response = province.post(
        "/admin/accounts/user/",
        {"action": "lock", "_selected_action": [target.pk, world.actors["province_admin"].pk]},
        follow=True,
    )
    html = response.content.decode()
    target.refresh_from_db()
    assert not target.is_active
    # the service's own rule holds: nobody locks themselves
    assert world.actors["province_admin"].is_active
    assert "Bạn không thể tự khóa hoặc mở khóa tài khoản của chính mình" in html
    assert ChangeLog.objects.filter(object_type="accounts.user", object_id=str(target.pk),
                                    action="update").exists()


def test_revoking_roles_from_the_admin_goes_through_the_service(world, province):
    ra = world.actors["hr_officer"].role_assignments.get()
    province.post("/admin/accounts/roleassignment/",
                  {"action": "revoke", "_selected_action": [ra.pk]})
    ra.refresh_from_db()
    assert ra.revoked_at is not None and ra.revoked_by == world.actors["province_admin"]


def test_every_list_and_view_page_opens_for_the_province_administrator(world, province):
    log_access(action="view", obj=world.people["in"], person_id=world.people["in"].pk)
    GrantFactory(unit=world.in_unit)
    for model in admin_site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        listing = province.get(base)
        assert listing.status_code == 200, base
        obj = model._default_manager.order_by("pk").first()
        assert province.get(f"{base}{obj.pk}/change/").status_code == 200, base


def test_the_admin_logs_out_and_changes_passwords_through_the_application(world, province):
    assert province.get("/admin/password_change/").headers["Location"] == reverse(
        "accounts:password_change"
    )
    response = province.post("/admin/logout/")
    assert response.headers["Location"] == reverse("accounts:login")
    admin = world.actors["province_admin"]
    assert AccessLog.objects.filter(action="logout", object_id=str(admin.pk)).exists()
