"""Canonical JSON and hashing: the byte form that hash chains and signatures cover.

Keys sorted, no insignificant whitespace, UTF-8, dates as ISO 8601. The same document
always gives the same bytes, whichever database or Python version produced it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"not canonical-JSON serialisable: {type(value).__name__}")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, default=_default, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chain_hash(prev_hash: str, payload: Any) -> str:
    """The hash of one link: the previous link's hash and this link's canonical payload."""
    return sha256_hex(prev_hash.encode("ascii") + b"\n" + canonical_json(payload))
