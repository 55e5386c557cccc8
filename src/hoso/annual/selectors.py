"""Reads of the annual report, through the one permission path.

Every figure is counted from `Person.objects.visible_to(user, "person.export")`
(`headcount`), and a report is only offered to whoever holds that action on the whole
sub-tree of its unit (`permissions.covering_scope`): the report of an agency includes
its subordinate units (Quảng Nam Đ11.1), so a reader who sees part of it would sign
part of it. Exporting (`person.export`) is held by the HR officer, the head of HR, the
head of unit, the chairman and Sở Nội vụ's roles; the unit administrator (accounts) and
the auditor have no business with it. The province's overview and its compiled report
are for whoever holds it on the province's root (Sở Nội vụ).

Reading the figures, and every workbook or PDF made of them, leaves an access row (one
per report: the counts name nobody, but they are counted from restricted data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import can, covering_scope
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound, PermissionDenied
from hoso.org.models import OrgUnit
from hoso.records.models import Person

from . import deadlines, headcount, layout
from .figures import build_tables, make_figures
from .models import AnnualReport, Kind, Status

ACTION = Action.PERSON_EXPORT


def _visible(user):
    return Person.objects.visible_to(user, ACTION)


def may_report(user, unit: OrgUnit) -> bool:
    return covering_scope(user, ACTION, unit, subtree=True) is not None


def report_unit(*, user, pk) -> OrgUnit:
    """A unit whose report `user` may read; NotFound for a unit they cannot see at
    all, PermissionDenied for one they see but may not report on."""
    try:
        unit = OrgUnit.objects.get(pk=int(pk))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such unit.")) from None
    if may_report(user, unit):
        return unit
    if can(user, Action.ORG_VIEW, unit):
        raise PermissionDenied(_(
            "The annual report of a unit is for those who may export the files of the "
            "whole unit: its HR officer, head of HR, head, and the Department of Home "
            "Affairs."))
    raise NotFound(_("No such unit."))


def is_reporting_unit(unit: OrgUnit) -> bool:
    """The agencies right under the province's root report to it (`headcount.
    reporting_units`)."""
    return unit.depth == 1


def roots() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))


def province_root(*, user, code: str = "") -> OrgUnit:
    """The province (a root of the tree) whose report `user` may compile: the one
    named by `code`, else the first they cover."""
    candidates = roots()
    if code:
        candidates = [u for u in candidates if u.code == code]
    for root in candidates:
        if may_report(user, root):
            return root
    if code or not candidates:
        raise NotFound(_("No such province."))
    raise PermissionDenied(_(
        "The province's report is for the Department of Home Affairs: those who may "
        "export the files of the whole province."))


def root_of(unit: OrgUnit) -> OrgUnit:
    return unit if unit.parent_id is None else unit.ancestors().first()


def _log(action: str, unit: OrgUnit, year: int, **detail) -> None:
    log_access(action=action, obj=unit, detail={"what": "annual_report", "year": year,
                                                 **detail})


# --- figures ------------------------------------------------------------------------


def unit_figures(*, user, unit: OrgUnit, year: int, party: bool = True) -> layout.Figures:
    """The live figures of `unit`'s sub-tree as of 31/12 of `year` (or now, while the
    year runs), counted from what `user` may see. Callers check `report_unit` first."""
    moment = deadlines.as_of(year)
    counts = headcount.count(
        visible=_visible(user), scope=headcount.Scope(subtrees=(unit.path,)), moment=moment,
        party=party,
    )
    return make_figures(kind=Kind.UNIT, year=year, day=timezone.localdate(moment),
                        preview=not deadlines.year_over(year), unit=unit, counts=counts)


def submitted_reports(*, year: int, units) -> dict[int, AnnualReport]:
    return {
        r.unit_id: r for r in AnnualReport.objects.filter(
            kind=Kind.UNIT, year=year, unit__in=list(units), status=Status.SUBMITTED)
    }


def province_figures(*, user, root: OrgUnit, year: int, party: bool = True) -> layout.Figures:
    """The province's report: each reporting unit's frozen figures if it has submitted
    its report, else its figures counted now (flagged as not submitted), and the people
    placed right under the province's root; all counted in one pass."""
    moment = deadlines.as_of(year)
    day = timezone.localdate(moment)
    units = headcount.reporting_units(root, day)
    submitted = submitted_reports(year=year, units=units)
    live = [u for u in units if u.pk not in submitted]
    # nobody submitted yet: the whole tree (people of a unit that no longer reports have
    # no line and are left out either way)
    scope = headcount.Scope(subtrees=(root.path,)) if not submitted else headcount.Scope(
        subtrees=tuple(u.path for u in live), exact=(root.path,))
    counts = headcount.count(
        visible=_visible(user), scope=scope, moment=moment,
        prefix_len=headcount.REPORTING_PREFIX, party=party,
    )
    by_prefix = counts.by_prefix()
    lines: list[layout.UnitLine] = []
    all_tables: list[list[layout.Table]] = []
    not_approved = 0
    direct = by_prefix.get(root.path)
    if direct is not None and direct.groups:
        tables = build_tables(direct.groups, day)
        all_tables.append(tables)
        lines.append(layout.UnitLine(
            unit_id=root.pk, code=root.code, name=root.name,
            values=tables[0].total, status="direct"))
    not_approved += direct.not_approved.get("", 0) if direct is not None else 0
    for unit in units:
        report = submitted.get(unit.pk)
        if report is not None:
            frozen = layout.Figures.from_json(report.figures)
            all_tables.append(frozen.tables)
            not_approved += frozen.not_approved
            lines.append(layout.UnitLine(
                unit_id=unit.pk, code=unit.code, name=unit.name, values=frozen.total,
                status="submitted", report_id=report.pk,
                figures_sha256=report.figures_sha256,
                submitted_at=timezone.localtime(report.submitted_at).isoformat(),
                on_time=report.on_time))
            continue
        mine = by_prefix.get(unit.path)
        groups = mine.groups if mine is not None else {}
        not_approved += mine.not_approved.get("", 0) if mine is not None else 0
        tables = build_tables(groups, day)
        all_tables.append(tables)
        lines.append(layout.UnitLine(
            unit_id=unit.pk, code=unit.code, name=unit.name,
            values=tables[0].total, status="not_submitted"))
    merged = layout.merge_tables(all_tables) if all_tables else build_tables({}, day)
    counts_total = headcount.Counts()
    counts_total.not_approved[""] = not_approved
    return make_figures(kind=Kind.PROVINCE, year=year, day=day,
                        preview=not deadlines.year_over(year), unit=root,
                        counts=counts_total, units=lines, tables=merged)


# --- pages and the API ----------------------------------------------------------------


def current_report(*, kind: str, unit: OrgUnit, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.current().filter(kind=kind, unit=unit, year=year)
        .select_related("unit", "agency", "signed_by", "agency_signed_by", "submitted_by")
        .first()
    )


@dataclass
class ReportView:
    """What the report's page shows and offers."""

    kind: str
    unit: OrgUnit
    year: int
    due: dt.date
    figures: layout.Figures
    report: AnnualReport | None
    reporting: bool  # a unit that submits (or the province)
    may_sign: bool = False
    may_agency: bool = False
    may_submit: bool = False
    may_discard: bool = False
    discarded: list[AnnualReport] = field(default_factory=list)

    @property
    def preview(self) -> bool:
        return self.figures.preview

    @property
    def overdue(self) -> bool:
        return (self.reporting and (self.report is None or not self.report.submitted)
                and timezone.localdate() > self.due)


def competent(user, kind: str, unit: OrgUnit) -> bool:
    """Who signs the report as the competent person: whoever approves the unit's data
    (head of unit, chairman, head of HR, the province's approvers) — for the province's
    report, whoever approves the province's data (Vĩnh Phúc Đ8.2, Đ16.7)."""
    if kind == Kind.PROVINCE:
        return can(user, Action.PROVINCE_APPROVE)
    return can(user, Action.PERSON_APPROVE, unit)


def _offers(view: ReportView, user) -> ReportView:
    from hoso.signing.services import may_sign_for

    report = view.report
    over = deadlines.year_over(view.year)
    is_competent = competent(user, view.kind, view.unit)
    view.may_sign = view.reporting and over and report is None and is_competent
    if report is not None:
        view.may_agency = (report.status == Status.AWAITING_AGENCY
                           and may_sign_for(user, report.agency))
        view.may_submit = report.status == Status.SIGNED
        view.may_discard = report.status in (Status.AWAITING_AGENCY, Status.SIGNED) \
            and is_competent
    return view


def unit_report_view(*, user, pk, year, log: bool = True) -> ReportView:
    unit = report_unit(user=user, pk=pk)
    year = deadlines.check_year(year)
    report = current_report(kind=Kind.UNIT, unit=unit, year=year)
    if report is not None:
        figures = layout.Figures.from_json(report.figures)
    else:
        figures = unit_figures(user=user, unit=unit, year=year)
    view = ReportView(
        kind=Kind.UNIT, unit=unit, year=year, due=deadlines.unit_due(year), figures=figures,
        report=report, reporting=is_reporting_unit(unit),
        discarded=list(AnnualReport.objects.filter(
            kind=Kind.UNIT, unit=unit, year=year, status=Status.DISCARDED)),
    )
    if log:
        _log("view", unit, year, kind="unit", report=report.pk if report else None)
    return _offers(view, user)


def province_report_view(*, user, year, code: str = "", log: bool = True) -> ReportView:
    root = province_root(user=user, code=code)
    year = deadlines.check_year(year)
    report = current_report(kind=Kind.PROVINCE, unit=root, year=year)
    if report is not None:
        figures = layout.Figures.from_json(report.figures)
    else:
        figures = province_figures(user=user, root=root, year=year)
    view = ReportView(
        kind=Kind.PROVINCE, unit=root, year=year, due=deadlines.province_due(year),
        figures=figures, report=report, reporting=True,
        discarded=list(AnnualReport.objects.filter(
            kind=Kind.PROVINCE, unit=root, year=year, status=Status.DISCARDED)),
    )
    if log:
        _log("view", root, year, kind="province", report=report.pk if report else None)
    return _offers(view, user)


@dataclass
class UnitStatus:
    """One reporting unit on Sở Nội vụ's overview."""

    unit: OrgUnit
    report: AnnualReport | None
    due: dt.date

    @property
    def state(self) -> str:
        if self.report is None:
            return "late" if timezone.localdate() > self.due else "not_started"
        if self.report.submitted:
            return "submitted" if self.report.on_time else "submitted_late"
        return "late" if timezone.localdate() > self.due else self.report.status


def submissions(*, user, year, code: str = "") -> tuple[OrgUnit, list[UnitStatus]]:
    """Which reporting units have submitted their report for `year` (and which are
    late): Sở Nội vụ's overview (Vĩnh Phúc Đ16.7)."""
    root = province_root(user=user, code=code)
    year = deadlines.check_year(year)
    day = timezone.localdate(deadlines.as_of(year))
    units = headcount.reporting_units(root, day)
    reports = {
        r.unit_id: r for r in AnnualReport.objects.current()
        .filter(kind=Kind.UNIT, year=year, unit__in=units)
        .select_related("submitted_by", "signed_by")
    }
    due = deadlines.unit_due(year)
    return root, [UnitStatus(u, reports.get(u.pk), due) for u in units]


def my_units(*, user, year: int) -> list[tuple[OrgUnit, AnnualReport | None]]:
    """The reporting units `user` may report for, with their current report."""
    day = timezone.localdate(deadlines.as_of(year))
    units = [
        u for u in OrgUnit.objects.filter(depth=1).active_on(day).order_by("path")
        if may_report(user, u)
    ]
    reports = {
        r.unit_id: r for r in AnnualReport.objects.current()
        .filter(kind=Kind.UNIT, year=year, unit__in=units)
    }
    return [(u, reports.get(u.pk)) for u in units]


def may_compile(user) -> bool:
    return any(may_report(user, root) for root in roots())


def report_get(*, user, pk) -> AnnualReport:
    """A signed report `user` may open (that of a unit, or the province's)."""
    try:
        report = AnnualReport.objects.select_related("unit", "agency").get(pk=int(pk))
    except (AnnualReport.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such report.")) from None
    if not may_report(user, report.unit):
        raise NotFound(_("No such report."))
    return report


def report_pdf(*, user, pk) -> AnnualReport:
    report = report_get(user=user, pk=pk)
    _log("export", report.unit, report.year, kind=report.kind, report=report.pk,
         format="pdf", sha256=report.pdf_sha256)
    return report


def report_list(*, user, year: int | None = None):
    """The signed reports `user` may open, newest first."""
    qs = AnnualReport.objects.select_related("unit", "agency").order_by("-year", "unit__path",
                                                                        "-signed_at")
    if year is not None:
        qs = qs.filter(year=year)
    return [r for r in qs if may_report(user, r.unit)]


def export_figures(*, user, kind: str, pk=None, year, code: str = "",
                   fmt: str) -> tuple[OrgUnit, layout.Figures, AnnualReport | None]:
    """The figures a workbook or a draft PDF is made of (a signed report's frozen
    ones, else counted now), with the access row of the export."""
    if fmt not in ("xlsx", "pdf"):
        raise DomainError(_("The format must be xlsx or pdf."), field="fmt", code="format")
    if kind == Kind.PROVINCE:
        view = province_report_view(user=user, year=year, code=code, log=False)
    else:
        view = unit_report_view(user=user, pk=pk, year=year, log=False)
    _log("export", view.unit, view.year, kind=kind, format=fmt,
         report=view.report.pk if view.report else None)
    return view.unit, view.figures, view.report
