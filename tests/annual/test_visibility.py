"""Who sees which annual report, and from which people its figures are counted: every
figure comes from `Person.objects.visible_to(user, "person.export")` (DESIGN principle
1); a unit's report is for whoever may export the files of its whole sub-tree."""

from __future__ import annotations

import pytest

from hoso.accounts.permissions import SYSTEM
from hoso.accounts.roles import Role
from hoso.annual import selectors
from hoso.core.errors import NotFound, PermissionDenied

from ..factories import RoleFactory, UserFactory
from . import province
from .province import YEAR, Spec, aware


def total(figures) -> int:
    return figures.total[0]


def test_a_unit_reads_its_own_sub_tree_and_nothing_else(world, people):
    officer = world.actors["hr_officer"]  # HR officer of Sở Nội vụ
    assert total(selectors.unit_report_view(user=officer, pk=world.in_unit.pk,
                                            year=YEAR).figures) == 7
    assert total(selectors.unit_report_view(user=officer, pk=world.in_child.pk,
                                            year=YEAR).figures) == 2
    with pytest.raises(NotFound):
        selectors.unit_report_view(user=officer, pk=world.out_unit.pk, year=YEAR)
    with pytest.raises(PermissionDenied):  # they see the province's root, not its files
        selectors.province_report_view(user=officer, year=YEAR)
    chairman = world.actors["chairman"]
    assert total(selectors.unit_report_view(user=chairman, pk=world.commune.pk,
                                            year=YEAR).figures) == 5
    with pytest.raises(NotFound):
        selectors.unit_report_view(user=chairman, pk=world.in_unit.pk, year=YEAR)
    assert [u for u, _r in selectors.my_units(user=chairman, year=YEAR)] == [world.commune]


def test_roles_without_the_export_right_get_no_report(world, people):
    for key in ("unit_admin", "staff", "auditor", "expired", "revoked"):
        with pytest.raises((NotFound, PermissionDenied)):
            selectors.unit_report_view(user=world.actors[key], pk=world.in_unit.pk, year=YEAR)
        assert selectors.my_units(user=world.actors[key], year=YEAR) == []


def test_a_reader_of_part_of_a_unit_gets_that_part_only(world, people):
    """An HR officer of the Phòng alone reports for the Phòng; the agency's report, which
    would count people they may not see, is not theirs."""
    clerk = UserFactory(username="phong.tccb", unit=world.in_child)
    RoleFactory(user=clerk, role=Role.HR_OFFICER, unit=world.in_child)
    assert total(selectors.unit_report_view(user=clerk, pk=world.in_child.pk,
                                            year=YEAR).figures) == 2
    with pytest.raises(NotFound):
        selectors.unit_report_view(user=clerk, pk=world.in_unit.pk, year=YEAR)
    assert selectors.my_units(user=clerk, year=YEAR) == []  # the Phòng does not report


def test_the_figures_are_bounded_by_what_the_reader_may_see_today(world, people):
    """Someone who left Sở Nội vụ for Sở Y tế in January was Sở Nội vụ's on 31/12; the
    province counts them there, Sở Nội vụ's officer no longer sees them and does not."""
    mover = province.make(world, Spec("in_unit", rank="01.003"))
    with province.at(aware(2026, 1, 8)):
        mover.unit = world.out_unit
        mover.save()
    officer = world.actors["hr_officer"]
    assert total(selectors.unit_figures(user=SYSTEM, unit=world.in_unit, year=YEAR)) == 8
    assert total(selectors.unit_figures(user=world.actors["province_admin"],
                                        unit=world.in_unit, year=YEAR)) == 8
    assert total(selectors.unit_figures(user=officer, unit=world.in_unit, year=YEAR)) == 7


def test_a_report_is_opened_by_whoever_may_read_its_unit(world, people, keys):
    from hoso.annual.models import Kind
    from hoso.annual.services import report_sign

    from ..signing.conftest import PASSPHRASE

    report = report_sign(actor=world.actors["chairman"], kind=Kind.UNIT,
                         pk=world.commune.pk, year=YEAR, secret=PASSPHRASE)
    assert selectors.report_get(user=world.actors["province_approver"], pk=report.pk) == report
    with pytest.raises(NotFound):
        selectors.report_get(user=world.actors["hr_officer"], pk=report.pk)
    assert selectors.report_list(user=world.actors["hr_officer"]) == []
    assert selectors.report_list(user=world.actors["chairman"]) == [report]
