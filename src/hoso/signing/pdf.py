"""PAdES signatures on PDF documents, each with a visible box in Vietnamese.

An exported document signed by the competent person and by the agency has the legal
value of the paper original (Vĩnh Phúc Đ9.4, Cần Thơ Đ7.5): the person signs first,
the agency second, each in its own incremental update so that the first signature
stays valid. The person's box goes at the foot of the last page, the agency's at the
top right of the first page, where Vietnamese administrative documents carry the
agency's signature. A signature timestamp (RFC 3161) is added when `HOSO_TSA_URL` is set.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature

from hoso.core.errors import DomainError

from . import aio
from .backends import OpenSigner
from .data import signing_errors, timestamper
from .pki import common_name, organisation
from .report import VerificationReport, apply_pdf_modification, check_from_status
from .stamp import BoxText, stamp_style
from .trust import TrustStore, trust_store

BOX_W, BOX_H, MARGIN = 230, 64, 28


class _Signer(signers.PdfSigner):
    """PdfSigner whose signing time is fixed up front, so that the box shows the very
    time the signature dictionary records."""

    def __init__(self, *args, when: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._when = when

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._when
        return session


def _reader(data: bytes) -> PdfFileReader:
    if not data.startswith(b"%PDF"):
        raise DomainError(_("The file is not a PDF document."), code="garbage")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 — parse the trailer and catalogue now
        return reader
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DomainError(_("The PDF file is damaged and cannot be read."), code="garbage") from exc


def _existing_signature_fields(reader: PdfFileReader) -> list[str]:
    return [name for name, _value, _ref in fields.enumerate_sig_fields(reader)]


def _page_box(reader: PdfFileReader, page_ix: int) -> tuple[float, float]:
    page = reader.root["/Pages"]
    obj = reader.find_page_for_modification(page_ix)[0].get_object()
    box = obj.get("/MediaBox") or page.get("/MediaBox") or [0, 0, 595, 842]
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _placement(reader: PdfFileReader, *, agency: bool, taken: int) -> tuple[int, tuple]:
    pages = int(reader.root["/Pages"]["/Count"])
    if agency:
        page_ix = 0
        w, h = _page_box(reader, page_ix)
        x2, y2 = w - MARGIN, h - MARGIN - taken * (BOX_H + 6)
        return page_ix, (x2 - BOX_W, y2 - BOX_H, x2, y2)
    page_ix = pages - 1
    w, _h = _page_box(reader, page_ix)
    x2 = w - MARGIN - taken * (BOX_W + 8)
    return page_ix, (max(MARGIN, x2 - BOX_W), MARGIN, max(MARGIN + BOX_W, x2), MARGIN + BOX_H)


def sign_pdf(data: bytes, opened: OpenSigner, *, reason: str = "", location: str = "",
             field_name: str = "", when: dt.datetime | None = None) -> bytes:
    """The PDF with one more signature, in an incremental update."""
    reader = _reader(data)
    if reader.encrypted:
        raise DomainError(_("Encrypted PDF documents cannot be signed."), code="encrypted")
    existing = _existing_signature_fields(reader)
    field_name = field_name or f"KySo{len(existing) + 1}"
    if field_name in existing:
        raise DomainError(
            _("The document already has a signature field “%(name)s”.") % {"name": field_name},
            code="field",
        )
    when = when or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cert = opened.certificate
    agency = opened.identity.kind == "unit"
    same_kind = sum(1 for name in existing if name.startswith("CoQuan") == agency)
    if agency and not field_name.startswith("CoQuan") and field_name == f"KySo{len(existing) + 1}":
        field_name = f"CoQuan{len(existing) + 1}"
    page_ix, box = _placement(reader, agency=agency, taken=same_kind)
    text = BoxText(
        signer=common_name(cert), organisation=organisation(cert),
        when=timezone.localtime(when).strftime("%d/%m/%Y %H:%M:%S"), reason=reason,
    )
    width, height = box[2] - box[0], box[3] - box[1]
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=common_name(cert),
    )
    pdf_signer = _Signer(
        meta, opened.signer, timestamper=timestamper(),
        stamp_style=stamp_style(text, width, height),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=page_ix, box=box),
        when=when,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    with signing_errors():
        out = aio.run(pdf_signer.async_sign_pdf(writer, output=io.BytesIO()))
    return out.getvalue()


def verify_pdf(data: bytes, *, name: str = "", store: TrustStore | None = None
               ) -> VerificationReport:
    reader = _reader(data)
    report = VerificationReport(kind="pdf", name=name)
    try:
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise DomainError(_("The PDF file is damaged and cannot be read."), code="garbage") from exc
    if not embedded:
        report.problems.append(_("The document carries no signature."))
        return report
    store = store or trust_store()
    for number, sig in enumerate(embedded, start=1):
        context = store.context()
        try:
            status = aio.run(
                async_validate_pdf_signature(sig, signer_validation_context=context)
            )
        except Exception as exc:  # noqa: BLE001 — a malformed signature is a finding
            report.problems.append(
                _("Signature %(n)d could not be checked (%(error)s).")
                % {"n": number, "error": type(exc).__name__}
            )
            continue
        check = check_from_status(number, status, revocation_mode=store.revocation)
        check.field_name = sig.field_name
        reason = sig.sig_object.get("/Reason")
        check.reason = str(reason) if reason is not None else ""
        if check.signing_time is None:
            check.signing_time = sig.self_reported_timestamp
        if not check.intact:
            check.unchanged = False
            check.problems.append(_("The document was changed after it was signed, or the "
                                    "signature is broken."))
        else:
            apply_pdf_modification(check, status)
        report.signatures.append(check)
    return report
