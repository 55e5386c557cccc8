"""The annual report as a PDF in the layout of a Vietnamese administrative report.

Landscape A4 (the tables have 22 columns of figures). The first page carries the
header of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the
superior body and the agency on the left, the national motto "CỘNG HÒA XÃ HỘI CHỦ
NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and the date on the right; then the
title, the addressee, the tables (each with its two-level header, its column numbers
and its totals row), the notes, and the signature block with "Nơi nhận" on the left.

The report is signed digitally (`signing.pdf`): the agency's box goes at the top right
of the first page — so the first page's header starts below it, as the signed CV's
cover page does — and the competent person's at the foot of the last page, which the
signature block leaves free. Every page's footer names the report and the SHA-256 of
its figures, so the paper can be checked against the stored report.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hoso.reports import fonts

from . import layout
from .models import Kind, figures_hash

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
# The agency's signature box sits 28 pt from the top edge and is 64 pt high
# (signing.pdf): the first page's text starts below it.
FIRST_TOP = 100.0
# The competent person's box sits 28–92 pt above the bottom edge, at the right: the
# signature block ends with this much room under it (above the frame's bottom, 54.5 pt
# from the edge).
BOX_ROOM = 42.0
FOOTER_Y = 16.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

NUMBER_WIDTH = 25.5
TOTAL_WIDTH = 30.0
STT_WIDTH = 20.0
CODE_WIDTH = 44.0


def number(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese grouping); zero as "-", as paper forms do."""
    return f"{value:,}".replace(",", ".") if value else "-"


def vn_date(day: dt.date) -> str:
    return _("day %(d)02d month %(m)02d year %(y)d") % {"d": day.day, "m": day.month,
                                                        "y": day.year}


class _Canvas(rl_canvas.Canvas):
    """Draws each page's footer once the number of pages is known."""

    def __init__(self, *args, footer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._footer_text = footer

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for n, state in enumerate(self._saved, start=1):
            self.__dict__.update(state)
            self.saveState()
            self.setFont(fonts.FAMILY, 7.5)
            self.setFillColor(colors.black)
            self.drawString(MARGIN, FOOTER_Y, self._footer_text)
            self.drawRightString(PAGE_WIDTH - MARGIN, FOOTER_Y - 9,
                                 _("Page %(number)d/%(total)d") % {"number": n, "total": total})
            self.restoreState()
            super().showPage()
        super().save()


def _styles():
    body = ParagraphStyle("body", fontName=fonts.FAMILY, fontSize=11, leading=14)
    return {
        "body": body,
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("centre_bold", parent=body, alignment=TA_CENTER,
                                      fontName=fonts.BOLD),
        "centre_italic": ParagraphStyle("centre_italic", parent=body, alignment=TA_CENTER,
                                        fontName=fonts.ITALIC),
        "title": ParagraphStyle("title", parent=body, alignment=TA_CENTER,
                                fontName=fonts.BOLD, fontSize=14, leading=18),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.BOLD, fontSize=11,
                                  leading=14, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9,
                               alignment=TA_LEFT),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=fonts.BOLD,
                                    fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", parent=body, fontName=fonts.BOLD, fontSize=7,
                               leading=8.5, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=body, fontSize=10, leading=13),
        "small_italic": ParagraphStyle("small_italic", parent=body, fontName=fonts.ITALIC,
                                       fontSize=10, leading=13),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _header(figures: layout.Figures, *, superior: str, agency_name: str, made: dt.date, st):
    left = [
        _p(superior.upper(), st["centre"]),
        _p(agency_name.upper(), st["centre_bold"]),
        _p("———", st["centre"]),
    ]
    right = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st["centre_bold"]),
        _p("Độc lập - Tự do - Hạnh phúc", st["centre_bold"]),
        _p("———————", st["centre"]),
        _p(vn_date(made).capitalize(), st["centre_italic"]),
    ]
    half = FRAME_WIDTH / 2
    table = Table([[left, right]], colWidths=[half * 0.85, half * 1.15])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _groups() -> list[tuple[object, int, int]]:
    """(group label or None, first column, last column) over `layout.COLUMNS`."""
    out: list[tuple[object, int, int]] = []
    for i, (_key, _label, group) in enumerate(layout.COLUMNS):
        if out and group is not None and out[-1][0] == group:
            out[-1] = (group, out[-1][1], i)
        else:
            out.append((group, i, i))
    return out


def _figures_table(table: layout.Table, st, *, with_code: bool) -> Table:
    lead = 3 if with_code else 2  # STT, name (, code)
    label_width = FRAME_WIDTH - STT_WIDTH - (CODE_WIDTH if with_code else 0) \
        - TOTAL_WIDTH - NUMBER_WIDTH * (layout.WIDTH - 1)
    widths = [STT_WIDTH, label_width] + ([CODE_WIDTH] if with_code else []) \
        + [TOTAL_WIDTH] + [NUMBER_WIDTH] * (layout.WIDTH - 1)
    head1 = [_p(pgettext("annual report", "No."), st["head"]), _p(_("Name"), st["head"])]
    if with_code:
        head1.append(_p(_("Code"), st["head"]))
    head2 = [""] * lead
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    if with_code:
        spans.append(("SPAN", (2, 0), (2, 1)))
    for group, first, last in _groups():
        if group is None:
            head1.append(_p(str(layout.COLUMNS[first][1]), st["head"]))
            head2.append("")
            spans.append(("SPAN", (lead + first, 0), (lead + first, 1)))
            continue
        head1.append(_p(str(group), st["head"]))
        head1.extend([""] * (last - first))
        for i in range(first, last + 1):
            head2.append(_p(str(layout.COLUMNS[i][1]), st["head"]))
        spans.append(("SPAN", (lead + first, 0), (lead + last, 0)))
    numbers = [f"({i})" for i in range(1, lead + layout.WIDTH + 1)]
    data = [head1, head2, numbers]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 2), (-1, -1), fonts.FAMILY, 7.5),
        ("FONT", (0, 2), (-1, 2), fonts.ITALIC, 6.5),
        ("ALIGN", (0, 2), (-1, 2), "CENTER"),
        ("ALIGN", (lead, 3), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 3), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *spans,
    ]
    n = 0
    for row in table.rows:
        if row.subtotal:
            stt = ""
            label = _p(row.label, st["cell_bold"])
        else:
            n += 1
            stt = str(n)
            label = _p(row.label, st["cell"])
        line = [stt, label] + ([row.code] if with_code else []) + [number(v) for v in row.values]
        if row.subtotal:
            style.append(("FONT", (0, len(data)), (-1, len(data)), fonts.BOLD, 7.5))
        data.append(line)
    if not table.rows:
        data.append(["", _p(_("No one"), st["cell"])] + ([""] if with_code else [])
                    + [number(0)] * layout.WIDTH)
    total_row = ["", _p(_("Total"), st["cell_bold"])] + ([""] if with_code else []) \
        + [number(v) for v in table.total]
    style.append(("FONT", (0, len(data)), (-1, len(data)), fonts.BOLD, 7.5))
    style.append(("BACKGROUND", (0, len(data)), (-1, len(data)), colors.Color(0.93, 0.93, 0.93)))
    data.append(total_row)
    result = Table(data, colWidths=widths, repeatRows=3, splitByRow=1, hAlign="LEFT")
    result.setStyle(TableStyle(style))
    return result


def _units_table(figures: layout.Figures, st) -> Table:
    """The province's report: the reporting units, where each one's figures come from."""
    head = [_p(h, st["head"]) for h in (
        pgettext("annual report", "No."), _("Unit"), _("Code"), _("Report"), _("Submitted on"),
        pgettext("annual report column", "Total"),
        _("Women"), _("Ethnic minorities"), _("Party members"))]
    widths = [STT_WIDTH, 250, 60, 170, 70] + [46] * 4
    widths[1] = FRAME_WIDTH - sum(widths) + widths[1]
    data = [head]
    idx = layout.INDEX
    for n, line in enumerate(figures.units, start=1):
        state = {
            "submitted": _("submitted on time") if line.on_time else _("submitted late"),
            "not_submitted": _("not submitted: figures counted from the database"),
            "direct": _("staff placed right under the province: counted from the database"),
        }[line.status]
        when = ""
        if line.submitted_at:
            when = dt.datetime.fromisoformat(line.submitted_at).strftime("%d/%m/%Y")
        data.append([str(n), _p(line.name, st["cell"]), line.code, _p(state, st["cell"]),
                     when] + [number(line.values[idx[k]])
                              for k in ("total", "female", "minority", "party")])
    total = layout.zeros()
    for line in figures.units:
        layout.add(total, line.values)
    data.append(["", _p(_("Total"), st["cell_bold"]), "", "", ""]
                + [number(total[idx[k]]) for k in ("total", "female", "minority", "party")])
    result = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 1), (-1, -1), fonts.FAMILY, 7.5),
        ("FONT", (0, -1), (-1, -1), fonts.BOLD, 7.5),
        ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
    ]))
    return result


def render(figures: layout.Figures, *, superior: str, agency_name: str, signer_name: str = "",
           made_at: dt.datetime | None = None, draft: bool = False) -> bytes:
    """The report as PDF bytes (Vietnamese whatever the request's language)."""
    with translation.override("vi"), fonts.binary_streams():
        fonts.register_fonts()
        st = _styles()
        made = timezone.localtime(made_at or timezone.now()).date()
        as_of = dt.date.fromisoformat(figures.as_of)
        province = figures.kind == Kind.PROVINCE
        digest = figures_hash(figures.to_json())
        footer = _("Annual report %(year)d · %(code)s · figures SHA-256 %(hash)s") % {
            "year": figures.year, "code": figures.unit_code, "hash": digest}
        if draft:
            footer = _("DRAFT, NOT SIGNED") + " · " + footer
        story = [
            _header(figures, superior=superior, agency_name=agency_name, made=made, st=st),
            Spacer(1, 10),
            NextPageTemplate("later"),
            _p(_("REPORT"), st["title"]),
            _p(_("The number of cadres, civil servants, public employees and workers, year "
                 "%(year)d") % {"year": figures.year}, st["centre_bold"]),
        ]
        if figures.preview:
            story.append(_p(_("(Provisional figures as of %(date)s: the year is not over)")
                            % {"date": as_of.strftime("%d/%m/%Y")}, st["centre_italic"]))
        else:
            story.append(_p(_("(Figures as of %(date)s)") % {"date": as_of.strftime("%d/%m/%Y")},
                            st["centre_italic"]))
        story.append(Spacer(1, 6))
        addressee = _("The Ministry of Home Affairs") if province else _(
            "The Provincial People's Committee (through the Department of Home Affairs)")
        story.append(_p(_("To: %(addressee)s.") % {"addressee": addressee}, st["centre"]))
        story.append(Spacer(1, 6))
        total = figures.total[layout.INDEX["total"]]
        story.append(_p(_(
            "%(unit)s reports the cadres, civil servants, public employees and workers it "
            "has on %(date)s, counted from their approved files in the personnel database: "
            "%(total)s people in all.") % {
            "unit": agency_name if province else figures.unit_name,
            "date": as_of.strftime("%d/%m/%Y"),
            "total": number(total) if total else "0"}, st["body"]))
        if figures.not_approved:
            story.append(_p(_(
                "%(n)s files in the unit have no approved revision yet and are not counted.")
                % {"n": number(figures.not_approved)}, st["small_italic"]))
        for n, table in enumerate(figures.tables, start=1):
            story.append(CondPageBreak(160))
            story.append(_p(_("Table %(n)d. %(title)s") % {"n": n, "title": table.title},
                            st["heading"]))
            story.append(_figures_table(table, st, with_code=table.key in ("rank", "title")))
        if province and figures.units:
            story.append(CondPageBreak(120))
            story.append(_p(_("Table %(n)d. The units' reports") % {"n": len(figures.tables) + 1},
                            st["heading"]))
            story.append(_units_table(figures, st))
        if figures.notes:
            story.append(_p(_("Difficulties and problems arising:"), st["heading"]))
            for line in figures.notes.splitlines():
                if line.strip():
                    story.append(_p(line.strip(), st["body"]))
        story.append(Spacer(1, 8))
        story.append(KeepTogether([_signature_block(province, signer_name, st),
                                   Spacer(1, BOX_ROOM)]))
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN, bottomMargin=MARGIN + 12,
            title=_("Annual report %(year)d") % {"year": figures.year},
            author=figures.unit_name, subject=figures.unit_code, creator="hoso",
        )
        height = PAGE_HEIGHT - FIRST_TOP - doc.bottomMargin
        first = Frame(MARGIN, doc.bottomMargin, FRAME_WIDTH, height, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, doc.bottomMargin, FRAME_WIDTH,
                      PAGE_HEIGHT - MARGIN - doc.bottomMargin, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("first", [first]), PageTemplate("later", [later])])

        def make_canvas(*args, **kwargs):
            return _Canvas(*args, footer=footer, **kwargs)

        doc.build(story, canvasmaker=make_canvas)
        return out.getvalue()


def _signature_block(province: bool, signer_name: str, st) -> Table:
    if province:
        recipients = [_("The Ministry of Home Affairs;"), _("The Provincial People's Committee;"),
                      _("Archived: records office.")]
        title = _("FOR THE DEPARTMENT OF HOME AFFAIRS")
    else:
        recipients = [_("The Department of Home Affairs;"),
                      _("Archived: records office, personnel section.")]
        title = _("HEAD OF THE AGENCY OR UNIT")
    left = [Paragraph(f"<b><i>{escape(_('Recipients:'))}</i></b>", st["small"])]
    left += [_p("- " + r, st["small"]) for r in recipients]
    right = [_p(title, st["centre_bold"]), _p(_("(Digitally signed)"), st["centre_italic"])]
    if signer_name:
        right += [Spacer(1, 6), _p(signer_name, st["centre_bold"])]
    table = Table([[left, right]], colWidths=[FRAME_WIDTH * 0.5, FRAME_WIDTH * 0.5])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table

