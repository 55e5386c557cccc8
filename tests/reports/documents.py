"""Profile documents for the printed CV's tests.

`full_document` walks the schema and fills every field and every column (tables with
`rows` rows) with a value of the field's type and, for coded fields, a real code of
its catalog. Unlike the schema's `sample_document` (valid, for revisions and the
benchmark), every text value here names its field and carries Vietnamese diacritics,
so a test can find each one on the printed pages.
"""

from __future__ import annotations

import datetime as dt

from hoso.records.schema import get_schema

WORDS = (
    "Đắk Lắk",
    "Quảng Nam",
    "Cần Thơ",
    "Lâm Đồng",
    "Vĩnh Phúc",
    "Lai Châu",
    "Hà Tĩnh",
    "Thừa Thiên Huế",
    "Bình Định",
    "Tây Ninh",
)


def _codes(fld, category: str) -> list[str]:
    if fld.choices:
        return [c.code for c in fld.choices]
    list_key = fld.code_list_for(category)
    from hoso.catalogs.selectors import choices

    return [code for code, _ in choices(list_key)]


def _value(fld, category: str, i: int, *, unit_code: str):
    kind = fld.type
    year = 2000 + i % 25
    if kind in ("text", "longtext"):
        return f"{fld.key} {WORDS[i % len(WORDS)]} số {i + 1}"
    if kind == "date":
        return f"{year}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    if kind == "partial_date":
        return "1985-07-14"
    if kind == "month":
        return f"{year}-{i % 12 + 1:02d}"
    if kind == "year":
        return year
    if kind == "integer":
        low = fld.min if fld.min is not None else 1
        return int(low) + i % 3
    if kind == "decimal":
        return f"{2 + (i % 7) / 3:.2f}"
    if kind == "bool":
        return True
    if kind == "code":
        codes = _codes(fld, category)
        return codes[i % len(codes)]
    if kind == "unit":
        return unit_code
    if kind == "place":
        return {"text": f"Thôn {WORDS[i % len(WORDS)]}, xã Hòa Khánh"}
    if kind == "email":
        return f"nguoi.khai{i}@hoso.gov.vn"
    if kind == "phone":
        return f"09123456{i % 100:02d}"
    if kind == "id_number":
        return "068085012345"
    return None  # evidence: a scan, not a printed value


def full_document(
    category: str = "cong_chuc", *, rows: int = 20, unit_code: str = "000.99.00.H26"
) -> dict:
    """Every field of `category`'s form filled; every table with `rows` rows."""
    schema = get_schema(category)
    doc: dict = {}
    for fld in schema.fields:
        if fld.is_table:
            table = []
            for r in range(rows):
                row = {}
                for col in fld.columns:
                    value = _value(col, category, r, unit_code=unit_code)
                    if value is not None:
                        row[col.key] = value
                table.append(row)
            doc[fld.key] = table
            continue
        value = _value(fld, category, 0, unit_code=unit_code)
        if value is not None:
            doc[fld.key] = value
    doc["full_name"] = "Nguyễn Thị Hồng Nhung"
    doc["birth_date"] = dt.date(1985, 7, 14).isoformat()
    return doc
