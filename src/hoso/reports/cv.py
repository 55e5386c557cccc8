"""The printed CV: a profile document as an A4 PDF in the layout of the paper form.

Cán bộ, công chức, viên chức print the CV form (sơ yếu lý lịch) of Thông tư
06/2023/TT-BNV, which carries forward the layout of Mẫu 2C-BNV/2008 (Quyết định
06/2007/QĐ-BNV): the managing and employing units and the staff number on top, the 4×6
photo box on the left with the title and the first items beside it, the numbered items,
the ruled tables (training, work history, family relations on both sides, salary …),
the self-history, the unit's remarks, and the signatures of the person ("Người khai",
with the declaration) and of the head of the unit (signed and stamped). Người lao động
print the labour contract of Thông tư 05/2023/TT-BNV, Phụ lục II: the unit and the
contract number beside the national motto, the title, the terms, the two parties'
signatures.

What is printed, in which order and with which wording comes from the profile schema
(`hoso.records.schema`): every printable field, in the numbered items of
`print_items` (the fields of one `form_item` together), labelled with its Vietnamese
label; this module only lays them out.
Values are shown as people read them (`records.display`): dates dd/mm/yyyy, codes by
their catalog label, units by name, the name at birth in capitals.

Cần Thơ 641/QĐ-UBND Đ7.6 and Lâm Đồng Đ9.5: the CV is printed from approved data;
an approved revision prints its number and content hash in every page's footer, so
the paper can be checked against the file; a draft prints with "BẢN NHÁP" across
every page. Fields the reader may not see print as "(không có quyền xem)": the page
says that something is withheld rather than pretend the field is empty.

Page set-up: A4 portrait, the margins of an administrative document (Nghị định
30/2020/NĐ-CP, Phụ lục I, "định lề trang": top and bottom 20 mm, left 30 mm, right
15 mm), Times-like type (`fonts`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache, partial
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Nghị định 30/2020/NĐ-CP, Phụ lục I (định lề trang, A4): 20–25 mm top and bottom,
# 30–35 mm left, 15–20 mm right.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
# The footer sits in the bottom margin, this far above the paper's edge.
FOOTER_Y = 10 * mm
# Mẫu 2C-BNV/2008: "Ảnh màu (4 × 6 cm)", top left, the title and items 1–5 beside it.
PHOTO_WIDTH = 40 * mm
PHOTO_HEIGHT = 60 * mm
PHOTO_COLUMN = PHOTO_WIDTH + 5 * mm
ITEMS_BESIDE_PHOTO = 5

# The header of both forms: the managing and employing units, the staff number, the
# photo (the keys the issue-4 helpers agreed on); the declaration goes with the
# signatures; the contract's number, place and date head the contract.
HEADER_KEYS = ("managing_unit", "employing_unit", "staff_number", "photo")
DECLARATION_KEY = "declaration"
CONTRACT_HEADER_KEYS = ("contract_number", "contract_place", "contract_date")
# On the contract's first lines these print their value alone ("SỞ Y TẾ", "Đà Lạt,
# ngày … tháng … năm …"), as the form does.
CONTRACT_VALUE_ONLY = ("managing_unit", "employing_unit", "contract_place", "contract_date")
# Code lists whose code the form asks for beside the name (Mẫu 2C-BNV/2008, mục 14:
# "Ngạch công chức (viên chức) …, Mã ngạch …").
LISTS_SHOWN_WITH_CODE = frozenset({"ranks", "titles"})
# A table wider than this prints its first columns as they are and the rest together
# in one cell, as the form's family tables do ("Quê quán, nghề nghiệp, chức danh …").
MAX_TABLE_COLUMNS = 6
KEPT_TABLE_COLUMNS = 3

# A heading starts a new page when less than this is left below it: it is never
# alone at the foot of a page, away from its table or text.
HEADING_ROOM = 35 * mm

WATERMARK_COLOR = (0.8, 0.1, 0.1)
WATERMARK_ALPHA = 0.3

_TYPE_WEIGHT = {
    "bool": 1.0,
    "year": 1.0,
    "integer": 1.0,
    "decimal": 1.1,
    "date": 1.5,
    "partial_date": 1.5,
    "month": 1.3,
    "code": 2.2,
    "unit": 2.6,
    "place": 3.0,
    "phone": 1.8,
    "email": 2.4,
    "text": 3.0,
    "longtext": 4.0,
    "id_number": 2.0,
}


@dataclass
class _Styles:
    body: ParagraphStyle
    item: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    mark: ParagraphStyle
    cell: ParagraphStyle
    centred: ParagraphStyle
    centred_bold: ParagraphStyle
    centred_italic: ParagraphStyle
    narrative: ParagraphStyle


def _styles(family: str) -> _Styles:
    body = ParagraphStyle("body", fontName=family, fontSize=12, leading=15, alignment=TA_LEFT)
    return _Styles(
        body=body,
        item=ParagraphStyle("item", parent=body, spaceAfter=2),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=fonts.BOLD, spaceBefore=7, spaceAfter=4
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceAfter=6,
        ),
        mark=ParagraphStyle(
            "mark", parent=body, fontName=fonts.ITALIC, fontSize=9, leading=11, alignment=TA_RIGHT
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=10, leading=12),
        centred=ParagraphStyle("centred", parent=body, alignment=TA_CENTER),
        centred_bold=ParagraphStyle(
            "centred_bold", parent=body, fontName=fonts.BOLD, alignment=TA_CENTER
        ),
        centred_italic=ParagraphStyle(
            "centred_italic", parent=body, fontName=fonts.ITALIC, alignment=TA_CENTER
        ),
        narrative=ParagraphStyle("narrative", parent=body, leftIndent=6 * mm, spaceAfter=2),
    )


def _text(value) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML), line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


@dataclass
class _Context:
    schema: object
    document: dict
    category: str
    hidden: frozenset[str]
    styles: _Styles
    photo: bytes | None = None
    numbered: bool = True

    @property
    def withheld(self) -> str:
        return _("(no permission to view)")

    def is_hidden(self, key: str) -> bool:
        return key in self.hidden


# --- values ------------------------------------------------------------------------


def _catalog_label(list_key: str, code: str) -> str:
    try:
        from hoso.catalogs.selectors import code_label
    except ImportError:  # pragma: no cover - the catalogs app always ships its selectors
        return code
    try:
        return code_label(list_key, code) or code
    except (LookupError, ValueError):
        return code


def value_text(fld, value, *, category: str) -> str:
    """One field's (or column's) value as printed; "" when empty."""
    from hoso.records.display import display_value

    if value is None or value == "" or value == [] or value == {}:
        return ""
    text = display_value(fld, value, category=category)
    if fld.type == "code" and not fld.choices:
        lists = fld.accepted_code_lists(category)
        if text == str(value):  # not in the first list: a title code in salary history …
            for list_key in lists[1:]:
                label = _catalog_label(list_key, str(value))
                if label != str(value):
                    text = label
                    break
        if set(lists) & LISTS_SHOWN_WITH_CODE and text != str(value):
            text = _("%(label)s (code %(code)s)") % {"label": text, "code": value}
    if fld.key == "full_name" and fld.table is None:
        text = text.upper()  # "Họ và tên khai sinh (viết chữ in hoa)"
    return text


def _field_value(ctx: _Context, fld) -> str:
    """Paragraph markup of a top-level field's value."""
    if ctx.is_hidden(fld.key):
        return f"<i>{_text(ctx.withheld)}</i>"
    return _text(value_text(fld, ctx.document.get(fld.key), category=ctx.category))


def _label(fld) -> str:
    return _text(str(fld.label))


# --- items -------------------------------------------------------------------------


def _items(schema, *, skip: Collection[str] = ()) -> list:
    """The form's numbered items (`records.schema.print_items`: the fields of one
    `form_item` print together), without the header and the fields in `skip`, which
    have their own places on the page."""
    from hoso.records.schema import print_items

    items = []
    for item in print_items(schema):
        if item.number == 0:  # the header: units, staff number, photo
            continue
        kept = [f for f in item.fields if f.key not in skip]
        if kept:
            item.fields = kept
            items.append(item)
    return items


def _prefix(ctx: _Context, item) -> str:
    if ctx.numbered and item.number is not None:
        return f"<b>{item.number})</b> "
    return ""


def _item_flowables(ctx: _Context, item) -> list[Flowable]:
    s = ctx.styles
    scalars = [f for f in item.fields if not f.is_table]
    tables = [f for f in item.fields if f.is_table]
    out: list[Flowable] = []
    prefix = _prefix(ctx, item)
    narrative = [f for f in scalars if f.type == "longtext"]
    if len(narrative) > 1 and len(narrative) == len(scalars):
        # A statement in several parts (mục 29 "Đặc điểm lịch sử bản thân"): the
        # section's name as the heading, each part on its own line.
        section = ctx.schema.section(narrative[0].section)
        out.append(CondPageBreak(HEADING_ROOM))
        out.append(Paragraph(prefix + _text(str(section.label).upper()), s.heading))
        for fld in narrative:
            out.append(Paragraph(f"- {_label(fld)}: {_field_value(ctx, fld)}", s.narrative))
        prefix = ""
    elif scalars:
        parts = [f"{_label(f)}: {_field_value(ctx, f)}" for f in scalars]
        out.append(Paragraph(prefix + "; ".join(parts), s.item))
        prefix = ""
    for fld in tables:
        out.append(CondPageBreak(HEADING_ROOM))
        out.append(Paragraph(prefix + _text(str(fld.label).upper()), s.heading))
        prefix = ""
        out.append(_table(ctx, fld))
    return out


# --- table cells -------------------------------------------------------------------
# A full CV has a thousand cells: they are plain strings, wrapped here to their
# column, which reportlab's Table draws line by line (a Paragraph per cell parses its
# markup and costs about a third of the render; bench/cv_pdf.py).


@lru_cache(maxsize=1 << 16)
def _unit_width(text: str, font: str) -> float:
    return stringWidth(text, font, 1)


def _wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking of plain text (a word longer than the line is cut)."""
    space = _unit_width(" ", font) * size
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0.0
        for word in para.split():
            w = _unit_width(word, font) * size
            while w > width and len(word) > 1:  # a code or number wider than the cell
                cut = len(word)
                while cut > 1 and _unit_width(word[:cut], font) * size > width:
                    cut -= 1
                if line:
                    lines.append(line)
                lines.append(word[:cut])
                line, used = "", 0.0
                word = word[cut:]
                w = _unit_width(word, font) * size
            if line and used + space + w > width:
                lines.append(line)
                line, used = word, w
            elif line:
                line, used = f"{line} {word}", used + space + w
            else:
                line, used = word, w
        lines.append(line)
    return lines


# --- tables ------------------------------------------------------------------------


@dataclass
class _Column:
    header: str
    weight: float
    render: object  # row -> plain text


def _columns(ctx: _Context, table) -> list[_Column]:
    cols = [c for c in table.columns if c.printable and c.type != "evidence"]
    keys = [c.key for c in cols]
    category = ctx.category
    out: list[_Column] = []

    def single(col) -> _Column:
        return _Column(
            str(col.label),
            _TYPE_WEIGHT.get(col.type, 2.0),
            lambda row, col=col: value_text(col, row.get(col.key), category=category),
        )

    # "Từ tháng, năm – đến tháng, năm" is one column of the form.
    span = None
    if "from" in keys and "to" in keys:
        start, end = table.column("from"), table.column("to")
        span = _Column(
            f"{start.label} – {str(end.label)[:1].lower()}{str(end.label)[1:]}",
            _TYPE_WEIGHT.get(start.type, 1.5) * 1.6,
            lambda row, a=start, b=end: _span_text(ctx, a, b, row),
        )
    plain = [c for c in cols if not (span and c.key in ("from", "to"))]
    kept, merged = plain, []
    if len(plain) + (1 if span else 0) > MAX_TABLE_COLUMNS:
        kept, merged = plain[:KEPT_TABLE_COLUMNS], plain[KEPT_TABLE_COLUMNS:]
    for col in cols:
        if span and col.key == "from":
            out.append(span)
        elif col in kept:
            out.append(single(col))
    if merged:
        out.append(
            _Column(
                "; ".join(str(c.label) for c in merged),
                sum(_TYPE_WEIGHT.get(c.type, 2.0) for c in merged) * 0.6,
                lambda row, merged=merged: _merged_text(ctx, merged, row),
            )
        )
    return out


def _span_text(ctx: _Context, start, end, row: dict) -> str:
    a = value_text(start, row.get(start.key), category=ctx.category)
    b = value_text(end, row.get(end.key), category=ctx.category)
    if not a and not b:
        return ""
    if not b:
        b = _("present")
    return f"{a} – {b}"


def _merged_text(ctx: _Context, cols, row: dict) -> str:
    parts = []
    for col in cols:
        text = value_text(col, row.get(col.key), category=ctx.category)
        if text:
            parts.append(f"{col.label}: {text}")
    return "; ".join(parts)


CELL_PADDING = 3
TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _table(ctx: _Context, table) -> Flowable:
    """A ruled table that splits between rows and repeats its header on every page."""
    s = ctx.styles
    if ctx.is_hidden(table.key):
        return Paragraph(f"<i>{_text(ctx.withheld)}</i>", s.narrative)
    columns = _columns(ctx, table)
    total = sum(c.weight for c in columns)
    widths = [FRAME_WIDTH * c.weight / total for c in columns]
    body, bold = s.cell.fontName, fonts.BOLD
    size = s.cell.fontSize
    inner = [w - CELL_PADDING * 2 for w in widths]

    def cell(text: str, font: str, width: float) -> str:
        return "\n".join(_wrap_words(text, font, size, width)) if text else ""

    data = [[cell(c.header, bold, w) for c, w in zip(columns, inner, strict=True)]]
    rows = ctx.document.get(table.key) or []
    for row in rows:
        data.append([cell(c.render(row), body, w) for c, w in zip(columns, inner, strict=True)])
    if not rows:  # the paper form's empty ruled line
        data.append(["" for _ in columns])
    result = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
    result.setStyle(TABLE_STYLE)
    result.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), body, size, s.cell.leading),
                ("FONT", (0, 0), (-1, 0), bold, size, s.cell.leading),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ]
        )
    )
    return result


# --- the photo box -----------------------------------------------------------------


class PhotoBox(Flowable):
    """The 4×6 cm box of the form: the person's photo, or the box to paste one in."""

    def __init__(self, photo: bytes | None, *, caption: str, family: str):
        super().__init__()
        self.photo = photo
        self.caption = caption
        self.family = family
        self.width, self.height = PHOTO_WIDTH, PHOTO_HEIGHT

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        c = self.canv
        drawn = False
        if self.photo:
            drawn = self._draw_photo(c)
        if not drawn:
            c.setFont(self.family, 10)
            lines = self.caption.split("\n")
            y = self.height / 2 + (len(lines) - 1) * 6
            for line in lines:
                c.drawCentredString(self.width / 2, y, line)
                y -= 12
        c.setLineWidth(0.75)
        c.rect(0, 0, self.width, self.height)

    def _draw_photo(self, c) -> bool:
        from reportlab.lib.utils import ImageReader

        try:
            image = ImageReader(io.BytesIO(self.photo))
            iw, ih = image.getSize()
        except Exception:  # an unreadable scan prints the empty box, not an error page
            return False
        scale = min(self.width / iw, self.height / ih)
        w, h = iw * scale, ih * scale
        c.drawImage(image, (self.width - w) / 2, (self.height - h) / 2, w, h)
        return True


# --- pages -------------------------------------------------------------------------


class _FooterCanvas(rl_canvas.Canvas):
    """Draws every page's footer once the page count is known ("Trang x/y")."""

    def __init__(self, *args, footer_left: str = "", family: str = fonts.FAMILY, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer_left = footer_left
        self._family = family

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(self._family, 8)
        self.setFillColor(colors.black)
        page = _("Page %(number)d/%(total)d") % {"number": number, "total": total}
        self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, FOOTER_Y, page)
        if self._footer_left:
            room = FRAME_WIDTH - stringWidth(page, self._family, 8) - 4 * mm
            lines = simpleSplit(self._footer_left, self._family, 8, room)
            # the last line level with the page number, the others above it
            for i, line in enumerate(lines):
                self.drawString(MARGIN_LEFT, FOOTER_Y + (len(lines) - 1 - i) * 9, line)
        self.restoreState()


def _watermark(text: str, family: str, canv, doc) -> None:
    """The draft mark across the page, under the text, inside the margins."""
    canv.saveState()
    room = min(FRAME_WIDTH, FRAME_HEIGHT) * 0.9
    # Rotated by 45°, a line of width w and height h needs (w + h) / √2 each way.
    per_point = stringWidth(text, fonts.BOLD, 1) + 0.8
    size = min(100.0, room * math.sqrt(2) / per_point)
    canv.setFont(fonts.BOLD, size)
    canv.setFillColorRGB(*WATERMARK_COLOR)
    canv.setFillAlpha(WATERMARK_ALPHA)
    canv.translate(MARGIN_LEFT + FRAME_WIDTH / 2, MARGIN_BOTTOM + FRAME_HEIGHT / 2)
    canv.rotate(45)
    canv.drawCentredString(0, -size * 0.35, text)
    canv.restoreState()


def _footer_text(*, draft: bool, revision) -> str:
    if draft:
        return _("Draft, not approved: this is not the person's file.")
    if revision is not None:
        return _("Approved file, revision %(number)d, content SHA-256 %(hash)s") % {
            "number": revision.number,
            "hash": revision.content_hash,
        }
    return ""


# --- the two forms -----------------------------------------------------------------


def _header_value(ctx: _Context, key: str) -> str:
    if key not in ctx.schema:
        return ""
    return _field_value(ctx, ctx.schema.field(key))


def _header_label(ctx: _Context, key: str) -> str:
    return _label(ctx.schema.field(key)) if key in ctx.schema else ""


def _plain_table(data, widths, **style) -> Table:
    t = Table(data, colWidths=widths, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                # reportlab sets each cell's font, Helvetica unless told: name ours.
                ("FONT", (0, 0), (-1, -1), fonts.FAMILY, 12),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), style.get("pad", 0)),
                ("RIGHTPADDING", (0, 0), (-1, -1), style.get("pad", 0)),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return t


def _signatures(ctx: _Context, left: list, right: list) -> Flowable:
    cells = []
    for lines in (left, right):
        cells.append([Paragraph(line, style) for line, style in lines])
    table = _plain_table([cells], [FRAME_WIDTH / 2, FRAME_WIDTH / 2], pad=4)
    return KeepTogether([Spacer(1, 8 * mm), table])


def _fitted(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """`style`, its size lowered (down to 12 pt) so that `text` holds on one line."""
    size = style.fontSize
    while size > 12 and stringWidth(text, style.fontName, size) > width:
        size -= 0.5
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.3)


def _date_line() -> str:
    return _("…………, day …… month …… year ……")


def _cv_story(ctx: _Context) -> list[Flowable]:
    s = ctx.styles
    story: list[Flowable] = [
        Paragraph(_text(_("CV form issued with")), s.mark),
        Paragraph(
            _text(_("Circular 06/2023/TT-BNV of 4 May 2023 of the Minister of Home Affairs")),
            s.mark,
        ),
        Spacer(1, 3 * mm),
    ]
    header = [
        [
            Paragraph(
                f"{_header_label(ctx, 'managing_unit')}: {_header_value(ctx, 'managing_unit')}",
                s.body,
            ),
            Paragraph(
                f"{_header_label(ctx, 'staff_number')}: {_header_value(ctx, 'staff_number')}",
                s.body,
            ),
        ],
        [
            Paragraph(
                f"{_header_label(ctx, 'employing_unit')}: {_header_value(ctx, 'employing_unit')}",
                s.body,
            ),
            "",
        ],
    ]
    head = _plain_table(header, [FRAME_WIDTH * 0.64, FRAME_WIDTH * 0.36])
    head.setStyle(TableStyle([("SPAN", (0, 1), (1, 1))]))
    story += [head, Spacer(1, 4 * mm)]

    items = _items(ctx.schema, skip=(*HEADER_KEYS, DECLARATION_KEY))
    beside, rest = items[:ITEMS_BESIDE_PHOTO], items[ITEMS_BESIDE_PHOTO:]
    title = str(ctx.schema.title).upper()
    right: list[Flowable] = [
        Paragraph(_text(title), _fitted(s.title, title, FRAME_WIDTH - PHOTO_COLUMN))
    ]
    for item in beside:
        right += _item_flowables(ctx, item)
    caption = ctx.withheld if ctx.is_hidden("photo") else _("Colour photo\n(4 × 6 cm)")
    photo = PhotoBox(ctx.photo, caption=caption, family=s.body.fontName)
    block = _plain_table([[photo, right]], [PHOTO_COLUMN, FRAME_WIDTH - PHOTO_COLUMN])
    story += [block, Spacer(1, 2 * mm)]
    for item in rest:
        story += _item_flowables(ctx, item)

    declaration = ""
    if DECLARATION_KEY in ctx.schema:
        declaration = _label(ctx.schema.field(DECLARATION_KEY))
    name = ""
    if "full_name" in ctx.schema and not ctx.is_hidden("full_name"):
        name = _text(str(ctx.document.get("full_name", "")))
    left = [
        ("", s.centred),
        (_text(_("Declarant")), s.centred_bold),
        (declaration, s.centred_italic),
        (_text(_("(Signature and full name)")), s.centred_italic),
        ("<br/><br/><br/>", s.centred),
        (f"<b>{name}</b>", s.centred),
    ]
    right_sig = [
        (_text(_date_line()), s.centred_italic),
        (_text(_("Head of the managing and employing agency or unit")), s.centred_bold),
        (_text(_("(Signature and seal)")), s.centred_italic),
    ]
    story.append(_signatures(ctx, left, right_sig))
    return story


def _contract_story(ctx: _Context) -> list[Flowable]:
    s = ctx.styles
    doc = ctx.document
    # The agency above the employing unit, then the unit in capitals ("TÊN CƠ QUAN,
    # ĐƠN VỊ"), as on the heading of an administrative document.
    unit_lines = []
    managing, employing = doc.get("managing_unit"), doc.get("employing_unit")
    for key, upper in (("managing_unit", False), ("employing_unit", True)):
        if key not in ctx.schema:
            continue
        if key == "managing_unit" and managing and managing == employing:
            continue
        if ctx.is_hidden(key) or not doc.get(key):
            unit_lines.append(f"{_header_label(ctx, key)}: {_header_value(ctx, key)}")
            continue
        text = value_text(ctx.schema.field(key), doc[key], category=ctx.category)
        unit_lines.append(f"<b>{_text(text.upper() if upper else text)}</b>")
    number_line = (
        f"{_header_label(ctx, 'contract_number')}: {_header_value(ctx, 'contract_number')}"
    )
    staff_line = f"{_header_label(ctx, 'staff_number')}: {_header_value(ctx, 'staff_number')}"
    left = [Paragraph(line, s.centred) for line in (*unit_lines, number_line, staff_line)]
    place = _header_value(ctx, "contract_place") or "…………"
    when = _("day …… month …… year ……")
    if doc.get("contract_date") and not ctx.is_hidden("contract_date"):
        y, m, d = str(doc["contract_date"]).split("-")
        when = _("day %(d)s month %(m)s year %(y)s") % {"d": d, "m": m, "y": y}
    right = [
        Paragraph(_text(_("SOCIALIST REPUBLIC OF VIET NAM")), s.centred_bold),
        Paragraph(_text(_("Independence - Freedom - Happiness")), s.centred_bold),
        Spacer(1, 2 * mm),
        Paragraph(f"<i>{place}, {_text(when)}</i>", s.centred),
    ]
    story: list[Flowable] = [
        _plain_table([[left, right]], [FRAME_WIDTH * 0.42, FRAME_WIDTH * 0.58]),
        Spacer(1, 8 * mm),
        Paragraph(_text(str(ctx.schema.title).upper()), s.title),
        Spacer(1, 3 * mm),
    ]
    section = None
    for item in _items(ctx.schema, skip=(*HEADER_KEYS, *CONTRACT_HEADER_KEYS, DECLARATION_KEY)):
        if item.section != section:  # the contract's parts, under their headings
            section = item.section
            label = ctx.schema.section(section).label
            story.append(CondPageBreak(HEADING_ROOM))
            story.append(Paragraph(_text(str(label)), s.heading))
        story += _item_flowables(ctx, item)
    worker = [
        (_text(_("WORKER")), s.centred_bold),
        (_text(_("(Signature and full name)")), s.centred_italic),
        ("<br/><br/><br/>", s.centred),
        (f"<b>{_text(str(doc.get('full_name', '')))}</b>", s.centred),
    ]
    employer = [
        (_text(_("EMPLOYER")), s.centred_bold),
        (_text(_("(Signature and seal)")), s.centred_italic),
        ("<br/><br/><br/>", s.centred),
        (f"<b>{_text(str(doc.get('employer_representative', '')))}</b>", s.centred),
    ]
    story.append(_signatures(ctx, worker, employer))
    return story


def render_cv(
    document: dict,
    *,
    category: str,
    person=None,
    draft: bool = False,
    revision=None,
    hidden: Collection[str] = (),
    photo: bytes | None = None,
) -> bytes:
    """The PDF of `document` (a profile document of staff category `category`).

    `revision`: the approved revision it comes from (number and content hash go in the
    footer); `draft`: print the "BẢN NHÁP" watermark; `hidden`: top-level keys the
    reader may not see (printed as withheld); `photo`: the bytes of the 4×6 photo;
    `person`: whose file it is (their name signs the declaration when the document
    has none yet). Pure: it reads the schema and the catalogs, decides nothing about
    who may print.
    """
    from hoso.records.schema import form_for_category, get_schema

    with translation.override("vi"):
        family = fonts.register_fonts()
        schema = get_schema(category)
        ctx = _Context(
            schema=schema,
            document=document or {},
            category=category,
            hidden=frozenset(hidden),
            styles=_styles(family),
            photo=photo,
        )
        if person is not None and not document.get("full_name"):
            ctx.document = {**ctx.document, "full_name": person.full_name}
        contract = form_for_category(category) == "contract"
        ctx.numbered = not contract  # the contract's terms are not the CV's numbered items
        story = _contract_story(ctx) if contract else _cv_story(ctx)
        buffer = io.BytesIO()
        title = str(schema.title)
        name = ctx.document.get("full_name") if "full_name" not in ctx.hidden else None
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=f"{title} — {name}" if name else title,
            author="hoso",
            lang="vi",
            invariant=True,
            # reportlab's default initial font is Helvetica, listed (not embedded) on
            # every page: start with ours, so every font of the PDF is embedded.
            initialFontName=family,
        )
        frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            FRAME_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        on_page = partial(_watermark, _("DRAFT"), family) if draft else None
        template = PageTemplate(id="page", frames=[frame])
        if on_page is not None:
            template = PageTemplate(id="page", frames=[frame], onPage=on_page)
        doc.addPageTemplates([template])
        with fonts.binary_streams():
            doc.build(
                story,
                canvasmaker=partial(
                    _FooterCanvas,
                    footer_left=_footer_text(draft=draft, revision=revision),
                    family=family,
                ),
            )
        return buffer.getvalue()
