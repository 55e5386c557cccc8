"""The background task runner (django-tasks on the default database, `hoso db_worker`)
and the daily reminder run it carries: really queued as a row, really run by the
worker, and always exactly one run waiting for the next morning."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hoso.notifications import tasks
from hoso.notifications.models import ReminderRun

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.REMINDER_HOUR = 7


@pytest.fixture
def worker(monkeypatch):
    """`hoso db_worker --batch`, in this process, inside the test's transaction.

    Two things the worker does for a long-lived process are put aside for the test:
    it installs its own SIGINT/SIGTERM handlers (pytest's are put back after), and it
    drops database connections left outside autocommit between tasks
    (`close_old_connections`), which here is the test's own transaction."""
    import django_tasks_db.management.commands.db_worker as db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                     "--interval", "0", verbosity=0)

    yield run
    for s, handler in saved.items():
        signal.signal(s, handler)


def _queued():
    return DBTaskResult.objects.filter(task_path="hoso.notifications.tasks.send_reminders")


def test_the_next_run_is_the_next_seven_oclock_local_time(settings):
    settings.REMINDER_HOUR = 7
    tz = timezone.get_current_timezone()
    before = dt.datetime(2027, 2, 16, 6, 59, tzinfo=tz)
    after = dt.datetime(2027, 2, 16, 7, 0, tzinfo=tz)
    assert tasks.next_run_at(before) == dt.datetime(2027, 2, 16, 7, 0, tzinfo=tz)
    assert tasks.next_run_at(after) == dt.datetime(2027, 2, 17, 7, 0, tzinfo=tz)


def test_scheduling_twice_queues_one_run(db, database_tasks):
    first = tasks.schedule_daily()
    second = tasks.schedule_daily()
    assert first == second == tasks.next_run_at()
    (row,) = _queued()
    assert row.status == TaskResultStatus.READY and row.run_after == first


def test_the_immediate_backend_cannot_schedule_and_the_command_says_what_to_do(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.schedule_daily() is None
    with pytest.raises(CommandError) as exc:
        call_command("reminders", "schedule")
    assert "hoso reminders send" in str(exc.value) and "cron" in str(exc.value)


def test_the_worker_runs_the_queued_sweep_and_it_queues_the_next_morning(
    db, database_tasks, worker
):
    result = tasks.send_reminders.enqueue()  # as soon as possible
    assert _queued().get().status == TaskResultStatus.READY
    worker()
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    run = ReminderRun.objects.get()
    assert run.trigger == "task" and run.finished_at is not None
    (waiting,) = _queued().filter(status=TaskResultStatus.READY)
    assert waiting.run_after == tasks.next_run_at()
    # the worker leaves tomorrow's run alone: it is not due yet
    worker()
    assert ReminderRun.objects.count() == 1
    assert _queued().filter(status=TaskResultStatus.READY).count() == 1


def test_a_failing_sweep_still_queues_the_next_morning(db, database_tasks, worker, settings):
    settings.PROVINCE = "no-such-province"  # the policy cannot be loaded: the run fails
    result = tasks.send_reminders.enqueue()
    worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    assert _queued().filter(status=TaskResultStatus.READY).count() == 1


def test_the_commands_send_schedule_and_report(db, database_tasks, capsys):
    call_command("reminders", "status")
    out = capsys.readouterr().out
    assert "Chưa có lượt nhắc việc nào." in out and "Chưa có lượt nào được xếp lịch" in out
    call_command("reminders", "send", "--date", "2027-02-16")
    out = capsys.readouterr().out
    assert out.startswith("Nhắc việc ngày 16/02/2027: đã gửi 0 thông báo.")
    call_command("reminders", "schedule")
    call_command("reminders", "schedule")
    out = capsys.readouterr().out
    when = timezone.localtime(tasks.next_run_at()).strftime("%H:%M %d/%m/%Y")
    assert out.count(f"Lượt nhắc việc tiếp theo đã được xếp lịch lúc {when}") == 2
    assert _queued().count() == 1
    call_command("reminders", "status")
    out = capsys.readouterr().out
    assert "Lượt nhắc việc ngày 16/02/2027" in out
    assert f"Lượt tiếp theo được xếp lịch lúc {when}." in out


def test_a_bad_date_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError) as exc:
        call_command("reminders", "send", "--date", "16/02/2027")
    assert str(exc.value) == (
        "“16/02/2027” không phải là ngày: hãy viết theo dạng YYYY-MM-DD, ví dụ 2027-02-17."
    )
