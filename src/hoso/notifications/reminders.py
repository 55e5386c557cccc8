"""The reminder sweep: once a day, remind whoever must act before and after a deadline.

Issue 5 ("Deadlines and reminders"): every review step carries its due date from the
policy and the calendar; reminders go out before and after it, in the application and
by e-mail. The deadlines the regulations set outside the review are reminded too:

- a review step awaiting a decision: its approvers — the holders of the step's role on
  a unit covering the step's unit, and their delegates in force (Quảng Nam Đ5.2, Lâm
  Đồng Đ7.3) — never the person whose file it is;
- account creation (Cần Thơ 641/QĐ-UBND Đ5.1.a, Lâm Đồng Đ7.1): the HR officers and
  unit administrators of the person's unit;
- self-entry (Cần Thơ Đ5.1.b, Lai Châu 2.2, Lâm Đồng Đ7.2): the person; once overdue,
  also the HR officers of their unit ("the person has not entered their data").
The keepers get one notification per stage listing the files that reached it that day
(a unit's first days may hold hundreds of files without an account), not one per file.

When, for a due date D (working days of the province's calendar; nothing is sent on a
day off — what falls on one goes out the next working day):
- "due soon": on a working day with 1 … N working days left until D (N =
  settings.REMINDER_DAYS_BEFORE, default 2);
- "due today": on D itself, or on the last working day before D when D is a day off;
- "overdue": the first working day after D, then every M working days (M =
  settings.REMINDER_OVERDUE_EVERY, default 3) while the item stays open.
Each reminder is sent once — a step's by its key (step, stage, overdue round), unique
per recipient; a tracked deadline's by the stage recorded on it — so running the sweep
twice on a day, or by hand after the task, repeats nothing. A recipient with an e-mail
address gets one letter per sweep listing all of their new reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoso.core.context import acting_as

from . import selectors, tracking
from .models import Kind, ReminderRun, TrackedDeadline
from .services import Outgoing, deliver, email_digest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    name: str  # "due_soon" | "due_today" | "overdue"
    round: int = 0  # the overdue reminder's number, 0, 1, 2 …
    left: int = 0  # working days left ("due_soon")
    late: int = 0  # working days past the due date ("overdue")

    @property
    def key(self) -> str:
        return f"overdue:{self.round}" if self.name == "overdue" else self.name


def stage_on(
    today: dt.date, due: dt.date, *, province: str | None, before: int | None = None,
    every: int | None = None,
) -> Stage | None:
    """Which reminder, if any, an item due on `due` gets on `today` (see the module)."""
    from hoso.core.calendar import is_working_day, working_days_between

    before = selectors.days_before() if before is None else before
    every = selectors.overdue_every() if every is None else every
    if not is_working_day(today, province=province):
        return None
    if today <= due:
        left = working_days_between(today, due, province=province)
        if left == 0:
            return Stage("due_today")
        if left <= before:
            return Stage("due_soon", left=left)
        return None
    late = working_days_between(due, today, province=province)
    return Stage("overdue", round=(late - 1) // every, late=late)


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- review steps ----------------------------------------------------------------------


def _step_message(step, stage: Stage) -> str:
    cr = step.change_request
    params = {
        "number": cr.pk, "name": cr.person.full_name, "step": step.label_display(),
        "k": step.number, "n": cr.steps_total, "due": _d(step.due_date),
        "left": stage.left, "late": stage.late,
    }
    if stage.name == "due_soon":
        return _(
            "Change request no. %(number)s (file of %(name)s) awaits your decision at step "
            "%(k)s of %(n)s, “%(step)s”: due on %(due)s, %(left)s working day(s) left."
        ) % params
    if stage.name == "due_today":
        return _(
            "Change request no. %(number)s (file of %(name)s) awaits your decision at step "
            "%(k)s of %(n)s, “%(step)s”: it is due today, %(due)s."
        ) % params
    return _(
        "Change request no. %(number)s (file of %(name)s) is overdue at step %(k)s of "
        "%(n)s, “%(step)s”: it was due on %(due)s, %(late)s working day(s) ago."
    ) % params


STEP_KINDS = {
    "due_soon": Kind.REVIEW_DUE_SOON, "due_today": Kind.REVIEW_DUE_TODAY,
    "overdue": Kind.REVIEW_OVERDUE,
}


def _step_url(step) -> str:
    return reverse("workflow:review", kwargs={"pk": step.change_request_id})


def step_reminders(today: dt.date, approvers: selectors.Approvers) -> list[Outgoing]:
    from hoso.workflow.selectors import active_steps

    steps = active_steps().filter(due_date__isnull=False).defer(
        "change_request__person__id_number", "change_request__public",
        "change_request__sealed",
    )
    out = []
    stages: dict[tuple, Stage | None] = {}  # many steps share a due date
    for step in steps.iterator(chunk_size=1000):
        where = (step.due_date, step.change_request.policy or None)
        if where not in stages:
            stages[where] = stage_on(today, where[0], province=where[1])
        stage = stages[where]
        if stage is None:
            continue
        recipients = selectors.step_approvers(step, approvers=approvers)
        if not recipients:
            logger.warning("review step %s has no one to decide it", step.pk)
            continue
        message, url = _step_message(step, stage), _step_url(step)
        key = f"review:{step.pk}:{stage.key}"
        out += [Outgoing(u, STEP_KINDS[stage.name], message, url, key) for u in recipients]
    return out


# --- tracked deadlines -----------------------------------------------------------------


def _rank(stage_key: str) -> tuple[int, int]:
    """The order of a tracked deadline's reminders: due soon, due today, overdue 0, 1 …"""
    if not stage_key:
        return (0, 0)
    if stage_key.startswith("overdue:"):
        return (3, int(stage_key.split(":", 1)[1]))
    return {"due_soon": (1, 0), "due_today": (2, 0)}[stage_key]


def _entry_message(due: dt.date, stage: Stage) -> str:
    params = {"due": _d(due), "left": stage.left, "late": stage.late}
    if stage.name == "due_soon":
        return _(
            "Enter your personnel data and submit it for review by %(due)s: %(left)s "
            "working day(s) left."
        ) % params
    if stage.name == "due_today":
        return _("Enter your personnel data and submit it for review today, %(due)s.") % params
    return _(
        "You have not yet entered your personnel data: it was due on %(due)s, %(late)s "
        "working day(s) ago. Enter it and submit it for review."
    ) % params


NAMES_SHOWN = 5


def _names(rows) -> str:
    shown = ", ".join(f"{r.person__full_name} ({r.person__unit__name})"
                      for r in rows[:NAMES_SHOWN])
    if len(rows) > NAMES_SHOWN:
        return _("%(names)s and %(count)d others") % {
            "names": shown, "count": len(rows) - NAMES_SHOWN,
        }
    return shown


def _group_message(kind: str, rows) -> str:
    """One notification for a keeper's obligations that reached the same stage today:
    at a province's start hundreds of files may wait for an account in one unit."""
    params = {"count": len(rows), "due": _d(min(r.due_on for r in rows)),
              "names": _names(rows)}
    if kind == Kind.ACCOUNT_DUE_SOON:
        return _("Accounts to create soon for %(count)d people, the first due on %(due)s: "
                 "%(names)s.") % params
    if kind == Kind.ACCOUNT_DUE_TODAY:
        return _("Accounts to create today, %(due)s, for %(count)d people: %(names)s.") % params
    if kind == Kind.ACCOUNT_OVERDUE:
        return _("Accounts not created in time for %(count)d people, the oldest due on "
                 "%(due)s: %(names)s.") % params
    return _("%(count)d people have not entered their data in time, the oldest due on "
             "%(due)s: %(names)s.") % params


ACCOUNT_KINDS = {
    "due_soon": Kind.ACCOUNT_DUE_SOON, "due_today": Kind.ACCOUNT_DUE_TODAY,
    "overdue": Kind.ACCOUNT_OVERDUE,
}
ENTRY_KINDS = {
    "due_soon": Kind.SELF_ENTRY_DUE_SOON, "due_today": Kind.SELF_ENTRY_DUE_TODAY,
    "overdue": Kind.SELF_ENTRY_OVERDUE,
}


@dataclass
class ObligationReminders:
    outgoing: list[Outgoing]
    marks: dict[str, list[int]]  # stage key → tracked deadlines reminded of it


def obligation_reminders(
    today: dt.date, approvers: selectors.Approvers, *, province: str | None = None
) -> ObligationReminders:
    """The reminders of the tracked deadlines that reached a new stage today (each
    stage once per obligation: `TrackedDeadline.reminded`): the person's own, one by
    one; the keepers', one per keeper and kind listing the people concerned."""
    import hashlib

    from hoso.accounts.models import User
    from hoso.org.models import OrgUnit

    policy = selectors._policy(province)
    groups: dict[tuple[int, str], list] = {}
    out: list[Outgoing] = []
    marks: dict[str, list[int]] = {}
    pending = []  # (row, stage)
    for kind in selectors._tracked_kinds(policy):
        open_rows = selectors.open_obligation_rows(kind)
        # The stage depends on the due date alone: ask the database only for the rows
        # of the due dates that have one today and have not been reminded of it.
        by_key: dict[str, list[dt.date]] = {}
        stages: dict[dt.date, Stage] = {}
        for due in open_rows.order_by().values_list("due_on", flat=True).distinct():
            stage = stage_on(today, due, province=policy.code)
            if stage is not None:
                by_key.setdefault(stage.key, []).append(due)
                stages[due] = stage
        for key, dues in by_key.items():
            for row in open_rows.filter(due_on__in=dues).exclude(reminded=key):
                stage = stages[row.due_on]
                if _rank(stage.key) > _rank(row.reminded):
                    pending.append((row, stage))
    accounts = User.objects.in_bulk({r.account_id for r, _s in pending if r.account_id})
    units = OrgUnit.objects.in_bulk({r.person__unit_id for r, _s in pending})
    for row, stage in pending:
        marks.setdefault(stage.key, []).append(row.pk)
        unit = units[row.person__unit_id]
        if row.kind == selectors.ACCOUNT_CREATION:
            for u in selectors.keepers_of(unit, selectors.ACCOUNT_KEEPERS, approvers=approvers):
                if u.person_id != row.person_id:
                    groups.setdefault((u.pk, ACCOUNT_KINDS[stage.name]), []).append(row)
            continue
        account = accounts.get(row.account_id)
        if account is not None:
            out.append(Outgoing(
                account, ENTRY_KINDS[stage.name], _entry_message(row.due_on, stage),
                reverse("workflow:my_file"), f"self_entry:{row.person_id}:{stage.key}",
            ))
        if stage.name == "overdue":
            for u in selectors.keepers_of(unit, selectors.ENTRY_CHASERS, approvers=approvers):
                if u.person_id != row.person_id:
                    groups.setdefault((u.pk, Kind.SELF_ENTRY_MISSING), []).append(row)
    users = approvers.users
    for (user_id, kind), members in groups.items():
        members.sort(key=lambda r: (r.due_on, r.person__full_name, r.pk))
        if kind in (Kind.ACCOUNT_OVERDUE, Kind.SELF_ENTRY_MISSING):
            url = reverse("notifications:overdue")
        else:
            url = reverse("notifications:overdue") + "?all=1"
        # one notification per set of obligations: a second sweep the same day adds
        # only those that reached the stage since
        digest = hashlib.sha256(",".join(str(r.pk) for r in members).encode()).hexdigest()
        out.append(Outgoing(users[user_id], kind, _group_message(kind, members), url,
                            f"{kind}:{today.isoformat()}:{digest[:16]}"))
    return ObligationReminders(out, marks)


# --- the sweep ---------------------------------------------------------------------------


def run(*, on: dt.date | None = None, trigger: str = "command") -> dict[str, int]:
    """Send the reminders of the day `on` (today by default); returns how many of each
    kind were sent (already-sent ones are not counted). Runs as "system:reminders"."""
    today = on or timezone.localdate()
    with acting_as(label="system:reminders"), translation.override(settings.LANGUAGE_CODE):
        record = ReminderRun.objects.create(day=today, trigger=trigger)
        tracking.sync(today=today)
        approvers = selectors.Approvers()
        # Written in chunks of one transaction each (`deliver`): a province's first
        # morning may hold many reminders, and no lock is held for all of them.
        created = deliver(step_reminders(today, approvers), email=False)
        tracked = obligation_reminders(today, approvers)
        with transaction.atomic():  # the reminders and the record that they were sent
            created += deliver(tracked.outgoing, email=False)
            for stage_key, pks in tracked.marks.items():
                for start in range(0, len(pks), 1000):
                    TrackedDeadline.objects.filter(pk__in=pks[start:start + 1000]).update(
                        reminded=stage_key
                    )
        email_digest(created, day=today)
        counts = dict(Counter(n.kind for n in created))
        record.finished_at = timezone.now()
        record.counts = counts
        record.save(update_fields=["finished_at", "counts"])
    return counts
