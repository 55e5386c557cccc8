"""Reminders of review steps: before, on and after the due date, on the working days of
the province's calendar (Tết 2027: 5–11/02 off), to the step's approvers and their
delegates in force, each reminder once.

Hand-computed, N = 2 working days before, overdue every M = 3 working days:
- Cần Thơ 641/QĐ-UBND Đ5.1.c: the HR officer checks within 5 working days of the
  submission. Submitted Mon 01/02/2027 → due Mon 15/02 (02, 03, 04, then Tết, 12, 15).
  "Due soon" when 2 working days are left: Thu 04/02 (12/02 and 15/02 left) — eleven
  calendar days ahead, because of Tết. Due today 15/02. Overdue Tue 16/02 (1 day late),
  Fri 19/02 (4: 16, 17, 18, 19), Wed 24/02 (7: … 22, 23, 24), Mon 01/03 (10).
- Submitted Fri 12/02/2027 (the first working day after Tết) → due Fri 19/02 (15, 16,
  17, 18, 19). Due soon Wed 17/02; due today Fri 19/02; overdue Mon 22/02, Thu 25/02,
  Tue 02/03 (7: 22, 23, 24, 25, 26, 01/03, 02/03).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from hoso.accounts.models import Delegation
from hoso.notifications import reminders
from hoso.notifications.models import Notification, ReminderRun
from hoso.workflow import decisions

from ..factories import PersonFactory, RoleFactory, UserFactory
from .helpers import schedule, submit_change, sweep

D = dt.date


@pytest.fixture
def can_tho(settings):
    settings.PROVINCE = "can-tho"
    settings.REMINDER_DAYS_BEFORE = 2
    settings.REMINDER_OVERDUE_EVERY = 3


@pytest.mark.parametrize(
    ("submitted", "due", "expected"),
    [
        (D(2027, 2, 1), D(2027, 2, 15), {
            D(2027, 2, 4): ["review.due_soon"],
            D(2027, 2, 15): ["review.due_today"],
            D(2027, 2, 16): ["review.overdue"],
            D(2027, 2, 19): ["review.overdue"],
            D(2027, 2, 24): ["review.overdue"],
            D(2027, 3, 1): ["review.overdue"],
        }),
        (D(2027, 2, 12), D(2027, 2, 19), {
            D(2027, 2, 17): ["review.due_soon"],
            D(2027, 2, 19): ["review.due_today"],
            D(2027, 2, 22): ["review.overdue"],
            D(2027, 2, 25): ["review.overdue"],
            D(2027, 3, 2): ["review.overdue"],
        }),
    ],
    ids=["due-after-tet", "due-fri-19-02"],
)
def test_the_hr_officer_is_reminded_on_the_hand_computed_working_days(
    world, staff, clock, can_tho, submitted, due, expected
):
    cr = submit_change(staff, clock, submitted)
    step = cr.steps.get(number=1)
    assert step.due_date == due
    sent = sweep(clock, submitted, D(2027, 3, 3))
    assert schedule(sent, recipient=world.actors["hr_officer"], kind_prefix="review.") == expected


def test_the_messages_name_the_request_the_step_and_the_date_in_vietnamese(
    world, staff, clock, can_tho
):
    cr = submit_change(staff, clock, D(2027, 2, 1))
    sent = sweep(clock, D(2027, 2, 4), D(2027, 2, 16))
    officer = world.actors["hr_officer"]
    texts = {n.kind: n for rows in sent.values() for n in rows
             if n.recipient_id == officer.pk and n.kind.startswith("review.")}
    soon = texts["review.due_soon"]
    assert soon.message.startswith(
        f"Yêu cầu thay đổi số {cr.pk} (hồ sơ của Cán bộ staff) đang chờ bạn xử lý ở bước 1/3 “"
    )
    assert soon.message.endswith("”: hạn ngày 15/02/2027, còn 2 ngày làm việc.")
    assert soon.url == f"/changes/{cr.pk}/review/"
    assert "hôm nay, ngày 15/02/2027, là hạn cuối" in texts["review.due_today"].message
    assert "hạn là ngày 15/02/2027, đã quá 1 ngày làm việc" in texts["review.overdue"].message
    for n in texts.values():
        assert staff.person.id_number not in n.message


def test_only_the_holders_of_the_active_step_are_reminded(world, staff, clock, can_tho):
    submit_change(staff, clock, D(2027, 2, 1))
    sent = sweep(clock, D(2027, 2, 1), D(2027, 2, 16))
    reminded = {n.recipient.username for rows in sent.values() for n in rows
                if n.kind.startswith("review.")}
    # not the person, not the later steps' holders, not the expired or revoked officer
    assert reminded == {"hr_officer"}


def test_a_decided_step_is_reminded_no_more_and_the_next_one_is(world, staff, clock, can_tho):
    cr = submit_change(staff, clock, D(2027, 2, 1))
    clock.set(D(2027, 2, 3), 10)
    decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    # Head of HR: 5 working days from the previous decision, 03/02 → 17/02 (04, 12, 15,
    # 16, 17): due soon on Mon 15/02.
    assert cr.steps.get(number=2).due_date == D(2027, 2, 17)
    sent = sweep(clock, D(2027, 2, 3), D(2027, 2, 18))
    assert schedule(sent, recipient=world.actors["hr_officer"], kind_prefix="review.") == {}
    assert schedule(sent, recipient=world.actors["hr_head"], kind_prefix="review.") == {
        D(2027, 2, 15): ["review.due_soon"],
        D(2027, 2, 17): ["review.due_today"],
        D(2027, 2, 18): ["review.overdue"],
    }


def test_each_reminder_is_sent_once_however_often_the_sweep_runs(world, staff, clock, can_tho):
    submit_change(staff, clock, D(2027, 2, 1))
    clock.set(D(2027, 2, 4), 7)
    first = reminders.run()
    clock.set(D(2027, 2, 4), 15)
    assert first.get("review.due_soon") == 1
    assert reminders.run() == {}
    assert Notification.objects.filter(kind="review.due_soon").count() == 1
    assert ReminderRun.objects.filter(day=D(2027, 2, 4)).count() == 2


def test_nothing_is_sent_on_a_day_off(world, staff, clock, can_tho):
    submit_change(staff, clock, D(2027, 2, 1))
    sent = sweep(clock, D(2027, 2, 5), D(2027, 2, 11))  # Tết
    assert sent == {}


def test_a_recipient_gets_one_letter_listing_the_mornings_reminders(
    world, staff, clock, can_tho, django_capture_on_commit_callbacks
):
    officer = world.actors["hr_officer"]
    officer.email = "canbo.tccb@sonoivu.cantho.gov.vn"
    officer.save()
    colleague = UserFactory(username="dong", full_name="Trần Văn Đông", unit=world.in_unit,
                            person=PersonFactory(unit=world.in_unit, full_name="Trần Văn Đông"))
    RoleFactory(user=colleague, role="staff", unit=world.in_unit, include_subtree=False)
    submit_change(staff, clock, D(2027, 2, 1))
    submit_change(colleague, clock, D(2027, 2, 1))
    clock.set(D(2027, 2, 4), 7)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run()
    letters = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(letters) == 1
    (letter,) = letters
    assert letter.subject.startswith("[hoso] Nhắc việc ngày 04/02/2027: ")
    assert "hồ sơ của Cán bộ staff" in letter.body and "hồ sơ của Trần Văn Đông" in letter.body


# --- delegation (Lâm Đồng Đ7.3: the head of agency approves "hoặc ủy quyền") ----------


@pytest.fixture
def lam_dong(settings):
    settings.PROVINCE = "lam-dong"
    settings.REMINDER_DAYS_BEFORE = 2
    settings.REMINDER_OVERDUE_EVERY = 3


END_OF_2027 = D(2027, 12, 31)


def _delegate(world, username: str, *, role="unit_head", to=END_OF_2027):
    delegator = world.actors[role]
    deputy = UserFactory(username=username, unit=world.in_unit,
                         person=PersonFactory(unit=world.in_unit, full_name=f"Phó {username}"))
    Delegation.objects.create(
        delegator=delegator, delegate=deputy, role=role, unit=world.in_unit,
        decision_number=f"12/QĐ-{username}", decision_date=D(2027, 1, 4),
        valid_from=D(2027, 1, 5), valid_to=to,
    )
    return deputy


def test_delegates_in_force_are_reminded_with_the_holder(world, staff, clock, lam_dong):
    deputy = _delegate(world, "pho_gd")
    lapsed = _delegate(world, "pho_cu", to=D(2027, 2, 10))
    cr = submit_change(staff, clock, D(2027, 2, 1))
    clock.set(D(2027, 2, 2), 10)
    decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    step = cr.steps.get(number=2)
    # Đ7.3: 10 working days from the submission: 02, 03, 04, 12, 15, 16, 17, 18, 19, 22.
    assert (step.key, step.delegable, step.due_date) == ("unit_head", True, D(2027, 2, 22))
    sent = sweep(clock, D(2027, 2, 17), D(2027, 2, 22))
    expected = {D(2027, 2, 18): ["review.due_soon"], D(2027, 2, 22): ["review.due_today"]}
    assert schedule(sent, recipient=world.actors["unit_head"], kind_prefix="review.") == expected
    assert schedule(sent, recipient=deputy, kind_prefix="review.") == expected
    assert schedule(sent, recipient=lapsed, kind_prefix="review.") == {}


def test_a_delegate_of_a_step_that_may_not_be_delegated_is_not_reminded(
    world, staff, clock, lam_dong
):
    deputy = _delegate(world, "pho_tccb", role="hr_officer")
    submit_change(staff, clock, D(2027, 2, 1))  # step 1, the HR check: not delegable
    sent = sweep(clock, D(2027, 2, 18), D(2027, 2, 22))
    assert schedule(sent, recipient=world.actors["hr_officer"], kind_prefix="review.") == {
        D(2027, 2, 18): ["review.due_soon"], D(2027, 2, 22): ["review.due_today"],
    }
    assert schedule(sent, recipient=deputy, kind_prefix="review.") == {}


# --- the stage rule itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2027, 2, 2), None),  # 3 working days left (03, 04, 12)
        (D(2027, 2, 3), ("due_soon", 0)),  # 04, 12 left
        (D(2027, 2, 4), ("due_soon", 0)),  # 12 left
        (D(2027, 2, 8), None),  # Tết
        (D(2027, 2, 12), ("due_today", 0)),
        (D(2027, 2, 13), None),  # Saturday
        (D(2027, 2, 15), ("overdue", 0)),
        (D(2027, 2, 17), ("overdue", 0)),
        (D(2027, 2, 18), ("overdue", 1)),
    ],
)
def test_the_stage_of_an_item_due_on_the_first_working_day_after_tet(today, expected):
    stage = reminders.stage_on(today, D(2027, 2, 12), province="can-tho", before=2, every=3)
    assert (stage and (stage.name, stage.round)) == expected


def test_an_item_due_on_a_day_off_is_due_today_on_the_last_working_day_before_it():
    # a calendar-day deadline ending on Sunday 07/02/2027 (Tết): Thu 04/02 is the last
    # working day before it
    assert reminders.stage_on(D(2027, 2, 4), D(2027, 2, 7), province="can-tho").name == "due_today"
    assert reminders.stage_on(D(2027, 2, 3), D(2027, 2, 7), province="can-tho").name == "due_soon"
    assert reminders.stage_on(D(2027, 2, 12), D(2027, 2, 7), province="can-tho").name == "overdue"
