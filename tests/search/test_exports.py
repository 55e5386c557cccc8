"""The shared table export: Vietnamese headers, real dates, neutralised formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hoso.core.errors import DomainError
from hoso.search.exports import table_response

COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Hệ số lương", "Ghi chú"]


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_xlsx_has_vietnamese_bold_headers_and_dates_as_dates():
    rows = [[1, "Nguyễn Văn Dũng", dt.date(1985, 3, 15), Decimal("3.33"), None]]
    response = table_response(rows=rows, columns=COLUMNS, fmt="xlsx", filename="danh-sach")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="danh-sach.xlsx"' in response["Content-Disposition"]
    sheet = _workbook(response).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert all(c.font.bold for c in sheet[1])
    name, born, coefficient = sheet["B2"], sheet["C2"], sheet["D2"]
    assert name.value == "Nguyễn Văn Dũng"
    assert born.value == dt.datetime(1985, 3, 15)  # openpyxl reads dates back as datetimes
    assert born.is_date and born.number_format == "DD/MM/YYYY"
    assert coefficient.value == pytest.approx(3.33)
    assert sheet["E2"].value is None


def test_xlsx_column_widths_follow_the_longest_value():
    rows = [[1, "Nguyễn Thị Thanh Hương Giang Lan", dt.date(1985, 3, 15), 2.34, ""]]
    sheet = _workbook(table_response(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x")).active
    # 32 characters of name + 2 of padding; "STT" is short, held at the minimum of 6.
    assert sheet.column_dimensions["B"].width == 34
    assert sheet.column_dimensions["A"].width == 6


def test_xlsx_title_heads_the_sheet_above_the_header_row():
    response = table_response(
        rows=[[1, "A", None, None, None]],
        columns=COLUMNS,
        fmt="xlsx",
        filename="x",
        title="Danh sách trích ngang",
    )
    sheet = _workbook(response).active
    assert sheet["A1"].value == "Danh sách trích ngang"
    assert sheet.title == "Danh sách trích ngang"
    assert [c.value for c in sheet[3]] == COLUMNS
    assert sheet["B4"].value == "A"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "dangerous",
    ["=1+2", "+84912345678", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("x")'],
)
def test_cells_that_look_like_formulas_are_neutralised(fmt, dangerous):
    response = table_response(
        rows=[[1, dangerous, None, None, None]], columns=COLUMNS, fmt=fmt, filename="x"
    )
    if fmt == "xlsx":
        cell = _workbook(response).active["B2"]
        assert cell.data_type == "s"
        value = cell.value
    else:
        value = _csv_rows(response)[1][1]
    assert value == "'" + dangerous


def test_numbers_and_harmless_text_are_not_touched():
    rows = [[-3, "Lê Thị Hoa", None, Decimal("-1.5"), "a=b"]]
    sheet = _workbook(table_response(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x")).active
    assert sheet["A2"].value == -3
    assert sheet["D2"].value == pytest.approx(-1.5)
    assert sheet["E2"].value == "a=b"
    assert _csv_rows(table_response(rows=rows, columns=COLUMNS, fmt="csv", filename="x"))[1] == [
        "-3",
        "Lê Thị Hoa",
        "",
        "-1.5",
        "a=b",
    ]


def test_csv_is_utf8_with_bom_and_dates_in_vietnamese_order():
    rows = [[1, "Đỗ Văn Đức", dt.date(1990, 12, 1), 4, True]]
    response = table_response(rows=rows, columns=COLUMNS, fmt="csv", filename="ds.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "filename*=UTF-8''ds.csv" in response["Content-Disposition"]
    assert _csv_rows(response) == [COLUMNS, ["1", "Đỗ Văn Đức", "01/12/1990", "4", "Có"]]


def test_nfd_text_is_written_composed():
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    response = table_response(
        rows=[[1, decomposed, None, None, None]], columns=COLUMNS, fmt="csv", filename="x"
    )
    assert _csv_rows(response)[1][1] == "Nguyễn"


def test_vietnamese_file_name_gets_an_ascii_fallback():
    response = table_response(rows=[], columns=COLUMNS, fmt="xlsx", filename="Danh sách đơn vị")
    disposition = response["Content-Disposition"]
    assert 'filename="Danh-sach-don-vi.xlsx"' in disposition
    assert "filename*=UTF-8''Danh%20s%C3%A1ch%20%C4%91%C6%A1n%20v%E1%BB%8B.xlsx" in disposition
    assert response["Cache-Control"] == "no-store, private"


def test_control_characters_do_not_break_the_xlsx():
    sheet = _workbook(
        table_response(
            rows=[[1, "A\x01B", None, None, None]], columns=COLUMNS, fmt="xlsx", filename="x"
        )
    ).active
    assert sheet["B2"].value == "AB"


def test_datetimes_are_written_in_local_time():
    moment = dt.datetime(2025, 1, 1, 1, 30, tzinfo=dt.UTC)  # 08:30 in Hà Nội
    response = table_response(
        rows=[[1, "A", moment, None, None]], columns=COLUMNS, fmt="csv", filename="x"
    )
    assert _csv_rows(response)[1][2] == "01/01/2025 08:30"


def test_unknown_format_is_refused_with_the_allowed_ones_named():
    with pytest.raises(DomainError) as excinfo:
        table_response(rows=[], columns=COLUMNS, fmt="pdf", filename="x")
    assert str(excinfo.value) == ("Định dạng xuất “pdf” không hợp lệ: chọn xlsx (Excel) hoặc csv.")
    assert excinfo.value.field == "format"


def test_large_tables_stream_past_the_width_sample():
    rows = ([i, f"Người {i}", None, None, None] for i in range(1, 1201))
    sheet = _workbook(table_response(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x")).active
    assert sheet.max_row == 1201
    assert sheet["B1201"].value == "Người 1200"
