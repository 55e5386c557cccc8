"""Reads of the audit trail, for those who hold `audit.view` on the whole province
(the auditor and Sở Nội vụ: Lâm Đồng Đ13). Every function checks it itself."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoso.accounts.permissions import require
from hoso.accounts.roles import Action
from hoso.records.models import Person

from .models import AccessLog, ChainedRow, ChangeLog
from .services import log_access
from .verify import ChainReport, verify_all

PERSON_TYPE = Person._meta.label_lower


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(
    qs: QuerySet,
    *,
    date_from: dt.date | None,
    date_to: dt.date | None,
    action: str,
    actor: str,
) -> QuerySet:
    # Bounds as instants of the local day, so the `at` index serves the range.
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if action:
        qs = qs.filter(action=action)
    actor = actor.strip()
    if actor:
        qs = qs.filter(Q(actor__username__icontains=actor) | Q(actor_label__icontains=actor))
    return qs


def _rows(
    model: type[ChainedRow],
    *,
    user,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
    actor: str = "",
) -> QuerySet:
    require(user, Action.AUDIT_VIEW)
    qs = model.objects.select_related("actor").order_by("-seq")
    return _filtered(qs, date_from=date_from, date_to=date_to, action=action, actor=actor)


def change_log_list(*, user, **filters) -> QuerySet[ChangeLog]:
    """Change rows, newest first; filters: date_from, date_to, action, actor."""
    return _rows(ChangeLog, user=user, **filters)


def access_log_list(*, user, **filters) -> QuerySet[AccessLog]:
    """Access rows, newest first; filters: date_from, date_to, action, actor."""
    return _rows(AccessLog, user=user, **filters)


def change_log_get(*, user, pk: int) -> tuple[ChangeLog, bool]:
    """One change row, and whether its values may be shown.

    The trail tells an auditor who changed which field and when; the values of a
    personal file stay behind `person.view` (the auditor holds no personal files).
    Showing them to someone else is a read of that person's data: it leaves an
    access row.
    """
    require(user, Action.AUDIT_VIEW)
    row = ChangeLog.objects.select_related("actor").get(pk=pk)
    if row.object_type != PERSON_TYPE:
        return row, True
    person_id = int(row.object_id)
    if not Person.objects.visible_to(user, Action.PERSON_VIEW).filter(pk=person_id).exists():
        return row, False
    if person_id != getattr(user, "person_id", None):
        log_access(action="view", obj=row, person_id=person_id, detail={"via": "audit"})
    return row, True


def chains_verify(*, user) -> list[ChainReport]:
    """Recompute both hash chains (`hoso audit verify`); reads every row, so on demand."""
    require(user, Action.AUDIT_VIEW)
    return verify_all()
