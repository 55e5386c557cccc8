"""The full review chain under each of the five provinces' policies, end to end: the
steps made at submission from the policy file, their approver units from the org tree,
their due dates from the working-day calendar (hand-computed below, with Tết 2027 in
the way), the unit approval windows, and the final approval writing and signing the
new revision.

The calendar of February 2027 (Tết Đinh Mùi falls on Saturday 6/2): Friday 5/2 is the
last day of the lunar year; Saturday 6/2 to Tuesday 9/2 the first four days of the new
one; the two that fall on the weekend are given back on Wednesday 10/2 and Thursday
11/2 (Bộ luật Lao động 2019, Điều 111.3, 112.1). So the working days after Monday 1/2
are 2, 3, 4, then 12, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26 February.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.audit.verify import verify_all
from hoso.core.errors import DomainError
from hoso.records.models import Revision
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Purpose, Signature
from hoso.workflow import decisions
from hoso.workflow.models import ChangeRequest, Status, StepStatus

from .conftest import PASSPHRASE, submitted

MON_1_FEB = dt.date(2027, 2, 1)


def _steps(cr):
    return [(s.key, s.role, s.unit_id, s.status, s.due_date)
            for s in cr.steps.order_by("round", "number")]


def _approve(world, key, cr, **kw):
    return decisions.approve(actor=world.actors[key], change_request=cr, **kw)


def _final(world, key, cr):
    cr = _approve(world, key, cr, secret=PASSPHRASE)
    assert cr.status == Status.APPROVED and cr.current_step is None
    revision = Revision.objects.get(pk=cr.revision_id)
    assert revision.number == 2 and revision.change_request_id == cr.pk
    assert revision.approved_by == world.actors[key]
    assert revision.document["phone"] == "0912345678"
    final = cr.steps.get(final=True)
    sig = Signature.objects.get(pk=final.signature_id)
    assert sig.purpose == Purpose.REVISION and sig.subject_type == "records.revision"
    assert sig.subject_id == str(revision.pk) and sig.signed_by == world.actors[key]
    assert check_signatures().ok
    assert all(r.ok for r in verify_all())
    return cr


def test_can_tho_three_steps_each_with_its_working_day_deadline(world, staff, clock, keys,
                                                                settings):
    # Cần Thơ 641/QĐ-UBND, Điều 5.2.b–d: HR officer 5 wd from the entry, head of HR 5 wd,
    # head of unit 10 wd and signs.
    settings.PROVINCE = "can-tho"
    unit = world.in_unit.pk
    clock.set(MON_1_FEB)
    cr = submitted(staff)
    assert (cr.policy, cr.steps_total, cr.current_step) == ("can-tho", 3, 1)
    # submitted Mon 1/2 → 5 wd: 2, 3, 4, (Tết 5–11), 12, 15 → Mon 15/2
    assert _steps(cr) == [
        ("hr_check", "hr_officer", unit, StepStatus.ACTIVE, dt.date(2027, 2, 15)),
        ("hr_head", "hr_head", unit, StepStatus.WAITING, None),
        ("unit_head", "unit_head", unit, StepStatus.WAITING, None),
    ]
    clock.set(dt.date(2027, 2, 3))
    cr = _approve(world, "hr_officer", cr)
    # decided Wed 3/2 → 5 wd: 4, 12, 15, 16, 17 → Wed 17/2
    assert cr.current_step == 2
    assert _steps(cr)[1][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 17))
    clock.set(dt.date(2027, 2, 4))
    cr = _approve(world, "hr_head", cr)
    # decided Thu 4/2 → 10 wd: 12, 15, 16, 17, 18, 19, 22, 23, 24, 25 → Thu 25/2
    assert _steps(cr)[2][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 25))
    clock.set(dt.date(2027, 2, 12))
    cr = _final(world, "unit_head", cr)
    assert [s.decided_by.username for s in cr.steps.order_by("number")] == [
        "hr_officer", "hr_head", "unit_head"]
    # the intermediate steps of Cần Thơ's chain do not sign (signs = false)
    assert [s.signature_id is not None for s in cr.steps.order_by("number")] == [
        False, False, True]


@pytest.mark.parametrize("province", ["vinh-phuc", "quang-nam"])
def test_last_five_days_window_binds_both_steps_and_dates_them(world, staff, clock, keys,
                                                               settings, province):
    # Vĩnh Phúc Quy chế Đ8.1, Quảng Nam Đ5.1: "Trong vòng 05 ngày cuối từng tháng".
    # February 2027 has 28 days: the window is 24/2–28/2 (calendar days, Sunday
    # included), and both steps are due at its end.
    settings.PROVINCE = province
    clock.set(MON_1_FEB)
    cr = submitted(staff)
    assert [(k, s, d) for k, _r, _u, s, d in _steps(cr)] == [
        ("hr_check", StepStatus.ACTIVE, dt.date(2027, 2, 28)),
        ("unit_head", StepStatus.WAITING, None),
    ]
    with pytest.raises(DomainError) as refused:
        _approve(world, "hr_officer", cr)
    assert refused.value.code == "outside_window"
    assert "từ 24/02/2027 đến 28/02/2027" in str(refused.value.message)
    assert "01/02/2027" in str(refused.value.message)
    assert ChangeRequest.objects.get(pk=cr.pk).current_step == 1
    clock.set(dt.date(2027, 2, 24))
    cr = _approve(world, "hr_officer", cr)
    assert _steps(cr)[1][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 28))
    clock.set(dt.date(2027, 2, 28), hour=16)  # a Sunday, still inside the window
    _final(world, "unit_head", cr)


def test_lai_chau_window_is_the_last_five_working_days(world, staff, clock, keys, settings):
    # Lai Châu 2.3: "Trong vòng 05 ngày làm việc cuối của từng tháng": February 2027's
    # last five working days are Mon 22/2 – Fri 26/2; the weekend 27–28/2 is outside.
    settings.PROVINCE = "lai-chau"
    clock.set(MON_1_FEB)
    cr = submitted(staff)
    assert _steps(cr)[0][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 26))
    clock.set(dt.date(2027, 2, 22))
    cr = _approve(world, "hr_officer", cr)
    assert _steps(cr)[1][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 26))
    clock.set(dt.date(2027, 2, 27))  # Saturday: past the window, the next is in March
    with pytest.raises(DomainError) as refused:
        _approve(world, "unit_head", cr, secret=PASSPHRASE)
    # March 2027: 31 is a Wednesday; the last five working days are 25, 26, 29, 30, 31
    assert "từ 25/03/2027 đến 31/03/2027" in str(refused.value.message)
    assert not Signature.objects.exists()
    clock.set(dt.date(2027, 2, 26))
    _final(world, "unit_head", cr)


def test_lam_dong_both_steps_count_from_the_persons_entry(world, staff, clock, keys,
                                                          settings):
    # Lâm Đồng Đ7.3: "Trong thời hạn 10 ngày làm việc, kể từ ngày ... ký số hoàn thành
    # cập nhật" — the head of agency's 10 wd run from the person's entry, not from the
    # HR officer's check. Mon 1/2 → 10 wd: 2, 3, 4, 12, 15, 16, 17, 18, 19, 22 → 22/2.
    settings.PROVINCE = "lam-dong"
    clock.set(MON_1_FEB)
    cr = submitted(staff)
    assert _steps(cr)[0][3:] == (StepStatus.ACTIVE, dt.date(2027, 2, 22))
    clock.set(dt.date(2027, 2, 19))
    cr = _approve(world, "hr_officer", cr)
    step = cr.steps.get(number=2)
    assert (step.status, step.due_date) == (StepStatus.ACTIVE, dt.date(2027, 2, 22))
    assert step.started_at == cr.submitted_at
    clock.set(dt.date(2027, 2, 23))  # a day late: approved all the same, marked late
    cr = _final(world, "unit_head", cr)
    assert cr.steps.get(number=2).is_overdue()
    assert not cr.steps.get(number=1).is_overdue()


@pytest.mark.parametrize("province", ["vinh-phuc", "can-tho", "quang-nam", "lai-chau",
                                      "lam-dong"])
def test_commune_staff_are_approved_by_the_commune_chairman(world, clock, keys, settings,
                                                            province):
    # The two-level structure (since 1/7/2025: no district above the commune): the
    # chairman of the commune's People's Committee signs (Lâm Đồng Đ7.3; Quảng Nam
    # Đ5.1.b's "parent district" is then the commune itself).
    from hoso.accounts.roles import Role

    from ..factories import RoleFactory

    settings.PROVINCE = province
    RoleFactory(user=world.actors["hr_officer"], role=Role.HR_OFFICER, unit=world.commune)
    RoleFactory(user=world.actors["hr_head"], role=Role.HR_HEAD, unit=world.commune)
    clock.set(dt.date(2027, 2, 24))  # inside every window of February 2027
    cr = submitted(world.actors["province_admin"], world.people["commune"])
    steps = list(cr.steps.order_by("number"))
    assert steps[-1].role == "chairman" and steps[-1].unit == world.commune
    for step in steps[:-1]:
        cr = _approve(world, step.role, cr)
    cr = decisions.approve(actor=world.actors["chairman"], change_request=cr,
                           secret=PASSPHRASE)
    assert cr.status == Status.APPROVED
    assert Revision.objects.get(pk=cr.revision_id).approved_by == world.actors["chairman"]
