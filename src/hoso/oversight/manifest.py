"""The manifest of a province batch: the JSON document Sở Nội vụ's signature covers.

It names the province, the month and the batch, and each approved revision by the
person's key — the person's id in hoso and the keyed hash of their identification
number, never the number, the name or any other data of the file — the revision's
number and content hash (which covers the whole approved document, `records.Revision`)
and the code of the unit that approved it. `items_hash` is the SHA-256 of the items'
canonical JSON, so that a receiver can check the list apart from its envelope; the
SHA-256 of the whole manifest's canonical JSON is kept on the batch
(`manifest_hash`) and in the stored signature (`content_hash`).

Everything here is read from the batch's rows as they were frozen when each item was
added, so `hoso audit verify` recomputes exactly the signed bytes (the subject is
registered in `apps.OversightConfig.ready`).
"""

from __future__ import annotations

from hoso.core.canonical import canonical_json, sha256_hex

KIND = "hoso.province_batch"
VERSION = 1


def items_of(batch) -> list[dict]:
    """The batch's items in manifest order (by person, then revision number), in one
    query that reads only the columns the manifest needs."""
    from .models import ProvinceBatchItem

    rows = (
        ProvinceBatchItem.objects.filter(batch_id=batch.pk)
        .order_by("person_id", "revision__number")
        .values_list("person_id", "id_number_hash", "revision__number",
                     "revision__content_hash", "unit_code")
    )
    return [
        {"person": person, "id_number_hash": id_hash, "revision": number,
         "content_hash": content_hash, "unit": unit}
        for person, id_hash, number, content_hash, unit in rows.iterator(chunk_size=5000)
    ]


def manifest_of(batch, *, year: int | None = None, month: int | None = None) -> dict:
    """The manifest of `batch` for the month it is signed in (default: its own)."""
    items = items_of(batch)
    year = batch.year if year is None else year
    month = batch.month if month is None else month
    return {
        "kind": KIND,
        "version": VERSION,
        "province": {"policy": batch.policy, "code": batch.province_unit_code},
        "period": f"{year:04d}-{month:02d}",
        "batch": batch.pk,
        "count": len(items),
        "items_hash": sha256_hex(canonical_json(items)),
        "items": items,
    }


def manifest_bytes(manifest: dict) -> bytes:
    return canonical_json(manifest)
