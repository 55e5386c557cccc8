"""Documents for the signing tests."""

from __future__ import annotations

import io

from hoso.signing import pdf
from hoso.signing.backends import open_p12

from .conftest import PASSPHRASE

DECISION = "QUYET DINH so 123/QD-SNV ve viec nang bac luong"


def sample_pdf(pages: int = 2) -> bytes:
    """An uncompressed PDF, so that a test can alter its text in place."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pageCompression=0)
    for n in range(pages):
        c.drawString(72, 760, DECISION if n == 0 else f"Trang {n + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def signed_twice(test_pki, person, unit) -> bytes:
    """Signed by the competent person, then by the agency (Vĩnh Phúc Đ9.4)."""
    first = open_p12(str(test_pki.p12(test_pki.person(person), "pdf-person")), PASSPHRASE)
    second = open_p12(str(test_pki.p12(test_pki.unit(unit), "pdf-agency")), PASSPHRASE)
    once = pdf.sign_pdf(sample_pdf(), first, reason="Phê duyệt hồ sơ")
    return pdf.sign_pdf(once, second, reason="Xác thực của cơ quan")


def visible_text(document: bytes) -> str:
    """The text a reader sees, signature boxes included (annotations flattened)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(document)
    for page in doc:
        raw.FPDFPage_Flatten(page.raw, raw.FLAT_PRINT)
    out = io.BytesIO()
    doc.save(out)
    flat = pdfium.PdfDocument(out.getvalue())
    return "\n".join(p.get_textpage().get_text_range() for p in flat)
