"""Tracked deadlines outside the review, and their reminders.

- Account creation: Cần Thơ 641/QĐ-UBND Đ5.1.a, 5 working days; Lâm Đồng Đ7.1, 3
  working days; from the recruitment decision — in hoso the later of the file's
  recruitment date and the day the file was created (selectors' docstring).
- Self-entry: Cần Thơ Đ5.1.b, Lai Châu 2.2, Lâm Đồng Đ7.2, 5 working days from the
  day the account was given; open until a change request of the file is submitted.
Vĩnh Phúc sets neither: nothing is tracked there.

Hand-computed (Tết 2027: 05–11/02 off): 5 working days from Mon 01/02 → Mon 15/02
(02, 03, 04, 12, 15); 3 working days from Wed 03/02 → Mon 15/02 (04, 12, 15).
"""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.accounts.models import User
from hoso.core.policy import get_policy
from hoso.notifications import reminders
from hoso.notifications.selectors import ACCOUNT_CREATION, SELF_ENTRY, tracked_deadlines
from hoso.records.models import Status

from ..factories import PersonFactory, RoleFactory, UserFactory
from ..records.documents import first_revision
from .helpers import schedule, submit_change, sweep

D = dt.date


def _newcomer(world, clock, day: dt.date, name: str = "Đặng Thị Mới"):
    clock.set(day, 8)
    return PersonFactory(unit=world.in_child, full_name=name)


def _obligations(kind: str, person, **kwargs):
    return [o for o in tracked_deadlines(**kwargs) if o.kind == kind and o.person_id == person.pk]


def test_account_creation_is_due_5_working_days_after_the_file_in_can_tho(
    world, clock, settings
):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 2, 1))
    (o,) = _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 16))
    assert (o.start, o.due, o.state, o.late) == (D(2027, 2, 1), D(2027, 2, 15), "overdue", 1)
    assert o.unit_name == world.in_child.name


def test_account_creation_is_due_3_working_days_after_the_file_in_lam_dong(
    world, clock, settings
):
    settings.PROVINCE = "lam-dong"
    person = _newcomer(world, clock, D(2027, 2, 3))
    (o,) = _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 15))
    assert (o.start, o.due, o.state) == (D(2027, 2, 3), D(2027, 2, 15), "due")


def test_the_clock_starts_at_a_recruitment_after_the_file_was_created(world, clock, settings):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 1, 25))
    clock.set(D(2027, 2, 1), 9)
    first_revision(
        person, recruitment_date="2027-02-01", current_unit_date="2027-02-01",
        salary_since="2027-02-01",
        salary_history=[{"month": "2027-02", "rank_code": "01.003", "salary_step": 3,
                         "salary_coefficient": "3.00"}],
    )
    (o,) = _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 2))
    assert (o.start, o.due, o.state) == (D(2027, 2, 1), D(2027, 2, 15), "open")


def test_a_file_created_long_after_the_recruitment_starts_the_clock_when_created(
    world, clock, settings
):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 2, 1))
    first_revision(person)  # recruited in the 1990s
    (o,) = _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 2))
    assert (o.start, o.due) == (D(2027, 2, 1), D(2027, 2, 15))


def test_account_creation_closes_with_the_account_and_is_not_tracked_for_departed_staff(
    world, clock, settings
):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 2, 1))
    retired = _newcomer(world, clock, D(2027, 2, 1), name="Hà Văn Hưu")
    retired.status = Status.RETIRED
    retired.save()
    assert _obligations(ACCOUNT_CREATION, retired, on=D(2027, 2, 16)) == []
    UserFactory(username="moi", person=person, unit=person.unit)
    assert _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 16)) == []


def test_vinh_phuc_tracks_neither_deadline(world, clock, settings):
    settings.PROVINCE = "vinh-phuc"  # Sở Nội vụ creates the accounts (Đ7.2); no self-entry term
    _newcomer(world, clock, D(2027, 2, 1))
    assert tracked_deadlines(on=D(2027, 3, 1)) == []


def test_the_unit_keepers_are_reminded_to_create_the_account(world, clock, settings):
    settings.PROVINCE = "can-tho"
    _newcomer(world, clock, D(2027, 2, 1))
    sent = sweep(clock, D(2027, 2, 1), D(2027, 2, 17))
    expected = {
        D(2027, 2, 4): ["account.due_soon"],
        D(2027, 2, 15): ["account.due_today"],
        D(2027, 2, 16): ["account.overdue"],
    }
    named = "Đặng Thị Mới (Phòng Tổ chức)"
    for keeper in ("hr_officer", "unit_admin"):
        assert schedule(sent, recipient=world.actors[keeper], text=named) == expected
    for other in ("hr_head", "unit_head", "staff", "expired", "revoked", "province_admin"):
        assert schedule(sent, recipient=world.actors[other], text=named) == {}
    (soon,) = [n for n in sent[D(2027, 2, 4)] if n.kind == "account.due_soon"
               and n.recipient_id == world.actors["hr_officer"].pk]
    assert soon.message == (
        "Sắp đến hạn tạo tài khoản cho 1 người, hạn sớm nhất ngày 15/02/2027: "
        "Đặng Thị Mới (Phòng Tổ chức)."
    )
    assert soon.url == "/notifications/overdue/?all=1"


def test_a_keeper_gets_one_notification_for_many_files_reaching_a_stage(world, clock, settings):
    """At a province's start hundreds of files wait for an account: one notification per
    keeper and stage lists them (five names, then how many more), not one per file."""
    settings.PROVINCE = "can-tho"
    for i in range(7):
        _newcomer(world, clock, D(2027, 2, 1), name=f"Người Mới {i}")
    sent = sweep(clock, D(2027, 2, 4), D(2027, 2, 4))
    officer = world.actors["hr_officer"]
    (soon,) = [n for n in sent[D(2027, 2, 4)]
               if n.kind == "account.due_soon" and n.recipient_id == officer.pk]
    assert soon.message.startswith("Sắp đến hạn tạo tài khoản cho 7 người, hạn sớm nhất ngày "
                                   "15/02/2027: Người Mới 0 (Phòng Tổ chức), ")
    assert soon.message.endswith(" và 2 người khác.")
    # each file is reminded of that stage once: the next day brings nothing new
    assert schedule(sweep(clock, D(2027, 2, 5), D(2027, 2, 12)), recipient=officer,
                    kind_prefix="account.due_soon") == {}


def _account_for(person, clock, day: dt.date) -> User:
    user = UserFactory(username="dangmoi", full_name=person.full_name, person=person,
                       unit=person.unit, date_joined=clock.set(day, 8))
    RoleFactory(user=user, role="staff", unit=person.unit, include_subtree=False)
    return user


def test_self_entry_is_due_5_working_days_after_the_account_and_closes_on_submission(
    world, clock, settings
):
    settings.PROVINCE = "lai-chau"  # 2.2: "05 ngày làm việc, kể từ ngày ... cấp tài khoản"
    person = _newcomer(world, clock, D(2027, 1, 28))
    _account_for(person, clock, D(2027, 2, 1))
    (o,) = _obligations(SELF_ENTRY, person, on=D(2027, 2, 16))
    assert (o.start, o.due, o.state, o.late) == (D(2027, 2, 1), D(2027, 2, 15), "overdue", 1)
    assert _obligations(ACCOUNT_CREATION, person, on=D(2027, 2, 16)) == []


def test_the_person_and_once_overdue_their_hr_officer_are_reminded_to_enter_the_data(
    world, clock, settings
):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 1, 28))
    account = _account_for(person, clock, D(2027, 2, 1))
    sent = sweep(clock, D(2027, 2, 1), D(2027, 2, 16))
    key = f"self_entry:{person.pk}:"
    assert schedule(sent, recipient=account, key_part=key) == {
        D(2027, 2, 4): ["self_entry.due_soon"],
        D(2027, 2, 15): ["self_entry.due_today"],
        D(2027, 2, 16): ["self_entry.overdue"],
    }
    named = "Đặng Thị Mới (Phòng Tổ chức)"
    assert schedule(sent, recipient=world.actors["hr_officer"], text=named) == {
        D(2027, 2, 16): ["self_entry.missing"],
    }
    assert schedule(sent, recipient=world.actors["unit_admin"], text=named) == {}
    (missing,) = [n for n in sent[D(2027, 2, 16)] if n.kind == "self_entry.missing"
                  and n.recipient_id == world.actors["hr_officer"].pk]
    assert missing.message == (
        "Quá hạn tự nhập thông tin: 1 người chưa nhập thông tin hồ sơ, hạn sớm nhất ngày "
        "15/02/2027: Đặng Thị Mới (Phòng Tổ chức)."
    )
    assert missing.url == "/notifications/overdue/"


def test_a_submitted_change_request_ends_the_self_entry_reminders(world, clock, settings):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 1, 28))
    account = _account_for(person, clock, D(2027, 2, 1))
    submit_change(account, clock, D(2027, 2, 12))
    assert _obligations(SELF_ENTRY, person, on=D(2027, 2, 16)) == []
    sent = sweep(clock, D(2027, 2, 15), D(2027, 2, 16))
    assert schedule(sent, recipient=account, kind_prefix="self_entry.") == {}


def test_a_file_loaded_as_approved_has_nothing_to_enter_for_the_first_time(
    world, clock, settings
):
    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 1, 28))
    first_revision(person)  # Sở Nội vụ's initial load: no change request behind it
    _account_for(person, clock, D(2027, 2, 1))
    assert _obligations(SELF_ENTRY, person, on=D(2027, 2, 16)) == []


@pytest.mark.parametrize("province", ["can-tho", "lam-dong", "lai-chau", "vinh-phuc",
                                      "quang-nam"])
def test_the_sweep_runs_under_every_shipped_policy(world, clock, settings, province):
    settings.PROVINCE = province
    _newcomer(world, clock, D(2027, 2, 1))
    clock.set(D(2027, 2, 16), 7)
    counts = reminders.run()
    tracked = {ACCOUNT_CREATION, SELF_ENTRY} & set(get_policy().deadlines)
    # Vĩnh Phúc and Quảng Nam set neither deadline: the newcomer's file is not chased
    assert bool(counts) == bool(tracked) == (province in ("can-tho", "lam-dong", "lai-chau"))


# --- the tracked deadlines themselves ---------------------------------------------------


def test_each_obligation_keeps_when_it_was_met(world, clock, settings):
    """The rows keep the day each obligation was met, for the compliance figures."""
    from hoso.notifications import tracking
    from hoso.notifications.models import TrackedDeadline

    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 2, 1))
    tracking.sync()
    account = _account_for(person, clock, D(2027, 2, 16))  # a day late (due 15/02)
    submit_change(account, clock, D(2027, 2, 19))
    clock.set(D(2027, 2, 19), 18)
    tracking.sync()
    made = TrackedDeadline.objects.get(kind="account_creation", person=person)
    assert (made.due_on, made.closed_on, made.outcome) == (D(2027, 2, 15), D(2027, 2, 16), "met")
    entered = TrackedDeadline.objects.get(kind="self_entry", person=person)
    # 5 working days from 16/02: 17, 18, 19, 22, 23 — entered on time, 19/02
    assert (entered.due_on, entered.closed_on, entered.outcome) == (
        D(2027, 2, 23), D(2027, 2, 19), "met"
    )


def test_a_recruitment_approved_later_and_a_changed_policy_re_date_the_obligation(
    world, clock, settings
):
    from hoso.notifications import tracking
    from hoso.notifications.models import TrackedDeadline

    settings.PROVINCE = "can-tho"
    person = _newcomer(world, clock, D(2027, 1, 25))
    tracking.sync()
    row = TrackedDeadline.objects.get(kind="account_creation", person=person)
    assert (row.starts_on, row.due_on) == (D(2027, 1, 25), D(2027, 2, 1))
    clock.set(D(2027, 2, 1), 9)
    first_revision(
        person, recruitment_date="2027-02-01", current_unit_date="2027-02-01",
        salary_since="2027-02-01",
        salary_history=[{"month": "2027-02", "rank_code": "01.003", "salary_step": 3,
                         "salary_coefficient": "3.00"}],
    )
    assert tracking.sync()["redated"] == 1
    row.refresh_from_db()
    assert (row.starts_on, row.due_on) == (D(2027, 2, 1), D(2027, 2, 15))
    settings.PROVINCE = "lam-dong"  # 3 working days (Đ7.1): 02, 03, 04
    tracking.sync()
    row.refresh_from_db()
    assert (row.province, row.deadline_days, row.due_on) == ("lam-dong", 3, D(2027, 2, 4))


def test_the_sync_command_reports_and_rebuilds(world, clock, settings, capsys):
    from django.core.management import call_command

    from hoso.notifications.models import TrackedDeadline

    settings.PROVINCE = "can-tho"
    _newcomer(world, clock, D(2027, 2, 1))
    call_command("reminders", "sync")
    first = capsys.readouterr().out
    rows = TrackedDeadline.objects.count()
    assert first.startswith(f"Thời hạn được theo dõi: mở {rows}, đóng ")
    call_command("reminders", "sync")
    assert capsys.readouterr().out == (
        "Thời hạn được theo dõi: mở 0, đóng 0, tính lại hạn 0.\n"
    )
    call_command("reminders", "sync", "--rebuild")
    assert TrackedDeadline.objects.count() == rows
