"""`hoso audit verify` for evidence: every stored scan is still there and still has
the SHA-256 recorded when it was uploaded. A scan swapped or removed behind hoso's
back (on the disk or in the bucket) is reported with the id of its evidence row."""

from __future__ import annotations

import hashlib

from hoso.audit.verify import ChainReport

from .models import EvidenceDocument
from .storage import evidence_files

CHAIN = "evidence"
CHUNK = 1024 * 1024


def _digest(storage, name: str) -> str | None:
    try:
        with storage.open(name, "rb") as fh:
            h = hashlib.sha256()
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                h.update(chunk)
            return h.hexdigest()
    except (FileNotFoundError, OSError):
        return None
    except Exception:  # object storage reports a missing key its own way
        return None


def verify_evidence() -> ChainReport:
    report = ChainReport(chain=CHAIN, rows=0)
    storage = evidence_files()
    seen: dict[str, str | None] = {}  # one scan stored once may back several rows
    rows = EvidenceDocument.objects.order_by("pk").values_list("pk", "sha256", "storage_name")
    for pk, sha256, name in rows.iterator(chunk_size=2000):
        report.rows += 1
        if name not in seen:
            seen[name] = _digest(storage, name)
        digest = seen[name]
        if digest is None:
            report.broken_seq, report.problem = pk, "evidence_missing"
            return report
        if digest != sha256:
            report.broken_seq, report.problem = pk, "evidence_altered"
            return report
    return report
