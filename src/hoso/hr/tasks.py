"""Background work of the hr app (django-tasks; the worker is `hoso db_worker`)."""

from __future__ import annotations

from django_tasks import TaskResultStatus, task

from hoso.core.context import acting_as


@task()
def check_all_files() -> int:
    """Check every stale file (the same as `hoso hr check`); returns how many."""
    from .services import check_files

    with acting_as(label="system:hr-check"):
        return check_files()


def check_all_files_soon() -> bool:
    """Queue `check_all_files` unless the queue (the database backend's) already holds
    it waiting or running; True when queued now."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(check_all_files.get_backend(), DatabaseBackend):
        pending = DBTaskResult.objects.filter(
            task_path=check_all_files.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        )
        if pending.exists():
            return False
    check_all_files.enqueue()
    return True
