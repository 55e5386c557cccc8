"""Delegation of a review role (ủy quyền: Quảng Nam Đ5.2, Lâm Đồng Đ7.3, Lai Châu 2.3):
who may record and revoke one, what it lets the delegate do through the one permission
path, for its period only, and that the decisions taken under it say "on behalf of"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hoso.accounts import selectors, services
from hoso.accounts.models import Delegation
from hoso.accounts.permissions import can, forget_scopes, role_authority
from hoso.accounts.roles import Action, Role
from hoso.audit.models import AccessLog
from hoso.core.errors import DomainError, PermissionDenied
from hoso.records.models import Person, Revision
from hoso.workflow import decisions
from hoso.workflow.models import Status
from hoso.workflow.selectors import queue_for

from ..factories import PersonFactory, UserFactory
from ..signing.conftest import test_pki, trust  # noqa: F401
from ..workflow.conftest import PASSPHRASE, clock, keys, submitted  # noqa: F401

TODAY = dt.date(2027, 2, 3)


@pytest.fixture
def staff(world):
    return world.actors["staff"]


@pytest.fixture
def deputy(world):
    """The deputy head of Sở Nội vụ: an account with no review role of its own."""
    person = PersonFactory(unit=world.in_unit, full_name="Trần Văn Phó")
    return UserFactory(username="deputy", unit=world.in_unit, person=person,
                       full_name=person.full_name)


def _delegate(world, deputy, *, actor=None, role=Role.UNIT_HEAD, unit=None, **kw):
    kw.setdefault("valid_to", timezone.localdate() + dt.timedelta(days=30))
    return services.delegation_create(
        actor=actor or world.actors["unit_head"], delegator=world.actors["unit_head"],
        delegate=deputy, role=role, unit=unit or world.in_unit,
        decision_number=kw.pop("decision_number", "15/QĐ-SNV"),
        decision_date=kw.pop("decision_date", timezone.localdate() - dt.timedelta(days=1)),
        **kw,
    )


def test_the_holder_delegates_and_the_delegate_acts_in_the_role_for_the_period(world, deputy):
    person = world.people["in"]
    assert not can(deputy, Action.PERSON_APPROVE, person)
    d = _delegate(world, deputy)
    assert d.created_by == world.actors["unit_head"]
    authority = role_authority(deputy, Role.UNIT_HEAD, world.in_child)
    assert authority.delegation_id == d.pk
    assert authority.delegator_id == world.actors["unit_head"].pk
    # the one permission path sees it: single checks and querysets alike
    assert can(deputy, Action.PERSON_APPROVE, person)
    assert can(deputy, Action.PERSON_VIEW_SECRET, person)
    assert Person.objects.visible_to(deputy, Action.PERSON_VIEW).filter(pk=person.pk).exists()
    # … but only the review actions of the role: no exports, no account administration
    assert not can(deputy, Action.PERSON_EXPORT, person)
    assert not can(deputy, Action.PERSON_CHANGE, person)
    assert not can(deputy, Action.GRANT_VIEW, world.in_unit)
    assert not can(deputy, Action.PERSON_APPROVE, world.people["out"])


def test_a_delegation_counts_only_between_its_dates(world, deputy, clock):  # noqa: F811
    clock.set(TODAY)
    _delegate(world, deputy, valid_from=dt.date(2027, 2, 10), valid_to=dt.date(2027, 2, 20),
              decision_date=dt.date(2027, 2, 1))
    for day, expected in ((dt.date(2027, 2, 9), False), (dt.date(2027, 2, 10), True),
                          (dt.date(2027, 2, 20), True), (dt.date(2027, 2, 21), False)):
        clock.set(day)
        forget_scopes(deputy)
        assert (role_authority(deputy, Role.UNIT_HEAD, world.in_unit) is not None) is expected


def test_a_delegation_lapses_with_the_delegators_role(world, deputy):
    _delegate(world, deputy)
    ra = world.actors["unit_head"].role_assignments.get()
    services.role_revoke(actor=world.actors["province_admin"], assignment=ra)
    forget_scopes(deputy)
    assert role_authority(deputy, Role.UNIT_HEAD, world.in_unit) is None
    assert not can(deputy, Action.PERSON_APPROVE, world.people["in"])


def test_the_unit_administrator_may_record_it_for_the_holder(world, deputy):
    d = _delegate(world, deputy, actor=world.actors["unit_admin"])
    assert d.delegator == world.actors["unit_head"]
    assert d.created_by == world.actors["unit_admin"]


@pytest.mark.parametrize("actor", ["staff", "hr_officer", "auditor", "chairman"])
def test_others_may_not_delegate_someone_elses_role(world, deputy, actor):
    with pytest.raises(PermissionDenied):
        _delegate(world, deputy, actor=world.actors[actor])
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(("change", "field", "text"), [
    ({"role": Role.UNIT_ADMIN}, "role", "Chỉ ủy quyền được các vai trò"),
    ({"role": Role.HR_HEAD}, "role", "không giữ vai trò"),
    ({"unit": "out"}, "role", "không giữ vai trò"),
    ({"valid_to": "yesterday"}, "valid_to", "không được trước ngày bắt đầu"),
    ({"decision_number": " "}, "decision_number", "số quyết định"),
    ({"decision_date": "tomorrow"}, "decision_date", "tương lai"),
])
def test_a_wrong_delegation_is_refused_with_the_field_named(world, deputy, change, field, text):
    today = timezone.localdate()
    values = {"tomorrow": today + dt.timedelta(days=1),
              "yesterday": today - dt.timedelta(days=1), "out": world.out_unit}
    kw = {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    with pytest.raises(DomainError) as exc:
        _delegate(world, deputy, **kw)
    assert exc.value.field == field and text in str(exc.value.message)
    assert not Delegation.objects.exists()


def test_a_delegation_cannot_outlast_the_delegators_role(world, deputy):
    ra = world.actors["unit_head"].role_assignments.get()
    ra.valid_to = timezone.localdate() + dt.timedelta(days=10)
    ra.save()
    forget_scopes(world.actors["unit_head"])
    with pytest.raises(DomainError) as exc:
        _delegate(world, deputy, valid_to=timezone.localdate() + dt.timedelta(days=11))
    assert exc.value.field == "valid_to"
    assert ra.valid_to.strftime("%d/%m/%Y") in str(exc.value.message)


def test_nobody_delegates_to_themselves(world):
    with pytest.raises(DomainError) as exc:
        _delegate(world, world.actors["unit_head"])
    assert exc.value.field == "delegate"


def test_revoking_ends_it_at_once_and_keeps_it(world, deputy):
    d = _delegate(world, deputy)
    with pytest.raises(PermissionDenied):
        services.delegation_revoke(actor=world.actors["staff"], delegation=d)
    d = services.delegation_revoke(actor=world.actors["unit_head"], delegation=d)
    assert d.revoked_at is not None and d.revoked_by == world.actors["unit_head"]
    assert role_authority(deputy, Role.UNIT_HEAD, world.in_unit) is None
    assert Delegation.objects.filter(pk=d.pk).exists()


def test_who_sees_a_delegation(world, deputy):
    d = _delegate(world, deputy)
    for key, sees in (("unit_head", True), ("unit_admin", True), ("province_admin", True),
                      ("staff", False), ("hr_officer", True), ("auditor", True)):
        assert selectors.delegation_list(user=world.actors[key]).filter(pk=d.pk).exists() is sees
    assert selectors.delegation_list(user=deputy).filter(pk=d.pk).exists()


# --- decisions under a delegation ------------------------------------------------------


@pytest.fixture
def lam_dong(settings, clock):  # noqa: F811
    """Lâm Đồng Đ7.3: the head of agency approves "hoặc ủy quyền"; the step may be
    delegated (its HR check may not)."""
    settings.PROVINCE = "lam-dong"
    clock.set(TODAY)


def test_the_delegate_approves_on_behalf_of_the_holder_and_signs(world, deputy, staff, keys,  # noqa: F811
                                                                 lam_dong):
    keys.add(deputy)
    d = _delegate(world, deputy, valid_to=dt.date(2027, 3, 31),
                  decision_date=dt.date(2027, 1, 29))
    cr = submitted(staff)
    assert not queue_for(deputy).exists()  # the HR check is not delegable, nor theirs
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    assert list(queue_for(deputy).values_list("change_request", flat=True)) == [cr.pk]
    cr = decisions.approve(actor=deputy, change_request=cr, secret=PASSPHRASE)
    assert cr.status == Status.APPROVED
    step = cr.steps.get(number=2)
    assert step.decided_by == deputy and step.on_behalf_of == world.actors["unit_head"]
    assert step.delegation == d
    revision = Revision.objects.get(pk=cr.revision_id)
    assert revision.approved_by == deputy and "15/QĐ-SNV" in revision.reason


def test_a_step_that_may_not_be_delegated_is_refused_to_the_delegate(world, deputy, staff,
                                                                    lam_dong):
    services.delegation_create(
        actor=world.actors["hr_officer"], delegator=world.actors["hr_officer"],
        delegate=deputy, role=Role.HR_OFFICER, unit=world.in_unit, decision_number="3/UQ",
        decision_date=dt.date(2027, 2, 1), valid_to=dt.date(2027, 2, 28),
    )
    cr = submitted(staff)
    assert not queue_for(deputy).exists()
    with pytest.raises(decisions.ReviewRefused) as exc:
        decisions.approve(actor=deputy, change_request=cr)
    assert exc.value.event == "not_delegable" and "không cho ủy quyền" in str(exc.value.message)


def test_after_the_delegation_ended_the_attempt_is_refused_and_audited(world, deputy, staff,
                                                                      lam_dong, clock):  # noqa: F811
    _delegate(world, deputy, valid_from=dt.date(2027, 2, 1), valid_to=dt.date(2027, 2, 10),
              decision_date=dt.date(2027, 1, 29), decision_number="7/UQ-SNV")
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    clock.set(dt.date(2027, 2, 11))
    forget_scopes(deputy)
    with pytest.raises(decisions.ReviewRefused) as exc:
        decisions.approve(actor=deputy, change_request=cr, secret=PASSPHRASE)
    assert exc.value.event == "expired_delegation"
    assert "7/UQ-SNV" in str(exc.value.message) and "10/02/2027" in str(exc.value.message)
    row = AccessLog.objects.order_by("-seq").first()
    assert (row.action, row.outcome) == ("denied", "expired_delegation")
    assert cr.steps.get(number=2).status == "active"


def test_the_delegator_cannot_approve_their_own_file_through_a_delegate(world, deputy,
                                                                       lam_dong):
    _delegate(world, deputy, valid_to=dt.date(2027, 3, 31), decision_date=dt.date(2027, 1, 29))
    head = world.actors["unit_head"]
    cr = submitted(world.actors["province_admin"], head.person)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    with pytest.raises(decisions.ReviewRefused) as exc:
        decisions.approve(actor=deputy, change_request=cr, secret=PASSPHRASE)
    assert exc.value.event == "own_file"
