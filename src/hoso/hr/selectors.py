"""The lists HR officers use every week, read through the one permission path.

Each list starts from `Person.objects.visible_to(user, action)` — `person.view` for
retirements and raises (birth dates, ranks and salaries are public fields of the file),
`person.change` for the files with problems (the list is for those who fix them) — and
keeps the people still working (đang công tác, biệt phái). An export is further cut to
those the user may export (`person.export`). Pages and the API log each person shown;
exports log each person exported (views.py, api.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from cryptography.fernet import InvalidToken
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hoso.accounts.permissions import NOTHING, file_access
from hoso.accounts.roles import Action
from hoso.records.models import Person, Revision, Status
from hoso.records.schema import Issue

from . import raises as raise_rules
from .checks import file_issues
from .dates import first_day, month_index
from .models import CheckMark, FileCheck
from .retirement import Retirement, last_birth_retired_before, retirement, retirement_months

WORKING = (Status.ACTIVE, Status.SECONDED)
SEXES = ("male", "female")


def _people(
    *, user, action: str, unit=None, category: str = "", export: bool = False
) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user, action).filter(status__in=WORKING)
    if export:
        qs = qs & Person.objects.visible_to(user, Action.PERSON_EXPORT)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("unit")


def _window(today: dt.date | None, months: int) -> tuple[int, int]:
    """This month and the `months` − 1 after it, as month indexes."""
    first = month_index(today or timezone.localdate())
    return first, first + max(1, months) - 1


# --- retirement ----------------------------------------------------------------------


@dataclass(frozen=True)
class RetirementRow:
    person: Person
    retirement: Retirement
    overdue: bool  # the age was reached before this month, and the person still works


def retirement_people(
    *,
    user,
    unit=None,
    category: str = "",
    months: int = 12,
    overdue: bool = False,
    today: dt.date | None = None,
    export: bool = False,
) -> QuerySet[Person]:
    """Those who reach the retirement age this month or in the `months` − 1 after it
    (and, with `overdue`, those who reached it earlier and still work), by retirement
    date. Exact in the database: each birth month retires in one month
    (`retirement.retirement_months`), so the filter is a range of birth dates per sex
    and `retire_on` is annotated from the same table (None for the overdue)."""
    first, last = _window(today, months)
    where, whens = NOTHING, []
    for sex in SEXES:
        spans = retirement_months(first, last, sex)
        if spans:
            where |= Q(sex=sex, birth_date__range=(spans[0][0], spans[-1][1]))
        whens += [When(sex=sex, birth_date__range=(lo, hi), then=Value(r.date))
                  for lo, hi, r in spans]
        if overdue:
            where |= Q(sex=sex, birth_date__lte=last_birth_retired_before(first, sex))
    qs = _people(user=user, action=Action.PERSON_VIEW, unit=unit, category=category,
                 export=export).filter(where)
    return qs.annotate(
        retire_on=Case(*whens, default=Value(None), output_field=DateField())
    ).order_by(F("retire_on").asc(nulls_first=True), "birth_date", "full_name", "pk")


def retirement_rows(people, *, today: dt.date | None = None) -> list[RetirementRow]:
    this_month = month_index(today or timezone.localdate())
    rows = []
    for person in people:
        r = retirement(person.birth_date, person.sex)
        rows.append(RetirementRow(person, r, r.month < this_month))
    return rows


# --- salary-step raises ----------------------------------------------------------------


@dataclass(frozen=True)
class RaiseRow:
    person: Person
    rank_code: str
    rank_name: str
    group: str
    step: int
    steps: int
    coefficient: Decimal | None
    since: dt.date
    interval: int
    next: raise_rules.NextRaise
    new_coefficient: Decimal | None  # after a step raise
    seniority_now: int  # % held today (at the last step)
    overdue: bool

    @property
    def kind(self) -> str:
        return self.next.kind


class _Ranks:
    """Intervals and numbers of steps from the catalogs, asked once per code."""

    def __init__(self):
        from hoso.catalogs import selectors as catalogs

        self.catalogs = catalogs
        self._info: dict[str, object] = {}
        self._steps: dict[str, int] = {}

    def info(self, code: str):
        if code not in self._info:
            self._info[code] = self.catalogs.rank_info(code)
        return self._info[code]

    def interval(self, code: str) -> int | None:
        info = self.info(code)
        return info.raise_interval_months if info is not None else None

    def steps(self, group: str) -> int:
        if group not in self._steps:
            self._steps[group] = self.catalogs.salary_steps(group)
        return self._steps[group]


class MonthIndex(Func):
    """A date column's month as one integer (year × 12 + month − 1), in the engine's own
    SQL: Django's Extract functions are Python functions on SQLite, called row by row,
    and a list of the province orders 20,000 rows by this (bench/hr_lists.py)."""

    arity = 1
    output_field = IntegerField()
    template = ("(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12 "
                "+ CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12 "
            "+ CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)"), **extra)


class DayOfMonth(Func):
    """A date column's day of the month, in the engine's own SQL (see MonthIndex)."""

    arity = 1
    output_field = IntegerField()
    template = "CAST(EXTRACT(DAY FROM %(expressions)s) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="CAST(substr(%(expressions)s, 9, 2) AS INTEGER)", **extra)


def _scales() -> tuple[dict[int, list[str]], dict[str, int]]:
    """The ranks and titles of the catalogs by raise interval, and the number of steps
    of each salary group (a group without a scale is left out)."""
    from hoso.catalogs.selectors import RANK_LISTS, entries

    ranks = _Ranks()
    by_interval: dict[int, list[str]] = {}
    for code in sorted({e.code for key in RANK_LISTS for e in entries(key)}):
        interval = ranks.interval(code)
        if interval:
            by_interval.setdefault(interval, []).append(code)
    groups = {e.code: ranks.steps(e.code) for e in entries("salary_groups")}
    return by_interval, {g: n for g, n in groups.items() if n}


def raise_people(
    *,
    user,
    unit=None,
    category: str = "",
    months: int = 6,
    kind: str = "",
    overdue: bool = False,
    today: dt.date | None = None,
    export: bool = False,
) -> QuerySet[Person]:
    """Who is due for a regular step raise, or a change of the seniority allowance at
    the last step, this month or in the `months` − 1 after it (with `overdue`, also
    step raises that fell due before this month and are not in the file yet), by due
    date and name.

    Counted, filtered and ordered in the database, exactly, by months: a raise is due
    `interval` months after the step's date, so it falls in a month of the window when
    that date falls in the same month `interval` months earlier; at the last step the
    allowance changes on the anniversaries of the first change, so beyond that first
    change only the calendar month matters. `raise_month` (a month index) is annotated;
    `raise_rows` computes each row's day (a 31st held on a shorter month's last day)."""
    first, last = _window(today, months)
    by_interval, groups = _scales()
    since = "profile__salary_since"
    base = _people(user=user, action=Action.PERSON_VIEW, unit=unit, category=category,
                   export=export).filter(
        profile__salary_since__isnull=False, profile__salary_step__isnull=False,
        profile__salary_group__in=sorted(groups),
    ).alias(hr_since=MonthIndex(since))
    if not by_interval:
        return base.none()
    at_last = NOTHING
    for group, steps in sorted(groups.items()):
        at_last |= Q(profile__salary_group=group, profile__salary_step__gte=steps)
    step_q, senior_q = NOTHING, NOTHING
    interval_whens = []
    for interval, codes in sorted(by_interval.items()):
        rank = Q(profile__rank_code__in=codes)
        interval_whens.append(When(rank, then=Value(interval)))
        in_window = Q(hr_since__range=(first - interval, last - interval))
        step_q |= rank & (Q(hr_since__lte=last - interval) if overdue else in_window)
        # A first change before the window: the anniversary's calendar month decides.
        anniversaries = sorted({(m - interval) % 12 for m in range(first, last + 1)})
        before = Q(hr_since__lt=first - interval)
        if len(anniversaries) < 12:
            before &= Q(hr_since_month__in=anniversaries)
        senior_q |= rank & (in_window | before)
    if kind == raise_rules.Kind.STEP:
        where = step_q & ~at_last
    elif kind == raise_rules.Kind.SENIORITY:
        where = senior_q & at_last
    else:
        where = (step_q & ~at_last) | (senior_q & at_last)
    first_change = F("hr_since") + Case(*interval_whens, output_field=IntegerField())
    # The first anniversary of the first change on or after the window's first month.
    anniversary = first + ((first_change - first) % 12 + 12) % 12
    due = Case(When(at_last, then=Greatest(first_change, anniversary)), default=first_change,
               output_field=IntegerField())
    return base.alias(hr_since_month=F("hr_since") % 12).filter(where).select_related(
        "profile").annotate(raise_month=due, raise_day=DayOfMonth(since)).order_by(
        "raise_month", "raise_day", "full_name", "pk")


def raise_rows(people, *, today: dt.date | None = None) -> list[RaiseRow]:
    """The rows of `raise_people` (a page of it), each raise's date computed exactly
    (`raises.next_raise`: a 31st held on the month's last day)."""
    from hoso.catalogs.selectors import salary_coefficient

    today = today or timezone.localdate()
    start = first_day(month_index(today))
    ranks = _Ranks()
    rows = []
    for person in people:
        profile = person.profile
        info = ranks.info(profile.rank_code)
        interval = ranks.interval(profile.rank_code)
        steps = ranks.steps(profile.salary_group)
        nxt = raise_rules.next_raise(step=profile.salary_step, steps=steps,
                                     since=profile.salary_since, interval=interval, after=start)
        new = (salary_coefficient(profile.salary_group, nxt.step, nxt.due)
               if nxt.kind == raise_rules.Kind.STEP else None)
        seniority = (raise_rules.seniority_percent(profile.salary_since, interval, today)
                     if profile.salary_step >= steps else 0)
        rows.append(RaiseRow(
            person=person, rank_code=profile.rank_code,
            rank_name=getattr(info, "name", profile.rank_code), group=profile.salary_group,
            step=profile.salary_step, steps=steps, coefficient=profile.salary_coefficient,
            since=profile.salary_since, interval=interval, next=nxt, new_coefficient=new,
            seniority_now=seniority,
            overdue=nxt.kind == raise_rules.Kind.STEP and nxt.due < start,
        ))
    return rows


# --- files with problems ---------------------------------------------------------------


class ProblemKind:
    MISSING = "missing"  # required fields empty (or no approved file at all)
    CONTRADICTION = "contradiction"  # anything else the rules find
    UNAPPROVED = "unapproved"  # no approved file yet


def problem_people(
    *,
    user,
    rules: str,
    unit=None,
    category: str = "",
    kind: str = "",
    export: bool = False,
) -> QuerySet[Person]:
    """Working people whose file has problems by the kept checks of the current
    `rules` (`services.rules_fingerprint`) — a person without an approved file yet is
    one —, by name. Files whose check is stale are not counted: check them first
    (`services.check_files`). The database starts from the flagged checks (a few in a
    hundred, by their partial index), not from everyone in the scope."""
    current = Q(content_hash=F("person__profile__content_hash")) | Q(
        content_hash="", person__profile__isnull=True)
    checks = FileCheck.objects.filter(
        Q(missing__gt=0) | Q(contradictions__gt=0), current, rules=rules)
    if kind == ProblemKind.MISSING:
        checks = checks.filter(missing__gt=0)
    elif kind == ProblemKind.CONTRADICTION:
        checks = checks.filter(contradictions__gt=0)
    elif kind == ProblemKind.UNAPPROVED:
        checks = checks.filter(content_hash="")
    qs = _people(user=user, action=Action.PERSON_CHANGE, unit=unit, category=category,
                 export=export)
    return qs.filter(pk__in=checks.values("person_id")).select_related("profile").order_by(
        "full_name", "pk")


def stale(people: QuerySet[Person], rules: str) -> QuerySet[Person]:
    """Those of `people` whose kept check is not current: none yet, another revision
    since, other rules."""
    current = FileCheck.objects.filter(
        person=OuterRef("pk"), rules=rules,
        content_hash=Coalesce(OuterRef("profile__content_hash"), Value("")),
    )
    return people.filter(~Exists(current))


def unchecked(
    *, user, rules: str, unit=None, category: str = "", since: CheckMark | None = None
) -> QuerySet[Person]:
    """The people of the list whose file has no current check yet.

    With the mark of the last complete check under the same rules (`since`), only those
    who can have changed since are examined: people added after it and people with a
    revision written after it (both by their increasing keys) — provided every person
    it covered still has a check of these rules (counted on an index)."""
    qs = _people(user=user, action=Action.PERSON_CHANGE, unit=unit, category=category)
    if since is not None and since.rules == rules and (
        FileCheck.objects.filter(rules=rules, person_id__lte=since.person_max).count()
        == Person.objects.filter(pk__lte=since.person_max).count()
    ):
        newer = Revision.objects.filter(pk__gt=since.revision_max).values("person_id")
        qs = qs.filter(Q(pk__gt=since.person_max) | Q(pk__in=newer))
    return stale(qs, rules)


@dataclass(frozen=True)
class ProblemView:
    path: str
    message: str
    code: str
    section: str | None  # the key of the form's section to fix it in
    section_label: str
    label: str  # the field's label

    @property
    def missing(self) -> bool:
        return self.code == "required"


@dataclass
class ProblemRow:
    person: Person
    revision_number: int | None  # None: no approved file yet
    problems: list[ProblemView] = field(default_factory=list)
    hidden: int = 0  # problems in fields the user may not read
    percent: int = 0  # required fields filled

    @property
    def unapproved(self) -> bool:
        return self.revision_number is None

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The sections to fix, in order of first appearance: (key, label)."""
        seen: dict[str, str] = {}
        for p in self.problems:
            if p.section and p.section not in seen:
                seen[p.section] = p.section_label
        return list(seen.items())


def _issue_field(schema, path: str):
    parts = path.split(".")
    if parts[0] not in schema:
        return None, None
    top = schema.field(parts[0])
    column = None
    if len(parts) >= 3 and top.is_table:
        try:
            column = top.column(parts[2])
        except KeyError:
            column = None
    return top, column


def _kept_issues(check: FileCheck | None, content_hash: str, rules: str | None):
    """The issues a current kept check holds (its messages decrypted), or None."""
    if check is None or check.content_hash != content_hash or (rules and check.rules != rules):
        return None
    try:
        messages = json.loads(check.messages) if check.messages else []
    except (InvalidToken, ValueError):  # a key no longer configured: compute again
        return None
    if len(messages) != len(check.findings):
        return None
    return [Issue(path, message, code)
            for (path, code), message in zip(check.findings, messages, strict=True)]


def problem_rows(*, user, people, rules: str | None = None) -> list[ProblemRow]:
    """The problems of each of `people` (a page of `problem_people`), cut to the fields
    `user` may read; the others are only counted (`hidden`). They come from the kept
    check of the person's newest revision (its messages decrypted), or — when that is
    not current — from the revision, checked again."""
    from hoso.records.schema import completeness, get_schema

    people = list(people)
    with_file = [p for p in people if _has_profile(p)]
    meta = {pk: (number, category) for pk, number, category in Revision.objects.filter(
        pk__in=[p.profile.revision_id for p in with_file]).values_list("pk", "number", "category")}
    kept = {c.pk: c for c in FileCheck.objects.filter(person__in=with_file)}
    rows, again = [], {}
    for person in people:
        if not _has_profile(person):
            rows.append(ProblemRow(person, None))
            continue
        number, category = meta[person.profile.revision_id]
        check = kept.get(person.pk)
        issues = _kept_issues(check, person.profile.content_hash, rules)
        row = ProblemRow(person, number, percent=check.percent if issues is not None else 0)
        if issues is None:
            again[person.pk] = row
        rows.append((row, category, issues))
    if again:
        revisions = Revision.objects.in_bulk(
            [p.profile.revision_id for p in with_file if p.pk in again])
        fresh = {}
        for revision in revisions.values():
            document = revision.document
            fresh[revision.person_id] = file_issues(
                document, category=revision.category,
                on=timezone.localdate(revision.created_at))
            again[revision.person_id].percent = completeness(
                document, category=revision.category).percent
    out = []
    for item in rows:
        if isinstance(item, ProblemRow):
            out.append(item)
            continue
        row, category, issues = item
        if issues is None:
            issues = fresh[row.person.pk]
        _cut(user, row, get_schema(category), issues)
        out.append(row)
    return out


def _cut(user, row: ProblemRow, schema, issues) -> None:
    """Add to `row` the issues `user` may read (by the field's and column's access
    level, and the section a consent grant opens); count the others."""
    sections = {s.key: s for s in schema.sections}
    access = file_access(user, row.person)
    for issue in issues:
        top, column = _issue_field(schema, issue.path)
        section = sections.get(top.section) if top is not None else None
        grant = section.grant_section if section is not None else None
        if top is None:
            visible = access.everything
        else:
            visible = access.sees(top.access, grant) and (
                column is None or access.sees(column.access, grant))
        if not visible:
            row.hidden += 1
            continue
        row.problems.append(ProblemView(
            issue.path, str(issue.message), issue.code,
            section.key if section is not None else None,
            str(section.label) if section is not None else "",
            str(top.label) if top is not None else issue.path,
        ))


def _has_profile(person: Person) -> bool:
    try:
        return person.profile is not None
    except Person.profile.RelatedObjectDoesNotExist:
        return False
