"""Keeping the tracked deadlines (`models.TrackedDeadline`) in step with the facts.

Where the clocks start (the province's policy file, `deadlines`; absent = not tracked):

- **account creation** — Cần Thơ 641/QĐ-UBND Đ5.1.a (5 working days) and Lâm Đồng
  Đ7.1 (3 working days) count from the decision that recruits, appoints or contracts
  the person. hoso knows that date as the file's recruitment date (the projection of
  its approved revision, `Profile.recruitment_date`), and it knows when the file was
  created (its audited creation). The clock starts at the LATER of the two: a decision
  taken before the file existed in hoso (the initial load of a unit's staff, an
  arrival from elsewhere) cannot have been followed by an account in hoso, so such a
  file gets the full period from the day it was created; a file with no approved
  revision yet starts on its creation day. Met on the day the account was given.
- **self-entry** — Cần Thơ Đ5.1.b, Lai Châu 2.2, Lâm Đồng Đ7.2: 5 working days from
  the day the account was given (`User.date_joined`). Met on the day a change request
  of the person's file was first submitted (by the person, or for them: an HR
  officer's correction, an import); no longer needed when the file holds approved
  data that came through no change request (Sở Nội vụ's initial load writes approved
  first revisions): there is nothing left to enter for the first time.

Only people at work (working or seconded) are tracked; one who leaves closes their open
obligations as no longer needed. The rows are a projection (like `records.Profile`):
not audited themselves, derived from audited facts, rebuilt by `sync(rebuild=True)`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import TrackedDeadline, TrackingState

AC = TrackedDeadline.Kind.ACCOUNT_CREATION
SE = TrackedDeadline.Kind.SELF_ENTRY
WORKING_STATUSES = ("active", "seconded")
CHUNK = 1000


def _policy(province: str | None = None):
    from hoso.core.policy import get_policy

    return get_policy(province or None)


class _Days:
    """Local calendar days of UTC instants, memoised by the hour (a zone's offset
    never changes inside an hour): converting a province's file creations one by one
    was the bulk of a first sync."""

    def __init__(self):
        self._memo: dict[dt.datetime, dt.date] = {}

    def __call__(self, moment: dt.datetime) -> dt.date:
        hour = moment.replace(minute=0, second=0, microsecond=0)
        day = self._memo.get(hour)
        if day is None:
            day = self._memo[hour] = timezone.localdate(hour)
        return day


_local_day = _Days()


class _Dues:
    """Due dates of one sync, memoised: many files share a start day."""

    def __init__(self):
        self._memo: dict[tuple, dt.date] = {}

    def __call__(self, deadline, start: dt.date, province: str) -> dt.date:
        key = (deadline.days, deadline.kind, start, province)
        if key not in self._memo:
            self._memo[key] = deadline.due(start, province=province)
        return self._memo[key]


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _file_created_days(person_ids: list[int]) -> dict[int, dt.date]:
    """The day each file was created, from its audited creation row."""
    from hoso.audit.models import ChangeLog

    out: dict[int, dt.date] = {}
    for chunk in _chunks(person_ids):
        rows = (
            ChangeLog.objects.filter(
                object_type="records.person", action="create",
                object_id__in=[str(pk) for pk in chunk],
            )
            .order_by("seq")
            .values_list("object_id", "at")
        )
        for object_id, at in rows:
            out.setdefault(int(object_id), _local_day(at))
    return out


_COLUMNS = (
    "kind", "person_id", "account_id", "file_created_on", "starts_on", "due_on", "province",
    "deadline_days", "deadline_kind", "opened_at", "outcome", "reminded",
)


def _insert(rows: list[tuple]) -> int:
    """Insert rows of `_COLUMNS` in one statement per chunk. A projection of thousands
    of rows at a province's first sync: the ORM's bulk_create spends seconds preparing
    each value; executemany does not (the values are plain dates, ints and strings)."""
    if not rows:
        return 0
    from django.db import connection

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(TrackedDeadline._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    conflict = " ON CONFLICT DO NOTHING"  # both engines: a concurrent sync opened it first
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}){conflict}"  # noqa: S608 (names)
    params = [
        (kind, person, account, ops.adapt_datefield_value(created),
         ops.adapt_datefield_value(start), ops.adapt_datefield_value(due), province, days,
         day_kind, now, "", "")
        for kind, person, account, created, start, due, province, days, day_kind in rows
    ]
    with connection.cursor() as cursor:
        for chunk in _chunks(params):
            cursor.executemany(sql, chunk)
    return len(rows)


def _account_start(recruited: dt.date | None, created: dt.date | None) -> dt.date | None:
    days = [d for d in (recruited, created) if d is not None]
    return max(days) if days else None


def _open_account_creation(policy, _due) -> int:
    from hoso.records.models import Person

    deadline = policy.deadlines.get(AC)
    if deadline is None:
        return 0
    tracked = TrackedDeadline.objects.filter(kind=AC, person=OuterRef("pk"))
    rows = list(
        Person.objects.filter(status__in=WORKING_STATUSES)
        .filter(~Exists(tracked))
        .values_list("pk", "profile__recruitment_date")
        .order_by("pk")
    )
    opened = 0
    for chunk in _chunks(rows):
        created = _file_created_days([pk for pk, _ in chunk])
        objs = []
        for pk, recruited in chunk:
            start = _account_start(recruited, created.get(pk))
            if start is None:
                continue
            objs.append((AC, pk, None, created.get(pk), start,
                         _due(deadline, start, policy.code), policy.code, deadline.days,
                         deadline.kind))
        opened += _insert(objs)
    return opened


def _open_self_entry(policy, _due) -> int:
    from hoso.accounts.models import User

    deadline = policy.deadlines.get(SE)
    if deadline is None:
        return 0
    tracked = TrackedDeadline.objects.filter(kind=SE, person=OuterRef("person_id"))
    rows = list(
        User.objects.filter(person__isnull=False, person__status__in=WORKING_STATUSES)
        .filter(~Exists(tracked))
        .values_list("pk", "person_id", "date_joined")
        .order_by("pk")
    )
    opened = 0
    for chunk in _chunks(rows):
        objs = []
        for pk, person_id, joined in chunk:
            start = _local_day(joined)
            objs.append((SE, person_id, pk, None, start, _due(deadline, start, policy.code),
                         policy.code, deadline.days, deadline.kind))
        opened += _insert(objs)
    return opened


def _close(ids_and_days: list[tuple[int, dt.date]], outcome: str) -> int:
    by_day: dict[dt.date, list[int]] = {}
    for pk, day in ids_and_days:
        by_day.setdefault(day, []).append(pk)
    for day, pks in by_day.items():
        for chunk in _chunks(pks):
            TrackedDeadline.objects.filter(pk__in=chunk, closed_on__isnull=True).update(
                closed_on=day, outcome=outcome
            )
    return len(ids_and_days)


def _close_met_and_waived(today: dt.date) -> int:
    from hoso.accounts.models import User
    from hoso.records.models import Revision
    from hoso.workflow.models import ChangeRequest

    open_rows = TrackedDeadline.objects.filter(closed_on__isnull=True)
    closed = 0
    # the person left: no longer needed
    left = open_rows.exclude(person__status__in=WORKING_STATUSES).values_list("pk", flat=True)
    closed += _close([(pk, today) for pk in left], TrackedDeadline.Outcome.WAIVED)
    # account creation: met the day the account was given
    account = User.objects.filter(person_id=OuterRef("person_id"))
    given = (
        open_rows.filter(kind=AC).filter(Exists(account))
        .annotate(given=Subquery(account.values("date_joined")[:1]))
        .values_list("pk", "given")
    )
    closed += _close([(pk, _local_day(at)) for pk, at in given], TrackedDeadline.Outcome.MET)
    # self-entry: met the day a change request was first submitted …
    submitted = ChangeRequest.objects.filter(
        person_id=OuterRef("person_id"), submitted_at__isnull=False
    )
    first = (
        submitted.order_by().values("person_id").annotate(first=Min("submitted_at"))
        .values("first")
    )
    entered = (
        open_rows.filter(kind=SE).filter(Exists(submitted))
        .annotate(first=Subquery(first[:1])).values_list("pk", "first")
    )
    closed += _close([(pk, _local_day(at)) for pk, at in entered], TrackedDeadline.Outcome.MET)
    # … or not needed when the file was loaded as approved (no change request behind it)
    loaded = Revision.objects.filter(
        person_id=OuterRef("person_id"), change_request_id__isnull=True
    )
    waived = open_rows.filter(kind=SE).filter(Exists(loaded)).values_list("pk", flat=True)
    closed += _close([(pk, today) for pk in waived], TrackedDeadline.Outcome.WAIVED)
    return closed


def _redate(policy, _due) -> int:
    """Open obligations whose clock or deadline changed since they were opened: a
    recruitment date approved later, or the province's policy file edited."""
    changed = []
    recomputed = Greatest(
        Coalesce(F("person__profile__recruitment_date"), F("file_created_on")),
        Coalesce(F("file_created_on"), F("person__profile__recruitment_date")),
    )
    moved = (
        TrackedDeadline.objects.filter(kind=AC, closed_on__isnull=True)
        .annotate(start=recomputed)
        .exclude(start__isnull=True)
        .filter(~Q(start=F("starts_on")))
    )
    fresh = {pk: start for pk, start in moved.values_list("pk", "start")}
    rows: dict[int, TrackedDeadline] = {}
    for chunk in _chunks(list(fresh)):
        rows.update(TrackedDeadline.objects.in_bulk(chunk))
    for kind in (AC, SE):
        deadline = policy.deadlines.get(kind)
        if deadline is None:
            continue
        stale = TrackedDeadline.objects.filter(kind=kind, closed_on__isnull=True).filter(
            ~Q(province=policy.code) | ~Q(deadline_days=deadline.days)
            | ~Q(deadline_kind=deadline.kind)
        )
        rows.update((row.pk, row) for row in stale.iterator(chunk_size=CHUNK))
    for row in rows.values():
        deadline = policy.deadlines.get(row.kind)
        if deadline is None:
            continue
        row.starts_on = fresh.get(row.pk, row.starts_on)
        row.province, row.deadline_days = policy.code, deadline.days
        row.deadline_kind = deadline.kind
        row.due_on = _due(deadline, row.starts_on, policy.code)
        changed.append(row)
    for chunk in _chunks(changed):
        TrackedDeadline.objects.bulk_update(
            chunk, ["starts_on", "due_on", "province", "deadline_days", "deadline_kind"]
        )
    return len(changed)


def sync(*, today: dt.date | None = None, province: str | None = None,
         rebuild: bool = False) -> dict[str, int]:
    """Open the obligations the facts now call for, close those met or no longer
    needed, re-date those whose clock or deadline changed. Idempotent."""
    today = today or timezone.localdate()
    policy = _policy(province)
    with transaction.atomic():
        if rebuild:  # a projection: no signals, no audit, nothing refers to it
            from django.db import connection

            table = connection.ops.quote_name(TrackedDeadline._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the table's own name)
        dues = _Dues()
        counts = {
            "opened": _open_account_creation(policy, dues) + _open_self_entry(policy, dues),
            "redated": _redate(policy, dues),
            "closed": _close_met_and_waived(today),
        }
        state = TrackingState.objects.select_for_update().first()
        if state is None:
            TrackingState.objects.create(synced_at=timezone.now())
        else:
            state.synced_at = timezone.now()
            state.save(update_fields=["synced_at"])
    return counts


def ensure_synced() -> None:
    """Sync unless it already ran today (the morning sweep does, where a worker runs it):
    the overdue lists stay right where no worker runs. Nothing opened later in the day
    can be overdue before tomorrow (its clock starts today at the earliest), and what
    is met since is filtered out by the readers themselves."""
    state = TrackingState.objects.first()
    now = timezone.now()
    if state is None or state.synced_at > now or (
        timezone.localdate(state.synced_at) != timezone.localdate(now)
    ):
        sync()
