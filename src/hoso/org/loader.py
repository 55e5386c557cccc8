"""Loading a province's organisation tree from a file (`hoso org load FILE`).

The first-day task of every province's operator (docs/operators.md): the province
publishes its list of agencies with their electronic identifier codes (QĐ 20/2020/
QĐ-TTg; Vĩnh Phúc QĐ 3456/QĐ-UBND is one such list; Lâm Đồng's Quy chế Đ15.5 asks the
units to keep their codes up to date), and hoso loads it as CSV or YAML with the
columns `code, name, short_name, kind, parent_code, valid_from, valid_to`.

All or nothing: the whole file is checked first and every problem is reported at once
with its line number; a file with any problem writes nothing. A valid file is written
in one transaction through `org.services` (so paths and the audit trail stay right).
Units are keyed by their code: loading the same file again changes nothing, and a
corrected file updates only the units whose columns changed. Units of the database
that the file does not name are left as they are (nothing is ever deleted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoso.core.errors import DomainError

from .models import OrgUnit, UnitKind
from .services import check_unit_rules, unit_create, unit_update

COLUMNS = ("code", "name", "short_name", "kind", "parent_code", "valid_from", "valid_to")
REQUIRED = ("code", "name", "kind")
FIELDS = ("code", "name", "short_name", "kind", "valid_from", "valid_to")
# Model field name → the file's column, for messages about a field.
FIELD_COLUMN = {"parent": "parent_code"}
SUFFIXES = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class Problem:
    """One reason the file can't be loaded; `line` is None for the file as a whole."""

    line: int | None
    message: str
    column: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column:
            return _("Line %(line)d, column “%(column)s”: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class LoadError(Exception):
    """The file cannot be loaded; `problems` lists every reason, in line order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Row:
    """One unit as the file states it, with the line of each of its values."""

    line: int
    code: str = ""
    name: str = ""
    short_name: str = ""
    kind: str = ""
    parent_code: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    lines: dict[str, int] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # columns whose value could not be read

    def line_of(self, column: str) -> int:
        return self.lines.get(column, self.line)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False


# --- reading -------------------------------------------------------------------------


@dataclass
class _RawRow:
    line: int
    values: dict[str, Any]
    lines: dict[str, int]


def read_rows(path: Path | str) -> tuple[list[Row], list[Problem]]:
    """Parse a CSV or YAML file into rows and the problems of their values.

    A file that can't be read as a list of units at all raises LoadError."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise LoadError([Problem(None, _("Only .csv, .yaml and .yml files can be loaded."))])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(
            [Problem(None, _("The file cannot be read: %(error)s") % {"error": exc.strerror})]
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError([Problem(line, _("The file is not UTF-8 text."))]) from exc
    raw, problems = (_read_csv if kind == "csv" else _read_yaml)(text)
    rows = []
    for r in raw:
        row, row_problems = _parse_row(r)
        rows.append(row)
        problems.extend(row_problems)
    if not rows and not problems:
        problems.append(Problem(1, _("The file has no units.")))
    if not rows:
        raise LoadError(problems)
    return rows, problems


def _read_csv(text: str) -> tuple[list[_RawRow], list[Problem]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    rows: list[_RawRow] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], []
        columns = [_norm_key(c) for c in header]
        for col in columns:
            if col and col not in COLUMNS:
                problems.append(Problem(1, _unknown_column(col)))
        for col in REQUIRED:
            if col not in columns:
                problems.append(
                    Problem(1, _("The required column “%(column)s” is missing.") % {"column": col})
                )
        if problems:
            return [], problems
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns):
                problems.append(
                    Problem(line, _("This row has more values than the header has columns."))
                )
                continue
            values = {c: v for c, v in zip(columns, cells, strict=False) if c}
            rows.append(_RawRow(line, values, {}))
    except csv.Error as exc:
        problems.append(
            Problem(reader.line_num, _("The CSV file is malformed: %(error)s") % {"error": exc})
        )
    return rows, problems


def _read_yaml(text: str) -> tuple[list[_RawRow], list[Problem]]:
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            return [], [
                Problem(
                    mark.line + 1 if mark else 1,
                    _("The YAML file is malformed: %(error)s") % {"error": exc.problem or exc},
                )
            ]
        except yaml.YAMLError as exc:
            return [], [Problem(1, _("The YAML file is malformed: %(error)s") % {"error": exc})]
        if root is None:
            return [], []
        items = root
        if isinstance(root, yaml.MappingNode):  # `units: [...]`, optionally with other keys
            items = next(
                (v for k, v in root.value if loader.construct_object(k) == "units"), None
            )
        if not isinstance(items, yaml.SequenceNode):
            return [], [
                Problem(
                    root.start_mark.line + 1,
                    _("The file must hold a list of units, or a key “units” with that list."),
                )
            ]
        rows, problems = [], []
        for item in items.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                problems.append(
                    Problem(
                        line, _("Each unit must be a set of keys and values (code: …, name: …).")
                    )
                )
                continue
            values, lines = {}, {}
            for key_node, value_node in item.value:
                key_line = key_node.start_mark.line + 1
                key = _norm_key(str(loader.construct_object(key_node, deep=True)))
                if key not in COLUMNS:
                    problems.append(Problem(key_line, _unknown_column(key)))
                    continue
                if not isinstance(value_node, yaml.ScalarNode):
                    problems.append(
                        Problem(key_line, _("The value must be a single value."), column=key)
                    )
                    continue
                values[key] = loader.construct_object(value_node, deep=True)
                lines[key] = key_line
            rows.append(_RawRow(line, values, lines))
        return rows, problems
    finally:
        loader.dispose()


def _norm_key(key: str) -> str:
    return key.strip().lower().replace(" ", "_").replace("-", "_")


def _unknown_column(col: str) -> str:
    return _("Unknown column “%(column)s”; the columns are: %(columns)s.") % {
        "column": col, "columns": ", ".join(COLUMNS),
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    # One spelling of each Vietnamese letter, whichever editor wrote the file.
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


@cache
def _kind_names() -> dict[str, str]:
    """Every accepted spelling of a kind: its value, its Vietnamese and English labels."""
    names: dict[str, str] = {}
    for kind in UnitKind:
        names[kind.value] = kind.value
        for lang in ("vi", "en"):
            with translation.override(lang):
                names[_text(str(kind.label)).casefold()] = kind.value
    return names


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
    raise ValueError(text)


def _parse_row(raw: _RawRow) -> tuple[Row, list[Problem]]:
    row = Row(line=raw.line, lines=raw.lines)
    problems = []
    given = {col for col, value in raw.values.items() if _text(value)}
    for col in REQUIRED:
        if col not in given:
            problems.append(
                Problem(raw.line, _("The field “%(column)s” is required.") % {"column": col},
                        column=col)
            )
    for col in given:
        value, line = raw.values[col], raw.lines.get(col, raw.line)
        if col in ("valid_from", "valid_to"):
            try:
                setattr(row, col, _parse_date(value))
            except ValueError:
                row.bad.add(col)
                problems.append(
                    Problem(
                        line,
                        _("“%(value)s” is not a date; write it as dd/mm/yyyy or yyyy-mm-dd.")
                        % {"value": _text(value)},
                        column=col,
                    )
                )
        elif col == "kind":
            kind = _kind_names().get(_text(value).casefold())
            if kind is None:
                row.bad.add(col)
                problems.append(
                    Problem(
                        line,
                        _("Unknown unit kind “%(value)s”; use one of: %(kinds)s.")
                        % {
                            "value": _text(value),
                            "kinds": "; ".join(f"{k.value} ({k.label})" for k in UnitKind),
                        },
                        column=col,
                    )
                )
            row.kind = kind or ""
        elif col in ("code", "parent_code"):
            setattr(row, col, _text(value).upper())
        else:
            setattr(row, col, _text(value))
    return row, problems


# --- checking ------------------------------------------------------------------------


def _field_problems(row: Row) -> list[Problem]:
    """The model's own field checks: the code's QĐ 20 form, lengths."""
    unit = OrgUnit(**{k: v for k, v in row.values().items()})
    exclude = ["path", "depth", "parent"] + [c for c in REQUIRED if not getattr(row, c)]
    try:
        unit.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return _problems_from(exc, row)
    return []


def _problems_from(exc: ValidationError, row: Row) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(row.line, m) for m in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        column = FIELD_COLUMN.get(name, name) if name != "__all__" else ""
        out.extend(Problem(row.line_of(column), m, column=column) for m in messages)
    return out


class _Tree:
    """The tree the file asks for: the file's rows over the units already stored."""

    def __init__(self, rows: list[Row], existing: dict[str, OrgUnit]):
        self.rows = {r.code: r for r in rows}
        self.existing = existing
        self.by_pk = {u.pk: u for u in existing.values()}

    def parent_code(self, code: str) -> str:
        if code in self.rows:
            return self.rows[code].parent_code
        unit = self.existing[code]
        parent = self.by_pk.get(unit.parent_id)
        return parent.code if parent else ""

    def knows(self, code: str) -> bool:
        return code in self.rows or code in self.existing

    def node(self, code: str):
        """The unit as it will be, for the structural rules (kind and dates)."""
        if code in self.rows:
            r = self.rows[code]
            return OrgUnit(code=r.code, kind=r.kind, valid_from=r.valid_from, valid_to=r.valid_to)
        return self.existing[code]

    def cycles(self) -> dict[str, list[str]]:
        """Each code on a cycle → the cycle, as codes from it back to it."""
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
        found: dict[str, list[str]] = {}
        for start in self.rows:
            walk: list[str] = []
            code = start
            while code and self.knows(code) and state.get(code) is None:
                state[code] = 1
                walk.append(code)
                code = self.parent_code(code)
            if code and state.get(code) == 1:
                cycle = walk[walk.index(code):]
                for c in cycle:
                    i = cycle.index(c)
                    found[c] = cycle[i:] + cycle[:i] + [c]
            for c in walk:
                state[c] = 2
        return found

    def depth(self, code: str, memo: dict[str, int]) -> int:
        """Distance to the nearest ancestor not in the file (parents are written first)."""
        if code in memo:
            return memo[code]
        parent = self.rows[code].parent_code
        memo[code] = 0 if parent not in self.rows else self.depth(parent, memo) + 1
        return memo[code]


def check_rows(rows: list[Row], existing: dict[str, OrgUnit]) -> list[Problem]:
    """Every problem of the file against itself and the stored tree."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    unique: list[Row] = []
    for row in rows:
        problems.extend(_field_problems(row))
        if not row.code:
            continue
        if row.code in first_line:
            problems.append(
                Problem(
                    row.line_of("code"),
                    _("The code %(code)s is already on line %(line)d.")
                    % {"code": row.code, "line": first_line[row.code]},
                    column="code",
                )
            )
            continue
        first_line[row.code] = row.line
        unique.append(row)
    tree = _Tree(unique, existing)
    for row in unique:
        if row.parent_code and not tree.knows(row.parent_code):
            problems.append(
                Problem(
                    row.line_of("parent_code"),
                    _("The parent unit %(code)s is neither in the file nor in the database.")
                    % {"code": row.parent_code},
                    column="parent_code",
                )
            )
    cycles = tree.cycles()
    for row in unique:
        if row.code in cycles:
            problems.append(
                Problem(
                    row.line_of("parent_code"),
                    _("The tree has a cycle: %(cycle)s.")
                    % {"cycle": " → ".join(cycles[row.code])},
                    column="parent_code",
                )
            )
            continue
        if not row.kind or row.bad or (row.parent_code and not tree.knows(row.parent_code)):
            continue
        if row.parent_code and row.parent_code in cycles:
            continue
        parent = tree.node(row.parent_code) if row.parent_code else None
        try:
            check_unit_rules(
                kind=row.kind, parent=parent, valid_from=row.valid_from, valid_to=row.valid_to
            )
        except ValidationError as exc:
            problems.extend(_problems_from(exc, row))
    return problems


# --- writing -------------------------------------------------------------------------


def load_units(*, actor, path: Path | str, dry_run: bool = False) -> LoadResult:
    """Check the file, then create or update its units in one transaction.

    The caller sets the acting context (`acting_as(label="system:org-load")`), so every
    change row names who loaded the file. `dry_run` does all the work, services
    included, and rolls it back.
    """
    rows, problems = read_rows(path)
    return load_rows(actor=actor, rows=rows, dry_run=dry_run, problems=problems)


def load_rows(
    *, actor, rows: list[Row], dry_run: bool = False, problems: Iterable[Problem] = ()
) -> LoadResult:
    """Check `rows` against each other and the stored tree, then write them.

    `problems` already found while reading the file are reported with the others."""
    problems = list(problems)
    with transaction.atomic():
        # One query for the whole stored tree: the checks and the writes use it.
        existing = {u.code: u for u in OrgUnit.objects.order_by()}
        problems += check_rows(rows, existing)
        if problems:
            raise LoadError(problems)
        result = _write(actor, rows, existing)
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(actor, rows: list[Row], units: dict[str, OrgUnit]) -> LoadResult:
    result = LoadResult()
    tree = _Tree(rows, units)
    memo: dict[str, int] = {}
    order = sorted(rows, key=lambda r: (tree.depth(r.code, memo), r.line))
    problems: list[Problem] = []
    failed: set[str] = set()
    for row in order:
        if row.parent_code in failed:
            failed.add(row.code)  # its parent's problem is already reported
            continue
        parent = units[row.parent_code] if row.parent_code else None
        try:
            unit = units.get(row.code)
            if unit is None:
                units[row.code] = unit_create(actor=actor, parent=parent, **row.values())
                result.created.append(row.code)
                continue
            changes = {k: v for k, v in row.values().items() if getattr(unit, k) != v}
            moving = unit.parent_id != (parent.pk if parent else None)
            if not changes and not moving:
                result.unchanged.append(row.code)
                continue
            units[row.code] = unit = unit_update(actor=actor, unit=unit, parent=parent, **changes)
            result.updated.append(row.code)
            if moving:
                # The moved sub-tree's paths changed in the database: refresh the copies
                # later rows hang their new units under.
                for u in OrgUnit.objects.filter(path__startswith=unit.path):
                    units[u.code] = u
        except ValidationError as exc:
            failed.add(row.code)
            problems.extend(_problems_from(exc, row))
        except DomainError as exc:
            failed.add(row.code)
            column = FIELD_COLUMN.get(exc.field, exc.field) if exc.field else ""
            problems.append(Problem(row.line_of(column or ""), str(exc.message), column=column))
    if problems:
        raise LoadError(problems)
    return result


def summary(result: LoadResult) -> str:
    counts = {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
    }
    if result.dry_run:
        return _(
            "The file is valid: %(created)d units would be created, %(updated)d updated, "
            "%(unchanged)d left unchanged. Nothing was written (check only)."
        ) % counts
    return _(
        "Organisation tree loaded: %(created)d units created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % counts


def failure_summary(error: LoadError) -> str:
    count = len(error.problems)
    return ngettext(
        "Nothing was written: %(count)d problem was found.",
        "Nothing was written: %(count)d problems were found.",
        count,
    ) % {"count": count}
