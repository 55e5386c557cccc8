"""Province policy files: each province's rules as data (DESIGN principle 4).

One TOML file per province in `settings.POLICY_DIR` (`policies/<code>.toml`) encodes
its regulation: the review chain for each staff category and unit kind, each step's
approver, deadline and clock, the unit and province approval windows, the deadlines
for account creation, self-entry, updates, moves and status changes, backups, and the
province's own days off. Every rule carries the article it comes from (`source`).

`load_policy(path)` validates a file and raises `PolicyError` naming the file, the
line and the field, in Vietnamese; `get_policy(code)` is the cached entry point the
rest of hoso uses. docs/policies.md documents every key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoso.core import _toml
from hoso.core import calendar as cal
from hoso.core._toml import ConfigFileError

POLICY_CODES: tuple[str, ...] = ("vinh-phuc", "can-tho", "quang-nam", "lai-chau", "lam-dong")

# Roles that may hold a review step (hoso.accounts.roles.Role values).
STEP_ROLES = ("hr_officer", "hr_head", "unit_head", "chairman", "province_approver")
# Where the step's role must be held, relative to the person's unit.
APPROVER_UNITS = ("unit", "agency", "parent_district", "association")
CLOCKS = ("submitted", "previous_step", "window")
WINDOW_KINDS = ("last_days", "last_working_days")
DEADLINE_KEYS = (
    "account_creation",  # the unit creates the account after the decision
    "self_entry",  # the person enters their data after getting the account
    "update",  # the person updates their data after a change
    "move_within_unit",  # to another part of the same unit
    "move_within_province",  # to another unit of the province
    "status_change",  # retirement, resignation, dismissal, contract end, death
    "national_transfer",  # arrivals/departures through the national database
)

# The step labels the shipped files use (English msgids; Vietnamese in core's
# catalog). A new file may use other words: they show as written.
STEP_LABELS = (
    gettext_noop("HR officer checks the data"),
    gettext_noop("Head of HR checks the data"),
    gettext_noop("Head of the unit approves and signs"),
    gettext_noop("Chairman of the People's Committee approves and signs"),
    gettext_noop("Chairman of the district People's Committee approves and signs"),
    gettext_noop("Head of the association approves and signs"),
)

_CODE = re.compile(r"^[a-z][a-z0-9-]*$")
_STEP_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _category_values() -> tuple[str, ...]:
    from hoso.records.models import StaffCategory

    return tuple(StaffCategory.values)


def _unit_kind_values() -> tuple[str, ...]:
    from hoso.org.models import UnitKind

    return tuple(UnitKind.values)


class PolicyError(ConfigFileError):
    """A policy file is wrong, or has no rule for what was asked: `file`, `line`,
    `field_path` and the Vietnamese `message`."""

    code = "policy_invalid"


@dataclass(frozen=True)
class Deadline:
    days: int
    kind: str  # "working" | "calendar"
    source: str = field(default="", compare=False)

    def due(self, start: dt.date, *, province: str | None = None) -> dt.date:
        return cal.add_days(start, self.days, kind=self.kind, province=province)

    def describe(self) -> str:
        if self.kind == "working":
            return _("%(n)d working days") % {"n": self.days}
        return _("%(n)d days") % {"n": self.days}


@dataclass(frozen=True)
class Step:
    key: str
    role: str
    approver_unit: str
    label: str
    deadline: Deadline | None
    clock: str
    signs: bool
    delegable: bool
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class Chain:
    categories: frozenset[str]
    unit_kinds: frozenset[str]
    steps: tuple[Step, ...]
    # Only for agencies below a unit of one of these kinds (e.g. a public service unit
    # of a district: Quảng Nam Đ5.1.b); empty = the province-wide rule.
    under: frozenset[str] = frozenset()
    key: str = field(default="", compare=False)
    source: str = field(default="", compare=False)

    def matches(self, category: str, unit_kind: str) -> bool:
        return category in self.categories and unit_kind in self.unit_kinds


@dataclass(frozen=True)
class Window:
    kind: str  # "last_days" | "last_working_days"
    days: int
    source: str = field(default="", compare=False)

    def bounds(self, year: int, month: int, *, province: str | None = None
               ) -> tuple[dt.date, dt.date]:
        if self.kind == "last_days":
            return cal.last_days_of_month(year, month, self.days)
        return cal.last_working_days_of_month(year, month, self.days, province=province)

    def contains(self, day: dt.date, *, province: str | None = None) -> bool:
        first, last = self.bounds(day.year, day.month, province=province)
        return first <= day <= last

    def next_end(self, day: dt.date, *, province: str | None = None) -> dt.date:
        """The last day of the window `day` is in, or else of the next one."""
        last = self.bounds(day.year, day.month, province=province)[1]
        if day <= last:
            return last
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        return self.bounds(year, month, province=province)[1]

    def describe(self) -> str:
        if self.kind == "last_days":
            return _("the last %(n)d days of each month") % {"n": self.days}
        return _("the last %(n)d working days of each month") % {"n": self.days}


@dataclass(frozen=True)
class Backup:
    every_months: int
    keep_months: int
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    document: str
    chains: tuple[Chain, ...]
    unit_window: Window | None
    province_window: Window | None
    deadlines: dict[str, Deadline]
    calendar: cal.Adjustments = field(default_factory=cal.Adjustments)
    backup: Backup | None = None
    path: str = field(default="", compare=False)

    def chain_for(self, category: str, unit_kind: str, *,
                  ancestor_kinds: Iterable[str] = ()) -> Chain:
        """The chain for a person of `category` whose managing agency is of
        `unit_kind`. `ancestor_kinds`, the kinds of the units above that agency
        (nearest first), selects a chain restricted with `under` — the nearest
        ancestor decides; without it (or without a match) the province-wide chain."""
        for kind in ancestor_kinds:
            for chain in self.chains:
                if kind in chain.under and chain.matches(category, unit_kind):
                    return chain
        for chain in self.chains:
            if not chain.under and chain.matches(category, unit_kind):
                return chain
        raise PolicyError(self.path, None, "chains",
                          _("no review chain for staff category “%(category)s” in a unit of "
                            "kind “%(kind)s”.") % {"category": category, "kind": unit_kind})

    def deadline(self, key: str) -> Deadline | None:
        return self.deadlines.get(key)


# --- loading -----------------------------------------------------------------------


class _Reader:
    """Validation helpers bound to one file: every failure names file, line, field."""

    def __init__(self, path: Path, locator: _toml.Locator):
        self.path = path
        self.locator = locator

    def fail(self, where: tuple, message: str):
        raise PolicyError(self.path, self.locator.line(where), _toml.field_name(where), message)

    def keys(self, table, where: tuple, allowed: tuple[str, ...], required: tuple[str, ...] = ()):
        if not isinstance(table, dict):
            self.fail(where, _("must be a table."))
        for key in table:
            if key not in allowed:
                self.fail((*where, key), _("unknown key; allowed here: %(keys)s.")
                          % {"keys": ", ".join(allowed)})
        for key in required:
            if key not in table:
                self.fail(where, _("the key “%(key)s” is missing.") % {"key": key})

    def text(self, table, where: tuple, key: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail((*where, key), _("must be a non-empty text in quotes."))
        return value.strip()

    def boolean(self, table, where: tuple, key: str) -> bool:
        value = table.get(key)
        if not isinstance(value, bool):
            self.fail((*where, key), _("must be true or false."))
        return value

    def choice(self, table, where: tuple, key: str, choices: tuple[str, ...], what: str) -> str:
        value = table.get(key)
        if value not in choices:
            self.fail((*where, key), _("unknown %(what)s “%(value)s”; use one of: %(choices)s.")
                      % {"what": what, "value": value, "choices": ", ".join(choices)})
        return value

    def positive(self, table, where: tuple, key: str, maximum: int | None = None) -> int:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*where, key), _("must be a whole number of days."))
        if value <= 0:
            self.fail((*where, key), _("must be greater than 0 (it is %(value)d).")
                      % {"value": value})
        if maximum is not None and value > maximum:
            self.fail((*where, key), _("must be at most %(max)d (it is %(value)d).")
                      % {"max": maximum, "value": value})
        return value

    def deadline(self, table, where: tuple) -> Deadline:
        self.keys(table, where, ("days", "kind", "source"), ("days", "kind"))
        days = self.positive(table, where, "days", maximum=366)
        kind = self.choice(table, where, "kind", cal.DAY_KINDS, _("kind of day"))
        source = table.get("source", "")
        if not isinstance(source, str):
            self.fail((*where, "source"), _("must be a text in quotes (the article)."))
        return Deadline(days=days, kind=kind, source=source)

    def window(self, table, where: tuple) -> Window:
        self.keys(table, where, ("kind", "days", "source"), ("kind", "days", "source"))
        kind = self.choice(table, where, "kind", WINDOW_KINDS, _("kind of window"))
        days = self.positive(table, where, "days", maximum=20 if kind == "last_working_days"
                             else 28)
        return Window(kind=kind, days=days, source=self.text(table, where, "source"))

    def names(self, table, where: tuple, key: str, values: tuple[str, ...], what: str
              ) -> frozenset[str]:
        value = table.get(key)
        if not isinstance(value, list) or not value:
            self.fail((*where, key), _("must be a non-empty list, e.g. [\"%(example)s\"] or "
                                       "[\"*\"] for all.") % {"example": values[0]})
        out = set()
        for item in value:
            if item == "*":
                out.update(values)
            elif item not in values:
                self.fail((*where, key), _("unknown %(what)s “%(value)s”; use one of: "
                                           "%(choices)s, or \"*\".")
                          % {"what": what, "value": item, "choices": ", ".join(values)})
            else:
                out.add(item)
        return frozenset(out)


def _step(r: _Reader, table, where: tuple, *, first: bool, has_window: bool) -> Step:
    r.keys(table, where,
           ("key", "role", "approver_unit", "label", "deadline", "clock", "signs", "delegable",
            "source"),
           ("key", "role", "approver_unit", "label", "clock", "signs", "delegable", "source"))
    key = r.text(table, where, "key")
    if not _STEP_KEY.match(key):
        r.fail((*where, "key"), _("a step key is lower-case letters, digits and “_”, e.g. "
                                  "“hr_check”."))
    role = r.choice(table, where, "role", STEP_ROLES, _("role"))
    approver_unit = r.choice(table, where, "approver_unit", APPROVER_UNITS, _("approver unit"))
    clock = r.choice(table, where, "clock", CLOCKS, _("clock"))
    if first and clock == "previous_step":
        r.fail((*where, "clock"), _("the first step has no previous step; use “submitted” or "
                                    "“window”."))
    if clock == "window" and not has_window:
        r.fail((*where, "clock"), _("“window” needs a unit approval window ([windows.unit]) "
                                    "in this file."))
    deadline = None
    if "deadline" in table:
        deadline = r.deadline(table["deadline"], (*where, "deadline"))
    elif clock != "window":
        r.fail(where, _("the key “deadline” is missing: only a step whose clock is the "
                        "window may have no deadline of its own."))
    return Step(key=key, role=role, approver_unit=approver_unit,
                label=r.text(table, where, "label"), deadline=deadline, clock=clock,
                signs=r.boolean(table, where, "signs"),
                delegable=r.boolean(table, where, "delegable"),
                source=r.text(table, where, "source"))


def _chains(r: _Reader, data, has_window: bool) -> tuple[Chain, ...]:
    raw = data.get("chains")
    if not isinstance(raw, list) or not raw:
        r.fail(("chains",), _("the file needs at least one review chain ([[chains]])."))
    categories, kinds = _category_values(), _unit_kind_values()
    covered: dict[tuple, int] = {}  # (under kind or "", category, unit kind) → chain
    chain_keys: dict[str, int] = {}
    chains = []
    for index, table in enumerate(raw):
        where = ("chains", index)
        r.keys(table, where, ("key", "categories", "unit_kinds", "under", "steps", "source"),
               ("key", "categories", "unit_kinds", "steps", "source"))
        key = r.text(table, where, "key")
        if key in chain_keys:
            r.fail((*where, "key"), _("the chain key “%(key)s” is already used by chain "
                                      "%(other)d.") % {"key": key, "other": chain_keys[key] + 1})
        chain_keys[key] = index
        cats = r.names(table, where, "categories", categories, _("staff category"))
        unit_kinds = r.names(table, where, "unit_kinds", kinds, _("unit kind"))
        under = (r.names(table, where, "under", kinds, _("unit kind")) if "under" in table
                 else frozenset())
        for combo in sorted((u, c, k) for u in (under or {""}) for c in cats
                            for k in unit_kinds):
            if combo in covered:
                r.fail(where,
                       _("staff category “%(category)s” in a unit of kind “%(kind)s”%(under)s "
                         "already has a chain (chain %(other)d); each combination needs "
                         "exactly one.")
                       % {"category": combo[1], "kind": combo[2],
                          "under": (_(" below a unit of kind “%(kind)s”") % {"kind": combo[0]})
                          if combo[0] else "",
                          "other": covered[combo] + 1})
            covered[combo] = index
        steps_raw = table.get("steps")
        if not isinstance(steps_raw, list) or not steps_raw:
            r.fail((*where, "steps"), _("a chain needs at least one step ([[chains.steps]])."))
        steps, seen = [], {}
        for number, step_table in enumerate(steps_raw):
            step_where = (*where, "steps", number)
            step = _step(r, step_table, step_where, first=number == 0, has_window=has_window)
            if step.key in seen:
                r.fail((*step_where, "key"),
                       _("the step key “%(key)s” is repeated (also step %(other)d of this "
                         "chain); a chain passes each step once.")
                       % {"key": step.key, "other": seen[step.key] + 1})
            seen[step.key] = number
            steps.append(step)
        if not steps[-1].signs:
            r.fail((*where, "steps", len(steps) - 1, "signs"),
                   _("the last step is the approval and is always signed: set signs = true."))
        chains.append(Chain(categories=cats, unit_kinds=unit_kinds, steps=tuple(steps),
                            under=under, key=key, source=r.text(table, where, "source")))
    missing = [(c, k) for c in categories for k in kinds if ("", c, k) not in covered]
    if missing:
        shown = ", ".join(f"{c} × {k}" for c, k in missing[:8])
        more = len(missing) - 8
        r.fail(("chains",), _("no review chain for %(combos)s%(more)s: every staff category "
                              "in every unit kind needs one.")
               % {"combos": shown, "more": (_(" and %(n)d more") % {"n": more}) if more > 0
                  else ""})
    return tuple(chains)


def load_policy(path) -> Policy:
    """Read and validate one policy file; PolicyError on the first mistake."""
    path = Path(path)
    data, locator = _toml.load(path, PolicyError)
    r = _Reader(path, locator)
    r.keys(data, (), ("code", "name", "document", "windows", "deadlines", "chains", "backup",
                      "calendar"), ("code", "name", "document", "chains"))
    code = r.text(data, (), "code")
    if not _CODE.match(code):
        r.fail(("code",), _("a province code is lower-case letters, digits and “-”, e.g. "
                            "“can-tho”."))
    if path.suffix == ".toml" and path.stem != code:
        r.fail(("code",), _("the code “%(code)s” must be the file's name (%(stem)s.toml).")
               % {"code": code, "stem": path.stem})
    windows = data.get("windows", {})
    r.keys(windows, ("windows",), ("unit", "province"))
    unit_window = r.window(windows["unit"], ("windows", "unit")) if "unit" in windows else None
    province_window = (r.window(windows["province"], ("windows", "province"))
                       if "province" in windows else None)
    deadlines_raw = data.get("deadlines", {})
    r.keys(deadlines_raw, ("deadlines",), DEADLINE_KEYS)
    deadlines = {}
    for key, table in deadlines_raw.items():
        deadline = r.deadline(table, ("deadlines", key))
        if not deadline.source:
            r.fail(("deadlines", key), _("the key “%(key)s” is missing.") % {"key": "source"})
        deadlines[key] = deadline
    chains = _chains(r, data, has_window=unit_window is not None)
    backup = None
    if "backup" in data:
        table = data["backup"]
        r.keys(table, ("backup",), ("every_months", "keep_months", "source"),
               ("every_months", "source"))
        backup = Backup(every_months=r.positive(table, ("backup",), "every_months", 12),
                        keep_months=(r.positive(table, ("backup",), "keep_months", 120)
                                     if "keep_months" in table else 0),
                        source=r.text(table, ("backup",), "source"))
    adjustments = cal.Adjustments()
    if "calendar" in data:
        adjustments = cal.parse_adjustments(data["calendar"], locator, file=path,
                                            prefix=("calendar",), error=PolicyError)
    return Policy(code=code, name=r.text(data, (), "name"),
                  document=r.text(data, (), "document"), chains=chains,
                  unit_window=unit_window, province_window=province_window,
                  deadlines=deadlines, calendar=adjustments, backup=backup, path=str(path))


def policy_path(code: str | None = None) -> Path:
    province, folder, _overrides = cal.settings_key()
    code = code or province
    if not isinstance(code, str) or not _CODE.match(code):
        raise PolicyError(folder, None, "PROVINCE",
                          _("“%(code)s” is not a province code (lower-case letters, digits and "
                            "“-”, e.g. “can-tho”).") % {"code": code})
    return Path(folder) / f"{code}.toml"


_POLICIES: dict[tuple[str, str], Policy] = {}


def get_policy(code: str | None = None) -> Policy:
    """The policy of province `code` (None: settings.PROVINCE), loaded once per code
    and policy directory (a file edited in place is read again after a restart, or
    `clear_cache()`; `hoso policy check` always reads the files)."""
    province, folder, _overrides = cal.settings_key()
    key = (code or province, folder)
    policy = _POLICIES.get(key)
    if policy is None:
        path = policy_path(code)
        if not path.is_file():
            available = sorted(p.stem for p in Path(folder).glob("*.toml"))
            raise PolicyError(path, None, "PROVINCE",
                              _("there is no policy file for the province “%(code)s”; "
                                "available: %(codes)s.")
                              % {"code": key[0], "codes": ", ".join(available) or "-"})
        policy = _POLICIES[key] = load_policy(path)
    return policy


def clear_cache() -> None:
    _POLICIES.clear()
    cal.clear_cache()
