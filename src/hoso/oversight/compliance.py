"""The compliance dashboard: how each agency keeps its staff's files and deadlines.

The figures the regulations ask for:

- monthly monitoring: heads of agencies check the updating of their staff's files
  every month (Cần Thơ 641/QĐ-UBND Đ11.4: "theo dõi, kiểm tra việc cập nhật … theo
  định kỳ hằng tháng"), Sở Nội vụ follows up and inspects (Cần Thơ Đ13.6, Quảng Nam
  Đ16.1, Đ16.5);
- the yearly administrative-reform ranking, where "updating fully and regularly and
  using the software effectively" is a criterion (Cần Thơ Đ13.5, Quảng Nam Đ16.4).
  The regulations name the criterion, not a formula; hoso gives the rates it rests
  on: files complete (fully), files updated and review steps decided on time
  (regularly), and what is overdue.

Per agency (a division counts in the agency above it) and per month — or a whole
year, for the ranking: review steps decided on time and late (`ReviewStep.decided_at`
on or before its `due_date`), steps overdue at the end of the period (now, for the
current month), revisions approved, active staff and their files incomplete (no
approved file, or one missing a field the form requires), and the median time each
step took, in working days (`core.calendar`). Each figure is one GROUP BY over the
reader's scope (`permissions.unit_filter` for `person.approve`: Sở Nội vụ and the
province approver everywhere, a head of unit, chairman or head of HR their sub-tree);
the working days are computed once per distinct pair of dates. Counts carry no
personal data and leave no access row; an export leaves one.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import can, covering_scope, unit_filter
from hoso.accounts.roles import Action
from hoso.core.errors import DomainError, PermissionDenied

from .agencies import fold

ACTION = Action.PERSON_APPROVE
DECIDED = ("approved", "returned", "rejected")
WORKING_STATUSES = ("active", "seconded")


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None  # None: the whole year (the yearly ranking)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def last(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, pycalendar.monthrange(self.year, month)[1])

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return timezone.make_aware(dt.datetime.combine(self.last + dt.timedelta(days=1),
                                                       dt.time.min))

    @property
    def label(self) -> str:
        if self.month is None:
            return _("year %(year)d") % {"year": self.year}
        return f"{self.month:02d}/{self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"


def check_period(year: int, month: int | None) -> Period:
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year must be between 2000 and 2100 (it is %(y)d).")
                          % {"y": year}, field="year")
    if month is not None and not 1 <= month <= 12:
        raise DomainError(_("The month must be between 1 and 12 (it is %(m)d).")
                          % {"m": month}, field="month")
    return Period(year, month)


@dataclass
class Figures:
    """One agency's figures (or the total's, with `unit` None)."""

    unit: object = None  # OrgUnit
    people: int = 0  # staff working or seconded, now
    without_file: int = 0  # of them, no approved file yet
    incomplete: int = 0  # of them, files incomplete (without_file included)
    updates: int = 0  # revisions approved in the period
    handled: int = 0  # review steps decided in the period
    on_time: int = 0
    late: int = 0
    overdue: int = 0  # steps overdue at the reference moment
    durations: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    @property
    def complete(self) -> int:
        return self.people - self.incomplete

    @property
    def complete_rate(self) -> float | None:
        return round(100 * self.complete / self.people, 1) if self.people else None

    @property
    def on_time_rate(self) -> float | None:
        timed = self.on_time + self.late
        return round(100 * self.on_time / timed, 1) if timed else None

    def median(self, key: str) -> float | None:
        pairs = self.durations.get(key)
        return weighted_median(pairs) if pairs else None

    def add(self, other: Figures) -> None:
        for name in ("people", "without_file", "incomplete", "updates", "handled", "on_time",
                     "late", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, pairs in other.durations.items():
            self.durations.setdefault(key, []).extend(pairs)


def weighted_median(pairs: list[tuple[int, int]]) -> float:
    """The median of values given as (value, how many times)."""
    values = []
    for value, n in pairs:
        values.extend([value] * n)
    return float(statistics.median(values))


@dataclass
class Dashboard:
    period: Period
    reference: dt.date  # the day "overdue" is counted on
    current: bool  # the period holds today: overdue means now
    rows: list[Figures]
    total: Figures
    step_keys: list[tuple[str, str]]  # (key, label) in chain order
    unit: object = None  # the sub-tree asked for, or None
    province_batch: object = None  # the period's signed batch (province readers)


def may_read(user) -> bool:
    from hoso.accounts.selectors import acts_anywhere

    return acts_anywhere(user, ACTION)


def _scope(user, field: str, unit) -> Q:
    q = unit_filter(user, ACTION, field=field)
    if unit is not None:
        q &= Q(**{f"{field}__path__startswith": unit.path})
    return q


def _incomplete_among_stale(profile_q: Q) -> dict[int, int]:
    """Files approved under an older form version than the current one: checked one by
    one against the current form's required fields (a revision written now is validated
    whole, so only these can lack a required field — usually none)."""
    from hoso.records.models import Profile, StaffCategory
    from hoso.records.schema import completeness, get_schema

    current = [(c, str(get_schema(c).version)) for c in StaffCategory.values]
    stale = reduce(lambda a, b: a | b, (Q(revision__category=c) & ~Q(revision__schema_version=v)
                                         for c, v in current))
    out: dict[int, int] = defaultdict(int)
    for profile in (Profile.objects.filter(profile_q, stale,
                                           person__status__in=WORKING_STATUSES)
                    .select_related("revision", "person").iterator(chunk_size=500)):
        revision = profile.revision
        if completeness(revision.document, category=revision.category).missing:
            out[profile.person.unit_id] += 1
    return out


def _people(person_q: Q):
    from hoso.records.models import Person

    return Person.objects.filter(person_q, status__in=WORKING_STATUSES)


def dashboard(*, user, year: int, month: int | None, unit=None) -> Dashboard:
    """The figures of every agency in `user`'s scope (in `unit`'s sub-tree, if given)
    for the period."""
    from hoso.core import calendar as cal
    from hoso.core.policy import get_policy
    from hoso.records.models import Revision
    from hoso.workflow.models import ReviewStep, StepStatus

    if not may_read(user):
        raise PermissionDenied(_("The compliance figures are for the Department of Home "
                                 "Affairs and the heads of agencies."))
    if unit is not None and not can(user, ACTION, unit):
        raise PermissionDenied(_("This unit is outside your scope."))
    period = check_period(year, month)
    now = timezone.now()
    today = timezone.localdate(now)
    current = period.first <= today <= period.last
    reference = today if current or period.last > today else period.last
    ref_moment = now if reference == today else period.end

    person_q = _scope(user, "unit", unit)
    step_q = _scope(user, "unit", unit)
    per_unit: dict[int, Figures] = defaultdict(Figures)

    for row in (_people(person_q).order_by().values("unit_id")
                .annotate(n=Count("pk"), none=Count("pk", filter=Q(profile__isnull=True)))):
        f = per_unit[row["unit_id"]]
        f.people, f.without_file = row["n"], row["none"]
        f.incomplete = row["none"]
    for unit_id, n in _incomplete_among_stale(_scope(user, "person__unit", unit)).items():
        per_unit[unit_id].incomplete += n

    for row in (Revision.objects.filter(_scope(user, "person__unit", unit),
                                        created_at__gte=period.start, created_at__lt=period.end)
                .order_by().values("person__unit_id").annotate(n=Count("pk"))):
        per_unit[row["person__unit_id"]].updates = row["n"]

    decided = ReviewStep.objects.filter(step_q, status__in=DECIDED,
                                        decided_at__gte=period.start, decided_at__lt=period.end)
    for row in (decided.annotate(day=TruncDate("decided_at")).order_by().values("unit_id")
                .annotate(n=Count("pk"),
                          on_time=Count("pk", filter=Q(due_date__isnull=False,
                                                       day__lte=F("due_date"))),
                          late=Count("pk", filter=Q(due_date__isnull=False,
                                                    day__gt=F("due_date"))))):
        f = per_unit[row["unit_id"]]
        f.handled, f.on_time, f.late = row["n"], row["on_time"], row["late"]

    overdue = (ReviewStep.objects.filter(step_q, due_date__lt=reference,
                                         started_at__lt=ref_moment)
               .filter(Q(status=StepStatus.ACTIVE, decided_at__isnull=True)
                       | Q(status__in=DECIDED, decided_at__gte=ref_moment)))
    for row in overdue.order_by().values("unit_id").annotate(n=Count("pk")):
        per_unit[row["unit_id"]].overdue = row["n"]

    province = get_policy().code
    days: dict[tuple[dt.date, dt.date], int] = {}
    for row in (decided.filter(started_at__isnull=False)
                .annotate(s=TruncDate("started_at"), d=TruncDate("decided_at"))
                .order_by().values("unit_id", "key", "s", "d").annotate(n=Count("pk"))):
        pair = (row["s"], row["d"])
        if pair not in days:
            days[pair] = (cal.working_days_between(*pair, province=province)
                          if pair[1] > pair[0] else 0)
        per_unit[row["unit_id"]].durations.setdefault(row["key"], []).append(
            (days[pair], row["n"]))

    step_keys = _step_keys(decided)
    # a unit's figures roll up no further than the reader's scope reaches
    folded = fold(per_unit, within=lambda u: covering_scope(user, ACTION, u,
                                                            subtree=False) is not None)
    rows: dict[int, Figures] = {}
    total = Figures()
    for unit_id, figures in per_unit.items():
        agency_id = folded.agency_of.get(unit_id)
        if agency_id is None:
            continue
        row = rows.setdefault(agency_id, Figures(unit=folded.agencies[agency_id]))
        row.add(figures)
        total.add(figures)
    ordered = sorted(rows.values(), key=lambda f: f.unit.path)
    board = Dashboard(period, reference, current, ordered, total, step_keys, unit)
    if month is not None and can(user, Action.PROVINCE_APPROVE):
        board.province_batch = _province_batch(user, period)
    return board


def _step_keys(decided) -> list[tuple[str, str]]:
    """The step keys decided in the period, in chain order, with their labels."""
    first: dict[str, tuple[int, str]] = {}
    for key, number, label in (decided.order_by().values_list("key", "number", "label")
                               .distinct()):
        if key not in first or number < first[key][0]:
            first[key] = (number, label)
    ordered = sorted(first.items(), key=lambda kv: (kv[1][0], kv[0]))
    return [(key, _(label) if label else key) for key, (_n, label) in ordered]


def _province_batch(user, period: Period):
    from .models import BatchStatus, ProvinceBatch
    from .services import province_root

    return (ProvinceBatch.objects.filter(province_unit=province_root(user), year=period.year,
                                         month=period.month, status=BatchStatus.SIGNED)
            .select_related("signed_by").first())


# --- the table, for the page, the export and the API ---------------------------------


def columns(board: Dashboard) -> list[str]:
    cols = [
        _("Agency or unit"), _("Electronic identifier code"), _("Staff working"),
        _("Files incomplete"), _("of which without an approved file"), _("Files complete (%)"),
        _("Revisions approved"), _("Steps decided"), _("Decided on time"), _("Decided late"),
        _("On time (%)"),
        _("Overdue now") if board.current else _("Overdue at the end of the period"),
    ]
    cols += [_("Median days: %(step)s") % {"step": label} for _k, label in board.step_keys]
    return cols


def row_values(board: Dashboard, f: Figures) -> list:
    unit_name = f.unit.name if f.unit is not None else _("Total")
    unit_code = f.unit.code if f.unit is not None else ""
    return [
        unit_name, unit_code, f.people, f.incomplete, f.without_file, f.complete_rate,
        f.updates, f.handled, f.on_time, f.late, f.on_time_rate, f.overdue,
        *(f.median(key) for key, _label in board.step_keys),
    ]


def table_rows(board: Dashboard) -> list[list]:
    return [row_values(board, f) for f in (*board.rows, board.total)]
