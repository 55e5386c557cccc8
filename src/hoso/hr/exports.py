"""The HR lists as tables for `search.exports.table_response`: Vietnamese headers,
one row per person (per problem, for the files with problems), dates as dates."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import add_months
from .raises import Kind


def age_text(retirement) -> str:
    years, months = retirement.age
    if not months:
        return _("%(years)d years") % {"years": years}
    return _("%(years)d years %(months)d months") % {"years": years, "months": months}


def _scope(filters: dict) -> str:
    parts = []
    if filters.get("unit") is not None:
        parts.append(filters["unit"].name)
    if filters.get("category"):
        from hoso.records.models import StaffCategory

        parts.append(str(StaffCategory(filters["category"]).label))
    return f" — {'; '.join(parts)}" if parts else ""


def _window(filters: dict, default: int) -> tuple[str, str]:
    today = timezone.localdate().replace(day=1)
    last = add_months(today, int(filters.get("months") or default) - 1)
    return today.strftime("%m/%Y"), last.strftime("%m/%Y")


def retirement_table(rows, filters: dict) -> dict:
    first, last = _window(filters, 12)
    return {
        "columns": [_("No."), _("Full name"), _("Date of birth"), _("Sex"),
                    _("Staff category"), _("Unit"), _("Retirement age"),
                    _("Retirement date"), _("Pension from"), _("Note")],
        "rows": (
            [i, r.person.full_name, r.person.birth_date, r.person.get_sex_display(),
             r.person.get_category_display(), r.person.unit.name, age_text(r.retirement),
             r.retirement.date, r.retirement.pension_from,
             _("Past the retirement age, still working") if r.overdue else ""]
            for i, r in enumerate(rows, 1)
        ),
        "filename": f"nghi-huu-{timezone.localdate():%Y-%m}",
        "title": _("Reaching retirement age, %(first)s to %(last)s")
        % {"first": first, "last": last} + _scope(filters),
    }


def raise_kind(row) -> str:
    if row.next.kind == Kind.STEP:
        return _("Regular step raise")
    return _("Seniority allowance beyond the last step")


def raise_table(rows, filters: dict) -> dict:
    first, last = _window(filters, 6)
    return {
        "columns": [_("No."), _("Full name"), _("Unit"), _("Staff category"),
                    _("Rank or title"), _("Rank or title code"), _("Salary group"),
                    _("Salary step"), _("Coefficient"), _("Step held since"), _("Raise"),
                    _("Due on"), _("New step"), _("New coefficient"),
                    _("Seniority allowance (%)"), _("Note")],
        "rows": (
            [i, r.person.full_name, r.person.unit.name, r.person.get_category_display(),
             r.rank_name, r.rank_code, r.group, f"{r.step}/{r.steps}", r.coefficient,
             r.since, raise_kind(r), r.next.due,
             r.next.step if r.next.kind == Kind.STEP else None, r.new_coefficient,
             r.next.percent, _("Already due") if r.overdue else ""]
            for i, r in enumerate(rows, 1)
        ),
        "filename": f"nang-luong-{timezone.localdate():%Y-%m}",
        "title": _("Salary raises due, %(first)s to %(last)s")
        % {"first": first, "last": last} + _scope(filters),
    }


def _problem_lines(rows):
    i = 0
    for r in rows:
        person = r.person
        head = [person.full_name, person.unit.name, person.get_category_display()]
        if r.unapproved:
            i += 1
            yield [i, *head, "", _("No approved file yet"), _("Missing"), None]
            continue
        for p in r.problems:
            i += 1
            yield [i, *head, p.label, p.message, _("Missing") if p.missing else _("To correct"),
                   r.percent]
        if r.hidden:
            i += 1
            yield [i, *head, "", _("Problems in parts of the file you may not read: %(n)d")
                   % {"n": r.hidden}, "", r.percent]


def problem_table(rows, filters: dict) -> dict:
    return {
        "columns": [_("No."), _("Full name"), _("Unit"), _("Staff category"), _("Field"),
                    _("Problem"), _("Kind of problem"), _("Required fields filled (%)")],
        "rows": _problem_lines(rows),
        "filename": f"ho-so-can-sua-{timezone.localdate():%Y-%m-%d}",
        "title": _("Files to complete or correct") + _scope(filters),
    }
