"""Tables as Excel (xlsx) and CSV downloads — the one export format of every list.

Quảng Nam Đ7.2: users search, aggregate and export through the system's own functions.
Every list or search result leaves here with Vietnamese headers, in a file a Vietnamese
office opens without surprises: the xlsx has a bold header row, sensible column widths
and real dates (shown dd/mm/yyyy); the CSV is UTF-8 with a byte-order mark, so Excel on
Windows reads the diacritics instead of mojibake.

Spreadsheets execute text that looks like a formula ("CSV injection", OWASP): a cell
whose text begins with = + - @ (or a tab or carriage return, which some importers strip
before looking) is neutralised with a leading apostrophe, in both formats. Numbers and
dates are written as numbers and dates and are never touched.

This module builds the file only. Whoever calls it decides who may export what (through
`Person.objects.visible_to(user, Action.PERSON_EXPORT)`) and writes the access row.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

# Leading characters a spreadsheet may read as the start of a formula (OWASP "CSV
# injection"); tab and carriage return because some importers strip them first.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Control characters an xlsx (XML 1.0) cannot hold; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Column widths (in characters) are measured over the first rows only: a table of
# 100,000 rows is not read twice, and the first few hundred rows are representative.
WIDTH_SAMPLE = 500
MIN_WIDTH, MAX_WIDTH = 6, 60


def neutralise(text: str) -> str:
    """`text`, prefixed with an apostrophe if a spreadsheet could take it for a
    formula."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _local(value: datetime) -> datetime:
    """A naive local datetime (spreadsheets have no time zones)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _cell(value):
    """A value as it goes into the xlsx: numbers, dates and datetimes as themselves,
    everything else as neutralised text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = unicodedata.normalize("NFC", str(value))
    return neutralise(_ILLEGAL_XML.sub("", text))


def _text(value) -> str:
    """A value as it goes into the CSV: dates dd/mm/yyyy, decimals with a point (the
    CSV is for machines and for re-import; the xlsx is for people)."""
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _filename(filename: str, fmt: str) -> str:
    name = filename.strip() or "danh-sach"
    name = name.replace("/", "-").replace("\\", "-").replace('"', "")
    if not name.lower().endswith("." + fmt):
        name = f"{name}.{fmt}"
    return name


def _ascii(name: str) -> str:
    """An ASCII fallback of the file name for old browsers (đ→d, marks dropped)."""
    name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "export"


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\ .
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip()
    return (cleaned or "Danh sách")[:31]


def _xlsx(rows: Iterable[Sequence], columns: Sequence[str], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    headers = [_cell(str(column)) for column in columns]
    rows = iter(rows)
    sample = [[_cell(value) for value in row] for row in itertools.islice(rows, WIDTH_SAMPLE)]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(str(title) if title else ""))
    # Widths and freeze panes must be set before the first row in write-only mode.
    for index, header in enumerate(headers):
        width = max([_width(header)] + [_width(row[index]) for row in sample if index < len(row)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width + 2)
        )
    header_row = 3 if title else 1
    sheet.freeze_panes = f"A{header_row + 1}"

    bold = Font(bold=True)
    if title:
        heading = WriteOnlyCell(sheet, value=_cell(str(title)))
        heading.font = Font(bold=True, size=13)
        sheet.append([heading])
        sheet.append([])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)

    def typed(value):
        if isinstance(value, (date, datetime)):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            return cell
        return value

    for row in sample:
        sheet.append([typed(value) for value in row])
    for row in rows:
        sheet.append([typed(_cell(value)) for value in row])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: Iterable[Sequence], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    # BOM: Excel on Windows reads UTF-8 only when told so.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(str(column)) for column in columns])
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def table_response(
    *,
    rows: Iterable[Sequence],
    columns: Sequence[str],
    fmt: str,
    filename: str,
    title: str = "",
) -> HttpResponse:
    """A download of the table: `columns` are the (Vietnamese) headers, `rows` the
    values in the same order (str, int, Decimal, float, date, datetime, bool, None).

    `fmt` is "xlsx" or "csv"; anything else is a DomainError naming the allowed ones.
    `title` heads the xlsx sheet (the CSV keeps its header on the first line so that
    machines can read it). The caller has already checked permission through
    `visible_to` and logs the access."""
    if fmt not in FORMATS:
        raise DomainError(
            _("Unknown export format “%(fmt)s”: choose xlsx (Excel) or csv.") % {"fmt": fmt},
            field="format",
        )
    name = _filename(filename, fmt)
    body = _xlsx(rows, columns, title) if fmt == "xlsx" else _csv(rows, columns)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{_ascii(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    # Personal data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
