"""From counts by group to the report's tables (`layout`): rows labelled from the code
lists as they were on the day of the figures, in the lists' order. No personal data
is read here: the counts come from `headcount` through the selectors."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from hoso.catalogs.selectors import entries, entry_for, rank_info
from hoso.records.models import StaffCategory

from . import layout
from .headcount import Counts

UNKNOWN = 99


def _grade_of(salary_group: str) -> str | None:
    for key, _label, prefixes in layout.GRADES:
        if any(salary_group.startswith(p) for p in prefixes):
            return key
    return None


def _positions(list_key: str, day: dt.date) -> dict[str, int]:
    return {e.code: i for i, e in enumerate(entries(list_key))}


def build_tables(groups: dict, day: dt.date) -> list[layout.Table]:
    """The five tables from `{(prefix, category, rank, position): vector}` (the prefix
    is ignored: callers pass one unit's groups)."""
    by_category: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    by_position: dict[str, list[int]] = {}
    for (_prefix, category, rank, position), values in groups.items():
        layout.add(by_category.setdefault(category, layout.zeros()), values)
        layout.add(by_code.setdefault(rank, layout.zeros()), values)
        layout.add(by_position.setdefault(position, layout.zeros()), values)

    # 1. category: every category, in the model's order (zeros shown)
    rows = [
        layout.Row(f"category:{value}", str(label), by_category.get(value, layout.zeros()),
                   order=(i,))
        for i, (value, label) in enumerate(StaffCategory.choices)
    ]
    for value, vector in sorted(by_category.items()):
        if value not in StaffCategory.values:
            rows.append(layout.Row(f"category:{value}", value, vector, order=(UNKNOWN, value)))
    tables = [layout.Table("category", _("Headcount by staff category"), rows)]

    # 2. grade, 3. rank, 4. title
    grades = {key: layout.zeros() for key, _l, _p in layout.GRADES}
    no_rank, unknown = layout.zeros(), layout.zeros()
    rank_rows, title_rows = [], []
    order = {"rank": _positions("ranks", day), "title": _positions("titles", day)}
    for code, vector in by_code.items():
        if not code:
            layout.add(no_rank, vector)
            continue
        info = rank_info(code, day) or rank_info(code)
        if info is None:
            layout.add(unknown, vector)
            continue
        grade = _grade_of(info.salary_group)
        layout.add(grades[grade] if grade else unknown, vector)
        row = layout.Row(f"{info.kind}:{code}", info.name, vector, code=code,
                         order=(order[info.kind].get(code, UNKNOWN * 1000), code))
        (rank_rows if info.kind == "rank" else title_rows).append(row)
    grade_rows = [
        layout.Row(f"grade:{key}", str(label), grades[key], order=(i,))
        for i, (key, label, _p) in enumerate(layout.GRADES)
    ]
    grade_rows.append(layout.Row("grade:none", _("No rank or professional title"), no_rank,
                                 order=(len(layout.GRADES),)))
    if any(unknown):
        grade_rows.append(layout.Row(
            "grade:unknown", _("Rank or title not in the code lists"), unknown,
            order=(len(layout.GRADES) + 1,)))
    tables.append(layout.Table("grade", _("Headcount by grade of rank or professional title"),
                               grade_rows))
    tables.append(layout.Table("rank", _("Headcount by civil-service rank"),
                               sorted(rank_rows, key=lambda r: r.order)))
    tables.append(layout.Table(
        "title", _("Headcount by professional title of public employees"),
        sorted(title_rows, key=lambda r: r.order)))

    # 5. job position, in the four groups of NĐ 62/2020 Đ4
    group_index = {key: i for i, (key, _label) in enumerate(layout.JOB_POSITION_GROUPS)}
    position_order = _positions("job_positions", day)
    leaves: dict[str, list[layout.Row]] = {}
    for code, vector in by_position.items():
        entry = entry_for("job_positions", code, day) or entry_for("job_positions", code) \
            if code else None
        if entry is None:
            key = "none" if not code else "unknown"
            label = code if code else _("Job position not set")
            leaves.setdefault(key, []).append(layout.Row(
                f"position:{code}", label, vector, code=code,
                order=(len(group_index) + (0 if not code else 1), 0, 0, code)))
            continue
        group = str(entry.attrs.get("group") or "")
        gi = group_index.get(group, len(group_index))
        leaves.setdefault(group, []).append(layout.Row(
            f"position:{code}", entry.label, vector, code=code,
            order=(gi, 1, position_order.get(code, UNKNOWN * 1000), code)))
    position_rows = []
    for key, label in layout.JOB_POSITION_GROUPS:
        mine = leaves.get(key)
        if not mine:
            continue
        subtotal = layout.zeros()
        for row in mine:
            layout.add(subtotal, row.values)
        gi = group_index[key]
        position_rows.append(layout.Row(f"group:{key}", str(label), subtotal,
                                        order=(gi, 0, 0, ""), subtotal=True))
        position_rows.extend(mine)
    for key, mine in leaves.items():
        if key not in group_index:
            position_rows.extend(mine)
    tables.append(layout.Table("position", _("Headcount by job position"),
                               sorted(position_rows, key=lambda r: r.order)))
    return tables


def make_figures(*, kind: str, year: int, day: dt.date, preview: bool, unit,
                 counts: Counts, units: list[layout.UnitLine] | None = None,
                 tables: list[layout.Table] | None = None) -> layout.Figures:
    """The figures with Vietnamese labels (what is frozen is what the PDF shows)."""
    with translation.override("vi"):
        if tables is None:
            tables = build_tables(counts.groups, day)
        return layout.Figures(
            kind=kind, year=year, as_of=day.isoformat(), preview=preview,
            unit_id=unit.pk, unit_code=unit.code, unit_name=unit.name, tables=tables,
            not_approved=sum(counts.not_approved.values()), units=units or [],
        )
