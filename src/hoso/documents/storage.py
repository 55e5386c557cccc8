"""Where scanned evidence is kept: Django's storage API under the name "evidence".

Local files under the data dir by default (the embedded install); S3-compatible object
storage (AWS, MinIO, Ceph …) through django-storages when a bucket is configured
(DESIGN: "S3-compatible object storage for scanned evidence" in production). The
application only ever speaks to `storages["evidence"]`, so both behave the same.

Files are named by the SHA-256 of their content, never by the person's name or the
uploaded file's name: the same scan uploaded twice is stored once, and a listing of
the bucket reveals nobody.

This module is imported by settings.py: it must not touch Django's settings or models
at import time.
"""

from __future__ import annotations

from pathlib import Path

STORAGE_ALIAS = "evidence"


def evidence_storage(
    *,
    data_dir: Path,
    bucket: str = "",
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
) -> dict:
    """The STORAGES entry for evidence, from the HOSO_EVIDENCE_S3_* settings."""
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(Path(data_dir) / "evidence"),
                "file_permissions_mode": 0o640,
                "directory_permissions_mode": 0o750,
            },
        }
    options = {
        "bucket_name": bucket,
        # Private objects; nothing is ever handed out by a public or signed URL.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": True,  # same name = same content (named by hash)
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if access_key:
        options["access_key"] = access_key
    if secret_key:
        options["secret_key"] = secret_key
    if region:
        options["region_name"] = region
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def storage_name(sha256: str, extension: str) -> str:
    """The name a file is stored under: its hash, fanned out in two directory levels."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def evidence_files():
    """The storage evidence files live in (looked up on each use, so tests and settings
    changes see the configured one)."""
    from django.core.files.storage import storages

    return storages[STORAGE_ALIAS]
