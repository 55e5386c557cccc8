"""What the annual report shows: its columns, its tables, and the figures as data.

The regulations ask for the headcount "chia theo ngạch công chức, chức danh nghề
nghiệp viên chức, vị trí việc làm" (Vĩnh Phúc Đ16.7, Lâm Đồng Đ13.9). The tables are
those three, with the headcount by staff category and by grade of rank or title
(the "… và tương đương" rows of the Ministry's forms) before them:

1. by staff category (cán bộ, công chức, viên chức, cấp xã, người lao động);
2. by grade: chuyên viên cao cấp, chuyên viên chính, chuyên viên, cán sự, nhân viên
   "và tương đương" — read from the salary group of the rank or title (Nghị định
   204/2004/NĐ-CP: A3, A2, A1, A0, B/C), the grade the Ministry's forms equate ranks
   and titles by;
3. by civil-service rank (ngạch công chức, the `ranks` code list);
4. by professional title (chức danh nghề nghiệp, the `titles` code list);
5. by job position (vị trí việc làm, the `job_positions` code list, in the four groups
   of Nghị định 62/2020/NĐ-CP Đ4).

Each row carries the breakdowns of the Ministry's statistical forms on the quantity
and quality of cadres, civil servants and public employees: women, ethnic minorities,
Party members, age bands, professional qualification, political theory and state
management. Which form is in force: the statistical reporting regime of the Home
Affairs sector was Thông tư 03/2018/TT-BNV (49 reports, checked on moha.gov.vn) and is
now Thông tư 18/2025/TT-BNV of 08/10/2025 (its existence checked on luatvietnam.vn);
the older forms were those of Thông tư 11/2012/TT-BNV (civil servants) and 07/2019/
TT-BNV (public employees). None of their forms' texts could be read while this was
written: the columns below are those forms' breakdowns as we know them and are NOT
verified against the text of Thông tư 18/2025/TT-BNV — check them, and the age bands
in particular, before the first report goes to the Ministry.

`Figures` is the data every output (page, workbook, PDF, API) is drawn from, and what a
signed report freezes as JSON.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (key, label, group label or None). Groups are consecutive.
COLUMNS: tuple[tuple[str, object, object], ...] = (
    ("total", pgettext_lazy("annual report column", "Total"), None),
    ("female", _("Women"), _("Of whom")),
    ("minority", _("Ethnic minorities"), _("Of whom")),
    ("party", _("Party members"), _("Of whom")),
    ("age_30", _("30 or younger"), _("Age")),
    ("age_40", _("31 to 40"), _("Age")),
    ("age_50", _("41 to 50"), _("Age")),
    ("age_60", _("51 to 60"), _("Age")),
    ("age_61", _("Over 60"), _("Age")),
    ("edu_ts", _("Doctorate"), _("Professional qualification")),
    ("edu_ths", _("Master's"), _("Professional qualification")),
    ("edu_dh", _("University"), _("Professional qualification")),
    ("edu_cd", _("College"), _("Professional qualification")),
    ("edu_tc", _("Intermediate"), _("Professional qualification")),
    ("edu_other", _("Other"), _("Professional qualification")),
    ("pol_cc", _("Advanced, bachelor"), _("Political theory")),
    ("pol_tc", _("Intermediate"), _("Political theory")),
    ("pol_sc", _("Elementary"), _("Political theory")),
    ("sm_cvcc", _("Senior principal specialist"), _("State management")),
    ("sm_cvc", _("Principal specialist"), _("State management")),
    ("sm_cv", _("Specialist"), _("State management")),
    ("sm_cs", _("Clerk"), _("State management")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c[0] for c in COLUMNS)
WIDTH = len(COLUMNS)
INDEX = {key: i for i, key in enumerate(COLUMN_KEYS)}

# Age bands: (column, completed years at the date of the figures, inclusive).
AGE_BANDS = (("age_30", 0, 30), ("age_40", 31, 40), ("age_50", 41, 50), ("age_60", 51, 60),
             ("age_61", 61, 200))
# Code-list values counted in each qualification column (catalogs/data/*.yaml).
EDUCATION = {"edu_ts": ("tskh", "ts"), "edu_ths": ("ths",), "edu_dh": ("dh",),
             "edu_cd": ("cd",), "edu_tc": ("tc",)}
POLITICAL = {"pol_cc": ("cu_nhan", "cao_cap"), "pol_tc": ("trung_cap",), "pol_sc": ("so_cap",)}
STATE_MANAGEMENT = {"sm_cvcc": ("cvcc",), "sm_cvc": ("cvc",), "sm_cv": ("cv",),
                    "sm_cs": ("can_su",)}
# Ethnicities (QĐ 121-TCTK/PPCĐ) that are not minorities: Kinh, and people of foreign
# origin (55, hoso's addition to the list); an empty value is not counted either.
NOT_MINORITY = ("", "01", "55")

# Grades "và tương đương", by the first two characters of the salary group.
GRADES: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("cvcc", _("Senior principal specialist and equivalent"), ("A3",)),
    ("cvc", _("Principal specialist and equivalent"), ("A2",)),
    ("cv", _("Specialist and equivalent"), ("A1",)),
    ("cs", _("Clerk and equivalent"), ("A0",)),
    ("nv", _("Staff and equivalent"), ("B", "C1", "C2", "C3", "C")),
)
JOB_POSITION_GROUPS: tuple[tuple[str, object], ...] = (
    ("lanh_dao", _("Leadership and management positions")),
    ("chuyen_mon", _("Professional positions")),
    ("dung_chung", _("Shared professional positions")),
    ("ho_tro", _("Support and service positions")),
)

TABLES: tuple[tuple[str, object], ...] = (
    ("category", _("Headcount by staff category")),
    ("grade", _("Headcount by grade of rank or professional title")),
    ("rank", _("Headcount by civil-service rank")),
    ("title", _("Headcount by professional title of public employees")),
    ("position", _("Headcount by job position")),
)


def zeros() -> list[int]:
    return [0] * WIDTH


def add(into: list[int], values) -> None:
    """Add `values` to `into`, column by column, in place."""
    into[:] = map(operator.add, into, values)


@dataclass
class Row:
    key: str  # unique in its table: "cong_chuc", "rank:01.003", "group:lanh_dao" …
    label: str
    values: list[int]
    code: str = ""  # the code-list code shown beside the label
    order: tuple = ()  # sorts rows merged from several reports
    subtotal: bool = False  # a group's line: shown, not added to the table's total

    def to_json(self) -> dict:
        data = {"key": self.key, "label": self.label, "values": list(self.values)}
        if self.code:
            data["code"] = self.code
        if self.order:
            data["order"] = list(self.order)
        if self.subtotal:
            data["subtotal"] = True
        return data

    @classmethod
    def from_json(cls, data: dict) -> Row:
        return cls(
            key=data["key"], label=data["label"], values=list(data["values"]),
            code=data.get("code", ""), order=tuple(data.get("order") or ()),
            subtotal=bool(data.get("subtotal")),
        )


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row]

    @property
    def total(self) -> list[int]:
        """The totals row: the sum of the table's rows (group lines left out)."""
        out = zeros()
        for row in self.rows:
            if not row.subtotal:
                add(out, row.values)
        return out

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title,
                "rows": [r.to_json() for r in self.rows], "total": self.total}

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(data["key"], data["title"], [Row.from_json(r) for r in data["rows"]])


@dataclass
class UnitLine:
    """One reporting unit in the province's report: where its figures come from."""

    unit_id: int
    code: str
    name: str
    values: list[int]
    status: str  # "submitted" (frozen figures) | "not_submitted" (the database's now)
    report_id: int | None = None
    figures_sha256: str = ""
    submitted_at: str = ""  # ISO datetime
    on_time: bool | None = None

    def to_json(self) -> dict:
        return {
            "unit_id": self.unit_id, "code": self.code, "name": self.name,
            "values": list(self.values), "status": self.status,
            "report_id": self.report_id, "figures_sha256": self.figures_sha256,
            "submitted_at": self.submitted_at, "on_time": self.on_time,
        }

    @classmethod
    def from_json(cls, data: dict) -> UnitLine:
        return cls(**{k: data.get(k) for k in (
            "unit_id", "code", "name", "values", "status", "report_id", "figures_sha256",
            "submitted_at", "on_time")})


@dataclass
class Figures:
    kind: str  # "unit" | "province"
    year: int
    as_of: str  # ISO date of the figures
    preview: bool  # the year is not over: figures as of now
    unit_id: int
    unit_code: str
    unit_name: str
    tables: list[Table]
    not_approved: int = 0  # files in scope without an approved revision (not counted)
    units: list[UnitLine] = field(default_factory=list)  # the province's report only
    # "phản ánh kịp thời vướng mắc phát sinh" (Vĩnh Phúc Đ16.7, Lâm Đồng Đ13.9): the
    # difficulties the signer writes into the report.
    notes: str = ""
    version: int = 1

    @property
    def total(self) -> list[int]:
        return self.table("category").total

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def to_json(self) -> dict:
        return {
            "version": self.version, "kind": self.kind, "year": self.year,
            "as_of": self.as_of, "preview": self.preview,
            "unit": {"id": self.unit_id, "code": self.unit_code, "name": self.unit_name},
            "columns": list(COLUMN_KEYS), "tables": [t.to_json() for t in self.tables],
            "total": self.total, "not_approved": self.not_approved,
            "units": [u.to_json() for u in self.units], "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> Figures:
        if list(data.get("columns") or ()) != list(COLUMN_KEYS):
            raise ValueError("the figures were frozen with other columns")
        unit = data["unit"]
        return cls(
            kind=data["kind"], year=data["year"], as_of=data["as_of"],
            preview=bool(data.get("preview")), unit_id=unit["id"], unit_code=unit["code"],
            unit_name=unit["name"], tables=[Table.from_json(t) for t in data["tables"]],
            not_approved=int(data.get("not_approved") or 0),
            units=[UnitLine.from_json(u) for u in data.get("units") or ()],
            notes=str(data.get("notes") or ""), version=int(data.get("version") or 1),
        )


def merge_tables(many: list[list[Table]]) -> list[Table]:
    """The tables of several reports added row by row (rows matched by key, in the
    order their `order` gives); labels from the first report that has the row."""
    out: list[Table] = []
    for key, _title in TABLES:
        rows: dict[str, Row] = {}
        title = ""
        for tables in many:
            table = next((t for t in tables if t.key == key), None)
            if table is None:
                continue
            title = title or table.title
            for row in table.rows:
                mine = rows.get(row.key)
                if mine is None:
                    rows[row.key] = Row(row.key, row.label, list(row.values), row.code,
                                        row.order, row.subtotal)
                else:
                    add(mine.values, row.values)
        ordered = sorted(rows.values(), key=lambda r: r.order)
        out.append(Table(key, title, ordered))
    return out


@dataclass(frozen=True)
class HeadCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


def header_rows() -> tuple[list[HeadCell], list[HeadCell]]:
    """The two header rows of a table's figures: the groups ("Trong đó", "Độ tuổi" …)
    over their columns, and the columns without a group spanning both rows."""
    top: list[HeadCell] = []
    bottom: list[HeadCell] = []
    i = 0
    while i < WIDTH:
        _key, label, group = COLUMNS[i]
        if group is None:
            top.append(HeadCell(str(label), rowspan=2))
            i += 1
            continue
        j = i
        while j < WIDTH and COLUMNS[j][2] == group:
            bottom.append(HeadCell(str(COLUMNS[j][1])))
            j += 1
        top.append(HeadCell(str(group), colspan=j - i))
        i = j
    return top, bottom
