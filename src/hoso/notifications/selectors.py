"""Reads: a user's own notifications; who must act on a review step; the deadlines the
regulations set outside the review (`tracked_deadlines`, over `models.TrackedDeadline`:
where their clocks start is in `tracking`); the overdue list of a unit.

Every read of other people's data goes through the permission path: the overdue list
shows the files the reader keeps or approves (`person.change` or `person.approve`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from hoso.accounts.permissions import person_filter, role_authority
from hoso.accounts.roles import Action, Role

from .models import Notification

ACCOUNT_CREATION = "account_creation"
SELF_ENTRY = "self_entry"
TRACKED = (ACCOUNT_CREATION, SELF_ENTRY)
# People who still need an account and to enter their data: those at work.
WORKING_STATUSES = ("active", "seconded")


# --- settings ------------------------------------------------------------------------


def days_before() -> int:
    """Working days before a due date when the first reminder goes out."""
    return int(settings.REMINDER_DAYS_BEFORE)


def overdue_every() -> int:
    """Working days between two reminders of the same overdue item."""
    return max(1, int(settings.REMINDER_OVERDUE_EVERY))


# --- a user's own notifications -------------------------------------------------------


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, the unread first, each group newest first."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.unread()
    return qs.annotate(
        unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
    ).order_by("unread_first", "-created_at", "-pk")


def unread_count(*, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


# --- who must act ---------------------------------------------------------------------


class Approvers:
    """Who may act as the holder of a role on a unit, today: the accounts holding it
    there (or above, with the sub-tree) and the delegates of those (ủy quyền: Quảng Nam
    Đ5.2, Lâm Đồng Đ7.3, Lai Châu 2.3). Candidates come from the role and delegation
    tables; each is confirmed by the permission path (`permissions.role_authority`),
    which alone decides. Which steps an account may decide is the review's own answer
    (`workflow.selectors.queue_for`: never their own file or a change they made, a
    delegate only where the step may be delegated). Cached per (role, unit) and per
    account: a sweep asks the same questions for many steps."""

    def __init__(self):
        self._users: dict[int, object] = {}
        self._holders: dict[tuple[str, int], list] = {}
        self._queues: dict[int, frozenset[int]] = {}
        self._roles: dict[str, list[tuple[int, str, bool]]] = {}

    def _user(self, u):
        return self._users.setdefault(u.pk, u)

    @property
    def users(self) -> dict[int, object]:
        """Every account met so far, by id."""
        return self._users

    def of(self, role: str, unit) -> list:
        key = (role, unit.pk)
        if key not in self._holders:
            self._holders[key] = self._resolve(role, unit)
        return self._holders[key]

    def decidable(self, user) -> frozenset[int]:
        """The ids of the active steps `user` may decide now."""
        if user.pk not in self._queues:
            from hoso.workflow.selectors import queue_for

            self._queues[user.pk] = frozenset(
                queue_for(user).order_by().values_list("pk", flat=True)
            )
        return self._queues[user.pk]

    def _holders_of_role(self, role: str) -> list[tuple[int, str, bool]]:
        """(account, unit path, with sub-tree) of every assignment of `role` in force and
        every delegation of it (a delegate reaches the delegation's unit and below: the
        permission path then checks how far), read once per role."""
        if role not in self._roles:
            from hoso.accounts.models import Delegation, RoleAssignment, User

            today = timezone.localdate()
            held = [
                (user_id, path, subtree) for user_id, path, subtree in
                RoleAssignment.objects.active_on(today).filter(role=role)
                .values_list("user_id", "unit__path", "include_subtree")
            ]
            held += [
                (user_id, path, True) for user_id, path in
                Delegation.objects.active_on(today).filter(role=role)
                .values_list("delegate_id", "unit__path")
            ]
            missing = {u for u, _p, _s in held} - set(self._users)
            for u in User.objects.filter(pk__in=sorted(missing), is_active=True):
                self._user(u)
            self._roles[role] = held
        return self._roles[role]

    def _resolve(self, role: str, unit) -> list:
        ids = sorted({
            user_id for user_id, path, subtree in self._holders_of_role(role)
            if path == unit.path or (subtree and unit.path.startswith(path))
        })
        return [
            u for u in (self._users[i] for i in ids if i in self._users)
            if role_authority(u, role, unit) is not None
        ]


def step_approvers(step, *, approvers: Approvers | None = None) -> list:
    """The accounts that may decide `step` now: the holders of its role and, where the
    step may be delegated, their delegates in force; never the person whose file it is
    nor whoever made or submitted the change."""
    approvers = approvers or Approvers()
    return [u for u in approvers.of(step.role, step.unit) if step.pk in approvers.decidable(u)]


# Who keeps the unit's files and so must create accounts and chase self-entry: the HR
# officers (Cần Thơ Đ5.1.a names "công chức, viên chức bộ phận tổ chức cán bộ"), and
# the unit administrators, who create accounts in hoso (`account.manage`).
ACCOUNT_KEEPERS = (Role.HR_OFFICER, Role.UNIT_ADMIN)
ENTRY_CHASERS = (Role.HR_OFFICER,)


def keepers_of(unit, roles: Iterable[str], *, approvers: Approvers) -> list:
    seen, out = set(), []
    for role in roles:
        for u in approvers.of(role, unit):
            if u.pk not in seen:
                seen.add(u.pk)
                out.append(u)
    return out


# --- tracked deadlines ---------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    """An open obligation with a deadline: `kind` ACCOUNT_CREATION or SELF_ENTRY."""

    kind: str
    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    account_id: int | None  # the person's account (self-entry), None before one exists
    start: dt.date
    due: dt.date
    state: str  # "open" (due later), "due" (due today), "overdue"
    late: int  # working days past the due date (0 unless overdue)


def _policy(province: str | None):
    from hoso.core.policy import get_policy

    return get_policy(province or None)


def deadline_for(kind: str, *, province: str | None = None):
    """The policy's deadline for `kind`, or None when the province sets none."""
    return _policy(province).deadlines.get(kind)


def state_of(due: dt.date, today: dt.date, province: str) -> tuple[str, int]:
    from hoso.core.calendar import working_days_between

    if today < due:
        return "open", 0
    if today == due:
        return "due", 0
    return "overdue", working_days_between(due, today, province=province)


def _rooted(q: Q, prefix: str) -> Q:
    """The same filter on a relation: `Q(unit__path__startswith=…)` on Person becomes
    `Q(person__unit__path__startswith=…)` on a model with a `person` key. A join lets
    the database walk the list's due-date index and stop at the first page, where
    `person IN (sub-query)` makes it read every row of the scope first."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [
        _rooted(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in q.children
    ]
    return out


def _people_q(user, prefix: str = "") -> Q:
    """The files whose deadlines `user` may see: those they keep or approve (the
    permission path's filters, on `prefix` when the model is reached through one)."""
    q = person_filter(user, Action.PERSON_CHANGE) | person_filter(user, Action.PERSON_APPROVE)
    return _rooted(q, prefix) if prefix else q


def _still_open(kind: str) -> Q:
    """What closes an obligation, read live: a row the last sync left open is not
    shown once the account exists or the data was submitted."""
    from hoso.records.models import Revision
    from hoso.workflow.models import ChangeRequest

    q = Q(kind=kind, closed_on__isnull=True, person__status__in=WORKING_STATUSES)
    if kind == ACCOUNT_CREATION:
        return q & Q(person__account__isnull=True)
    submitted = ChangeRequest.objects.filter(
        person_id=OuterRef("person_id"), submitted_at__isnull=False
    )
    loaded = Revision.objects.filter(
        person_id=OuterRef("person_id"), change_request_id__isnull=True
    )
    return q & Q(account__is_active=True) & ~Exists(submitted) & ~Exists(loaded)


def _open_rows(kind: str, *, user, unit=None) -> QuerySet:
    """Open obligations of `kind` on the files `user` keeps or approves, by due date,
    as named tuples (a province's first days hold tens of thousands: no model
    instances, and never the person's encrypted identification number)."""
    from .models import TrackedDeadline

    qs = TrackedDeadline.objects.filter(_still_open(kind), _people_q(user, "person"))
    if unit is not None:
        qs = qs.filter(person__unit__path__startswith=unit.path)
    return qs.order_by("due_on", "pk").values_list(
        "pk", "kind", "person_id", "account_id", "starts_on", "due_on", "reminded",
        "person__full_name", "person__unit_id", "person__unit__name", named=True,
    )


def open_obligation_rows(kind: str) -> QuerySet:
    """Every open tracked deadline of `kind` (the reminder sweep, as the system)."""
    from hoso.accounts.permissions import SYSTEM

    return _open_rows(kind, user=SYSTEM)


class _States:
    """`state_of` memoised by due date: many obligations share one."""

    def __init__(self, today: dt.date, province: str):
        self.today, self.province = today, province
        self._memo: dict[dt.date, tuple[str, int]] = {}

    def __call__(self, due: dt.date) -> tuple[str, int]:
        if due not in self._memo:
            self._memo[due] = state_of(due, self.today, self.province)
        return self._memo[due]


def _obligation(row, *, states: _States) -> Obligation:
    state, late = states(row.due_on)
    return Obligation(row.kind, row.person_id, row.person__full_name, row.person__unit_id,
                      row.person__unit__name, row.account_id, row.starts_on, row.due_on,
                      state, late)


def _tracked_kinds(policy) -> list[str]:
    return [k for k in TRACKED if k in policy.deadlines]


def tracked_deadlines(
    *, user=None, on: dt.date | None = None, unit=None, overdue: bool = False,
    province: str | None = None,
) -> list[Obligation]:
    """Every open obligation with its due date and state, by due date: of the files
    `user` keeps or approves (everyone's when `user` is None: the reminder sweep), in
    `unit`'s sub-tree when given, only the overdue ones when `overdue`. Kinds the
    province's policy sets no deadline for are left out."""
    from hoso.accounts.permissions import SYSTEM

    from .tracking import ensure_synced

    ensure_synced()
    today = on or timezone.localdate()
    policy = _policy(province)
    out: list[Obligation] = []
    states = _States(today, policy.code)
    for kind in _tracked_kinds(policy):
        qs = _open_rows(kind, user=user if user is not None else SYSTEM, unit=unit)
        if overdue:
            qs = qs.filter(due_on__lt=today)
        out += [_obligation(row, states=states) for row in qs.iterator(chunk_size=2000)]
    out.sort(key=lambda o: (o.due, o.kind, o.person_id))
    return out


# --- the overdue list ------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    """One line of the overdue list: a review step past its due date, or an obligation."""

    kind: str  # "review", ACCOUNT_CREATION, SELF_ENTRY
    due: dt.date
    late: int  # working days past the due date
    state: str  # "open" (due later), "due" (today), "overdue"
    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    change_request_id: int | None = None
    step_id: int | None = None
    step_label: str = ""
    step_number: int | None = None
    steps_total: int | None = None
    account_id: int | None = None

    @property
    def sort_key(self):
        return (self.due, {"review": 0}.get(self.kind, 1), self.person_id, self.step_id or 0)


def _dated_steps(user, unit, today: dt.date | None) -> QuerySet:
    """Active steps with a due date (before `today` when given) on the files `user`
    keeps or approves."""
    from hoso.workflow.models import ReviewStep, Status, StepStatus

    qs = ReviewStep.objects.filter(
        status=StepStatus.ACTIVE, due_date__isnull=False,
        change_request__status=Status.IN_REVIEW,
    ).filter(_people_q(user, "change_request__person"))
    if today is not None:
        qs = qs.filter(due_date__lt=today)
    if unit is not None:
        qs = qs.filter(change_request__person__unit__path__startswith=unit.path)
    return qs.select_related(
        "change_request", "change_request__person", "change_request__person__unit"
    ).defer(
        # the person's name is enough: not their (encrypted) number, nor the proposal
        "change_request__person__id_number", "change_request__public",
        "change_request__sealed",
    ).order_by("due_date", "pk")


def _step_item(step, today: dt.date) -> OverdueItem:
    from hoso.core.calendar import working_days_between

    cr = step.change_request
    person = cr.person
    return OverdueItem(
        "review", step.due_date,
        working_days_between(step.due_date, today, province=cr.policy or None),
        state_of(step.due_date, today, cr.policy or None)[0],
        person.pk, person.full_name, person.unit_id, person.unit.name,
        change_request_id=cr.pk, step_id=step.pk, step_label=step.label_display(),
        step_number=step.number, steps_total=cr.steps_total,
    )


def _item_of(o: Obligation) -> OverdueItem:
    return OverdueItem(o.kind, o.due, o.late, o.state, o.person_id, o.person_name, o.unit_id,
                       o.unit_name, account_id=o.account_id)


@dataclass
class OverduePage:
    items: list[OverdueItem]
    total: int
    counts: dict[str, int]


def overdue_list(
    *, user, unit=None, on: dt.date | None = None, offset: int = 0, limit: int = 50,
    upcoming: bool = False,
) -> OverduePage:
    """Overdue review steps and tracked deadlines of the files `user` keeps or approves
    (with `upcoming`, those not yet due too), in `unit`'s sub-tree when given, by due
    date; `limit` of them from `offset`.

    Each source is sorted by due date in the database, so a page reads at most
    offset + limit rows of each and merges them. The caller logs the page's access."""
    today = on or timezone.localdate()
    policy = _policy(None)
    want = offset + limit
    counts: dict[str, int] = {}
    items: list[OverdueItem] = []

    steps = _dated_steps(user, unit, None if upcoming else today)
    counts["review"] = steps.count()
    items += [_step_item(s, today) for s in steps[:want]]

    from .tracking import ensure_synced

    ensure_synced()
    states = _States(today, policy.code)
    for kind in _tracked_kinds(policy):
        qs = _open_rows(kind, user=user, unit=unit)
        if not upcoming:
            qs = qs.filter(due_on__lt=today)
        counts[kind] = qs.count()
        items += [_item_of(_obligation(row, states=states)) for row in qs[:want]]
    items.sort(key=lambda i: i.sort_key)
    return OverduePage(items[offset:want], sum(counts.values()), counts)


def log_page_access(*, user, items: list[OverdueItem], detail: dict) -> None:
    """Access rows for the people a page of the overdue list names (the reader's own
    file excepted): the list is a read of other people's data."""
    from types import SimpleNamespace

    from hoso.records.selectors import log_list_access

    people = [SimpleNamespace(pk=pk) for pk in dict.fromkeys(i.person_id for i in items)]
    log_list_access(user=user, people=people, action="view", detail=detail)


def may_see_overdue(user) -> bool:
    """Whether the user keeps or approves anyone's file (the page is theirs to open);
    the rows are still filtered through the permission path."""
    from hoso.accounts.selectors import acts_anywhere

    return acts_anywhere(user, Action.PERSON_CHANGE) or acts_anywhere(
        user, Action.PERSON_APPROVE
    )
