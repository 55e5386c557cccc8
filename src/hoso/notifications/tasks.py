"""Background tasks: the daily reminder sweep on the project's task runner.

The runner is django-tasks with its database backend (settings.TASKS): a task is a row
in the default database, and `hoso db_worker` runs the rows that are due. No broker;
SQLite and PostgreSQL alike (DESIGN, Architecture). django-tasks has no periodic
tasks, so the sweep re-enqueues itself: each run queues the next one for the next
morning (settings.REMINDER_HOUR, default 7:00 local time). `schedule_daily` keeps
exactly one such run pending however often it is called (at the end of every run, by
`hoso reminders schedule`, from `make demo`); `hoso reminders send` runs the sweep at
once, for operators who prefer cron or a systemd timer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

# An arbitrary constant naming the scheduling lock (pg_advisory_xact_lock).
_SCHEDULE_LOCK = 0x686F736F01


def reminder_hour() -> int:
    return int(settings.REMINDER_HOUR)


@task()
def send_reminders() -> dict[str, int]:
    """Send the day's reminders, then queue tomorrow's run (even when this one failed:
    a broken day must not stop the next)."""
    from .reminders import run

    try:
        return run(trigger="task")
    finally:
        schedule_daily()


def next_run_at(now: dt.datetime | None = None) -> dt.datetime:
    """The next REMINDER_HOUR o'clock, local time, after `now`."""
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=reminder_hour(), minute=0, second=0, microsecond=0)
    if at <= local:
        at = (at + dt.timedelta(days=1)).replace(hour=reminder_hour())
    return at


def supports_scheduling() -> bool:
    """Whether the configured backend keeps tasks for later (the database backend does;
    the immediate one, HOSO_TASKS_IMMEDIATE=1, runs each at once and cannot)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(send_reminders.get_backend(), DatabaseBackend)


def _pending():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_reminders.module_path,
        backend_name=send_reminders.backend,
        status=TaskResultStatus.READY,
    )


def pending_run() -> dt.datetime | None:
    """When the queued reminder run is due (None when none is queued). A run queued
    to go "as soon as possible" reports the time it was queued."""
    from django_tasks_db.models import get_date_max

    if not supports_scheduling():
        return None
    row = _pending().order_by("run_after").first()
    if row is None:
        return None
    return row.enqueued_at if row.run_after == get_date_max() else row.run_after


def schedule_daily(now: dt.datetime | None = None) -> dt.datetime | None:
    """Make sure one reminder run is queued: the one already pending, or a new one at the
    next REMINDER_HOUR. Returns when it runs; None when the backend cannot defer."""
    if not supports_scheduling():
        return None
    with transaction.atomic():
        # Two callers at once (the worker finishing a run, an operator's command) must
        # not queue two runs: PostgreSQL takes an advisory lock; SQLite's transactions
        # already take the write lock at BEGIN (IMMEDIATE, settings.DATABASES).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULE_LOCK])
        existing = pending_run()
        if existing is not None:
            return existing
        when = next_run_at(now)
        send_reminders.using(run_after=when).enqueue()
        return when
