"""Writing audit rows. Every write in hoso ends here, inside the writer's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from hoso.core.canonical import canonical_json, chain_hash
from hoso.core.context import current_actor

from .models import AccessLog, ChainedRow, ChainHead, ChangeLog


def _jsonable(value: Any) -> Any:
    """Round-trip through canonical JSON so the stored row hashes as it was hashed."""
    import json

    return json.loads(canonical_json(value))


def _append(model: type[ChainedRow], rows: Iterable[dict]) -> list[ChainedRow]:
    actor = current_actor()
    now = timezone.now()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(chain=model.CHAIN)
        objs = []
        for fields in rows:
            obj = model(
                seq=head.seq + 1,
                prev_hash=head.hash,
                at=now,
                actor_id=actor.user_id,
                actor_label=actor.label,
                request_id=actor.request_id,
                **{k: _jsonable(v) if k in ("before", "after", "detail") else v
                   for k, v in fields.items()},
            )
            obj.hash = chain_hash(obj.prev_hash, obj.payload())
            head.seq, head.hash = obj.seq, obj.hash
            objs.append(obj)
        if objs:
            model.objects.bulk_create(objs, batch_size=1000)
            head.save(update_fields=["seq", "hash"])
    return objs


def log_change(*, action: str, obj, before: dict | None, after: dict | None) -> ChangeLog:
    return log_changes([(action, obj, before, after)])[0]


def log_changes(items: Iterable[tuple[str, Any, dict | None, dict | None]]) -> list[ChangeLog]:
    """Many change rows in one go (imports, demo data, cascades), one chain link each."""
    reason = current_actor().reason
    return _append(
        ChangeLog,
        (
            {
                "action": action,
                "object_type": obj._meta.label_lower,
                "object_id": str(obj.pk),
                "before": before,
                "after": after,
                "reason": reason,
            }
            for action, obj, before, after in items
        ),
    )


def log_access(
    *,
    action: str,
    obj=None,
    person_id: int | None = None,
    outcome: str = "ok",
    detail: dict | None = None,
) -> AccessLog:
    return _append(
        AccessLog,
        [
            {
                "action": action,
                "object_type": obj._meta.label_lower if obj is not None else "",
                "object_id": str(obj.pk) if obj is not None else "",
                "person_id": person_id,
                "outcome": outcome,
                "detail": detail or {},
            }
        ],
    )[0]


def log_access_many(*, action: str, person_ids: Iterable[int], detail: dict | None = None) -> None:
    """One access row per person read (a list page, an export)."""
    _append(
        AccessLog,
        (
            {
                "action": action,
                "object_type": "records.person",
                "object_id": str(pid),
                "person_id": pid,
                "outcome": "ok",
                "detail": detail or {},
            }
            for pid in person_ids
        ),
    )
