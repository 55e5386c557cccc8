"""Loading code lists from files: the shipped ones at every `migrate`, a province's own
with `hoso catalogs load FILE …` or the upload page (Vĩnh Phúc Đ19.3).

A file holds one list: a header (`key`, `name`, `version`, `source` — the legal text
and article —, optionally `verified`, `parent_list`, `package`) and its entries, each
with `code`, `label` and optionally `parent_code`, `valid_from`, `valid_to`; any other
key of an entry is kept in its attributes (a rank's salary group, a group's
coefficients …). YAML (`entries:` a list of mappings) or CSV (the header as leading
`# key: value` lines, then a row of column names).

As the org loader (`hoso.org.loader`, whose problems and helpers this reuses): every
file is checked first and every problem is reported at once, with its file and line,
in Vietnamese; if any file has a problem nothing is written. Entries are keyed by code
and start date: loading the same file again changes nothing; a corrected file updates
the entries whose values changed; entries the file does not name are left as they are
(ending an entry is writing its `valid_to`: nothing is ever deleted).

The administrative units after 1/7/2025 are not copied into the repository: a file
with `package: vietnam-provinces` gets them from the installed package at load time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import connections, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hoso.audit.services import log_changes
from hoso.org.loader import (  # noqa: F401 (failure_summary: the loaders' one message)
    LoadError,
    Problem,
    _norm_key,
    _parse_date,
    _text,
    failure_summary,
)

from .models import CodeEntry, CodeList

DATA_DIR = Path(__file__).resolve().parent / "data"
SUFFIXES = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}
HEADER = ("key", "name", "version", "source", "verified", "parent_list", "package", "entries")
HEADER_REQUIRED = ("key", "name", "version", "source")
COLUMNS = ("code", "label", "parent_code", "valid_from", "valid_to")
PACKAGE = "vietnam-provinces"
# The two-level local government starts on this day (Luật Tổ chức chính quyền địa
# phương 2025); the package carries the units from then on.
NEW_UNITS_FROM = dt.date(2025, 7, 1)
# Lists whose entries name another list's entry as parent.
PARENT_LISTS = {"communes": "provinces"}
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class EntryRow:
    line: int
    code: str = ""
    label: str = ""
    parent_code: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # columns whose value could not be read

    def line_of(self, column: str) -> int:
        return self.lines.get(column, self.line)

    @property
    def ident(self) -> tuple[str, dt.date | None]:
        return (self.code, self.valid_from)


@dataclass
class ListFile:
    """One file as read: its header, rows, and the problems found while reading."""

    name: str
    digest: str
    key: str = ""
    title: str = ""
    version: str = ""
    source: str = ""
    notes: str = ""
    parent_list: str = ""
    package: str = ""
    rows: list[EntryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ListResult:
    key: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    untouched: int = 0  # stored entries the file does not name
    new_list: bool = False


@dataclass
class LoadResult:
    lists: list[ListResult] = field(default_factory=list)
    dry_run: bool = False


class CatalogLoadError(LoadError):
    """Problems of several files: `by_file` maps each file's name to its problems."""

    def __init__(self, by_file: dict[str, list[Problem]]):
        self.by_file = {
            name: sorted(probs, key=lambda p: (p.line or 0, p.column))
            for name, probs in by_file.items()
            if probs
        }
        super().__init__([p for probs in self.by_file.values() for p in probs])

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        out = []
        for name, problems in self.by_file.items():
            out.append(_("File %(file)s:") % {"file": name})
            out.extend(f"  {p}" for p in problems)
        return out


# --- reading -------------------------------------------------------------------------


def read_path(path: Path | str) -> ListFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogLoadError(
            {path.name: [Problem(None, _("The file cannot be read: %(error)s")
                                 % {"error": exc.strerror})]}
        ) from exc
    return read_bytes(path.name, data)


def read_bytes(name: str, data: bytes) -> ListFile:
    """Parse a file's bytes. Problems of its values are in `.problems`; a file that
    can't be read as a code list at all raises CatalogLoadError."""
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise CatalogLoadError(
            {name: [Problem(None, _("Only .csv, .yaml and .yml files can be loaded."))]}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogLoadError({name: [Problem(line, _("The file is not UTF-8 text."))]}) from exc
    lf = ListFile(name=name, digest=hashlib.sha256(data).hexdigest())
    (_read_csv if kind == "csv" else _read_yaml)(text, lf)
    if not lf.key and not lf.problems:
        lf.problems.append(Problem(1, _("The file does not say which code list it holds (key).")))
    if lf.problems and not lf.key:
        raise CatalogLoadError({name: lf.problems})
    return lf


def _read_yaml(text: str, lf: ListFile) -> None:
    loader = Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            lf.problems.append(
                Problem(mark.line + 1 if mark else 1,
                        _("The YAML file is malformed: %(error)s") % {"error": exc.problem or exc})
            )
            return
        except yaml.YAMLError as exc:
            lf.problems.append(Problem(1, _("The YAML file is malformed: %(error)s")
                                       % {"error": exc}))
            return
        if not isinstance(root, yaml.MappingNode):
            lf.problems.append(Problem(
                root.start_mark.line + 1 if root is not None else 1,
                _("The file must be a set of keys: key, name, version, source and entries."),
            ))
            return
        entries = None
        header: dict[str, Any] = {}
        header_lines: dict[str, int] = {}
        for key_node, value_node in root.value:
            key = _norm_key(str(loader.construct_object(key_node, deep=True)))
            line = key_node.start_mark.line + 1
            if key not in HEADER:
                lf.problems.append(Problem(line, _unknown(key, HEADER)))
            elif key == "entries":
                entries = value_node
                header_lines[key] = line
            elif not isinstance(value_node, yaml.ScalarNode):
                lf.problems.append(Problem(line, _("The value must be a single value."),
                                           column=key))
            else:
                header[key] = _construct(loader, value_node)
                header_lines[key] = line
        _take_header(lf, header, header_lines)
        if entries is None:
            lf.problems.append(Problem(1, _("The file has no “entries” list.")))
            return
        if not isinstance(entries, yaml.SequenceNode):
            lf.problems.append(Problem(entries.start_mark.line + 1,
                                       _("“entries” must be a list of entries.")))
            return
        for item in entries.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                lf.problems.append(Problem(
                    line, _("Each entry must be a set of keys and values (code: …, label: …).")
                ))
                continue
            values, lines = {}, {}
            for key_node, value_node in item.value:
                key = _norm_key(str(loader.construct_object(key_node, deep=True)))
                values[key] = _construct(loader, value_node)
                lines[key] = key_node.start_mark.line + 1
            _add_row(lf, line, values, lines)
    finally:
        loader.dispose()


def _read_csv(text: str, lf: ListFile) -> None:
    lines = text.split("\n")
    header: dict[str, Any] = {}
    header_lines: dict[str, int] = {}
    start = 0
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            start = i
            break
        body = stripped.lstrip("#").strip()
        if ":" not in body:
            continue  # a comment
        key, value = body.split(":", 1)
        key = _norm_key(key)
        if key in HEADER and key != "entries":
            header[key], header_lines[key] = value.strip(), i + 1
    else:
        start = len(lines)
    _take_header(lf, header, header_lines)
    body = "\n".join(lines[start:])
    first = lines[start] if start < len(lines) else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        columns = [_norm_key(c) for c in next(reader, [])]
        if not columns:
            lf.problems.append(Problem(start + 1, _("The file has no entries.")))
            return
        for col in ("code", "label"):
            if col not in columns:
                lf.problems.append(Problem(
                    start + 1, _("The required column “%(column)s” is missing.") % {"column": col}
                ))
        if lf.problems:
            return
        for cells in reader:
            line = start + reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns):
                lf.problems.append(Problem(
                    line, _("This row has more values than the header has columns.")
                ))
                continue
            values = {c: v for c, v in zip(columns, cells, strict=False) if c and v.strip()}
            _add_row(lf, line, values, {})
    except csv.Error as exc:
        lf.problems.append(Problem(start + reader.line_num,
                                   _("The CSV file is malformed: %(error)s") % {"error": exc}))


def _construct(loader, node) -> Any:
    """A node's value; a scalar YAML can't construct (2026-13-01 looks like a date but
    isn't one) stays its text, for the column's own check to report."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value if isinstance(node, yaml.ScalarNode) else None


def _unknown(key: str, allowed: Iterable[str]) -> str:
    return _("Unknown key “%(key)s”; the keys are: %(keys)s.") % {
        "key": key, "keys": ", ".join(allowed),
    }


def _take_header(lf: ListFile, header: dict[str, Any], lines: dict[str, int]) -> None:
    for key in HEADER_REQUIRED:
        if not _text(header.get(key)):
            lf.problems.append(Problem(
                lines.get(key, 1), _("The file's “%(key)s” is missing.") % {"key": key},
                column=key,
            ))
    lf.key = _text(header.get("key")).lower()
    lf.title = _text(header.get("name"))
    lf.version = _text(header.get("version"))
    lf.source = _text(header.get("source"))
    lf.notes = _text(header.get("verified"))
    lf.parent_list = _text(header.get("parent_list")) or PARENT_LISTS.get(lf.key, "")
    lf.package = _text(header.get("package"))
    if lf.package and lf.package != PACKAGE:
        lf.problems.append(Problem(
            lines.get("package", 1),
            _("Unknown package “%(value)s”; only %(package)s is known.")
            % {"value": lf.package, "package": PACKAGE},
            column="package",
        ))
    limits = {"key": 40, "name": 200, "version": 80}
    for key, limit in limits.items():
        value = _text(header.get(key))
        if len(value) > limit:
            lf.problems.append(Problem(
                lines.get(key, 1),
                _("At most %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(value)}, column=key,
            ))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str):
        return _text(value)
    return value


def _add_row(lf: ListFile, line: int, values: dict[str, Any], lines: dict[str, int]) -> None:
    row = EntryRow(line=line, lines=lines)
    for col in ("code", "label"):
        if not _text(values.get(col)):
            lf.problems.append(Problem(
                line, _("The field “%(column)s” is required.") % {"column": col}, column=col
            ))
    for col, value in values.items():
        at = lines.get(col, line)
        if col in ("valid_from", "valid_to"):
            if value in (None, ""):
                continue
            try:
                setattr(row, col, _parse_date(value))
            except ValueError:
                row.bad.add(col)
                lf.problems.append(Problem(
                    at, _("“%(value)s” is not a date; write it as dd/mm/yyyy or yyyy-mm-dd.")
                    % {"value": _text(value)}, column=col,
                ))
        elif col in ("code", "label", "parent_code"):
            if isinstance(value, list | dict):
                lf.problems.append(Problem(at, _("The value must be a single value."), column=col))
                continue
            setattr(row, col, _text(value))
        elif value is not None:
            row.attrs[col] = _jsonable(value)
    for col, limit in (("code", 40), ("label", 255), ("parent_code", 40)):
        value = getattr(row, col)
        if len(value) > limit:
            lf.problems.append(Problem(
                row.line_of(col), _("At most %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(value)}, column=col,
            ))
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        row.bad.add("valid_to")
        lf.problems.append(Problem(
            row.line_of("valid_to"), _("The end date must not be before the start date."),
            column="valid_to",
        ))
    lf.rows.append(row)


# --- the administrative units of the package ------------------------------------------


def package_version() -> str:
    import vietnam_provinces

    return f"{vietnam_provinces.__version__}/{vietnam_provinces.__data_version__}"


def package_rows(key: str) -> list[EntryRow]:
    """The provinces or communes of the two-level local government, from the package.

    Read from its JSON data file (one `json.load`), not its Python look-up module, which
    takes longer to import than the whole load."""
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        provinces = json.load(fh)
    rows: list[EntryRow] = []
    for p in provinces:
        pcode = f"{p['code']:02d}"
        if key == "provinces":
            rows.append(EntryRow(
                line=0, code=pcode, label=p["name"], valid_from=NEW_UNITS_FROM,
                attrs={"structure": "new", "division_type": p["division_type"]},
            ))
        elif key == "communes":
            for w in p["wards"]:
                rows.append(EntryRow(
                    line=0, code=f"{w['code']:05d}", label=w["name"], parent_code=pcode,
                    valid_from=NEW_UNITS_FROM,
                    attrs={"structure": "new", "division_type": w["division_type"]},
                ))
    return rows


def _with_package(lf: ListFile) -> ListFile:
    if lf.package == PACKAGE:
        lf.rows = lf.rows + package_rows(lf.key)
        lf.digest = hashlib.sha256(f"{lf.digest}:{package_version()}".encode()).hexdigest()
    return lf


# --- checking ------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _check_rows(lf: ListFile, existing: list[CodeEntry], known: dict[str, set[str]]) -> None:
    """Problems of the file against itself, the stored entries of its list and the codes
    of the lists it refers to (`known`: list key → codes, the files of the same load
    included)."""
    problems = lf.problems
    first: dict[tuple, int] = {}
    periods: dict[str, list[tuple[dt.date | None, dt.date | None, int | None]]] = defaultdict(list)
    in_file = set()
    for row in lf.rows:
        if not row.code:
            continue
        if row.ident in first:
            problems.append(Problem(
                row.line_of("code"),
                _("The code %(code)s with this start date is already on line %(line)d.")
                % {"code": row.code, "line": first[row.ident]}, column="code",
            ))
            continue
        first[row.ident] = row.line
        in_file.add(row.ident)
        if not row.bad:  # a period that could not be read is already reported
            periods[row.code].append((row.valid_from, row.valid_to, row.line))
    for e in existing:
        if (e.code, e.valid_from) not in in_file and e.code in periods:
            periods[e.code].append((e.valid_from, e.valid_to, None))
    lo, hi = dt.date.min, dt.date.max
    for code, spans in periods.items():
        spans.sort(key=lambda s: s[0] or lo)
        for (_f1, t1, l1), (f2, _t2, l2) in zip(spans, spans[1:], strict=False):
            if (f2 or lo) <= (t1 or hi):
                line = l2 or l1 or 1
                problems.append(Problem(
                    line,
                    _("The periods of code %(code)s overlap: an entry must end (valid_to) "
                      "before the next one with the same code starts.") % {"code": code},
                    column="valid_from",
                ))
    parents = known.get(lf.parent_list) if lf.parent_list else None
    if lf.parent_list and parents is None:
        problems.append(Problem(
            1, _("The parent list “%(key)s” is neither loaded nor in this load.")
            % {"key": lf.parent_list}, column="parent_list",
        ))
    for row in lf.rows:
        if row.parent_code and parents is not None and row.parent_code not in parents:
            problems.append(Problem(
                row.line_of("parent_code"),
                _("The parent code %(code)s is not in the list “%(key)s”.")
                % {"code": row.parent_code, "key": lf.parent_list}, column="parent_code",
            ))
    if lf.key == "salary_groups":
        for row in lf.rows:
            _check_coefficients(row, problems)
    if lf.key in ("ranks", "titles"):
        groups = known.get("salary_groups", set())
        for row in lf.rows:
            group = row.attrs.get("salary_group")
            if group is not None and str(group) not in groups:
                problems.append(Problem(
                    row.line_of("salary_group"),
                    _("The salary group %(group)s is not in the list of salary groups.")
                    % {"group": group}, column="salary_group",
                ))
            months = row.attrs.get("raise_months")
            if months is not None and (not isinstance(months, int) or months <= 0):
                problems.append(Problem(
                    row.line_of("raise_months"),
                    _("The raise interval must be a whole number of months, e.g. 36."),
                    column="raise_months",
                ))


def _check_coefficients(row: EntryRow, problems: list[Problem]) -> None:
    values = row.attrs.get("coefficients")
    line = row.line_of("coefficients")
    if not isinstance(values, list) or not values:
        problems.append(Problem(
            line, _("A salary group needs its coefficients, one per step, e.g. "
                    "[\"2.34\", \"2.67\", …]."), column="coefficients",
        ))
        return
    decimals = [_decimal(v) for v in values]
    if any(d is None or d <= 0 for d in decimals):
        problems.append(Problem(
            line, _("Each coefficient must be a positive number such as 2.34."),
            column="coefficients",
        ))
    elif any(b <= a for a, b in zip(decimals, decimals[1:], strict=False)):
        problems.append(Problem(
            line, _("The coefficients must rise from one step to the next."),
            column="coefficients",
        ))


# --- writing -------------------------------------------------------------------------


def shipped_paths() -> list[Path]:
    return sorted([*DATA_DIR.glob("*.yaml"), *DATA_DIR.glob("*.csv")])


def _known_codes(files: list[ListFile], using: str) -> dict[str, set[str]]:
    """The codes of every list the files refer to (parents, salary groups): the files of
    this load over the stored lists. A list neither stored nor loaded is absent."""
    refs = {lf.parent_list for lf in files if lf.parent_list}
    if any(lf.key in ("ranks", "titles") for lf in files):
        refs.add("salary_groups")
    known: dict[str, set[str]] = {
        key: set() for key in CodeList.objects.using(using).filter(
            key__in=refs).values_list("key", flat=True)
    }
    for key, code in CodeEntry.objects.using(using).filter(
        code_list__key__in=list(known)
    ).values_list("code_list__key", "code"):
        known[key].add(code)
    for lf in files:
        known.setdefault(lf.key, set()).update(r.code for r in lf.rows if r.code)
    return known


def load_files(
    *, actor, files: list[ListFile], dry_run: bool = False, audit_new_lists: bool = True,
    using: str = "default", shipped: bool = False,
) -> LoadResult:
    """Check every file, then write them all in one transaction.

    Each change is audited (one change row per entry created or changed, one for the
    list); `audit_new_lists=False` leaves out the rows of a list created for the first
    time, which the shipped load at `migrate` uses: shipped data is part of the release,
    identified by the digest kept on the list, and a test database must not start with
    thousands of audit rows. The caller sets the acting context.
    """
    from .selectors import invalidate

    files = [_with_package(lf) for lf in files]
    by_file: dict[str, list[Problem]] = {}
    keys_seen: dict[str, str] = {}
    for lf in files:
        if lf.key in keys_seen:
            lf.problems.append(Problem(
                None, _("The list %(key)s is also in %(file)s: give each list once.")
                % {"key": lf.key, "file": keys_seen[lf.key]},
            ))
        keys_seen.setdefault(lf.key, lf.name)
    result = LoadResult(dry_run=dry_run)
    with transaction.atomic(using=using):
        lists = {cl.key: cl for cl in CodeList.objects.using(using).filter(
            key__in=[lf.key for lf in files])}
        existing: dict[str, list[CodeEntry]] = defaultdict(list)
        for e in CodeEntry.objects.using(using).filter(code_list__in=lists.values()).order_by():
            existing[e.code_list_id].append(e)
        known = _known_codes(files, using)
        for lf in files:
            cl = lists.get(lf.key)
            _check_rows(lf, existing[cl.pk] if cl else [], known)
            by_file[lf.name] = lf.problems
        if any(by_file.values()):
            raise CatalogLoadError(by_file)
        for lf in files:
            cl = lists.get(lf.key)
            result.lists.append(_write(lf, cl, existing[cl.pk] if cl else [],
                                       audit=audit_new_lists or cl is not None, using=using,
                                       shipped=shipped))
        if dry_run:
            transaction.set_rollback(True, using=using)
    if not dry_run:
        for lf in files:
            invalidate(lf.key)
    return result


def _write(lf: ListFile, cl: CodeList | None, stored: list[CodeEntry], *, audit: bool,
           using: str, shipped: bool) -> ListResult:
    res = ListResult(key=lf.key, new_list=cl is None)
    header = {"name": lf.title, "version": lf.version, "source": lf.source, "notes": lf.notes}
    if cl is None:
        cl = CodeList(key=lf.key, shipped=shipped, digest=lf.digest, **header)
        if audit:
            cl.save(using=using)
        else:
            CodeList.objects.using(using).bulk_create([cl])
            cl = CodeList.objects.using(using).get(key=lf.key)
    else:
        changed = {k: v for k, v in header.items() if getattr(cl, k) != v}
        for k, v in changed.items():
            setattr(cl, k, v)
        cl.digest = lf.digest
        cl.save(using=using)
    by_ident = {(e.code, e.valid_from): e for e in stored}
    base = max((e.position for e in stored), default=0)
    new, updates, logs = [], [], []
    for i, row in enumerate(lf.rows):
        values = {"label": row.label, "parent_code": row.parent_code, "attrs": row.attrs,
                  "valid_to": row.valid_to}
        entry = by_ident.pop(row.ident, None)
        if entry is None:
            new.append(CodeEntry(code_list=cl, code=row.code, valid_from=row.valid_from,
                                 position=base + i + 1, **values))
            continue
        diff = {k: v for k, v in values.items() if getattr(entry, k) != v}
        if not diff:
            res.unchanged += 1
            continue
        before = entry.audit_snapshot()
        for k, v in diff.items():
            setattr(entry, k, v)
        updates.append(entry)
        logs.append(("update", entry, before, entry.audit_snapshot()))
    res.untouched = len(by_ident)
    CodeEntry.objects.using(using).bulk_create(new, batch_size=2000)
    if updates:
        CodeEntry.objects.using(using).bulk_update(
            updates, ["label", "parent_code", "attrs", "valid_to"], batch_size=2000
        )
    res.created, res.updated = len(new), len(updates)
    if audit and (new or logs):
        log_changes([("create", e, None, e.audit_snapshot()) for e in new] + logs)
    CodeList.objects.using(using).filter(pk=cl.pk).update(revision=F("revision") + 1)
    return res


def load_paths(*, actor, paths: Iterable[Path | str], dry_run: bool = False) -> LoadResult:
    """`hoso catalogs load`: read every file (all problems of all files at once), then
    load them together."""
    files, by_file = [], {}
    for path in paths:
        try:
            files.append(read_path(path))
        except CatalogLoadError as exc:
            by_file.update(exc.by_file)
    if by_file:
        for lf in files:
            by_file.setdefault(lf.name, lf.problems)
        raise CatalogLoadError(by_file)
    return load_files(actor=actor, files=files, dry_run=dry_run)


def load_shipped(*, using: str = "default", force: bool = False) -> LoadResult:
    """Load the shipped lists whose file (or package) changed since they were loaded.

    Runs after every `migrate` (and every test database's creation): an unchanged file
    costs one hash, a fresh database the whole load (about 14,000 entries with the
    communes before and after the 2025 reform: a few seconds on SQLite)."""
    from hoso.accounts.permissions import SYSTEM

    digests = dict(CodeList.objects.using(using).values_list("key", "digest"))
    files = []
    for path in shipped_paths():
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if not force and digests:
            pkg = b"package: vietnam-provinces" in data
            full = (hashlib.sha256(f"{digest}:{package_version()}".encode()).hexdigest()
                    if pkg else digest)
            if full in digests.values():
                continue
        files.append(read_bytes(path.name, data))
    if not files:
        return LoadResult()
    return load_files(actor=SYSTEM, files=files, audit_new_lists=False, using=using,
                      shipped=True)


def table_exists(using: str) -> bool:
    with connections[using].cursor() as cursor:
        return CodeList._meta.db_table in connections[using].introspection.table_names(cursor)


# --- messages ------------------------------------------------------------------------


def summary(result: LoadResult) -> list[str]:
    lines = []
    for r in result.lists:
        counts = {"key": r.key, "created": r.created, "updated": r.updated,
                  "unchanged": r.unchanged, "untouched": r.untouched}
        lines.append(
            _("%(key)s: %(created)d entries created, %(updated)d updated, %(unchanged)d "
              "unchanged; %(untouched)d stored entries not in the file were left as they are.")
            % counts
        )
    if result.dry_run:
        lines.append(_("The files are valid. Nothing was written (check only)."))
    return lines
