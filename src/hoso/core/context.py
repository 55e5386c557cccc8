"""Who is acting and in which request: read by the audit log wherever a write happens.

A web request sets it in middleware; commands, jobs and imports set it with
`acting_as(label="system:<job>")` so nothing is ever written without an actor
(NetBox issue #17941 is the failure this avoids).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    request_id: str
    reason: str = ""


_actor: ContextVar[Actor | None] = ContextVar("hoso_actor", default=None)


def current_actor() -> Actor:
    actor = _actor.get()
    if actor is None:
        return Actor(user_id=None, label="system:unknown", request_id=new_request_id())
    return actor


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(
    user=None, *, label: str | None = None, reason: str = "", request_id: str | None = None
) -> Iterator[Actor]:
    """Run a block as `user` (or as a system job named by `label`), with a reason."""
    outer = _actor.get()
    if user is not None and getattr(user, "is_authenticated", False):
        user_id, lbl = user.pk, label or f"user:{user.pk}"
    else:
        user_id, lbl = None, label or "system:unknown"
    actor = Actor(
        user_id=user_id,
        label=lbl,
        request_id=request_id or (outer.request_id if outer else new_request_id()),
        reason=reason or (outer.reason if outer else ""),
    )
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def reason(text: str) -> Iterator[None]:
    """Attach a reason to every change written inside the block."""
    outer = current_actor()
    token = _actor.set(
        Actor(user_id=outer.user_id, label=outer.label, request_id=outer.request_id, reason=text)
    )
    try:
        yield
    finally:
        _actor.reset(token)
