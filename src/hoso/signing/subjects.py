"""What a stored signature covers, per kind of subject.

An app whose objects are signed registers how to turn one into the JSON document the
signature covers (`register_subject("workflow.reviewdecision", fn)`); `sign_and_store`
then signs `fn(obj)` and `hoso audit verify` checks that the stored hash is still the
hash of `fn(obj)` today. Revisions are registered here: their document, chain links
and approval are what the head of unit approves by signature (Cần Thơ Đ5.1.đ,
Quảng Nam Đ5.1, Lâm Đồng Đ7.3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps

_PAYLOADS: dict[str, Callable[[Any], Any]] = {}


def register_subject(label: str, payload: Callable[[Any], Any]) -> None:
    _PAYLOADS[label.lower()] = payload


def label_of(obj) -> str:
    return obj._meta.label_lower


def is_registered(label: str) -> bool:
    return label.lower() in _PAYLOADS


def payload_for(obj) -> Any:
    fn = _PAYLOADS.get(label_of(obj))
    if fn is None:
        raise LookupError(label_of(obj))
    return fn(obj)


def load(label: str, pk: str):
    """The subject object, or None when it no longer exists (or its app is gone)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model._base_manager.filter(pk=pk).first()


def revision_payload(revision) -> dict:
    return {
        "kind": "hoso.revision",
        "parent_hash": revision.parent_hash,
        "content_hash": revision.content_hash,
        **revision.hash_payload(revision.document),
    }


def register_defaults() -> None:
    register_subject("records.revision", revision_payload)
