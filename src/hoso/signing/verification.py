"""Verify any signed file a user brings: a PDF, a data package, or JSON + signature.
One entry point for the web page, the API and `hoso sign verify`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

from . import data as data_signing
from . import pdf as pdf_signing
from .report import VerificationReport


def verify_file(raw: bytes, *, name: str = "", signature: bytes | None = None
                ) -> VerificationReport:
    if signature:
        return data_signing.verify_detached(
            data_signing.json_bytes(raw), signature, name=name
        )
    if raw.startswith(b"%PDF"):
        return pdf_signing.verify_pdf(raw, name=name)
    if raw[:2] == b"PK":
        return data_signing.verify_package(raw, name=name)
    raise DomainError(
        _("This is neither a signed PDF nor a data package (.zip); for a JSON file, give "
          "its signature file too."),
        code="garbage",
    )
