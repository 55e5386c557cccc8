"""A complete, valid profile document generated from the schema, for tests, benchmarks
and the demo: every field of the form (extensions included) gets a value of its type,
codes come from the loaded catalogs, and the dates, the identification number and the
salary coefficients agree with each other the way `validate` demands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hoso.records.validators import sex_century_digit

from .loader import get_schema
from .types import Field

BIRTH = dt.date(1985, 5, 17)
DATES = {
    "birth_date": "1985-05-17",
    "id_issue_date": "2021-04-10",
    "recruitment_date": "2008-09-01",
    "current_unit_date": "2015-03-02",
    "salary_since": "2022-07-01",
    "next_raise_date": "2025-07-01",
    "party_join_date": "2010-05-19",
    "party_official_date": "2011-05-19",
    "military_enlist_date": "2003-09-01",
    "military_discharge_date": "2005-09-01",
    "contract_date": "2023-01-02",
    "contract_from": "2023-01-03",
    "contract_to": "2025-12-31",
    "salary_history.month": None,  # per row
}
TEXTS = {
    "email": "nguyen.thi.lan@sonoivu.gov.vn",
    "phone": "0912345678",
    "employer_phone": "02113862001",
    "social_insurance_number": "2612345678",
    "legacy_id_number": "135792468",
    "war_invalid_grade": "4/4",
    "full_name": "Nguyễn Thị Lan",
    "nationality": "Việt Nam",
}
SALARY_STEP = 3


def _first_code(list_key: str, on: dt.date) -> str:
    from hoso.catalogs import selectors

    found = selectors.choices(list_key, on)
    if not found:
        raise LookupError(f"the code list {list_key} has no entry valid on {on}")
    return found[0][0]


def _rank(category: str) -> tuple[str, str]:
    """A rank (or title) with a salary group: (code, group)."""
    from hoso.catalogs import selectors

    list_key = "titles" if category == "vien_chuc" else "ranks"
    for code, _label in selectors.choices(list_key, dt.date(2022, 7, 1)):
        info = selectors.rank_info(code)
        if info and info.salary_group and selectors.salary_coefficient(info.salary_group, 12):
            return code, info.salary_group
    for code, _label in selectors.choices(list_key, dt.date(2022, 7, 1)):
        info = selectors.rank_info(code)
        if info and info.salary_group:
            return code, info.salary_group
    raise LookupError(list_key)


def _coefficient(group: str, step: int, on: dt.date) -> str:
    from hoso.catalogs import selectors

    value = selectors.salary_coefficient(group, step, on)
    return str(Decimal(value).quantize(Decimal("0.01")))


class _Maker:
    def __init__(self, category: str, unit_code: str, today: dt.date):
        self.category = category
        self.unit_code = unit_code
        self.today = today
        self.rank_code, self.group = _rank(category)

    def value(self, field: Field, *, row: int | None = None, table: Field | None = None):
        key = field.key
        ftype = field.type
        full = f"{table.key}.{key}" if table else key
        if table is not None:
            special = self.row_value(table, field, row)
            if special is not None:
                return special
        if full in DATES and DATES[full]:
            return DATES[full]
        if key in TEXTS and ftype not in ("table",):
            return TEXTS[key]
        if ftype == "text":
            if field.pattern:
                return None
            return f"{field.label_msgid[:40]} {row + 1 if row is not None else ''}".strip()
        if ftype == "longtext":
            return "Không."
        if ftype == "date":
            return "2016-06-01"
        if ftype == "partial_date":
            return "2016-06-01"
        if ftype == "month":
            return "2016-06"
        if ftype == "year":
            return 2016
        if ftype == "integer":
            if key == "salary_step":
                return SALARY_STEP
            low = field.min if field.min is not None else 0
            high = field.max if field.max is not None else low + 100
            return int((int(low) + int(min(high, low + 400))) // 2)
        if ftype == "decimal":
            if key == "salary_coefficient":
                return _coefficient(self.group, SALARY_STEP, dt.date(2022, 7, 1))
            if key == "seniority_allowance_percent":
                return "5"
            return "0.30" if (field.decimal_places or 0) >= 2 else "10"
        if ftype == "bool":
            return True
        if ftype == "code":
            if field.choices:
                return field.choices[-1].code if key == "sex" else field.choices[0].code
            if key == "rank_code":
                return self.rank_code
            on = self.today
            if field.code_date:
                on = dt.date(2016, 6, 1) if table else dt.date.fromisoformat(
                    DATES.get(field.code_date) or "2016-06-01")
            return _first_code(field.code_list_for(self.category), min(on, self.today))
        if ftype == "unit":
            return self.unit_code
        if ftype == "place":
            return {"province": _first_code("provinces", dt.date(2020, 1, 1)),
                    "text": "Xã Tam Hồng, huyện Yên Lạc"}
        if ftype == "email":
            return TEXTS["email"]
        if ftype == "phone":
            return TEXTS["phone"]
        if ftype == "id_number":
            return f"026{sex_century_digit('female', BIRTH.year)}{BIRTH.year % 100:02d}012345"
        return None  # evidence: no uploaded document to point to

    def row_value(self, table: Field, column: Field, row: int):
        key = column.key
        year = 2010 + row % 14
        if table.key == "salary_history":
            if key == "month":
                return f"{year}-07"
            if key == "rank_code":
                return self.rank_code
            if key == "salary_step":
                return 1 + row % 3
            if key == "salary_coefficient":
                return _coefficient(self.group, 1 + row % 3, dt.date(year, 7, 1))
        if key == "from":
            return f"{year}-01-15" if column.type == "date" else f"{year}-01"
        if key == "to":
            return f"{year}-12-15" if column.type == "date" else f"{year}-12"
        if key in ("year",):
            return year
        if key == "birth_year":
            return 1950 + row
        if key == "death_year":
            return None
        if key == "join_date":
            return f"{year}-03-26"
        if key == "expiry":
            return f"{year + 1}-06-30"
        if column.type == "code" and column.code_date:
            date_column = table.column(column.code_date)
            on = dt.date(year, 12, 31) if date_column.type == "year" else dt.date(year, 1, 15)
            return _first_code(column.code_list_for(self.category), on)
        return None


def sample_document(
    category: str, *, unit_code: str, rows: int = 2, today: dt.date | None = None
) -> dict:
    """A full valid document of `category` with `rows` rows in every table."""
    schema = get_schema(category)
    maker = _Maker(category, unit_code, today or dt.date.today())
    doc: dict = {}
    for field in schema.fields:
        if field.is_table:
            table_rows = []
            for i in range(rows):
                row = {}
                for col in field.columns:
                    value = maker.value(col, row=i, table=field)
                    if value is not None:
                        row[col.key] = value
                table_rows.append(row)
            if table_rows:
                doc[field.key] = table_rows
            continue
        value = maker.value(field)
        if value is not None:
            doc[field.key] = value
    return doc
