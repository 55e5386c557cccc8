"""The shapes of the profile schema: a form (`Schema`) of ordered sections of typed
fields; tables are fields whose `columns` are fields too.

Labels and help texts are English msgids translated at use (Vietnamese in this
package's catalog); a province extension may give its Vietnamese text directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import pgettext

FIELD_TYPES = frozenset(
    {
        "text",
        "longtext",
        "date",
        "partial_date",
        "month",
        "year",
        "integer",
        "decimal",
        "bool",
        "code",
        "unit",
        "place",
        "email",
        "phone",
        "id_number",
        "evidence",
        "table",
    }
)
ACCESS_LEVELS = ("public", "restricted", "secret")

# The catalog lists of hoso.catalogs (the contract between the issue-4 helpers).
CODE_LISTS = frozenset(
    """ethnicities religions provinces communes ranks titles salary_groups general_education
    education_levels political_theory_levels state_management_levels languages
    language_levels it_levels academic_titles academic_degrees honorary_titles
    allowance_kinds reward_forms discipline_forms evaluation_grades relationships
    evidence_kinds training_forms job_positions military_ranks blood_groups
    position_titles contract_types mass_organisations""".split()
)

DATE_TYPES = frozenset({"date", "partial_date", "month", "year"})


# Labels are translated in their own context, so the form's wording ("Họ và tên khai
# sinh") never replaces another app's translation of the same English words.
CONTEXT = "profile"


def _translate(msgid: str, vi: str | None) -> str:
    if vi:
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("vi"):
            return vi
    return pgettext(CONTEXT, msgid)


_lazy_translate = lazy(_translate, str)


@dataclass(frozen=True, eq=False)
class Choice:
    code: str
    label_msgid: str
    label_vi: str | None = None

    @property
    def label(self):
        return _lazy_translate(self.label_msgid, self.label_vi)


@dataclass(eq=False)
class Field:
    """One field of the form (or one column of a table)."""

    key: str
    label_msgid: str
    type: str
    section: str
    help_msgid: str = ""
    label_vi: str | None = None
    help_vi: str | None = None
    code_list: str | None = None
    code_list_by_category: dict[str, str] = field(default_factory=dict)
    also_code_lists: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    required_for: frozenset[str] = frozenset()
    access: str = "public"
    access_basis: str = ""
    managed_by_unit: bool = False
    source: str = ""
    form_item: int | None = None
    code_date: str | None = None
    future: bool = False
    before_birth: bool = False
    min: Any = None
    max: Any = None
    max_length: int | None = None
    decimal_places: int | None = None
    pattern: str | None = None
    pattern_message_msgid: str = ""
    columns: list[Field] = field(default_factory=list)
    printable: bool = True
    extension: str = ""
    table: str | None = None  # for a column: the key of its table

    @property
    def label(self):
        return _lazy_translate(self.label_msgid, self.label_vi)

    @property
    def help(self):
        if not self.help_msgid:
            return ""
        return _lazy_translate(self.help_msgid, self.help_vi)

    @property
    def is_table(self) -> bool:
        return self.type == "table"

    @property
    def sensitive(self) -> bool:
        return self.access != "public"

    def column(self, key: str) -> Field:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def code_list_for(self, category: str | None) -> str | None:
        """The list a select offers (a viên chức's rank is a professional title)."""
        return self.code_list_by_category.get(category or "", self.code_list)

    def accepted_code_lists(self, category: str | None) -> tuple[str, ...]:
        first = self.code_list_for(category)
        return tuple(dict.fromkeys(x for x in (first, *self.also_code_lists) if x))

    def choice_label(self, code: str):
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        return code

    def __repr__(self) -> str:
        return f"<Field {self.key} ({self.type})>"


@dataclass(eq=False)
class Section:
    key: str
    label_msgid: str
    grant_section: str
    fields: list[Field]
    label_vi: str | None = None

    @property
    def label(self):
        return _lazy_translate(self.label_msgid, self.label_vi)

    def __repr__(self) -> str:
        return f"<Section {self.key}>"


@dataclass(eq=False)
class Schema:
    """One form: the CV (`cv`) or the labour contract (`contract`)."""

    form: str
    version: str
    title_msgid: str
    source: str
    categories: frozenset[str]
    sections: list[Section]
    extensions: tuple[str, ...] = ()

    def __post_init__(self):
        self._by_key = {f.key: f for s in self.sections for f in s.fields}
        self._sections = {s.key: s for s in self.sections}

    @property
    def title(self):
        return _lazy_translate(self.title_msgid, None)

    @property
    def fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]

    def field(self, key: str) -> Field:
        """The field (or, for "table.column", the column) named `key`."""
        if key in self._by_key:
            return self._by_key[key]
        table, _, column = key.partition(".")
        if column and table in self._by_key:
            return self._by_key[table].column(column)
        raise KeyError(key)

    def section(self, key: str) -> Section:
        return self._sections[key]

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def __repr__(self) -> str:
        return f"<Schema {self.form} {self.version}>"


@dataclass(frozen=True)
class Issue:
    """One problem of a document: `path` is "birth_date" or "training.2.to"."""

    path: str
    message: str
    code: str = "invalid"


@dataclass(frozen=True)
class Completeness:
    filled: int
    required: int
    missing: list[Field]

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.filled / self.required)
