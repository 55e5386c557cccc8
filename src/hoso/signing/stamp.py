"""The visible signature box, in Vietnamese ("Ký bởi", "Cơ quan", "Ngày ký").

pyHanko draws text with its own font engine only when HarfBuzz and fontTools are
installed; hoso does not depend on them. reportlab (already used for the CV PDF)
embeds a subset of Liberation Serif, which has every Vietnamese letter: it draws the
box as a one-page PDF the size of the field, and pyHanko imports that page as the
signature's appearance stream.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp.static import StaticStampStyle

_FONTS_REGISTERED = False


def _register_fonts() -> tuple[str, str]:
    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("HosoSerif", settings.SIGNING_FONT))
        pdfmetrics.registerFont(TTFont("HosoSerif-Bold", settings.SIGNING_FONT_BOLD))
        _FONTS_REGISTERED = True
    return "HosoSerif", "HosoSerif-Bold"


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def render_box(lines: list[tuple[str, str]], width: float, height: float) -> bytes:
    """A one-page PDF of `width` × `height` points: a frame, then one line per
    (label, value), the label in bold."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    regular, bold = _register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setStrokeColorRGB(0.8, 0.1, 0.1)
    c.setLineWidth(1.2)
    c.rect(1, 1, width - 2, height - 2)
    size = min(9.5, (height - 8) / max(len(lines), 1) / 1.25)
    y = height - 5 - size
    c.setFillColorRGB(0.8, 0.1, 0.1)
    for label, value in lines:
        c.setFont(bold, size)
        c.drawString(6, y, label)
        offset = 6 + stringWidth(label + " ", bold, size)
        c.setFont(regular, size)
        c.drawString(offset, y, _fit(value, regular, size, width - offset - 5))
        y -= size * 1.25
    c.showPage()
    c.save()
    return out.getvalue()


class _PdfBytesPage(content.ImportedPdfPage):
    """`ImportedPdfPage` reading from memory rather than a file name."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__(file_name="")

    def render(self) -> bytes:
        import binascii
        import uuid

        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


@dataclass(frozen=True)
class BoxText:
    signer: str
    organisation: str
    when: str
    reason: str = ""

    def lines(self) -> list[tuple[str, str]]:
        from django.utils.translation import gettext as _

        rows = [(_("Signed by:"), self.signer)]
        if self.organisation:
            rows.append((_("Agency:"), self.organisation))
        rows.append((_("Signing date:"), self.when))
        if self.reason:
            rows.append((_("Reason:"), self.reason))
        return rows


def stamp_style(text: BoxText, width: float, height: float) -> StaticStampStyle:
    return StaticStampStyle(
        background=_PdfBytesPage(render_box(text.lines(), width, height)),
        border_width=0,
        background_opacity=1.0,
    )
