"""The statistics of a unit's sub-tree or of the whole province, as `Statistic` tables.

Units use the aggregated data of their own people and Sở Nội vụ analyses the whole
province's staff (Vĩnh Phúc Đ9.1–9.2, Đ10.1; Lâm Đồng Đ9.3), through the system's own
functions for searching, aggregating and counting (Quảng Nam Đ7.2). So:

- every figure is a GROUP BY in the database over `Person.objects.visible_to(user,
  action)` (a unit head counts their sub-tree, Sở Nội vụ the province): nobody's file
  is loaded into Python;
- a restricted value (Party membership) is counted only over the people whose
  restricted fields the user may read (`person.view_restricted`): a unit
  administrator, who sees the public part of the files, gets no Party figures;
- the figures are of people in service (working or seconded, `IN_SERVICE`), from the
  projection of their approved file (`records.Profile`); arrivals and departures come
  from the recruitment date of the file and the status changes the audit trail keeps;
- a look at statistics leaves one access row (no person in it: the figures are
  aggregates), naming the statistic, the unit and the filters; an export leaves an
  "export" row. The figures themselves are not personal data of anyone but can narrow
  down to one person in a small unit, which is why the user's visibility bounds them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from hoso.accounts.permissions import scopes_of
from hoso.accounts.roles import Action
from hoso.accounts.selectors import acts_anywhere
from hoso.audit.models import ChangeLog
from hoso.audit.services import log_access
from hoso.catalogs import selectors as catalogs
from hoso.core.errors import NotFound, PermissionDenied
from hoso.org.models import SEGMENT, OrgUnit
from hoso.records.models import Person, Sex, StaffCategory, Status, party_member_tag

from .tables import COLUMNS, PYRAMID, Column, Row, Statistic, share_column

# Working, or seconded elsewhere but still on the unit's staff.
IN_SERVICE = (Status.ACTIVE, Status.SECONDED)
OUT_OF_SERVICE = tuple(s for s in Status.values if s not in IN_SERVICE)
STEP = SEGMENT + 1  # characters of one level of `OrgUnit.path`
NOT_DECLARED = "none"
# QĐ 121-TCTK/PPCĐ (the ethnicities list): 01 is Kinh, 02–54 the 53 ethnic minorities;
# 55 ("người nước ngoài") is hoso's code for people of foreign origin.
KINH, FOREIGN_ORIGIN = "01", "55"


@dataclass(frozen=True)
class Filters:
    """`unit`: its sub-tree (None: everyone the user may see); `category`: one staff
    category ("" = all); `on`: the reference date (None = today): ages are counted on it
    and arrivals and departures over the twelve months that end with its month."""

    unit: OrgUnit | None = None
    category: str = ""
    on: dt.date | None = None

    @property
    def day(self) -> dt.date:
        return self.on or timezone.localdate()

    def detail(self) -> dict:
        return {
            "unit": self.unit.pk if self.unit else None,
            "category": self.category,
            "on": self.day.isoformat(),
        }


# --- who may look, and at which units -----------------------------------------------


def may_view(user) -> bool:
    """Statistics are for whoever reads a unit's staff through a role (a unit's chain,
    Sở Nội vụ); reading only one's own file, or files opened by a consent grant, is not
    a unit to count."""
    return acts_anywhere(user, Action.PERSON_VIEW)


def require_view(user) -> None:
    if not may_view(user):
        raise PermissionDenied(
            _("Statistics are for those who hold a role over a unit's staff; you hold none "
              "in force.")
        )


def unit_choices(*, user) -> QuerySet[OrgUnit]:
    """The units whose people the user may count (their sub-trees), in tree order."""
    return OrgUnit.objects.visible_to(user, Action.PERSON_VIEW).order_by("path")


def _top_scopes(user) -> list:
    """The outermost of the user's `person.view` role scopes (one per unit)."""
    tops: list = []
    for scope in sorted(scopes_of(user).by_action.get(Action.PERSON_VIEW, []),
                        key=lambda s: len(s.path)):
        if not any(t.unit_id == scope.unit_id or (t.subtree and scope.path.startswith(t.path))
                   for t in tops):
            tops.append(scope)
    return tops


def default_unit(*, user) -> OrgUnit | None:
    """The unit the user's statistics open on: the one unit their roles cover (a unit
    head's unit, the province for Sở Nội vụ); None when they hold roles on several."""
    tops = _top_scopes(user)
    return OrgUnit.objects.filter(pk=tops[0].unit_id).first() if len(tops) == 1 else None


OTHERS = ""  # the branch of people outside the user's role scopes (consent, own file)


@dataclass(frozen=True)
class Branching:
    """How the per-unit statistics split the people: by the units directly under
    `root` (its own staff under the root itself), or — for a user whose roles cover
    several units and who chose none — by each of those units (`tops`), so that no row
    names a unit above the user's scope."""

    root: str | None
    tops: tuple = ()
    bounded: bool = True  # everyone counted is inside `root` (a unit was chosen)

    def expression(self):
        if self.root is not None:
            child = Substr("unit__path", 1, len(self.root) + STEP)
            if self.bounded:
                return child
            return Case(When(unit__path__startswith=self.root, then=child),
                        default=Value(OTHERS), output_field=CharField())
        whens = [
            When(unit__path__startswith=t.path, then=Value(t.path)) if t.subtree
            else When(unit_id=t.unit_id, then=Value(t.path))
            for t in self.tops
        ]
        return Case(*whens, default=Value(OTHERS), output_field=CharField())


def _branching(user, filters: Filters) -> Branching:
    if filters.unit is not None:
        return Branching(filters.unit.path)
    tops = _top_scopes(user)
    if len(tops) == 1:
        return Branching(tops[0].path, bounded=False)
    return Branching(None, tuple(tops))


def scope_label(*, user, filters: Filters) -> str:
    if filters.unit is not None:
        return _("%(unit)s and its sub-units") % {"unit": filters.unit.name}
    return _("All units in your scope")


# --- the people counted -------------------------------------------------------------


def _people(user, filters: Filters, *, action: str = Action.PERSON_VIEW,
            in_service: bool = True) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user, action)
    if in_service:
        qs = qs.filter(status__in=IN_SERVICE)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.category:
        qs = qs.filter(category=filters.category)
    return qs.order_by()


def _by_unit(qs: QuerySet[Person], branching: Branching) -> QuerySet[Person]:
    """`qs` with `branch`: the path of the unit whose row counts each person."""
    return qs.annotate(branch=branching.expression())


def _unit_rows(counts: dict[str, dict[str, int]], branching: Branching,
               columns: list[Column]) -> tuple[list[Row], Row]:
    """Rows per branch in tree order (with the unit's name; the root's own staff
    labelled so; people outside the role scopes last) and their total."""
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=list(counts))}
    rows = []
    for path in sorted(counts, key=lambda p: (p == OTHERS, p)):
        unit = units.get(path)
        if unit is None:
            rows.append(Row("others", _("Others whose files you may read"),
                            dict(counts[path])))
            continue
        label = unit.name
        if path == branching.root:
            label = _("%(unit)s (its own staff)") % {"unit": unit.name}
        rows.append(Row(unit.code, label, dict(counts[path])))
    total = Row("total", pgettext("statistics", "Total"), {
        c.key: sum(r.values.get(c.key) or 0 for r in rows) for c in columns if not c.percent
    })
    return rows, total


def _count_rows(counted: dict[str, int], order: list[tuple[str, str]], *,
                keep_zero: bool = True) -> list[Row]:
    """Rows of a code list in its order (`order`: (code, label)), then codes the list
    does not know (as stored), then those who declared nothing."""
    rows, seen = [], set()
    for code, label in order:
        seen.add(code)
        if keep_zero or counted.get(code):
            rows.append(Row(code, label, {"count": counted.get(code, 0)}))
    for code in sorted(set(counted) - seen - {NOT_DECLARED}):
        rows.append(Row(code, code, {"count": counted[code]}))
    rows.append(Row(NOT_DECLARED, pgettext("statistics", "Not declared"),
                    {"count": counted.get(NOT_DECLARED, 0)}, charted=False))
    return rows


def _with_total(stat: Statistic, of: str = "count") -> Statistic:
    stat.total = Row("total", pgettext("statistics", "Total"), {
        of: sum(r.values.get(of) or 0 for r in stat.rows)
    })
    if any(c.key == "share" for c in stat.columns):
        stat.add_shares(of)
    return stat


def _count() -> Column:
    return Column("count", pgettext("statistics", "People"))


def _share() -> Column:
    return share_column(_("Share (%)"))


def _current_form_q() -> Q:
    """Files approved under the form in force for their category (`revision_create`
    validates every required field of the form it writes under, so such a file holds
    them all)."""
    from hoso.records.schema import get_schema

    q = Q(pk__in=[])
    for category in StaffCategory.values:
        q |= Q(category=category,
               profile__revision__schema_version=str(get_schema(category).version))
    return q


class Scans:
    """The GROUP BY queries the statistics read, each run at most once for a page:
    statistics that count the same people share one pass over them (headcount, ages and
    completeness; the levels of training, the ethnicities and the ranks are one GROUP BY
    over their six columns, whose margins Python adds up from the groups it returns)."""

    def __init__(self, user, filters: Filters):
        self.user, self.filters = user, filters
        self.branching = _branching(user, filters)

    def people(self, **kwargs) -> QuerySet[Person]:
        return _people(self.user, self.filters, **kwargs)

    @cached_property
    def people_rows(self) -> list[tuple[str, str, str, str, int, int, int]]:
        """(branch, category, sex, age group, people, with an approved file, under the
        current form): headcount, the age pyramid and completeness in one pass."""
        day = self.filters.day
        return list(
            _by_unit(self.people(), self.branching)
            .annotate(age_group=age_group_case(day))
            .values("branch", "category", "sex", "age_group")
            .annotate(n=Count("pk"), filed=Count("pk", filter=Q(profile__isnull=False)),
                      current=Count("pk", filter=_current_form_q()))
            .values_list("branch", "category", "sex", "age_group", "n", "filed", "current")
        )

    @cached_property
    def units(self) -> list[tuple[str, str, int, int, int]]:
        """(branch, category, people, with an approved file, under the current form)."""
        out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for branch, category, _sex, _age, n, filed, current in self.people_rows:
            sums = out[branch, category]
            sums[0], sums[1], sums[2] = sums[0] + n, sums[1] + filed, sums[2] + current
        return [(b, c, *sums) for (b, c), sums in out.items()]

    @cached_property
    def total(self) -> int:
        return sum(row[4] for row in self.people_rows)

    @cached_property
    def ages(self) -> list[tuple[str, str, int]]:
        """(age group, sex, people) of those born by the reference date."""
        out: dict[tuple[str, str], int] = defaultdict(int)
        for _branch, _category, sex, age, n, _filed, _current in self.people_rows:
            if age != UNBORN:
                out[age, sex] += n
        return [(age, sex, n) for (age, sex), n in out.items()]

    # The projected columns the code-list statistics count, in one GROUP BY.
    PROFILE = ("profile__education_level", "profile__political_theory",
               "profile__state_management", "profile__it_level", "profile__ethnicity",
               "profile__rank_code")

    @cached_property
    def profile_rows(self) -> list[tuple]:
        return list(
            self.people().values(*self.PROFILE).annotate(n=Count("pk"))
            .values_list(*self.PROFILE, "n")
        )

    def margin(self, column: str) -> dict[str, int]:
        """{value: people} of one column of `PROFILE` (NOT_DECLARED for empty values and
        for people without an approved file)."""
        index = self.PROFILE.index(column)
        out: dict[str, int] = defaultdict(int)
        for row in self.profile_rows:
            out[row[index] or NOT_DECLARED] += row[-1]
        return dict(out)


# --- the statistics -----------------------------------------------------------------


def headcount(scans: Scans) -> Statistic:
    cells: dict[str, dict[str, int]] = defaultdict(dict)
    for branch, category, n, _filed, _current in scans.units:
        cells[branch][category] = n
    columns = [Column(c, str(label)) for c, label in StaffCategory.choices]
    columns.append(Column("total", pgettext("statistics", "Total"), charted=False))
    for values in cells.values():
        for c in StaffCategory.values:
            values.setdefault(c, 0)
        values["total"] = sum(values[c] for c in StaffCategory.values)
    stat = Statistic(
        "headcount", _("Headcount by unit and staff category"),
        _("People in service (working or seconded) in each unit with its sub-units, by "
          "staff category."),
        pgettext("statistics", "Unit"), columns,
    )
    stat.rows, stat.total = _unit_rows(cells, scans.branching, columns)
    return stat


AGE_GROUPS = (  # (key, youngest age, label)
    ("lt25", 0, gettext_lazy("Under 25")),
    ("25_29", 25, "25–29"), ("30_34", 30, "30–34"), ("35_39", 35, "35–39"),
    ("40_44", 40, "40–44"), ("45_49", 45, "45–49"), ("50_54", 50, "50–54"),
    ("55_59", 55, "55–59"),
    ("60plus", 60, gettext_lazy("60 and over")),
)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


UNBORN = "unborn"  # born after the reference date: no age on it


def age_group_case(day: dt.date) -> Case:
    """The age group on `day`, in SQL: age ≥ n ⇔ born on or before `day` n years ago."""
    whens = [When(birth_date__gt=day, then=Value(UNBORN))] + [
        When(birth_date__gt=years_before(day, nxt), then=Value(key))
        for (key, _a, _l), (_k, nxt, _x) in zip(AGE_GROUPS, AGE_GROUPS[1:], strict=False)
    ]
    return Case(*whens, default=Value(AGE_GROUPS[-1][0]), output_field=CharField())


def age_pyramid(scans: Scans) -> Statistic:
    day = scans.filters.day
    cells: dict[str, dict[str, int]] = defaultdict(dict)
    for group, sex, n in scans.ages:
        cells[group][sex] = n
    columns = [
        Column(Sex.MALE, str(Sex.MALE.label), color="#0072B2"),
        Column(Sex.FEMALE, str(Sex.FEMALE.label), color="#D55E00"),
        Column("total", pgettext("statistics", "Total"), charted=False),
        _share(),
    ]
    stat = Statistic(
        "age", _("Age pyramid by sex"),
        _("People in service by their age on the reference date, in five-year groups."),
        pgettext("statistics", "Age group"), columns, chart=PYRAMID,
    )
    for key, _youngest, label in AGE_GROUPS:
        male, female = cells[key].get(Sex.MALE, 0), cells[key].get(Sex.FEMALE, 0)
        stat.rows.append(Row(key, str(label), {
            Sex.MALE: male, Sex.FEMALE: female, "total": male + female,
        }))
    stat.total = Row("total", pgettext("statistics", "Total"), {
        c: sum(r.values[c] for r in stat.rows) for c in (Sex.MALE, Sex.FEMALE, "total")
    })
    stat.add_shares("total")
    stat.note = _("Ages are counted on %(day)s.") % {"day": day.strftime("%d/%m/%Y")}
    return stat


def ethnicity(scans: Scans) -> Statistic:
    counted = scans.margin("profile__ethnicity")
    labels = dict(catalogs.choices("ethnicities"))
    minorities = sorted(
        (c for c in counted if c not in (KINH, FOREIGN_ORIGIN, NOT_DECLARED)),
        key=lambda c: (-counted[c], c),
    )
    stat = Statistic(
        "ethnicity", _("Ethnic minorities"),
        _("People in service of each ethnic minority (QĐ 121-TCTK/PPCĐ), beside the Kinh "
          "and those who declared none. The chart shows the minorities."),
        pgettext("statistics", "Ethnicity"), [_count(), _share()],
    )
    stat.rows.append(Row(KINH, labels.get(KINH, KINH), {"count": counted.get(KINH, 0)},
                         charted=False))
    for code in minorities:
        stat.rows.append(Row(code, labels.get(code, code), {"count": counted[code]}))
    if counted.get(FOREIGN_ORIGIN):
        stat.rows.append(Row(FOREIGN_ORIGIN, labels.get(FOREIGN_ORIGIN, FOREIGN_ORIGIN),
                             {"count": counted[FOREIGN_ORIGIN]}, charted=False))
    stat.rows.append(Row(NOT_DECLARED, pgettext("statistics", "Not declared"),
                         {"count": counted.get(NOT_DECLARED, 0)}, charted=False))
    _with_total(stat)
    minority_total = sum(counted[c] for c in minorities)
    whole = stat.total.values["count"]
    stat.note = _("Ethnic minorities: %(n)s of %(total)s people (%(share)s%%).") % {
        "n": f"{minority_total:,}".replace(",", "."),
        "total": f"{whole:,}".replace(",", "."),
        "share": f"{100 * minority_total / whole:.1f}".replace(".", ",") if whole else "0",
    }
    return stat


def _code_statistic(scans: Scans, *, key: str, column: str, list_key: str,
                    title: str, description: str, row_label: str) -> Statistic:
    counted = scans.margin(f"profile__{column}")
    stat = Statistic(key, title, description, row_label, [_count(), _share()])
    stat.rows = _count_rows(counted, catalogs.choices(list_key))
    return _with_total(stat)


def education(scans: Scans) -> Statistic:
    return _code_statistic(
        scans, key="education", column="education_level", list_key="education_levels",
        title=_("Professional qualification"),
        description=_("People in service by their highest professional qualification "
                      "(Luật Giáo dục 2019)."),
        row_label=pgettext("statistics", "Qualification"),
    )


def political_theory(scans: Scans) -> Statistic:
    return _code_statistic(
        scans, key="political_theory", column="political_theory",
        list_key="political_theory_levels", title=_("Political theory"),
        description=_("People in service by their level of political theory."),
        row_label=pgettext("statistics", "Level"),
    )


def state_management(scans: Scans) -> Statistic:
    return _code_statistic(
        scans, key="state_management", column="state_management",
        list_key="state_management_levels", title=_("State management"),
        description=_("People in service by the state-management programme they completed "
                      "(NĐ 101/2017/NĐ-CP)."),
        row_label=pgettext("statistics", "Level"),
    )


def information_technology(scans: Scans) -> Statistic:
    return _code_statistic(
        scans, key="it", column="it_level", list_key="it_levels",
        title=_("Information technology"),
        description=_("People in service by their IT skill standard, certificate or degree "
                      "(TT 03/2014/TT-BTTTT)."),
        row_label=pgettext("statistics", "Level"),
    )


# Foreign-language levels, grouped as the six-level framework groups them (Thông tư
# 01/2014/TT-BGDĐT: sơ cấp bậc 1–2, trung cấp bậc 3–4, cao cấp bậc 5–6); a degree in the
# language counts as level 6; certificates of a minority language have level 0.
LANGUAGE_BANDS = (
    ("basic", 1, 2, gettext_lazy("Levels 1–2")),
    ("intermediate", 3, 4, gettext_lazy("Levels 3–4")),
    ("advanced", 5, 6, gettext_lazy("Levels 5–6, degrees")),
    ("other", 0, 0, gettext_lazy("Other certificates")),
)


JSON_ROWS = {
    # The rows of the revision's `languages` table (r.public), as `j`.
    "postgresql": (
        "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.public -> "
        "'languages') = 'array' THEN r.public -> 'languages' ELSE '[]'::jsonb END) AS j "
        "WHERE jsonb_typeof(j) = 'object'",
        "j ->> 'language'", "j ->> 'level'",
    ),
    "sqlite": (
        "JOIN json_each(r.public, '$.languages') AS j WHERE j.type = 'object'",
        "json_extract(j.value, '$.language')", "json_extract(j.value, '$.level')",
    ),
}
FOREIGN = -1  # the `lvl` of the row that counts the people with a foreign language


def language_sql(vendor: str, people_sql: str, levels: int, minority: int) -> str:
    """Per (person, language) the highest level of their rows in the approved file's
    `languages` table (a public field, so in the revision's clear JSON, read by the
    database — json_each / jsonb — never in Python); then people per (language, level),
    and one more row (`lvl` = FOREIGN) with the people who have a foreign language.
    Parameters: (code, level) × `levels`, the people's, the `minority` language codes."""
    rows, lang, level = JSON_ROWS[vendor]
    case = " ".join(["WHEN %s THEN %s"] * levels)
    foreign = f"lang NOT IN ({', '.join(['%s'] * minority)})" if minority else "lang IS NOT NULL"
    return (
        "WITH per_person AS MATERIALIZED ("  # noqa: S608 (fixed SQL; values are parameters)
        f"SELECT pr.person_id AS pid, {lang} AS lang, MAX(CASE {level} {case} ELSE 0 END) AS lvl "
        "FROM records_profile pr JOIN records_revision r ON r.id = pr.revision_id "
        f"{rows} AND pr.person_id IN ({people_sql}) GROUP BY pr.person_id, {lang}) "
        "SELECT lang, lvl, COUNT(*) FROM per_person GROUP BY lang, lvl "
        f"UNION ALL SELECT NULL, {FOREIGN}, COUNT(DISTINCT pid) FROM per_person WHERE {foreign}"
    )


def languages(scans: Scans) -> Statistic:
    sql, params = scans.people().values("pk").query.sql_with_params()
    levels = [(e.code, int(e.attrs.get("level") or 0)) for e in catalogs.entries("language_levels")]
    entries = {e.code: e for e in catalogs.entries("languages")}
    minority = sorted(c for c, e in entries.items() if e.attrs.get("minority"))
    with connection.cursor() as cursor:
        cursor.execute(
            language_sql(connection.vendor, sql, len(levels), len(minority)),
            [v for pair in levels for v in pair] + list(params) + minority,
        )
        found = cursor.fetchall()
    cells: dict[str, dict[str, int]] = defaultdict(lambda: {b[0]: 0 for b in LANGUAGE_BANDS})
    with_foreign = 0
    for lang, level, n in found:
        if level == FOREIGN:
            with_foreign = n
        elif lang:  # (a row without its language has nothing to be counted under)
            band = next((b[0] for b in LANGUAGE_BANDS if b[1] <= (level or 0) <= b[2]), "other")
            cells[lang][band] += n
    columns = [Column(k, str(label)) for k, _lo, _hi, label in LANGUAGE_BANDS]
    columns.append(Column("count", pgettext("statistics", "People"), charted=False))
    stat = Statistic(
        "languages", _("Foreign languages"),
        _("People in service who declared each language in their file, by their highest "
          "level in it (six-level framework, TT 01/2014/TT-BGDĐT). A person with two "
          "languages is counted under each."),
        pgettext("statistics", "Language"), columns,
    )
    for values in cells.values():
        values["count"] = sum(values[b[0]] for b in LANGUAGE_BANDS)
    for code in sorted(cells, key=lambda c: (c in minority, -cells[c]["count"], c)):
        label = entries[code].label if code in entries else code
        if code in minority:
            label = _("%(language)s (ethnic minority language)") % {"language": label}
        stat.rows.append(Row(code, label, dict(cells[code])))
    total = scans.total
    stat.rows.append(Row(NOT_DECLARED, _("No foreign language declared"),
                         {"count": total - with_foreign}, charted=False))
    stat.total = Row("total", _("People counted"), {"count": total})
    return stat


def party_members(scans: Scans) -> Statistic:
    columns = [
        Column("member", _("Party members"), color="#D55E00"),
        Column("other", _("Not Party members"), color="#56B4E9"),
        Column("unfiled", _("No approved file"), color="#7f7f7f"),
        Column("total", _("People counted"), charted=False),
        Column("share", _("Party members (%)"), charted=False, percent=True),
    ]
    stat = Statistic(
        "party", _("Party members"),
        _("People in service who are members of the Communist Party of Viet Nam, in each "
          "unit with its sub-units, from their approved files. Party membership is "
          "restricted information: only the people whose restricted fields you may read "
          "are counted."),
        pgettext("statistics", "Unit"), columns,
    )
    if not acts_anywhere(scans.user, Action.PERSON_VIEW_RESTRICTED):
        stat.withheld = _("Party membership is restricted information, and your roles do "
                          "not open restricted fields.")
        return stat
    qs = _by_unit(scans.people(action=Action.PERSON_VIEW_RESTRICTED), scans.branching)
    cells = {}
    for branch, members, filed, total in _party_counts(qs):
        cells[branch] = {"member": members, "other": filed - members,
                         "unfiled": total - filed, "total": total}
    stat.rows, stat.total = _unit_rows(cells, scans.branching, columns)
    for row in [*stat.rows, stat.total]:
        filed = row.values["member"] + row.values["other"]
        row.values["share"] = round(100 * row.values["member"] / filed, 1) if filed else None
    stat.note = _("The share is of the people with an approved file.")
    return stat


def _party_counts(qs: QuerySet[Person]):
    """(branch, Party members, people with an approved file, people) per branch of `qs`
    (annotated by `_by_unit`).

    The membership is projected encrypted (`Profile.party_member`, a Fernet token) with
    a blind index beside it (`party_member_tag`, a keyed hash of the person and the
    value: a different string on every row, so it cannot be grouped in SQL either). One
    streaming pass over (branch, person, tag) — three short columns, no file, nothing
    decrypted — recomputes the tag a member would have and compares."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    stream = qs.values_list("branch", "pk", "profile__party_member_tag").iterator(
        chunk_size=5000
    )
    for branch, pk, tag in stream:
        sums = counts[branch]
        sums[2] += 1
        if tag is not None:  # NULL: no approved file (no projection)
            sums[1] += 1
            if tag == party_member_tag(pk, "1"):
                sums[0] += 1
    return [(branch, *sums) for branch, sums in counts.items()]


def ranks(scans: Scans) -> Statistic:
    counted = scans.margin("profile__rank_code")
    stat = Statistic(
        "ranks", _("Civil-service ranks and professional titles"),
        _("People in service by their civil-service rank (ngạch) or the professional title "
          "(chức danh nghề nghiệp) of public employees, with its code."),
        _("Rank or title"), [_count(), _share()],
    )
    for code in sorted((c for c in counted if c != NOT_DECLARED),
                       key=lambda c: (-counted[c], c)):
        info = catalogs.rank_info(code)
        label = f"{code} {info.name}" if info else code
        stat.rows.append(Row(code, label, {"count": counted[code]}))
    stat.rows.append(Row(NOT_DECLARED, _("No rank or title (cadres, contract workers)"),
                         {"count": counted.get(NOT_DECLARED, 0)}, charted=False))
    return _with_total(stat)


def months_to(day: dt.date, n: int = 12) -> list[tuple[int, int]]:
    """The `n` months that end with `day`'s, oldest first, as (year, month)."""
    index = day.year * 12 + day.month - 1
    return [divmod(i, 12) for i in range(index - n + 1, index + 1)]


def _month_start(year: int, month0: int) -> dt.date:
    return dt.date(year + month0 // 12, month0 % 12 + 1, 1)


DEPARTURE_KINDS = (Status.RETIRED, Status.RESIGNED, Status.DISMISSED, Status.TRANSFERRED_OUT,
                   Status.DECEASED)


def movements(scans: Scans) -> Statistic:
    """Arrivals: the recruitment date of the approved file (`Profile.recruitment_date`),
    and status changes back into service. Departures: status changes out of service —
    the audit trail keeps every change of a person's status with its time, so it counts
    them by the month they were recorded."""
    months = months_to(scans.filters.day)
    start = _month_start(months[0][0], months[0][1])
    end = _month_start(months[-1][0], months[-1][1] + 1)
    keys = [f"{y:04d}-{m + 1:02d}" for y, m in months]
    cells = {k: defaultdict(int) for k in keys}
    everyone = scans.people(in_service=False)
    recruited = (
        everyone.filter(profile__recruitment_date__gte=start, profile__recruitment_date__lt=end)
        .annotate(y=ExtractYear("profile__recruitment_date"),
                  m=ExtractMonth("profile__recruitment_date"))
        .values("y", "m").annotate(n=Count("pk")).values_list("y", "m", "n")
    )
    for y, m, n in recruited:
        cells[f"{y:04d}-{m:02d}"]["recruited"] += n
    tz = timezone.get_current_timezone()
    changes = (
        ChangeLog.objects.order_by()
        .filter(
            object_type="records.person", action=ChangeLog.Action.UPDATE,
            at__gte=dt.datetime.combine(start, dt.time.min, tz),
            at__lt=dt.datetime.combine(end, dt.time.min, tz),
            object_id__in=everyone.annotate(
                key=Cast("pk", output_field=CharField())
            ).values("key"),
        )
        # Cast: a JSON key's `__in` would compare JSON values, not the text.
        .annotate(old=Cast(KeyTextTransform("status", "before"), output_field=CharField()),
                  new=Cast(KeyTextTransform("status", "after"), output_field=CharField()))
        .filter(Q(old__in=IN_SERVICE, new__in=OUT_OF_SERVICE)
                | Q(old__in=OUT_OF_SERVICE, new__in=IN_SERVICE))
        .annotate(month=TruncMonth("at", tzinfo=tz))
        .values("month", "new").annotate(n=Count("pk")).values_list("month", "new", "n")
    )
    for month, new, n in changes:
        key = f"{month.year:04d}-{month.month:02d}"
        cells[key]["returned" if new in IN_SERVICE else new] += n
    columns = [
        Column("recruited", _("Recruited"), charted=False),
        Column("returned", _("Back in service"), charted=False),
        Column("arrivals", _("Arrivals"), color="#009E73"),
        *(Column(str(s), str(Status(s).label), charted=False) for s in DEPARTURE_KINDS),
        Column("departures", _("Departures"), color="#D55E00"),
    ]
    stat = Statistic(
        "movements", _("Arrivals and departures by month"),
        _("The twelve months up to the reference date. Arrivals: people recruited in the "
          "month (the recruitment date of their approved file) and people back in "
          "service; departures: changes of status out of service (retirement, "
          "resignation, dismissal, transfer out of the province, death), in the month "
          "they were recorded."),
        pgettext("statistics", "Month"), columns, chart=COLUMNS,
    )
    for (y, m), key in zip(months, keys, strict=True):
        values = {c.key: cells[key].get(c.key, 0) for c in columns}
        values["arrivals"] = values["recruited"] + values["returned"]
        values["departures"] = sum(values[str(s)] for s in DEPARTURE_KINDS)
        stat.rows.append(Row(key, f"{m + 1:02d}/{y}", values))
    stat.total = Row("total", pgettext("statistics", "Total"), {
        c.key: sum(r.values[c.key] for r in stat.rows) for c in columns
    })
    return stat


def completeness(scans: Scans) -> Statistic:
    cells: dict[str, dict[str, int]] = defaultdict(
        lambda: {"complete": 0, "older": 0, "unfiled": 0, "total": 0}
    )
    for branch, _category, n, filed, current in scans.units:
        values = cells[branch]
        values["complete"] += current
        values["older"] += filed - current
        values["unfiled"] += n - filed
        values["total"] += n
    columns = [
        Column("complete", pgettext("statistics", "Complete"), color="#009E73"),
        Column("older", _("Approved under an earlier form"), color="#E69F00"),
        Column("unfiled", _("No approved file"), color="#7f7f7f"),
        Column("total", _("People in service"), charted=False),
        Column("share", _("Complete (%)"), charted=False, percent=True),
    ]
    stat = Statistic(
        "completeness", _("Data completeness by unit"),
        _("People in service whose approved file was checked against the form in force "
          "(every required field filled: the review refuses a file that lacks one), whose "
          "file was approved under an earlier version of the form (fields it added may be "
          "missing), and who have no approved file yet."),
        pgettext("statistics", "Unit"), columns,
    )
    stat.rows, stat.total = _unit_rows(dict(cells), scans.branching, columns)
    for row in [*stat.rows, stat.total]:
        whole = row.values["total"]
        row.values["share"] = round(100 * row.values["complete"] / whole, 1) if whole else None
    return stat


# The statistics in the order the page shows them: key → (computation, title).
STATISTICS = {
    "headcount": headcount,
    "age": age_pyramid,
    "ethnicity": ethnicity,
    "education": education,
    "political_theory": political_theory,
    "state_management": state_management,
    "languages": languages,
    "it": information_technology,
    "party": party_members,
    "ranks": ranks,
    "movements": movements,
    "completeness": completeness,
}


def _log(user, filters: Filters, *, what: str, action: str = "view", fmt: str = "") -> None:
    detail = {"what": "statistics", "statistic": what, **filters.detail()}
    if fmt:
        detail["format"] = fmt
    log_access(action=action, obj=filters.unit, detail=detail)


def statistic_list(*, user, filters: Filters, log: bool = True) -> list[Statistic]:
    """Every statistic of the scope; one access row."""
    require_view(user)
    scans = Scans(user, filters)
    found = [compute(scans) for compute in STATISTICS.values()]
    if log:
        _log(user, filters, what="all")
    return found


def statistic_get(*, user, key: str, filters: Filters, action: str = "view",
                  fmt: str = "") -> Statistic:
    """One statistic; one access row (`action` "export" for a download)."""
    require_view(user)
    compute = STATISTICS.get(key)
    if compute is None:
        raise NotFound(_("There is no statistic “%(key)s”.") % {"key": key})
    stat = compute(Scans(user, filters))
    if stat.withheld and action == "export":
        raise PermissionDenied(stat.withheld)
    _log(user, filters, what=key, action=action, fmt=fmt)
    return stat
