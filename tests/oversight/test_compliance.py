"""The compliance dashboard: per agency and month, review steps decided on time and
late, overdue, files incomplete, revisions approved, the median working days per step.

Cần Thơ 641/QĐ-UBND Đ11.4 (monthly monitoring by the heads of agencies), Đ13.5 and
Quảng Nam Đ16.4 (the yearly administrative-reform ranking). Every expectation is
counted by hand from the steps below, in March 2026 under Cần Thơ's calendar
(March 2026 has no public holiday: working days are Monday to Friday).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from hoso.audit.models import AccessLog
from hoso.core.errors import PermissionDenied
from hoso.oversight import compliance
from hoso.workflow.models import ChangeRequest, ReviewStep

from ..audit.tampering import triggers_off
from ..clients import client_for
from .conftest import approve

LABELS = {"hr_check": "HR officer checks the data", "hr_head": "Head of HR checks the data",
          "unit_head": "Head of the unit approves and signs"}
NUMBERS = {"hr_check": 1, "hr_head": 2, "unit_head": 3}


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def step(person, unit, key, *, started, due, decided=None, status="approved"):
    cr = ChangeRequest(person=person, category=person.category, status="in_review",
                       policy="can-tho")
    cr.document = {}
    cr.save()
    return ReviewStep.objects.create(
        change_request=cr, number=NUMBERS[key], key=key, label=LABELS[key],
        role="hr_officer", unit=unit, status=status, started_at=at(started),
        due_date=dt.date.fromisoformat(due), decided_at=at(decided, 15) if decided else None,
    )


@pytest.fixture
def steps(world, province):
    """March 2026 in Cần Thơ (working days: 2–6, 9–13, 16–20, 23–27, 30–31)."""
    province("can-tho")
    p_in, p_child, p_out = (world.people[k] for k in ("in", "in_child", "out"))
    return [
        # Sở Nội vụ: on time, 4 working days (3, 4, 5, 6 March)
        step(p_in, world.in_unit, "hr_check", started="2026-03-02", due="2026-03-09",
             decided="2026-03-06"),
        # Sở Nội vụ: late (due 13/3, decided 16/3), 6 working days (9–13, 16)
        step(p_in, world.in_unit, "hr_head", started="2026-03-06", due="2026-03-13",
             decided="2026-03-16", status="returned"),
        # its division counts for Sở Nội vụ: on its due date is on time, 5 working days
        step(p_child, world.in_child, "hr_check", started="2026-03-10", due="2026-03-17",
             decided="2026-03-17"),
        # Sở Y tế: late by a day, 11 working days (17–20, 23–27, 30, 31)
        step(p_out, world.out_unit, "unit_head", started="2026-03-16", due="2026-03-30",
             decided="2026-03-31"),
        # Sở Nội vụ: due 20/3, decided only on 2/4: overdue at the end of March, and
        # counted in April's steps, not March's
        step(p_in, world.in_unit, "hr_head", started="2026-03-13", due="2026-03-20",
             decided="2026-04-02"),
        # Sở Nội vụ: still waiting for its decision, due 27/3: overdue then and now
        step(p_child, world.in_unit, "unit_head", started="2026-03-25", due="2026-03-27",
             status="active"),
        # Sở Y tế: active but due 10/4: not overdue at the end of March
        step(p_out, world.out_unit, "hr_check", started="2026-03-30", due="2026-04-10",
             status="active"),
        # cancelled (its request withdrawn): counts nowhere
        step(p_out, world.out_unit, "hr_check", started="2026-03-02", due="2026-03-05",
             status="cancelled"),
    ]


def _by_code(board):
    return {f.unit.code: f for f in board.rows}


def test_steps_on_time_late_and_overdue_per_agency(world, steps):
    board = compliance.dashboard(user=world.actors["province_approver"], year=2026, month=3)
    assert board.reference == dt.date(2026, 3, 31) and not board.current
    rows = _by_code(board)
    sni, syt = rows[world.in_unit.code], rows[world.out_unit.code]
    assert (sni.handled, sni.on_time, sni.late, sni.overdue) == (3, 2, 1, 2)
    assert sni.on_time_rate == 66.7
    assert (syt.handled, syt.on_time, syt.late, syt.overdue) == (1, 0, 1, 0)
    assert syt.on_time_rate == 0.0
    total = board.total
    assert (total.handled, total.on_time, total.late, total.overdue) == (4, 2, 2, 2)
    # no row of its own for the division (Phòng Tổ chức counts in Sở Nội vụ)
    assert world.in_child.code not in rows


def test_median_working_days_per_step(world, steps):
    board = compliance.dashboard(user=world.actors["province_admin"], year=2026, month=3)
    assert [key for key, _label in board.step_keys] == ["hr_check", "hr_head", "unit_head"]
    # the policy's labels, in Vietnamese (core's catalog)
    assert board.step_keys[0][1] == "Công chức tổ chức cán bộ rà soát, kiểm tra"
    rows = _by_code(board)
    sni, syt = rows[world.in_unit.code], rows[world.out_unit.code]
    assert sni.median("hr_check") == 4.5  # 4 and 5 working days
    assert sni.median("hr_head") == 6.0
    assert sni.median("unit_head") is None
    assert syt.median("unit_head") == 11.0
    assert board.total.median("hr_check") == 4.5


def test_a_step_decided_in_april_counts_in_april(world, steps):
    board = compliance.dashboard(user=world.actors["province_approver"], year=2026, month=4)
    sni = _by_code(board)[world.in_unit.code]
    assert (sni.handled, sni.late) == (1, 1)  # due 20/3, decided 2/4
    assert sni.median("hr_head") == 14.0  # 16–20, 23–27, 30, 31 March, 1, 2 April


def test_the_whole_year_for_the_ranking(world, steps):
    board = compliance.dashboard(user=world.actors["province_approver"], year=2026, month=None)
    assert board.period.label in ("year 2026", "năm 2026")
    assert (board.total.handled, board.total.on_time, board.total.late) == (5, 2, 3)


def test_overdue_now_in_the_current_month(world, province):
    province("can-tho")
    today = timezone.localdate()
    p_in = world.people["in"]
    started = (today - dt.timedelta(days=10)).isoformat()
    step(p_in, world.in_unit, "hr_check", started=started,
         due=(today - dt.timedelta(days=1)).isoformat(), status="active")  # overdue today
    step(p_in, world.in_unit, "hr_head", started=started, due=today.isoformat(),
         status="active")  # due today: not yet overdue
    board = compliance.dashboard(user=world.actors["province_approver"], year=today.year,
                                 month=today.month)
    assert board.current and board.reference == today
    assert _by_code(board)[world.in_unit.code].overdue == 1


def test_files_incomplete_and_revisions_approved(world, province):
    province("can-tho")
    approve(world.people["in"], at=at("2026-09-10"))
    approve(world.people["out"], at=at("2026-09-05"))
    approve(world.people["out"], at=at("2026-09-20"), phone="0912345678")
    board = compliance.dashboard(user=world.actors["province_approver"], year=2026, month=9)
    rows = _by_code(board)
    sni, syt = rows[world.in_unit.code], rows[world.out_unit.code]
    # Sở Nội vụ: "in", "in_child" and the seven actors of the unit (the division's one
    # counted in its agency); only "in" has an approved file
    assert (sni.people, sni.without_file, sni.incomplete) == (9, 8, 8)
    assert sni.complete_rate == 11.1 and sni.updates == 1
    assert (syt.people, syt.without_file, syt.incomplete, syt.updates) == (1, 0, 0, 2)
    assert syt.complete_rate == 100.0
    october = _by_code(compliance.dashboard(user=world.actors["province_approver"],
                                            year=2026, month=10))
    assert october[world.out_unit.code].updates == 0


def test_a_file_approved_under_an_older_form_missing_a_field_is_incomplete(world, province):
    province("can-tho")
    revision = approve(world.people["out"])
    public = {k: v for k, v in revision.public.items() if k != "ethnicity"}
    import json

    from django.db import connection

    with triggers_off("records_revision"), connection.cursor() as c:
        c.execute("UPDATE records_revision SET schema_version = %s, public = %s WHERE id = %s",
                  ["2019.1", json.dumps(public), revision.pk])
        board = compliance.dashboard(user=world.actors["province_approver"], year=2026,
                                     month=3)
    syt = _by_code(board)[world.out_unit.code]
    assert (syt.people, syt.without_file, syt.incomplete) == (1, 0, 1)


def test_a_head_of_unit_sees_their_sub_tree_only(world, steps):
    board = compliance.dashboard(user=world.actors["unit_head"], year=2026, month=3)
    assert [f.unit.code for f in board.rows] == [world.in_unit.code]
    assert board.total.handled == 3 and board.province_batch is None
    chairman = compliance.dashboard(user=world.actors["chairman"], year=2026, month=3)
    assert [f.unit.code for f in chairman.rows] == [world.commune.code]
    with pytest.raises(PermissionDenied):
        compliance.dashboard(user=world.actors["unit_head"], year=2026, month=3,
                             unit=world.out_unit)


@pytest.mark.parametrize("key", ["staff", "hr_officer", "unit_admin", "auditor", "expired",
                                 "revoked"])
def test_who_holds_no_approval_role_sees_no_figures(world, key):
    with pytest.raises(PermissionDenied):
        compliance.dashboard(user=world.actors[key], year=2026, month=3)


def test_one_units_sub_tree(world, steps):
    board = compliance.dashboard(user=world.actors["province_approver"], year=2026, month=3,
                                 unit=world.out_unit)
    assert [f.unit.code for f in board.rows] == [world.out_unit.code]


# --- page, export, API ---------------------------------------------------------------


def test_dashboard_page_shows_the_table(world, steps):
    client = client_for(world.actors["province_approver"])
    page = client.get(reverse("oversight:compliance"), {"year": 2026, "month": 3})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sở Nội vụ" in html and "Sở Y tế" in html
    assert "66,7" in html  # Vietnamese decimals
    assert "31/03/2026" in html


def test_dashboard_page_refuses_a_bad_month_clearly(world, steps):
    client = client_for(world.actors["province_approver"])
    page = client.get(reverse("oversight:compliance"), {"year": 2026, "month": 13})
    assert page.status_code == 200
    assert "Tháng" in page.content.decode() and "errors" in page.content.decode()


def test_csv_export_has_the_figures_and_leaves_an_access_row(world, steps):
    client = client_for(world.actors["province_approver"])
    response = client.get(reverse("oversight:compliance_export"),
                          {"year": 2026, "month": 3, "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, by_code = rows[0], {r[1]: r for r in rows[1:]}
    assert header[0] == "Cơ quan, đơn vị"
    sni = by_code[world.in_unit.code]
    assert sni[header.index("Đúng hạn")] == "2" and sni[header.index("Trễ hạn")] == "1"
    assert rows[-1][0] == "Tổng cộng"
    assert AccessLog.objects.filter(action="export", detail__what="compliance").exists()


def test_xlsx_export_opens(world, steps):
    from openpyxl import load_workbook

    client = client_for(world.actors["unit_head"])
    response = client.get(reverse("oversight:compliance_export"),
                          {"year": 2026, "month": 3, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row and row[0] == "Sở Nội vụ" for row in values)


def test_api_gives_the_same_figures(world, steps):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.actors["province_approver"])
    response = client.get("/api/v1/oversight/compliance/", {"year": 2026, "month": 3})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == "2026-03" and body["reference"] == "2026-03-31"
    sni = next(u for u in body["units"] if u["code"] == world.in_unit.code)
    assert (sni["on_time"], sni["late"], sni["overdue"]) == (2, 1, 2)
    assert sni["median_days"] == {"hr_check": 4.5, "hr_head": 6.0, "unit_head": None}
    assert body["total"]["handled"] == 4
    bad = client.get("/api/v1/oversight/compliance/", {"year": 2026, "month": 13})
    assert bad.status_code == 400 and "month" in bad.json()
