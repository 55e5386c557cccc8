"""Encryption at rest and keyed hashes (DESIGN principle 8).

Sensitive values are stored as Fernet tokens (AES-128-CBC + HMAC-SHA256) under the
keys of settings.ENCRYPTION_KEYS (newest first, so keys rotate: decrypt with any,
encrypt with the first). Exact-match look-ups go through an HMAC-SHA256 keyed hash,
never through the clear value.

Every encrypted column registers itself (`register_rotation(model, field_names)`,
from its app's `ready()`) so that `hoso keys rotate` can re-encrypt it under the
newest key, in batches, while hoso keeps serving (docs/operators.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection, models, transaction


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


@cache
def _newest(key: str) -> Fernet:
    return Fernet(key.encode())


def is_current(token: str) -> bool:
    """True when `token` is encrypted under the newest key (its HMAC is checked; nothing
    is decrypted)."""
    try:
        _newest(settings.ENCRYPTION_KEYS[0]).extract_timestamp(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


# (model, field names) of every encrypted column, for `hoso keys rotate`.
_ROTATIONS: list[tuple[type[models.Model], tuple[str, ...]]] = []


def register_rotation(model: type[models.Model], field_names) -> None:
    """Declare `model`'s columns `field_names` as holding Fernet tokens (or "" / NULL)."""
    entry = (model, tuple(field_names))
    if entry not in _ROTATIONS:
        _ROTATIONS.append(entry)


def rotations() -> list[tuple[type[models.Model], tuple[str, ...]]]:
    return list(_ROTATIONS)


def keyed_hash(value: str) -> str:
    return hmac.new(settings.HASH_KEY.encode(), value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the clear text."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value in (None, "") else encrypt(value)


@dataclass
class RotationReport:
    label: str  # "records.Person.id_number, …"
    rows: int = 0  # rows read
    rotated: int = 0  # values re-encrypted under the newest key
    current: int = 0  # values already under it


def rotate_model(
    model: type[models.Model],
    field_names: tuple[str, ...],
    *,
    batch_size: int = 1000,
    dry_run: bool = False,
    progress: Callable[[RotationReport, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt `model`'s columns `field_names` under the newest key, `batch_size` rows
    per transaction, so hoso keeps serving while it runs (every key still decrypts).

    Raw SQL on purpose: the values do not change, only their encryption, so neither
    model code (audit signals, immutability guards) nor the clear text is involved.
    Each value is written only if it is still the one read (a concurrent writer has
    already encrypted its own under the newest key). Running it again rotates nothing:
    values already under the newest key are left as they are.
    """
    # Only identifiers from the model's own meta, quoted, are put into the SQL below;
    # every value is a parameter.
    meta = model._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = [quote(meta.get_field(name).column) for name in field_names]
    report = RotationReport(label=", ".join(f"{meta.label}.{n}" for n in field_names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        total = cursor.fetchone()[0]
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            select = f"SELECT {pk}, {', '.join(columns)} FROM {table} {where}"  # noqa: S608
            cursor.execute(
                f"{select}ORDER BY {pk} LIMIT %s",
                ([last] if last is not None else []) + [batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            updates: dict[str, list[tuple[str, object, str]]] = {c: [] for c in columns}
            for row in rows:
                for column, token in zip(columns, row[1:], strict=True):
                    if not token:
                        continue
                    if is_current(token):
                        report.current += 1
                    else:
                        updates[column].append((rotate(token), row[0], token))
                        report.rotated += 1
            if not dry_run:
                for column, params in updates.items():
                    if params:
                        cursor.executemany(
                            f"UPDATE {table} SET {column} = %s "  # noqa: S608
                            f"WHERE {pk} = %s AND {column} = %s",
                            params,
                        )
            report.rows += len(rows)
            last = rows[-1][0]
        if progress:
            progress(report, total)
    return report
