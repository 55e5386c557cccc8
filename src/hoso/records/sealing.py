"""Encryption at rest of a profile document's sensitive part (DESIGN principle 8).

Cần Thơ Đ3.3, Quảng Nam Đ2.3 and Lâm Đồng Đ6.2 keep personnel data "theo chế độ hạn
chế tiếp cận, mã hóa một số trường thông tin": the fields the schema marks restricted
or secret (health, family, Party membership, self-history …) are stored as one Fernet
token (`hoso.core.crypto`, keys from settings, rotated by `hoso keys rotate`); the
public fields stay clear JSON, so a database dump without the keys shows no more than
a public page would.

    clear, sealed = seal(document, category="cong_chuc")
    document == unseal(clear, sealed)

A table is sealed whole when the table or any of its columns is sensitive; a key the
schema does not know is sealed too (the safe side: nothing unknown goes out clear).
Revisions and drafts (workflow) both store their documents this way.
"""

from __future__ import annotations

import json

from hoso.core.canonical import canonical_json
from hoso.core.crypto import decrypt, encrypt


def clear_keys(category: str) -> frozenset[str]:
    """The top-level keys of `category`'s document that are stored in the clear (kept
    on the schema object: a changed form, e.g. a new extension, is a new object)."""
    from .schema import get_schema, sensitive_keys

    schema = get_schema(category)
    cached = getattr(schema, "_hoso_clear_keys", None)
    if cached is None:
        sensitive = set(sensitive_keys(schema))
        cached = frozenset(
            field.key
            for field in schema.fields
            if field.key not in sensitive
            and field.access == "public"
            and all(col.access == "public" for col in (field.columns or ()))
        )
        schema._hoso_clear_keys = cached
    return cached


def seal(document: dict, *, category: str) -> tuple[dict, str]:
    """Split `document` into its clear part and one token holding the sensitive part
    ("" when the document has no sensitive value)."""
    clear_set = clear_keys(category)
    clear = {k: v for k, v in document.items() if k in clear_set}
    secret = {k: v for k, v in document.items() if k not in clear_set}
    return clear, (encrypt(canonical_json(secret).decode("utf-8")) if secret else "")


def unseal(clear_part: dict, sealed: str) -> dict:
    """The whole document again. Raises `cryptography.fernet.InvalidToken` when the
    token was altered or no configured key opens it."""
    document = dict(clear_part)
    if sealed:
        document.update(json.loads(decrypt(sealed)))
    return document
