"""The annual report as an Excel workbook in the Vietnamese report layout.

One sheet per table ("Biểu 1" … "Biểu 5", and for the province's report the units'
sheet), each as the paper form: the superior body and the agency on the left and the
national motto on the right (merged cells), the title and the date of the figures,
the two-level header (merged cells: "Trong đó", "Độ tuổi", "Trình độ chuyên môn" …),
the row of column numbers, the rows, the totals row as a formula-free sum (what was
counted, not a formula a reader could break), and the signature block. Text that a
spreadsheet would take for a formula (= + - @ at the start) is written as text.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

from . import layout
from .models import Kind, figures_hash
from .pdf import vn_date

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="EDEDED")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def safe(value):
    """Text starting with = + - @ would be read as a formula (formula injection): it is
    neutralised with a leading apostrophe, as OWASP advises for exported cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _font(bold=False, italic=False, size=11):
    return Font(name=FONT, bold=bold, italic=italic, size=size)


ACROSS = Alignment(horizontal="centerContinuous", vertical="center")
# Cell styles, registered once per workbook: setting a named style is one assignment,
# where setting font, border, alignment and format is four style look-ups per cell.
STYLES = {
    "an_num": dict(font=_font(size=10), alignment=RIGHT, border=BOX, number_format="#,##0"),
    "an_num_total": dict(font=_font(bold=True, size=10), alignment=RIGHT, border=BOX,
                         number_format="#,##0", fill=GREY),
    "an_num_group": dict(font=_font(bold=True, size=10), alignment=RIGHT, border=BOX,
                         number_format="#,##0"),
    "an_text": dict(font=_font(size=10), alignment=LEFT, border=BOX),
    "an_text_total": dict(font=_font(bold=True, size=10), alignment=LEFT, border=BOX, fill=GREY),
    "an_text_group": dict(font=_font(bold=True, size=10), alignment=LEFT, border=BOX),
    "an_centre": dict(font=_font(size=10), alignment=CENTRE, border=BOX),
    "an_centre_total": dict(font=_font(bold=True, size=10), alignment=CENTRE, border=BOX,
                            fill=GREY),
    "an_centre_group": dict(font=_font(bold=True, size=10), alignment=CENTRE, border=BOX),
    "an_head": dict(font=_font(bold=True, size=10), alignment=CENTRE, border=BOX),
    "an_colno": dict(font=_font(italic=True, size=9), alignment=CENTRE, border=BOX),
}


def _register_styles(wb) -> None:
    for name, attrs in STYLES.items():
        style = NamedStyle(name=name)
        for key, value in attrs.items():
            setattr(style, key, value)
        wb.add_named_style(style)


def _across(ws, row: int, first: int, last: int, value, font) -> None:
    """`value` centred across the cells `first`..`last` of `row` (Excel's "centre across
    selection": the national header and the titles, without merged cells)."""
    cell = ws.cell(row=row, column=first, value=safe(value))
    cell.font = font
    for col in range(first, last + 1):
        ws.cell(row=row, column=col).alignment = ACROSS


def _merge(ws, row: int, first: int, last: int, value, *, style: str, rows: int = 1) -> None:
    """A header cell: `value` (hoso's own text) in the merged cells `first`..`last` of
    `row` and the `rows` - 1 rows below, each with the named `style`."""
    ws.cell(row=row, column=first, value=value)
    for r in range(row, row + rows):
        for c in range(first, last + 1):
            ws.cell(row=r, column=c).style = style
    if last > first or rows > 1:
        # The range is declared merged as it is: openpyxl's `merge_cells` would also
        # re-style the covered cells one by one (most of a workbook's time), and they
        # already carry the header's style.
        ws.merged_cells.add(MergedCellRange(
            ws, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row + rows - 1}"))


def _head_block(ws, figures: layout.Figures, *, superior: str, agency_name: str,
                width: int, title: str, made: dt.date) -> int:
    half = max(2, width // 2)
    _across(ws, 1, 1, half, superior.upper(), _font())
    _across(ws, 1, half + 1, width, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _font(bold=True))
    _across(ws, 2, 1, half, agency_name.upper(), _font(bold=True))
    _across(ws, 2, half + 1, width, "Độc lập - Tự do - Hạnh phúc", _font(bold=True))
    _across(ws, 3, half + 1, width, vn_date(made).capitalize(), _font(italic=True))
    _across(ws, 5, 1, width, _("REPORT"), _font(bold=True, size=14))
    _across(ws, 6, 1, width, title, _font(bold=True, size=12))
    as_of = dt.date.fromisoformat(figures.as_of).strftime("%d/%m/%Y")
    when = (_("(Provisional figures as of %(date)s: the year is not over)") if figures.preview
            else _("(Figures as of %(date)s)")) % {"date": as_of}
    _across(ws, 7, 1, width, when, _font(italic=True))
    return 9


def _column_groups():
    out = []
    for i, (_key, _label, group) in enumerate(layout.COLUMNS):
        if out and group is not None and out[-1][0] == group:
            out[-1] = (group, out[-1][1], i)
        else:
            out.append((group, i, i))
    return out


def _figures_sheet(ws, figures: layout.Figures, table: layout.Table, number: int, *,
                   superior: str, agency_name: str, made: dt.date, signer_name: str) -> None:
    with_code = table.key in ("rank", "title")
    lead = 3 if with_code else 2
    width = lead + layout.WIDTH
    title = _("Table %(n)d. %(title)s") % {"n": number, "title": table.title}
    row = _head_block(ws, figures, superior=superior, agency_name=agency_name, width=width,
                      title=title, made=made)
    # two header rows
    for col, text in ((1, pgettext("annual report", "No.")), (2, _("Name"))) + (
            ((3, _("Code")),) if with_code else ()):
        _merge(ws, row, col, col, text, style="an_head", rows=2)
    for group, first, last in _column_groups():
        c1, c2 = lead + 1 + first, lead + 1 + last
        if group is None:
            _merge(ws, row, c1, c1, str(layout.COLUMNS[first][1]), style="an_head", rows=2)
            continue
        _merge(ws, row, c1, c2, str(group), style="an_head")
        for i in range(first, last + 1):
            _merge(ws, row + 1, lead + 1 + i, lead + 1 + i, str(layout.COLUMNS[i][1]),
                   style="an_head")
    ws.row_dimensions[row + 1].height = 42
    row += 2
    for col in range(1, width + 1):
        ws.cell(row=row, column=col, value=f"({col})").style = "an_colno"
    row += 1
    n = 0
    for line in table.rows:
        if not line.subtotal:
            n += 1
        cells = [n if not line.subtotal else None, line.label] \
            + ([line.code] if with_code else []) + list(line.values)
        _data_row(ws, row, cells, lead, kind="group" if line.subtotal else "")
        row += 1
    _data_row(ws, row, [None, _("Total")] + ([None] if with_code else []) + table.total,
              lead, kind="total")
    row += 2
    _signature(ws, row, width, figures.kind, signer_name)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 38
    if with_code:
        ws.column_dimensions["C"].width = 11
    for col in range(lead + 1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 8.5
    ws.freeze_panes = ws.cell(row=12, column=lead + 1)
    _page_setup(ws)


def _data_row(ws, row: int, cells: list, lead: int, *, kind: str = "",
              left: tuple[int, ...] = (2,)) -> None:
    """One row of a table: `kind` "" (a row), "group" (a group's line) or "total"."""
    suffix = f"_{kind}" if kind else ""
    for col, value in enumerate(cells, start=1):
        cell = ws.cell(row=row, column=col, value=safe(value))
        base = "an_text" if col in left else ("an_num" if col > lead else "an_centre")
        cell.style = base + suffix


def _signature(ws, row: int, width: int, kind: str, signer_name: str) -> None:
    half = max(2, width // 2)
    if kind == Kind.PROVINCE:
        title = _("FOR THE DEPARTMENT OF HOME AFFAIRS")
        recipients = [_("The Ministry of Home Affairs;"), _("The Provincial People's Committee;"),
                      _("Archived: records office.")]
    else:
        title = _("HEAD OF THE AGENCY OR UNIT")
        recipients = [_("The Department of Home Affairs;"),
                      _("Archived: records office, personnel section.")]
    ws.cell(row=row, column=1, value=_("Recipients:")).font = _font(bold=True, italic=True,
                                                                    size=10)
    for i, text in enumerate(recipients, start=1):
        ws.cell(row=row + i, column=1, value="- " + text).font = _font(size=10)
    _across(ws, row, half + 1, width, title, _font(bold=True))
    _across(ws, row + 1, half + 1, width, _("(Digitally signed)"), _font(italic=True))
    if signer_name:
        _across(ws, row + 4, half + 1, width, signer_name, _font(bold=True))


def _page_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _units_sheet(ws, figures: layout.Figures, number: int, *, superior: str,
                 agency_name: str, made: dt.date, signer_name: str) -> None:
    width = 9
    title = _("Table %(n)d. The units' reports") % {"n": number}
    row = _head_block(ws, figures, superior=superior, agency_name=agency_name, width=width,
                      title=title, made=made)
    heads = [pgettext("annual report", "No."), _("Unit"), _("Code"), _("Report"),
             _("Submitted on"), pgettext("annual report column", "Total"),
             _("Women"), _("Ethnic minorities"), _("Party members")]
    for col, text in enumerate(heads, start=1):
        ws.cell(row=row, column=col, value=text).style = "an_head"
    row += 1
    idx = layout.INDEX
    total = layout.zeros()
    for n, line in enumerate(figures.units, start=1):
        state = {
            "submitted": _("submitted on time") if line.on_time else _("submitted late"),
            "not_submitted": _("not submitted: figures counted from the database"),
            "direct": _("staff placed right under the province: counted from the database"),
        }[line.status]
        when = dt.datetime.fromisoformat(line.submitted_at).strftime("%d/%m/%Y") \
            if line.submitted_at else ""
        layout.add(total, line.values)
        _data_row(ws, row, [n, line.name, line.code, state, when]
                  + [line.values[idx[k]] for k in ("total", "female", "minority", "party")], 5,
                  left=(2, 4))
        row += 1
    _data_row(ws, row, [None, _("Total"), None, None, None]
              + [total[idx[k]] for k in ("total", "female", "minority", "party")], 5,
              kind="total", left=(2, 4))
    _signature(ws, row + 2, width, figures.kind, signer_name)
    for col, w in zip("ABCDEFGHI", (5, 40, 15, 36, 13, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[col].width = w
    _page_setup(ws)


def render(figures: layout.Figures, *, superior: str, agency_name: str, signer_name: str = "",
           made_at: dt.datetime | None = None) -> bytes:
    """The workbook as bytes."""
    with translation.override("vi"):
        made = timezone.localtime(made_at or timezone.now()).date()
        wb = Workbook()
        wb.remove(wb.active)
        _register_styles(wb)
        for n, table in enumerate(figures.tables, start=1):
            ws = wb.create_sheet(_("Table %(n)d") % {"n": n})
            _figures_sheet(ws, figures, table, n, superior=superior, agency_name=agency_name,
                           made=made, signer_name=signer_name)
        if figures.kind == Kind.PROVINCE and figures.units:
            n = len(figures.tables) + 1
            ws = wb.create_sheet(_("Table %(n)d") % {"n": n})
            _units_sheet(ws, figures, n, superior=superior, agency_name=agency_name, made=made,
                         signer_name=signer_name)
        wb.properties.title = _("Annual report %(year)d") % {"year": figures.year}
        wb.properties.subject = f"{figures.unit_code} · SHA-256 {figures_hash(figures.to_json())}"
        wb.properties.creator = "hoso"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
