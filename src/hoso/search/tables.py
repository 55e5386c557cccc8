"""The two tables a search exports: the results as listed, and the "danh sách trích
ngang" (the summary list, one row per person).

The summary list is the form HR offices pass around for appointments, planning and
reviews: one line per person with the facts a reader weighs at a glance. The columns
are the usual ones: the birth date under "Nam" or "Nữ" (the sex is read from the
column), home town, ethnicity, position and unit, rank and its code, salary
coefficient, professional, political-theory and state-management training, the date
of joining the Party, notes — the list of issue 7, and the fields an open-source
Vietnamese HR tool's "Xuất trích ngang" export writes (Họ và tên, Ngày sinh, Giới tính,
Dân tộc, Tôn giáo, Quê quán, Chức danh, Đơn vị, Ngày vào Đảng, LLCT, Trình độ chuyên
môn; found through code search, no regulation prescribes the form). The values come
from the CV form of Circular 06/2023/TT-BNV (Mẫu 2C: items 1-3, 5, 6, 16, 18-19 and
22-25, and the Party dates). Religion is left out: it is restricted and sensitive
(Nghị định 13/2023/NĐ-CP Đ2.4), and the list travels.

Each person's values are read from their approved file cut to what the exporting user
may read (`records.selectors.visible_document`, deciding through
`accounts.permissions.file_access`): the date of joining the Party is restricted, so
it stays empty for a reader without the restricted level on that person.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hoso.records.display import date_text, display_value
from hoso.records.models import Person, Status


def _profile(person: Person):
    from .selectors import profile_of

    return profile_of(person)


def _label(list_key: str, code: str, memo: dict) -> str:
    from hoso.catalogs.selectors import code_label

    if not code:
        return ""
    key = (list_key, code)
    if key not in memo:
        try:
            memo[key] = code_label(list_key, code)
        except LookupError:
            memo[key] = code
    return memo[key]


def _rank_name(code: str, memo: dict) -> str:
    from hoso.catalogs.selectors import rank_info

    if not code:
        return ""
    key = ("rank", code)
    if key not in memo:
        info = rank_info(code)
        memo[key] = info.name if info else code
    return memo[key]


def result_columns() -> list[str]:
    return [
        pgettext("list column", "No."), _("Full name"), _("Date of birth"), _("Sex"),
        _("Staff category"), _("Unit"), _("Status"), _("Rank or professional title"),
        _("Rank code"), _("Job position"), _("Professional qualification"), _("Political theory"),
        _("Ethnicity"),
    ]


def result_rows(people: list[Person]):
    """The search's results as listed (the projection's public columns)."""
    memo: dict = {}
    for number, person in enumerate(people, 1):
        profile = _profile(person)
        rank = profile.rank_code if profile else ""
        yield [
            number,
            person.full_name,
            person.birth_date,
            person.get_sex_display(),
            person.get_category_display(),
            person.unit.name,
            person.get_status_display(),
            _rank_name(rank, memo),
            rank,
            _label("job_positions", profile.job_position, memo) if profile else "",
            _label("education_levels", profile.education_level, memo) if profile else "",
            _label("political_theory_levels", profile.political_theory, memo) if profile else "",
            _label("ethnicities", profile.ethnicity, memo) if profile else "",
        ]


def summary_columns() -> list[str]:
    return [
        pgettext("list column", "No."), _("Full name"), _("Date of birth (male)"),
        _("Date of birth (female)"), _("Home town"), _("Ethnicity"), _("Position and unit"),
        _("Rank or professional title"), _("Rank code"), _("Salary coefficient"),
        _("Professional qualification"), _("Political theory"), _("State management"),
        _("Date of joining the Party"), _("Notes"),
    ]


def _declared_birth(person: Person, document: dict):
    """The date of birth as declared: a date, or the year / month-year as text when
    the file declares no more (the CV form allows it)."""
    declared = document.get("birth_date") or ""
    if isinstance(declared, str) and len(declared) < 10 and declared:
        return date_text(declared)
    return person.birth_date


def _field(schema, key):
    return schema.field(key) if key in schema else None


def _positions(document: dict, schema, person: Person, memo: dict) -> str:
    rows = document.get("positions") or []
    table = _field(schema, "positions")
    names = []
    if table is not None:
        column = next((c for c in table.columns if c.key == "position"), None)
        for row in rows:
            if isinstance(row, dict) and row.get("position") and not row.get("to"):
                names.append(display_value(column, row["position"], memo=memo))
    unit = person.unit.name
    return f"{'; '.join(names)}, {unit}" if names else unit


def summary_rows(user, people: list[Person]):
    """The summary list's rows, each cut to what `user` may read of that person."""
    from hoso.records.schema import get_schema
    from hoso.records.selectors import visible_document

    memo: dict = {}
    for number, person in enumerate(people, 1):
        profile = _profile(person)
        document: dict = {}
        if profile is not None:
            document = visible_document(user, person, profile.revision.document,
                                        category=profile.revision.category)
        schema = get_schema(profile.revision.category if profile else person.category)
        born = _declared_birth(person, document)
        home = _field(schema, "home_town")
        education = _label("education_levels", document.get("education_level", ""), memo)
        if education and document.get("education_major"):
            education = f"{education} {document['education_major']}"
        party = document.get("party_join_date") or ""
        coefficient = document.get("salary_coefficient")
        notes = "" if person.status == Status.ACTIVE else person.get_status_display()
        rank = document.get("rank_code", "")
        yield [
            number,
            person.full_name,
            born if person.sex == "male" else None,
            born if person.sex == "female" else None,
            display_value(home, document.get("home_town"), memo=memo) if home else "",
            _label("ethnicities", document.get("ethnicity", ""), memo),
            _positions(document, schema, person, memo),
            _rank_name(rank, memo),
            rank,
            _decimal(coefficient),
            education,
            _label("political_theory_levels", document.get("political_theory", ""), memo),
            _label("state_management_levels", document.get("state_management", ""), memo),
            _party_date(party),
            notes,
        ]


def _decimal(value):
    from decimal import Decimal, InvalidOperation

    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _party_date(value: str):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return date_text(value)  # a partial date ("2010-05"): as text, "05/2010"
