"""The cover page of a signed copy of the CV (bản sao điện tử có ký số).

It says what the copy is — whose file, which approved revision and its content hash
(Cần Thơ 641/QĐ-UBND Đ7.6, Lâm Đồng Đ9.5: the CV prints from approved data only), who
signs it and that, signed by the competent person and the agency, it has the legal
value of the paper original (Vĩnh Phúc Đ9.4, Quảng Nam Đ6.4, Cần Thơ Đ7.5, Lâm Đồng
Đ9.4) — and how anyone can check it. Its top right is left empty: the agency's
visible signature goes there (`signing.pdf`: the place of an agency's signature on
the first page of an administrative document), clear of the CV's own header.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import fonts
from .cv import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP

PAGE_WIDTH, PAGE_HEIGHT = A4
# Room at the top for the agency's signature box (signing.pdf: 64 pt high, 28 pt
# from the edge), and for the agency's name beside it.
TOP = 118.0
AGENCY_WIDTH = 72 * mm


def render_cover(*, person_name: str, title: str, revision, agency_name: str,
                 signer_name: str, hidden: bool, made_at=None) -> bytes:
    """A one-page A4 PDF in Vietnamese."""
    with translation.override("vi"):
        family = fonts.register_fonts()
        body = ParagraphStyle("cover", fontName=family, fontSize=12.5, leading=17,
                              alignment=TA_JUSTIFY, spaceAfter=9)
        heading = ParagraphStyle("cover_title", parent=body, fontName=fonts.BOLD, fontSize=15,
                                 leading=20, alignment=TA_CENTER, spaceAfter=4)
        sub = ParagraphStyle("cover_sub", parent=heading, fontSize=13, leading=17,
                             spaceAfter=18)
        agency = ParagraphStyle("cover_agency", parent=body, fontName=fonts.BOLD, fontSize=12,
                                leading=15, alignment=TA_CENTER)
        made = timezone.localtime(made_at or timezone.now())
        approved = timezone.localtime(revision.created_at)
        values = {
            "title": escape(str(title).lower()),
            "name": f"<b>{escape(person_name)}</b>",
            "number": revision.number,
            "date": approved.strftime("%d/%m/%Y"),
            "hash": f"<font size='10'>{revision.content_hash}</font>",
            "signer": f"<b>{escape(signer_name)}</b>",
            "agency": f"<b>{escape(agency_name)}</b>",
        }
        story = [
            Spacer(1, 14 * mm),
            Paragraph(_("ELECTRONIC COPY SIGNED DIGITALLY"), heading),
            Paragraph(escape(str(title).upper()), sub),
            Paragraph(_(
                "This document is an electronic copy of the %(title)s of %(name)s, printed "
                "from the approved file in the personnel database: revision %(number)d, "
                "approved on %(date)s, content hash (SHA-256) %(hash)s, which is printed at "
                "the foot of every page."
            ) % values, body),
            Paragraph(_(
                "It is signed digitally by the competent person, %(signer)s, and by the "
                "agency, %(agency)s. An electronic document signed digitally by the "
                "competent person and by the agency has the legal value of the paper "
                "original."
            ) % values, body),
        ]
        if hidden:
            story.append(Paragraph(_(
                "Items the competent person may not read are printed as “%(withheld)s”."
            ) % {"withheld": _("(no permission to view)")}, body))
        story += [
            Paragraph(_(
                "To check it, open this file on the “Verify signatures” page of the system, "
                "or run “hoso sign verify FILE”: any change made after signing is detected."
            ), body),
            Paragraph(_("Made on %(date)s.") % {"date": made.strftime("%d/%m/%Y %H:%M")}, body),
        ]

        def header(canv, doc):
            # The agency's name, top left, as on an administrative document; the top
            # right is the agency's signature's.
            p = Paragraph(escape(agency_name.upper()), agency)
            _w, h = p.wrap(AGENCY_WIDTH, 60)
            p.drawOn(canv, MARGIN_LEFT, PAGE_HEIGHT - MARGIN_TOP - h)
            canv.setLineWidth(0.6)
            y = PAGE_HEIGHT - MARGIN_TOP - h - 4
            canv.line(MARGIN_LEFT + AGENCY_WIDTH / 3, y, MARGIN_LEFT + 2 * AGENCY_WIDTH / 3, y)

        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
            topMargin=TOP, bottomMargin=MARGIN_BOTTOM, invariant=True, author="hoso",
            initialFontName=family,
        )
        with fonts.binary_streams():
            doc.build(story, onFirstPage=header)
        return out.getvalue()


def with_cover(document: bytes, cover: bytes) -> bytes:
    """`document` with the first page of `cover` put in front of its pages."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(document), strict=False))
    xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(cover), strict=False))
    content = generic.StreamObject(stream_data=b"q /Cover Do Q")
    page = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject(
            [generic.FloatObject(0), generic.FloatObject(0),
             generic.FloatObject(PAGE_WIDTH), generic.FloatObject(PAGE_HEIGHT)]
        ),
        generic.pdf_name("/Resources"): generic.DictionaryObject({
            generic.pdf_name("/XObject"): generic.DictionaryObject(
                {generic.pdf_name("/Cover"): xobject}
            ),
        }),
        generic.pdf_name("/Contents"): writer.add_object(content),
    })
    writer.insert_page(page, after=-1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
