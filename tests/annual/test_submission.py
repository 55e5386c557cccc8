"""Signing, submitting and compiling the annual report: units report by 15/01 (Vĩnh Phúc
Đ14.4, Lâm Đồng Đ13.9), Sở Nội vụ compiles and reports by 31/01 (Vĩnh Phúc Đ16.7); the
report is signed by the competent person then the agency (Vĩnh Phúc Đ9.4); a submitted
report never changes. Real keys (the signing tests' PKI), real PDFs, real verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import pytest
from django.db import DatabaseError, transaction

from hoso.accounts.models import RoleAssignment
from hoso.accounts.permissions import forget_scopes
from hoso.annual import deadlines, selectors, services
from hoso.annual.integrity import check_annual_reports
from hoso.annual.models import AnnualReport, Kind, Status
from hoso.core.errors import DomainError, PermissionDenied
from hoso.signing.integrity import check_signatures
from hoso.signing.models import Signature
from hoso.signing.pdf import verify_pdf

from ..reports.pdf import Pdf
from ..signing.conftest import PASSPHRASE
from . import province
from .province import YEAR, Spec, aware

WRONG = "không-phải-mật-khẩu"


def text(data: bytes) -> str:
    return " ".join(unicodedata.normalize("NFC", Pdf(data).all_text).split())


def sign(world, who="unit_head", unit=None, **kw) -> AnnualReport:
    return services.report_sign(actor=world.actors[who], kind=Kind.UNIT,
                                pk=(unit or world.in_unit).pk, year=YEAR, secret=PASSPHRASE, **kw)


def held_since(world, key: str, day: dt.date):
    """The actor, their role held since `day` (so that they act on a day in the past)."""
    user = world.actors[key]
    RoleAssignment.objects.filter(user=user).update(valid_from=day)
    forget_scopes(user)
    return user


def test_due_dates_are_calendar_dates_that_a_weekend_does_not_move():
    assert deadlines.unit_due(2025) == dt.date(2026, 1, 15)
    # 31/01/2026 is a Saturday, 15/01/2028 too: still the due dates (the regulations
    # name a day of the month, not a number of working days)
    assert deadlines.province_due(2025) == dt.date(2026, 1, 31)
    assert deadlines.province_due(2025).weekday() == 5
    assert deadlines.unit_due(2027) == dt.date(2028, 1, 15)
    assert deadlines.unit_due(2027).weekday() == 5
    assert deadlines.on_time(aware(2026, 1, 15, 23, 59), dt.date(2026, 1, 15))
    assert not deadlines.on_time(aware(2026, 1, 16, 0, 1), dt.date(2026, 1, 15))


def test_the_competent_person_signs_the_agency_completes_and_the_unit_submits_on_time(
        world, people, keys):
    report = sign(world, notes="Một số hồ sơ chưa cập nhật vị trí việc làm.")
    assert report.status == Status.AWAITING_AGENCY and report.agency == world.in_unit
    assert report.signed_by == world.actors["unit_head"] and report.due_date == dt.date(2026, 1, 15)
    assert report.figures["total"][0] == 7
    assert Signature.objects.for_subject(report).count() == 1

    report = services.report_agency_sign(actor=world.actors["hr_head"], pk=report.pk,
                                         secret=PASSPHRASE)
    assert report.status == Status.SIGNED and report.agency_signed_by == world.actors["hr_head"]
    officer = held_since(world, "hr_officer", dt.date(2025, 1, 1))
    with province.at(aware(2026, 1, 14, 10, 0)):
        report = services.report_submit(actor=officer, pk=report.pk)
    assert report.status == Status.SUBMITTED and report.on_time is True
    assert report.submitted_by == world.actors["hr_officer"]

    data = report.pdf_bytes
    assert hashlib.sha256(data).hexdigest() == report.pdf_sha256
    verified = verify_pdf(data)
    assert verified.ok and len(verified.signatures) == 2
    assert [s.signer for s in verified.signatures] == [
        world.actors["unit_head"].person.full_name, world.in_unit.name]
    shown = text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in shown
    assert "Độc lập - Tự do - Hạnh phúc" in shown
    assert "SỞ NỘI VỤ" in shown and "(Số liệu đến ngày 31/12/2025)" in shown
    assert "7 người" in shown
    assert "Một số hồ sơ chưa cập nhật vị trí việc làm." in shown
    assert report.figures_sha256 in shown
    assert check_annual_reports().ok and check_signatures().ok


def test_a_report_submitted_after_15_january_is_late(world, people, keys):
    report = sign(world, with_agency=True, agency_secret=PASSPHRASE)
    assert report.status == Status.SIGNED
    assert Signature.objects.for_subject(report).count() == 2
    head = held_since(world, "unit_head", dt.date(2025, 1, 1))
    with province.at(aware(2026, 1, 16, 8, 0)):
        report = services.report_submit(actor=head, pk=report.pk)
    assert report.on_time is False
    _root, statuses = selectors.submissions(user=world.actors["province_admin"], year=YEAR)
    states = {s.unit.pk: s.state for s in statuses}
    assert states == {world.in_unit.pk: "submitted_late", world.out_unit.pk: "late",
                      world.commune.pk: "late"}


def test_a_submitted_report_never_changes(world, people, keys):
    report = sign(world, with_agency=True, agency_secret=PASSPHRASE)
    report = services.report_submit(actor=world.actors["hr_officer"], pk=report.pk)
    report.discard_reason = "sửa"
    with pytest.raises(TypeError):
        report.save()
    with pytest.raises(TypeError):
        report.delete()
    # around the model, the database refuses
    for attempt in (
        lambda: AnnualReport.objects.filter(pk=report.pk).update(status=Status.DISCARDED),
        lambda: AnnualReport.objects.filter(pk=report.pk)._raw_delete(
            AnnualReport.objects.db),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    with pytest.raises(DomainError):
        services.report_discard(actor=world.actors["unit_head"], pk=report.pk, reason="sai")
    with pytest.raises(DomainError):
        services.report_submit(actor=world.actors["unit_head"], pk=report.pk)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_a_report_is_signed_once_a_year_is_over_and_again_only_after_a_discard(
        world, people, keys):
    with pytest.raises(DomainError) as not_over:
        services.report_sign(actor=world.actors["unit_head"], kind=Kind.UNIT,
                             pk=world.in_unit.pk, year=2026, secret=PASSPHRASE)
    assert not_over.value.code == "year_not_over"
    assert "01/01/2027" in str(not_over.value.message)
    first = sign(world)
    with pytest.raises(DomainError) as twice:
        sign(world)
    assert twice.value.code == "exists"
    with pytest.raises(DomainError) as no_reason:
        services.report_discard(actor=world.actors["unit_head"], pk=first.pk, reason=" ")
    assert no_reason.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.report_discard(actor=world.actors["hr_officer"], pk=first.pk, reason="sai")
    services.report_discard(actor=world.actors["unit_head"], pk=first.pk,
                            reason="Thiếu hồ sơ của Phòng Tổ chức")
    second = sign(world)
    assert second.pk != first.pk
    assert list(AnnualReport.objects.filter(unit=world.in_unit, year=YEAR)
                .values_list("status", flat=True).order_by("pk")) == [
        Status.DISCARDED, Status.AWAITING_AGENCY]


def test_only_the_competent_person_of_a_reporting_unit_signs(world, people, keys):
    with pytest.raises(PermissionDenied):
        sign(world, who="hr_officer")
    with pytest.raises(DomainError) as division:
        sign(world, unit=world.in_child)
    assert division.value.code == "not_reporting"
    # the chairman signs for the commune, with its key in one step
    report = sign(world, who="chairman", unit=world.commune, with_agency=True,
                  agency_secret=PASSPHRASE)
    assert report.agency == world.commune and report.figures["total"][0] == 5
    assert AnnualReport.objects.count() == 1


def test_a_wrong_passphrase_stores_nothing(world, people, keys):
    with pytest.raises(DomainError):
        services.report_sign(actor=world.actors["unit_head"], kind=Kind.UNIT,
                             pk=world.in_unit.pk, year=YEAR, secret=WRONG)
    assert AnnualReport.objects.count() == 0 and Signature.objects.count() == 0


def test_the_figures_are_frozen_when_the_competent_person_signs(world, people, keys):
    report = sign(world)
    province.make(world, Spec("in_unit", rank="01.003"), approved_at=aware(2025, 8, 1))
    live = selectors.unit_figures(user=world.actors["hr_officer"], unit=world.in_unit,
                                  year=YEAR)
    assert live.total[0] == 8
    report = services.report_agency_sign(actor=world.actors["hr_head"], pk=report.pk,
                                         secret=PASSPHRASE)
    view = selectors.unit_report_view(user=world.actors["hr_officer"], pk=world.in_unit.pk,
                                      year=YEAR)
    assert view.report == report and view.figures.total[0] == 7
    assert "7 người" in text(report.pdf_bytes)


def test_the_province_adds_the_submitted_figures_and_flags_the_units_that_have_not(
        world, people, keys):
    report = sign(world, with_agency=True, agency_secret=PASSPHRASE)
    services.report_submit(actor=world.actors["hr_officer"], pk=report.pk)
    # approved after the unit submitted: the province keeps the unit's figures
    province.make(world, Spec("in_unit", rank="01.003"), approved_at=aware(2025, 8, 1))
    approver = world.actors["province_approver"]
    figures = selectors.province_figures(user=approver, root=world.root, year=YEAR)
    lines = {line.unit_id: (line.status, line.values[0]) for line in figures.units}
    assert lines == {world.in_unit.pk: ("submitted", 7),
                     world.out_unit.pk: ("not_submitted", 6),
                     world.commune.pk: ("not_submitted", 5)}
    assert figures.total[0] == 18
    for table in figures.tables:
        summed = [0] * len(table.total)
        for row in table.rows:
            if not row.subtotal:
                summed = [a + b for a, b in zip(summed, row.values, strict=True)]
        assert summed == table.total
    assert figures.table("category").total == figures.total

    compiled = services.report_sign(actor=approver, kind=Kind.PROVINCE, year=YEAR,
                                    secret=PASSPHRASE, with_agency=True,
                                    agency_secret=PASSPHRASE)
    assert compiled.unit == world.root and compiled.agency == world.in_unit
    assert compiled.due_date == dt.date(2026, 1, 31)
    compiled = services.report_submit(actor=approver, pk=compiled.pk)
    assert compiled.status == Status.SUBMITTED
    shown = text(compiled.pdf_bytes)
    assert "Kính gửi: Bộ Nội vụ." in shown
    assert "18 người" in shown
    assert "chưa gửi báo cáo" in shown
    assert verify_pdf(compiled.pdf_bytes).ok
    # units see their own reports, not the province's
    with pytest.raises(PermissionDenied):
        services.report_sign(actor=world.actors["unit_head"], kind=Kind.PROVINCE, year=YEAR,
                             secret=PASSPHRASE)


def test_hoso_audit_verify_catches_a_report_changed_behind_its_back(world, people, keys):
    report = sign(world)
    assert check_annual_reports().ok
    figures = dict(report.figures, total=[99] + report.figures["total"][1:])
    AnnualReport.objects.filter(pk=report.pk).update(figures=figures)
    result = check_annual_reports()
    assert not result.ok and result.problem == "annual_figures_changed"
    assert result.broken_seq == report.pk
