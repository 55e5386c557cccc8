"""Signing a PDF for someone, and keeping the signature: the PAdES counterpart of
`services.sign_and_store`, for exported documents.

An exported document signed by the competent person and by the agency has the legal
value of the paper original (Vĩnh Phúc Đ9.4, Quảng Nam Đ6.4, Cần Thơ 641/QĐ-UBND Đ7.5,
Lâm Đồng Đ9.4: "ký số của cơ quan, đơn vị quản lý"). The checks are those of
`services`: the certificate must name whoever signs (the person's identification
number, or the agency's QĐ 20 code), chain to a trusted root, be within its validity
and not revoked; and only someone who may approve for a unit applies its signature.

Opening (`open_checked`) is apart from signing so that a caller opens every key it
needs — and learns of a wrong passphrase, a foreign or expired certificate — before it
reads or renders anything; `store_pdf_signature` keeps the signature a PDF gained as a
`Signature` row (its CMS, and the SHA-256 of the byte ranges it covers), so that
`hoso audit verify` checks it again like every stored signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from asn1crypto import cms
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader

from hoso.core.errors import DomainError

from . import pdf as pdf_signing
from .backends import OpenSigner, SignerSpec, open_signer, signers_config
from .models import Purpose, Signature
from .services import SignItem, _store, check_identity
from .trust import check_signing_certificate


def agency_for(unit):
    """(agency unit, its signer) whose signature completes a document exported from a
    file of `unit`: the unit itself or the nearest unit above it with a key in the
    signers file — the managing agency (Lâm Đồng Đ9.4) — else the Department of Home
    Affairs (Sở Nội vụ), the province's keeper of the database."""
    from .demo import agency_unit

    config = signers_config()
    for candidate in [unit, *reversed(list(unit.ancestors()))]:
        if candidate.code in config.units:
            return candidate, config.units[candidate.code]
    home_affairs = agency_unit()
    if home_affairs is not None and home_affairs.code in config.units:
        return home_affairs, config.units[home_affairs.code]
    raise DomainError(
        _("No agency signing key is configured for %(unit)s, the units above it or the "
          "Department of Home Affairs: ask the administrator to add one to the signers "
          "file.") % {"unit": unit.name},
        code="no_signer",
    )


def open_checked(*, actor, spec: SignerSpec, secret: str | None = None, on_behalf_of=None,
                 description: str = "") -> OpenSigner:
    """Open the key and check its certificate before anything is signed: it names the
    actor (or the unit signed for), chains to a trusted root, is valid and not revoked.
    The secret is used to open the key and forgotten; it is never stored or logged."""
    person = getattr(actor, "person", None)
    opened = open_signer(
        spec, secret=secret, description=description,
        remote_user=on_behalf_of.code if on_behalf_of is not None else (
            person.id_number if person is not None else ""),
    )
    try:
        check_identity(opened, actor=actor, on_behalf_of=on_behalf_of)
        check_signing_certificate(opened.asn1_certificate, opened.chain)
    except BaseException:
        opened.close()
        raise
    return opened


@dataclass(frozen=True)
class PdfSignature:
    """The newest signature of a signed PDF: its CMS and the bytes it covers."""

    field_name: str
    cms: bytes
    covered: bytes  # the PDF's byte ranges under the signature

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.covered).hexdigest()


def pdf_signatures(data: bytes) -> list[PdfSignature]:
    """Every signature of a PDF, in signing order."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = []
    for sig in reader.embedded_regular_signatures:
        start1, len1, start2, len2 = (int(x) for x in sig.sig_object["/ByteRange"])
        der = cms.ContentInfo({"content_type": "signed_data", "content": sig.signed_data}).dump()
        out.append(PdfSignature(
            field_name=sig.field_name, cms=der,
            covered=data[start1:start1 + len1] + data[start2:start2 + len2],
        ))
    return out


def sign_pdf_checked(data: bytes, opened: OpenSigner, *, reason: str = "", location: str = "",
                     when: dt.datetime | None = None) -> tuple[bytes, dt.datetime]:
    """`data` with one more signature by an opened (and checked) signer, and its time."""
    when = when or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return pdf_signing.sign_pdf(data, opened, reason=reason, location=location, when=when), when


def store_pdf_signature(*, actor, signed_pdf: bytes, opened: OpenSigner, when: dt.datetime,
                        subject=None, reference: str = "", on_behalf_of=None,
                        purpose: str = Purpose.OTHER) -> Signature:
    """Keep the newest signature of `signed_pdf` (made by `opened` at `when`)."""
    newest = pdf_signatures(signed_pdf)[-1]
    return _store(
        actor=actor, purpose=purpose,
        items=[SignItem(subject=subject, reference=reference)],
        payloads=[newest.covered], cms_list=[newest.cms], opened=opened, when=when,
        on_behalf_of=on_behalf_of,
    )[0]
