"""Validating a profile document against its form: the one place the rules live.

Forms (`section_form`), the API, the import and `revision_create` all call
`validate`; every message names the field by its Vietnamese label (and the row of a
table) and says what would be right. Paths are "birth_date" or "training.2.to" (rows
counted from 0 in paths, from 1 in messages).

Rules and where they come from:
- the identification number's structure agrees with the birth date and sex
  (Thông tư 59/2021/TT-BCA Điều 7; `records.validators.validate_id_number`);
- dates in order: a person is recruited at 18 or older (Luật Cán bộ, công chức 2008
  Điều 36.1.b, Luật Viên chức 2010 Điều 22.1.b), recruitment ≤ joining the current
  unit, recruitment ≤ the salary step's date, joining the Party ≤ becoming an official
  member, from ≤ to in every table row, nothing in the future but what the form says
  may be (the next raise, a discipline's end, a contract's end);
- codes exist and were in force on the date they are used (issue 4);
- the salary coefficient is the one of the rank's salary group at that step
  (Nghị định 204/2004/NĐ-CP, bảng 2–4);
- the social-insurance number has 10 digits (Luật Bảo hiểm xã hội, mã số BHXH).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hoso.records.validators import validate_id_number

from .loader import get_schema
from .types import CONTEXT, DATE_TYPES, FIELD_TYPES, Completeness, Field, Issue, Schema

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
YEAR_RE = re.compile(r"^(\d{4})$")
DECIMAL_RE = re.compile(r"^-?\d+(?:\.(\d+))?$")
PHONE_RE = re.compile(r"^(?:0\d{9,10}|\+84\d{9,10})$")
UNIT_RE = re.compile(r"^[A-Z0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")
MIN_YEAR = 1900
PLACE_KEYS = frozenset({"province", "commune", "text"})
_email = EmailValidator()

# Pairs (earlier, later) of top-level dates; a pair whose fields the form lacks is
# skipped. The recruitment age is checked separately.
ORDER_RULES = (
    ("recruitment_date", "current_unit_date"),
    ("recruitment_date", "salary_since"),
    ("party_join_date", "party_official_date"),
    ("military_enlist_date", "military_discharge_date"),
    ("contract_from", "contract_to"),
)
# Pairs of columns inside one row of a table.
ROW_ORDER_RULES = (("from", "to"), ("birth_year", "death_year"), ("year", "expiry"))
RECRUITMENT_AGE = 18


@lru_cache(maxsize=4096)
def _table_plan(table: Field):
    """A table's columns by key, its required columns and the order rules that apply."""
    columns = {c.key: c for c in table.columns}
    required = [c for c in table.columns if c.required_for]
    pairs = [(a, b) for a, b in ROW_ORDER_RULES if a in columns and b in columns]
    return columns, required, pairs


@lru_cache(maxsize=4096)
def _accepted(field: Field, category: str) -> tuple[str, ...]:
    return field.accepted_code_lists(category)


@lru_cache(maxsize=4096)
def _date_type_of(schema: Schema, field: Field) -> str | None:
    """The type of the date field that says when `field`'s code is used."""
    key = field.code_date
    try:
        other = schema.field(f"{field.table}.{key}" if field.table else key)
    except KeyError:
        return None
    return other.type if other.type in DATE_TYPES else None


def _catalogs():
    from hoso.catalogs import selectors

    return selectors


# -- display helpers -------------------------------------------------------------------


def show_date(value: Any) -> str:
    """A document date as users read it: dd/mm/yyyy, mm/yyyy or yyyy."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        m = DATE_RE.match(value)
        if m:
            return f"{m[3]}/{m[2]}/{m[1]}"
        m = MONTH_RE.match(value)
        if m:
            return f"{m[2]}/{m[1]}"
    return str(value)


def show_decimal(value: Decimal | str) -> str:
    return str(value).replace(".", ",")


def _q(text) -> str:
    return f"“{text}”"


# -- parsing ---------------------------------------------------------------------------


def _last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def date_range(ftype: str, value: Any) -> tuple[dt.date, dt.date] | None:
    """The earliest and latest day a (possibly partial) date value can mean, or None
    when the value is not of the type's shape."""
    try:
        if ftype == "year":
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            if not MIN_YEAR <= value <= 2999:
                return None
            return dt.date(value, 1, 1), dt.date(value, 12, 31)
        if not isinstance(value, str):
            return None
        if ftype in ("date", "partial_date"):
            m = DATE_RE.match(value)
            if m:
                d = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return (d, d) if d.year >= MIN_YEAR else None
            if ftype == "date":
                return None
        if ftype in ("month", "partial_date"):
            m = MONTH_RE.match(value)
            if m:
                y, mo = int(m[1]), int(m[2])
                if y < MIN_YEAR or not 1 <= mo <= 12:
                    return None
                return dt.date(y, mo, 1), _last_day(y, mo)
            if ftype == "month":
                return None
        if ftype == "partial_date":
            m = YEAR_RE.match(value)
            if m and int(m[1]) >= MIN_YEAR:
                return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# -- the validator ---------------------------------------------------------------------


class _Validator:
    def __init__(self, schema: Schema, category: str, on: dt.date, check_required: bool):
        self.schema = schema
        self.category = category
        self.on = on
        self.check_required = check_required
        self.issues: list[Issue] = []
        self.dates: dict[str, tuple[dt.date, dt.date]] = {}  # path → range
        self.code_checks: list[tuple[str, Field, str, tuple[str, ...], dt.date | None, str]] = []
        self.unit_checks: list[tuple[str, Field, str]] = []
        self.salary_checks: list[tuple[str, dict, Field, dt.date | None]] = []
        self.checkers = {t: getattr(self, "v_" + t) for t in FIELD_TYPES if t != "table"}

    def add(self, path: str, message: str, code: str = "invalid") -> None:
        self.issues.append(Issue(path, message, code))

    # names -------------------------------------------------------------------------

    def name(self, field: Field, row: int | None = None) -> str:
        if field.table is None:
            return _q(field.label)
        table = self.schema.field(field.table)
        return _("%(table)s, row %(row)s, %(column)s") % {
            "table": _q(table.label),
            "row": row + 1,
            "column": _q(field.label),
        }

    # the run -------------------------------------------------------------------------

    def run(self, document: Any) -> list[Issue]:
        if not isinstance(document, dict):
            self.add("", _("The file must be a set of fields (a JSON object)."), "type")
            return self.issues
        for key, value in document.items():
            if key not in self.schema:
                self.add(
                    key,
                    _("“%(key)s” is not a field of the form “%(form)s”; remove it.")
                    % {"key": key, "form": self.schema.title},
                    "unknown",
                )
                continue
            field = self.schema.field(key)
            if field.is_table:
                self.table(field, value)
            else:
                self.value(field, value, key, row=None, row_values=document)
        if self.check_required:
            self.required(document)
        self.cross_rules(document)
        self.run_code_checks()
        self.run_unit_checks()
        self.run_salary_checks()
        return self.issues

    def required(self, document: dict) -> None:
        category_label = _category_label(self.category)
        for field in self.schema.fields:
            if self.category in field.required_for and field.key not in document:
                if field.is_table:
                    msg = _("%(field)s needs at least one row for a %(category)s.")
                else:
                    msg = _("%(field)s is required for a %(category)s; please fill it in.")
                self.add(
                    field.key,
                    msg % {"field": self.name(field), "category": category_label},
                    "required",
                )

    def table(self, field: Field, value: Any) -> None:
        if not isinstance(value, list):
            self.add(field.key, _("%(field)s must be a list of rows.") % {"field": _q(field.label)},
                     "type")
            return
        if not value:
            self.empty(field, field.key, None)
            return
        columns, required, pairs = _table_plan(field)
        checkers = self.checkers
        for index, row in enumerate(value):
            base = f"{field.key}.{index}"
            if not isinstance(row, dict):
                self.add(
                    base,
                    _("%(field)s, row %(row)s must be a set of columns.")
                    % {"field": _q(field.label), "row": index + 1},
                    "type",
                )
                continue
            for key, cell in row.items():
                column = columns.get(key)
                if column is None:
                    self.add(
                        f"{base}.{key}",
                        _("%(field)s, row %(row)s: “%(key)s” is not a column of this table; "
                          "remove it.") % {"field": _q(field.label), "row": index + 1, "key": key},
                        "unknown",
                    )
                    continue
                path = f"{base}.{key}"
                if cell is None or cell == "" or cell == [] or cell == {}:
                    self.empty(column, path, index)
                else:
                    checkers[column.type](column, cell, path, index, row)
            for column in required:
                if column.key not in row:
                    self.add(
                        f"{base}.{column.key}",
                        _("%(field)s must be filled in on every row.")
                        % {"field": self.name(column, index)},
                        "required",
                    )
            for earlier, later in pairs:
                if earlier in row and later in row:
                    self.order(f"{base}.{earlier}", f"{base}.{later}",
                               columns[earlier], columns[later], index)

    def empty(self, field: Field, path: str, row: int | None) -> None:
        self.add(
            path,
            _("%(field)s is empty: leave it out instead of giving an empty value.")
            % {"field": self.name(field, row)},
            "empty",
        )

    def value(self, field: Field, value: Any, path: str, *, row: int | None, row_values) -> None:
        if value is None or value == "" or value == [] or value == {}:
            self.empty(field, path, row)
            return
        self.checkers[field.type](field, value, path, row, row_values)

    # types ---------------------------------------------------------------------------

    def v_text(self, field, value, path, row, row_values):
        if not isinstance(value, str):
            self.add(path, _("%(field)s must be text.") % {"field": self.name(field, row)}, "type")
            return
        if not value.strip():
            self.empty(field, path, row)
            return
        if field.max_length and len(value) > field.max_length:
            self.add(
                path,
                _("%(field)s is too long: at most %(max)s characters (now %(n)s).")
                % {"field": self.name(field, row), "max": field.max_length, "n": len(value)},
                "length",
            )
        if field.pattern and not re.fullmatch(field.pattern, value):
            what = (pgettext(CONTEXT, field.pattern_message_msgid)
                    if field.pattern_message_msgid else field.pattern)
            self.add(path, _("%(field)s must be %(what)s.")
                     % {"field": self.name(field, row), "what": what}, "format")

    v_longtext = v_text

    def _dated(self, field, value, path, row):
        rng = date_range(field.type, value)
        if rng is None:
            messages = {
                "date": _("%(field)s must be a real date, written day/month/year "
                          "(in JSON: YYYY-MM-DD)."),
                "partial_date": _("%(field)s must be a date (day/month/year), a month "
                                  "(month/year) or a year (in JSON: YYYY-MM-DD, YYYY-MM or YYYY)."),
                "month": _("%(field)s must be a month, written month/year (in JSON: YYYY-MM)."),
                "year": _("%(field)s must be a year of four digits from 1900 on."),
            }
            self.add(path, messages[field.type] % {"field": self.name(field, row)}, "format")
            return
        self.dates[path] = rng
        if not field.future and rng[0] > self.on:
            self.add(
                path,
                _("%(field)s (%(value)s) is in the future; it must be on or before %(today)s.")
                % {"field": self.name(field, row), "value": show_date(value),
                   "today": show_date(self.on)},
                "future",
            )

    def v_date(self, field, value, path, row, row_values):
        self._dated(field, value, path, row)

    v_partial_date = v_month = v_year = v_date

    def v_integer(self, field, value, path, row, row_values):
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, _("%(field)s must be a whole number.")
                     % {"field": self.name(field, row)}, "type")
            return
        self._range(field, value, path, row)

    def _range(self, field, value, path, row):
        low = Decimal(str(field.min)) if field.min is not None else None
        high = Decimal(str(field.max)) if field.max is not None else None
        if (low is not None and value < low) or (high is not None and value > high):
            self.add(
                path,
                _("%(field)s must be between %(min)s and %(max)s.")
                % {"field": self.name(field, row), "min": show_decimal(field.min),
                   "max": show_decimal(field.max)},
                "range",
            )

    def v_decimal(self, field, value, path, row, row_values):
        m = DECIMAL_RE.match(value) if isinstance(value, str) else None
        places = field.decimal_places if field.decimal_places is not None else 2
        if m is None or len(m[1] or "") > places:
            example = "4,98" if places else "5"
            self.add(
                path,
                _("%(field)s must be a number with at most %(places)s decimals, e.g. "
                  "%(example)s (in JSON a string such as \"4.98\").")
                % {"field": self.name(field, row), "places": places, "example": example},
                "format",
            )
            return
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the regular expression prevents it
            return
        self._range(field, number, path, row)

    def v_bool(self, field, value, path, row, row_values):
        if not isinstance(value, bool):
            self.add(path, _("%(field)s must be yes or no (true or false).")
                     % {"field": self.name(field, row)}, "type")

    def v_code(self, field, value, path, row, row_values):
        if not isinstance(value, str):
            self.add(path, _("%(field)s must be a code (text).")
                     % {"field": self.name(field, row)}, "type")
            return
        if field.choices:
            if value not in {c.code for c in field.choices}:
                self.add(
                    path,
                    _("%(field)s: “%(code)s” is not one of the choices (%(choices)s).")
                    % {"field": self.name(field, row), "code": value,
                       "choices": ", ".join(f"{c.code} = {c.label}" for c in field.choices)},
                    "code",
                )
            return
        on = self.on
        if field.code_date:
            source = row_values.get(field.code_date) if isinstance(row_values, dict) else None
            date_field_type = _date_type_of(self.schema, field)
            rng = date_range(date_field_type, source) if date_field_type and source else None
            if rng:
                on = min(rng[1], self.on) if rng[0] <= self.on else rng[0]
        self.code_checks.append((path, field, value, _accepted(field, self.category),
                                 on, "code"))

    def v_unit(self, field, value, path, row, row_values):
        if not isinstance(value, str) or not UNIT_RE.match(value):
            self.add(
                path,
                _("%(field)s must be the electronic identifier code of a unit "
                  "(QĐ 20/2020/QĐ-TTg), e.g. 000.00.00.H26.") % {"field": self.name(field, row)},
                "format",
            )
            return
        self.unit_checks.append((path, field, value))

    def v_place(self, field, value, path, row, row_values):
        if not isinstance(value, dict) or not value or set(value) - PLACE_KEYS or not all(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            self.add(
                path,
                _("%(field)s must give a province, a commune or the place written out "
                  "(in JSON: an object with “province”, “commune” and “text”).")
                % {"field": self.name(field, row)},
                "format",
            )
            return
        if len(value.get("text", "")) > 500:
            self.add(path, _("%(field)s is too long: at most %(max)s characters (now %(n)s).")
                     % {"field": self.name(field, row), "max": 500, "n": len(value["text"])},
                     "length")
        for part, list_key in (("province", "provinces"), ("commune", "communes")):
            if part in value:
                self.code_checks.append(
                    (f"{path}.{part}", field, value[part], (list_key,), None, "place")
                )

    def v_email(self, field, value, path, row, row_values):
        try:
            if not isinstance(value, str):
                raise ValidationError("")
            _email(value)
        except ValidationError:
            self.add(path, _("%(field)s is not a valid e-mail address (e.g. ten@donvi.gov.vn).")
                     % {"field": self.name(field, row)}, "format")

    def v_phone(self, field, value, path, row, row_values):
        if not isinstance(value, str) or not PHONE_RE.match(value):
            self.add(
                path,
                _("%(field)s must be a phone number: 10 or 11 digits starting with 0, or +84 "
                  "and 9 or 10 digits, without spaces (e.g. 0912345678).")
                % {"field": self.name(field, row)},
                "format",
            )

    def v_id_number(self, field, value, path, row, row_values):
        try:
            validate_id_number(value)
        except ValidationError as exc:
            self.add(path, f"{self.name(field, row)}: {' '.join(exc.messages)}", "format")

    def v_evidence(self, field, value, path, row, row_values):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(path, _("%(field)s must be the number of an uploaded document.")
                     % {"field": self.name(field, row)}, "type")

    def v_table(self, field, value, path, row, row_values):  # pragma: no cover - tables
        self.table(field, value)

    # rules across fields -------------------------------------------------------------

    def order(self, path_a, path_b, field_a, field_b, row=None) -> None:
        a, b = self.dates.get(path_a), self.dates.get(path_b)
        if a is None or b is None or a[0] <= b[1]:
            return
        values = {"b": _show_range(field_b, b), "a": _show_range(field_a, a)}
        if row is None:
            message = _("%(later)s (%(b)s) must not be before %(earlier)s (%(a)s).") % {
                **values, "later": self.name(field_b), "earlier": self.name(field_a)}
        else:
            table = self.schema.field(field_b.table)
            message = _("%(table)s, row %(row)s: %(later)s (%(b)s) must not be before "
                        "%(earlier)s (%(a)s).") % {
                **values, "table": _q(table.label), "row": row + 1,
                "later": _q(field_b.label), "earlier": _q(field_a.label)}
        self.add(path_b, message, "order")

    def cross_rules(self, document: dict) -> None:
        schema = self.schema
        for earlier, later in ORDER_RULES:
            if earlier in schema and later in schema:
                self.order(earlier, later, schema.field(earlier), schema.field(later))
        birth = self.dates.get("birth_date")
        if birth:
            self.not_before_birth(birth)
            recruited = self.dates.get("recruitment_date")
            if recruited and "recruitment_date" in schema:
                earliest = _add_years(birth[0], RECRUITMENT_AGE)
                if recruited[1] < earliest:
                    self.add(
                        "recruitment_date",
                        _("%(field)s (%(date)s) must be on or after the 18th birthday "
                          "(%(earliest)s): a person is recruited at 18 or older.")
                        % {"field": self.name(schema.field("recruitment_date")),
                           "date": show_date(document["recruitment_date"]),
                           "earliest": show_date(earliest)},
                        "age",
                    )
        id_number = document.get("id_number")
        if (
            "id_number" in schema
            and isinstance(id_number, str)
            and not any(i.path == "id_number" for i in self.issues)
            and birth
        ):
            sex = document.get("sex") if document.get("sex") in ("male", "female") else None
            try:
                validate_id_number(id_number, birth_date=birth[0], sex=sex)
            except ValidationError as exc:
                self.add("id_number",
                         f"{self.name(schema.field('id_number'))}: {' '.join(exc.messages)}",
                         "id_mismatch")
        if {"rank_code", "salary_step", "salary_coefficient"} <= set(document):
            since = self.dates.get("salary_since")
            self.salary_checks.append(("", document, schema.field("salary_coefficient"),
                                       since[0] if since else None))
        if "salary_history" in document and isinstance(document["salary_history"], list):
            table = schema.field("salary_history")
            for index, row in enumerate(document["salary_history"]):
                if isinstance(row, dict) and {"rank_code", "salary_step",
                                              "salary_coefficient"} <= set(row):
                    month = self.dates.get(f"salary_history.{index}.month")
                    self.salary_checks.append(
                        (f"salary_history.{index}.", row, table.column("salary_coefficient"),
                         month[0] if month else None)
                    )

    def not_before_birth(self, birth) -> None:
        for path, rng in self.dates.items():
            if path == "birth_date" or rng[1] >= birth[0]:
                continue
            field = self._field_at(path)
            if field is None or field.before_birth:
                continue
            row = int(path.split(".")[1]) if field.table else None
            self.add(
                path,
                _("%(field)s (%(date)s) is before the date of birth (%(birth)s).")
                % {"field": self.name(field, row), "date": _show_range(field, rng),
                   "birth": _show_range(self.schema.field("birth_date"), birth)},
                "order",
            )

    def _field_at(self, path: str) -> Field | None:
        parts = path.split(".")
        try:
            if len(parts) == 3:
                return self.schema.field(f"{parts[0]}.{parts[2]}")
            return self.schema.field(parts[0])
        except KeyError:
            return None

    # look-ups, batched ---------------------------------------------------------------

    def run_code_checks(self) -> None:
        if not self.code_checks:
            return
        catalogs = _catalogs()
        memo: dict[tuple, bool] = {}

        def valid(list_key, code, on):
            key = (list_key, code, on)
            if key not in memo:
                memo[key] = bool(catalogs.code_valid(list_key, code, on))
            return memo[key]

        for path, field, code, lists, on, kind in self.code_checks:
            row = int(path.split(".")[1]) if field.table else None
            if kind == "place":
                # A place may name the units before the 2025 reorganisation (Nghị quyết
                # 202/2025/QH15) or after it: a code of any period will do.
                if valid(lists[0], code, None):
                    continue
                what = _("province") if lists[0] == "provinces" else _("commune")
                self.add(
                    path,
                    _("%(field)s: “%(code)s” is not the code of a %(what)s (before or after "
                      "the 2025 reorganisation); choose one from the list.")
                    % {"field": self.name(field, row), "code": code, "what": what},
                    "code",
                )
                continue
            if any(valid(list_key, code, on) for list_key in lists):
                continue
            self.add(
                path,
                _("%(field)s: “%(code)s” is not a code of the list “%(list)s” in force on "
                  "%(date)s; choose one from the list.")
                % {"field": self.name(field, row), "code": code, "list": " / ".join(lists),
                   "date": show_date(on)},
                "code",
            )

    def run_unit_checks(self) -> None:
        if not self.unit_checks:
            return
        from hoso.org.models import OrgUnit

        codes = {code for _path, _field, code in self.unit_checks}
        known = set(OrgUnit.objects.filter(code__in=codes).values_list("code", flat=True))
        for path, field, code in self.unit_checks:
            if code not in known:
                row = int(path.split(".")[1]) if field.table else None
                self.add(path, _("%(field)s: no unit has the code “%(code)s”.")
                         % {"field": self.name(field, row), "code": code}, "unit")

    def run_salary_checks(self) -> None:
        if not self.salary_checks:
            return
        catalogs = _catalogs()
        flagged = {i.path for i in self.issues}
        for prefix, values, field, on in self.salary_checks:
            paths = [prefix + k for k in ("rank_code", "salary_step", "salary_coefficient")]
            if flagged.intersection(paths):
                continue
            info = catalogs.rank_info(values["rank_code"])
            group = getattr(info, "salary_group", None)
            if not group:
                continue
            row = int(prefix.split(".")[1]) if prefix else None
            step = values["salary_step"]
            expected = catalogs.salary_coefficient(group, step, on)
            if expected is None:
                self.add(
                    prefix + "salary_step",
                    _("%(field)s: salary group %(group)s has no step %(step)s.")
                    % {"field": self.name(self.schema.field(
                        f"{field.table}.salary_step" if field.table else "salary_step"), row),
                       "group": group, "step": step},
                    "salary",
                )
                continue
            if Decimal(values["salary_coefficient"]) != Decimal(expected):
                self.add(
                    prefix + "salary_coefficient",
                    _("%(field)s must be %(expected)s for %(rank)s at step %(step)s "
                      "(salary group %(group)s), not %(value)s.")
                    % {"field": self.name(field, row), "expected": show_decimal(expected),
                       "rank": getattr(info, "name", values["rank_code"]), "step": step,
                       "group": group, "value": show_decimal(values["salary_coefficient"])},
                    "salary",
                )


def _show_range(field: Field, rng: tuple[dt.date, dt.date]) -> str:
    lo, hi = rng
    if lo == hi:
        return show_date(lo)
    if lo.month == 1 and lo.day == 1 and hi.month == 12 and hi.day == 31:
        return str(lo.year)
    return f"{lo.month:02d}/{lo.year}"


def _category_label(category: str) -> str:
    from hoso.records.models import StaffCategory

    try:
        return str(StaffCategory(category).label)
    except ValueError:
        return category


# -- the public functions --------------------------------------------------------------


def validate(
    document: Any,
    *,
    category: str,
    on: dt.date | None = None,
    check_required: bool = True,
) -> list[Issue]:
    """Every problem of `document` for a person of `category`, as of `on` (today by
    default: nothing may lie after it). An empty list means valid. A draft being
    filled in passes `check_required=False`: it may still lack required fields."""
    schema = get_schema(category)
    today = on or dt.date.today()
    return _Validator(schema, category, today, check_required).run(document)


def completeness(document: dict, *, category: str) -> Completeness:
    """How many of the fields required for the category are filled, and which are not."""
    schema = get_schema(category)
    required = [f for f in schema.fields if category in f.required_for]
    missing = [f for f in required if document.get(f.key) in (None, "", [], {})]
    return Completeness(filled=len(required) - len(missing), required=len(required),
                        missing=missing)


def sensitive_keys(schema: Schema) -> set[str]:
    """Top-level keys whose access is restricted or secret (sealed at rest, hidden
    from those who may not see them)."""
    return {f.key for f in schema.fields if f.access != "public"}
