"""Loading the form definitions (cv.yaml, contract.yaml) and the province extensions.

A province extends the form with data, not code (issue 4): YAML files of the same
shape in the directory named by the HOSO_SCHEMA_EXTENSIONS setting add fields or
tables to a section, add sections, or make more fields required. Every definition,
ours and theirs, goes through the same checks; the system check
(`hoso.records.schema.checks`) reports the problems at start-up in Vietnamese.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.translation import gettext as _

from hoso.records.sections import SECTIONS

from .types import ACCESS_LEVELS, CODE_LISTS, FIELD_TYPES, Choice, Field, Schema, Section

HERE = Path(__file__).resolve().parent
FORMS = {"cv": HERE / "cv.yaml", "contract": HERE / "contract.yaml"}
ALL_CATEGORIES = frozenset({"can_bo", "cong_chuc", "vien_chuc", "cap_xa", "lao_dong"})
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")

FIELD_ATTRS = frozenset(
    """key use label label_vi help help_vi type code_list code_list_by_category
    also_code_lists choices required access access_basis managed_by_unit source form_item
    code_date future before_birth min max max_length decimal_places pattern
    pattern_message columns print""".split()
)


class SchemaError(ImproperlyConfigured):
    """A form definition or extension is wrong; `problems` lists every problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def form_for_category(category: str) -> str:
    return "contract" if category == "lao_dong" else "cv"


class _Builder:
    """Turns one definition (plus extensions) into a `Schema`, collecting problems."""

    def __init__(self, raw: dict, origin: str, *, cv_raw: dict[str, dict] | None = None):
        self.raw = raw
        self.origin = origin
        self.problems: list[str] = []
        self.cv_raw = cv_raw or {}
        self.categories = frozenset(raw.get("categories") or ())
        self.seen_keys: set[str] = set()

    def problem(self, origin: str, where: str, message: str) -> None:
        self.problems.append(f"{origin}: {where}: {message}" if where else f"{origin}: {message}")

    # -- fields ----------------------------------------------------------------------

    def field(
        self,
        raw: Any,
        *,
        section: str,
        origin: str,
        extension: str = "",
        table: Field | None = None,
    ) -> Field | None:
        where_section = _("section “%(section)s”") % {"section": section}
        if not isinstance(raw, dict):
            self.problem(origin, where_section, _("each field must be a mapping of attributes."))
            return None
        if "use" in raw:
            base = self.cv_raw.get(raw["use"])
            if base is None:
                self.problem(
                    origin,
                    where_section,
                    _("“use: %(key)s” names no field of the CV form.") % {"key": raw["use"]},
                )
                return None
            raw = {**base, **{k: v for k, v in raw.items() if k != "use"}}
        key = raw.get("key")
        where = (
            _("table “%(table)s”, column “%(key)s”") % {"table": table.key, "key": key}
            if table
            else _("section “%(section)s”, field “%(key)s”") % {"section": section, "key": key}
        )
        if not isinstance(key, str) or not KEY_RE.match(key):
            self.problem(
                origin,
                where,
                _("the key must be lower-case letters, digits and “_”, starting with a letter."),
            )
            return None
        unknown = sorted(set(raw) - FIELD_ATTRS)
        if unknown:
            self.problem(
                origin, where, _("unknown attributes: %(names)s.") % {"names": ", ".join(unknown)}
            )
        ftype = raw.get("type")
        if ftype not in FIELD_TYPES:
            self.problem(
                origin,
                where,
                _("unknown type “%(type)s”; the types are: %(types)s.")
                % {"type": ftype, "types": ", ".join(sorted(FIELD_TYPES))},
            )
            return None
        if table and ftype == "table":
            self.problem(origin, where, _("a table cannot hold another table."))
            return None
        label = raw.get("label")
        label_vi = raw.get("label_vi")
        if not (label or label_vi):
            self.problem(origin, where, _("the field has no label (label or label_vi)."))
            label = key
        lists = [raw.get("code_list"), *(raw.get("also_code_lists") or ())]
        lists += list((raw.get("code_list_by_category") or {}).values())
        for name in filter(None, lists):
            if name not in CODE_LISTS:
                self.problem(
                    origin,
                    where,
                    _("unknown code list “%(name)s”; the lists are: %(lists)s.")
                    % {"name": name, "lists": ", ".join(sorted(CODE_LISTS))},
                )
        choices = []
        for item in raw.get("choices") or ():
            if not isinstance(item, dict) or "code" not in item:
                self.problem(origin, where, _("each choice needs a code and a label."))
                continue
            choices.append(
                Choice(str(item["code"]), item.get("label") or item.get("label_vi") or "",
                       item.get("label_vi"))
            )
        if ftype == "code" and not (raw.get("code_list") or choices):
            self.problem(origin, where, _("a code field needs a code list or choices."))
        access = raw.get("access", table.access if table else "public")
        if access not in ACCESS_LEVELS:
            self.problem(
                origin,
                where,
                _("unknown access level “%(level)s”; the levels are: %(levels)s.")
                % {"level": access, "levels": ", ".join(ACCESS_LEVELS)},
            )
        required = self.required(
            raw.get("required"), origin=origin, where=where, column=bool(table)
        )
        if not table:
            if key in self.seen_keys:
                self.problem(
                    origin,
                    where,
                    _("the key “%(key)s” is already used by another field of the form.")
                    % {"key": key},
                )
                return None
            self.seen_keys.add(key)
        pattern = raw.get("pattern")
        if pattern:
            try:
                re.compile(pattern)
            except re.error:
                self.problem(origin, where, _("the pattern is not a valid regular expression."))
                pattern = None
        result = Field(
            key=key,
            label_msgid=label or label_vi,
            label_vi=label_vi,
            help_msgid=raw.get("help") or raw.get("help_vi") or "",
            help_vi=raw.get("help_vi"),
            type=ftype,
            section=section,
            code_list=raw.get("code_list"),
            code_list_by_category=dict(raw.get("code_list_by_category") or {}),
            also_code_lists=tuple(raw.get("also_code_lists") or ()),
            choices=tuple(choices),
            required_for=required,
            access=access,
            access_basis=raw.get("access_basis", ""),
            managed_by_unit=bool(raw.get("managed_by_unit", False)),
            source=raw.get("source", ""),
            form_item=raw.get("form_item"),
            code_date=raw.get("code_date"),
            future=bool(raw.get("future", False)),
            before_birth=bool(raw.get("before_birth", False)),
            min=raw.get("min"),
            max=raw.get("max"),
            max_length=raw.get("max_length"),
            decimal_places=raw.get("decimal_places"),
            pattern=pattern,
            pattern_message_msgid=raw.get("pattern_message", ""),
            printable=bool(raw.get("print", True)),
            extension=extension,
            table=table.key if table else None,
        )
        if ftype == "table":
            columns = raw.get("columns") or []
            if not columns:
                self.problem(origin, where, _("a table needs columns."))
            seen = set()
            for col_raw in columns:
                col = self.field(col_raw, section=section, origin=origin, extension=extension,
                                 table=result)
                if col is None:
                    continue
                if col.key in seen:
                    self.problem(
                        origin,
                        where,
                        _("the column “%(key)s” appears twice.") % {"key": col.key},
                    )
                    continue
                seen.add(col.key)
                result.columns.append(col)
        elif raw.get("columns"):
            self.problem(origin, where, _("only a table has columns."))
        if result.code_date and not table and result.code_date not in self.all_raw_keys():
            self.problem(
                origin,
                where,
                _("code_date names no field “%(key)s”.") % {"key": result.code_date},
            )
        return result

    def all_raw_keys(self) -> set[str]:
        keys = set(self.cv_raw)
        for section in self.raw.get("sections") or ():
            for f in section.get("fields") or ():
                if isinstance(f, dict):
                    keys.add(f.get("key") or f.get("use"))
        return keys

    def required(self, value, *, origin: str, where: str, column: bool) -> frozenset[str]:
        if value in (None, False, []):
            return frozenset()
        if value == "all" or value is True:
            return frozenset(ALL_CATEGORIES) if column else self.categories
        if isinstance(value, str):
            value = [value]
        bad = [c for c in value if c not in self.categories]
        if bad:
            self.problem(
                origin,
                where,
                _("“required” names categories this form does not have: %(names)s "
                  "(the form's categories: %(cats)s).")
                % {"names": ", ".join(map(str, bad)), "cats": ", ".join(sorted(self.categories))},
            )
        return frozenset(c for c in value if c in self.categories)

    # -- sections --------------------------------------------------------------------

    def sections(self) -> list[Section]:
        result = []
        for raw in self.raw.get("sections") or ():
            key = raw.get("key")
            grant = raw.get("grant_section")
            if grant not in SECTIONS:
                self.problem(
                    self.origin,
                    _("section “%(section)s”") % {"section": key},
                    _("grant_section “%(grant)s” is not a section of records/sections.py "
                      "(%(keys)s).") % {"grant": grant, "keys": ", ".join(SECTIONS)},
                )
            fields = [
                f
                for f in (
                    self.field(r, section=key, origin=self.origin) for r in raw.get("fields") or ()
                )
                if f is not None
            ]
            result.append(
                Section(key=key, label_msgid=raw.get("label") or raw.get("label_vi") or key,
                        label_vi=raw.get("label_vi"), grant_section=grant, fields=fields)
            )
        return result

    def apply_extension(self, sections: list[Section], raw: Any, origin: str) -> None:
        if not isinstance(raw, dict):
            self.problem(origin, "", _("an extension file must be a mapping."))
            return
        name = str(raw.get("extension") or Path(origin).stem)
        by_key = {s.key: s for s in sections}
        for sraw in raw.get("sections") or ():
            key = sraw.get("key") if isinstance(sraw, dict) else None
            where = _("section “%(section)s”") % {"section": key}
            if key not in by_key:
                if not (sraw.get("label") or sraw.get("label_vi")):
                    self.problem(
                        origin,
                        where,
                        _("unknown section; the form's sections are: %(keys)s "
                          "(a new section needs label_vi and grant_section).")
                        % {"keys": ", ".join(by_key)},
                    )
                    continue
                grant = sraw.get("grant_section")
                if grant not in SECTIONS:
                    self.problem(
                        origin,
                        where,
                        _("grant_section “%(grant)s” is not a section of records/sections.py "
                          "(%(keys)s).") % {"grant": grant, "keys": ", ".join(SECTIONS)},
                    )
                    continue
                section = Section(
                    key=key, label_msgid=sraw.get("label") or sraw["label_vi"],
                    label_vi=sraw.get("label_vi"), grant_section=grant, fields=[]
                )
                after = sraw.get("after")
                index = next((i + 1 for i, s in enumerate(sections) if s.key == after),
                             len(sections))
                sections.insert(index, section)
                by_key[key] = section
            for fraw in sraw.get("fields") or ():
                f = self.field(fraw, section=key, origin=origin, extension=name)
                if f is not None:
                    by_key[key].fields.append(f)
        fields = {f.key: f for s in sections for f in s.fields}
        for key, value in (raw.get("required") or {}).items():
            where = _("required “%(key)s”") % {"key": key}
            target = fields.get(key)
            if target is None:
                self.problem(origin, where, _("no field of the form has this key."))
                continue
            target.required_for = target.required_for | self.required(
                value, origin=origin, where=where, column=False
            )


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError([_("%(file)s: cannot be read as YAML (%(error)s).")
                           % {"file": path.name, "error": exc}]) from exc


def extension_files(directory: str | Path | None = None) -> list[Path]:
    directory = directory if directory is not None else getattr(settings, "SCHEMA_EXTENSIONS", "")
    if not directory:
        return []
    path = Path(directory)
    if not path.is_dir():
        raise SchemaError([_("The schema extension directory %(dir)s does not exist.")
                           % {"dir": path}])
    return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))


def _extension_forms(raw: dict) -> set[str]:
    forms = raw.get("forms") or raw.get("form") or ["cv"]
    return {forms} if isinstance(forms, str) else set(forms)


def build(form: str, extensions_dir: str | Path | None = None) -> Schema:
    """Build the form with the extensions; raise SchemaError listing every problem."""
    raw = _read(FORMS[form])
    cv_raw: dict[str, dict] = {}
    if form != "cv":
        for section in _read(FORMS["cv"]).get("sections") or ():
            for f in section.get("fields") or ():
                cv_raw[f["key"]] = f
    builder = _Builder(raw, FORMS[form].name, cv_raw=cv_raw)
    sections = builder.sections()
    applied = []
    problems: list[str] = []
    try:
        files = extension_files(extensions_dir)
    except SchemaError as exc:
        files, problems = [], exc.problems
    for path in files:
        try:
            ext = _read(path)
        except SchemaError as exc:
            problems += exc.problems
            continue
        if not isinstance(ext, dict):
            problems.append(_("%(file)s: an extension file must be a mapping.")
                            % {"file": path.name})
            continue
        unknown_forms = _extension_forms(ext) - set(FORMS)
        if unknown_forms:
            problems.append(
                _("%(file)s: unknown form %(forms)s; the forms are cv and contract.")
                % {"file": path.name, "forms": ", ".join(sorted(map(str, unknown_forms)))}
            )
            continue
        if form in _extension_forms(ext):
            builder.apply_extension(sections, ext, path.name)
            applied.append(str(ext.get("extension") or path.stem))
    problems = builder.problems + problems
    if problems:
        raise SchemaError(problems)
    return Schema(
        form=form,
        version=str(raw.get("version", "1")) + "".join(f"+{a}" for a in applied),
        title_msgid=raw.get("title", form),
        source=raw.get("source", ""),
        categories=builder.categories,
        sections=sections,
        extensions=tuple(applied),
    )


@lru_cache(maxsize=8)
def _cached(form: str, extensions_dir: str) -> Schema:
    return build(form, extensions_dir)


def get_schema(category: str) -> Schema:
    """The form of a staff category (`records.models.StaffCategory` value): the labour
    contract for người lao động, the CV for everyone else."""
    return _cached(form_for_category(category), str(getattr(settings, "SCHEMA_EXTENSIONS", "")))


def get_form(form: str) -> Schema:
    return _cached(form, str(getattr(settings, "SCHEMA_EXTENSIONS", "")))


def _clear_cache(*, setting, **kwargs):
    if setting == "SCHEMA_EXTENSIONS":
        _cached.cache_clear()


setting_changed.connect(_clear_cache)
