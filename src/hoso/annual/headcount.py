"""The headcount as of a moment, counted in the database: what the annual report's
figures are made of. Called by `selectors` only, with a queryset of people that comes
from `Person.objects.visible_to` (DESIGN principle 1): nothing here widens it.

**As of.** The approved file is a chain of revisions and the projection (`Profile`,
and the person's own columns) is its newest link (DESIGN principle 2). The figures of
31 December are those of each person's newest revision approved on or before that
moment. Most people's files do not change in the days between the end of the year and
the report, so the work is split:

- *settled* people — no revision approved after the moment, and no change of their
  person row (status, unit, category …) after it — are counted straight from the
  projection, in one `GROUP BY` in SQL: their projection *is* their file as of the
  moment;
- the others (a revision approved after the moment, or a status or unit that changed
  after it) are few: for each, the newest revision approved on or before the moment
  (none: not counted — the file was not approved yet) is read and projected again with
  `records.projection.project`, and their person row as it was at the moment is the
  `before` of its first change row after it (the audit trail is the person's history:
  status changes — retirement, resignation, death … — have no dates of their own).

Who counts: people whose status at the moment is working or seconded (Vĩnh Phúc Đ14.2:
"bao gồm cả công chức, viên chức biệt phái"); departed staff are not. A person whose
file had no approved revision at the moment is not counted (the report is made from
approved data, as the CV is: Cần Thơ Đ7.6, Lâm Đồng Đ9.5).

Visibility is today's: a person who moved out of the reader's scope after the moment
is not counted by that reader (the permission path cannot be asked about the past).

**Party members** are restricted data, stored encrypted even in the projection
(Nghị định 13/2023/NĐ-CP Đ2.4: political views are sensitive personal data) with a
blind index salted by the person (`Profile.party_member_tag`): they are counted in
Python by recomputing, for each person counted, the tag a member would have (a keyed
hash, not a decryption) — the one part of the figures whose cost grows with the number
of people beyond the SQL (bench/annual_report.py). The people re-read from an older
revision are decrypted. The province's report adds its units' frozen figures.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import BigIntegerField, Count, F, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from hoso.audit.models import ChangeLog
from hoso.org.models import SEGMENT, OrgUnit
from hoso.records.models import Revision, Status, party_member_tag

from . import layout

COUNTED_STATUSES = (Status.ACTIVE, Status.SECONDED)
# The path prefix of a unit two levels down (the province, then the reporting unit).
REPORTING_PREFIX = 2 * (SEGMENT + 1)
CHUNK = 2000

# A group of people: (reporting unit path prefix or "", category, rank code, job position)
GroupKey = tuple[str, str, str, str]


@dataclass
class Counts:
    """Counts by group, each a vector of `layout.COLUMNS`."""

    groups: dict[GroupKey, list[int]] = field(default_factory=dict)
    not_approved: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: GroupKey, values: Iterable[int]) -> None:
        into = self.groups.get(key)
        if into is None:
            self.groups[key] = list(values)
        else:
            layout.add(into, values)

    def by_prefix(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for key, values in self.groups.items():
            out[key[0]].add(("",) + key[1:], values)
        for prefix, n in self.not_approved.items():
            out[prefix].not_approved[""] += n
        return dict(out)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_bounds(day: dt.date) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """(column, born after, born on or before) of each age band on `day`: aged at most
    N completed years is born after the day N + 1 years before."""
    out = []
    for column, low, high in layout.AGE_BANDS:
        after = years_before(day, high + 1) if high < 200 else None
        upto = years_before(day, low) if low > 0 else None
        out.append((column, after, upto))
    return out


def _in(field_name: str, values) -> Q:
    return Q(**{f"{field_name}__in": list(values)})


def minority_codes() -> list[str]:
    """The ethnicities counted as minorities: every code of the list but Kinh and people
    of foreign origin (QĐ 121-TCTK/PPCĐ)."""
    from hoso.catalogs.selectors import entries

    return sorted({e.code for e in entries("ethnicities")} - set(layout.NOT_MINORITY))


def aggregates(day: dt.date) -> dict:
    """One `Count` per column but the Party's and "other qualification" (the total less
    the other qualifications, filled in by `count_settled`), filtered as `classify`
    classifies. The profile's columns are read through the aliases of `PROFILE_ALIASES`
    (a related column named inside an aggregate's filter makes the ORM join the profile
    with an outer join, which SQLite reads half as fast)."""
    out = {
        "total": Count("pk"),
        "female": Count("pk", filter=Q(sex="female")),
        "minority": Count("pk", filter=_in("a_ethnicity", minority_codes())),
    }
    for column, after, upto in age_bounds(day):
        q = Q()
        if after is not None:
            q &= Q(birth_date__gt=after)
        if upto is not None:
            q &= Q(birth_date__lte=upto)
        out[column] = Count("pk", filter=q)
    for column, codes in layout.EDUCATION.items():
        out[column] = Count("pk", filter=_in("a_education_level", codes))
    for column, codes in layout.POLITICAL.items():
        out[column] = Count("pk", filter=_in("a_political_theory", codes))
    for column, codes in layout.STATE_MANAGEMENT.items():
        out[column] = Count("pk", filter=_in("a_state_management", codes))
    return out


PROFILE_ALIASES = {
    f"a_{name}": F(f"profile__{name}")
    for name in ("ethnicity", "education_level", "political_theory", "state_management")
}


def classify(values: dict, day: dt.date, minorities: frozenset[str] | None = None) -> list[int]:
    """The column vector of one person, from their values as of `day` (the Python twin
    of `aggregates`, for the people re-projected from an older revision)."""
    if minorities is None:
        minorities = frozenset(minority_codes())
    row = layout.zeros()
    idx = layout.INDEX
    row[idx["total"]] = 1
    if values.get("sex") == "female":
        row[idx["female"]] = 1
    if (values.get("ethnicity") or "") in minorities:
        row[idx["minority"]] = 1
    if values.get("party") == "1":
        row[idx["party"]] = 1
    born = values.get("birth_date")
    if isinstance(born, dt.date):
        for column, after, upto in age_bounds(day):
            if (after is None or born > after) and (upto is None or born <= upto):
                row[idx[column]] = 1
                break
    education = values.get("education_level") or ""
    for column, codes in layout.EDUCATION.items():
        if education in codes:
            row[idx[column]] = 1
            break
    else:
        row[idx["edu_other"]] = 1
    for mapping, key in ((layout.POLITICAL, "political_theory"),
                         (layout.STATE_MANAGEMENT, "state_management")):
        value = values.get(key) or ""
        for column, codes in mapping.items():
            if value in codes:
                row[idx[column]] = 1
    return row


def changed_since(moment: dt.datetime) -> tuple[QuerySet, QuerySet]:
    """(people with a revision approved after `moment`, people whose row changed after
    it) as sub-queries of person ids."""
    revised = Revision.objects.filter(created_at__gt=moment).values("person_id")
    updated = (
        ChangeLog.objects.filter(object_type="records.person", action="update", at__gt=moment)
        .annotate(pid=Cast("object_id", BigIntegerField()))
        .values("pid")
    )
    return revised, updated


def _settled(people: QuerySet, moment: dt.datetime) -> QuerySet:
    revised, updated = changed_since(moment)
    return (
        people.filter(status__in=COUNTED_STATUSES, profile__isnull=False)
        .exclude(pk__in=revised)
        .exclude(pk__in=updated)
    )


def _group_values(prefix_len: int) -> dict:
    values = {"g_cat": F("category"), "g_rank": F("profile__rank_code"),
              "g_pos": F("profile__job_position")}
    if prefix_len:
        values["g_unit"] = Substr("unit__path", 1, prefix_len)
    return values


def _key(row: dict) -> GroupKey:
    return (row.get("g_unit", ""), row["g_cat"], row["g_rank"] or "", row["g_pos"] or "")


def _rows(qs: QuerySet):
    """The rows of a `values()` query as tuples, straight from the cursor: the query is
    the ORM's (the permission path's filters included), the values are counts and codes
    that need none of the ORM's per-value converters (a third of the time otherwise)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk


def member_tagger():
    """`party_member_tag(person, "1")` as a function with its key read once (it is
    called for every person counted); checked against the records app's own on a
    sample, and that one is used if they ever disagree."""
    key = settings.HASH_KEY.encode()
    digest = hmac.digest

    def tag(person_id: int) -> str:
        value = f"records.profile.party_member:{person_id}:1".encode()
        return digest(key, value, "sha256").hex()[:32]

    if tag(1) != party_member_tag(1, "1"):
        return lambda person_id: party_member_tag(person_id, "1")
    return tag


def count_settled(people: QuerySet, moment: dt.datetime, day: dt.date, *,
                  prefix_len: int = 0, counts: Counts, party: bool = True) -> None:
    """Add the settled people's groups to `counts` (one GROUP BY), and their Party
    members."""
    settled = _settled(people, moment)
    group = _group_values(prefix_len)
    counted = aggregates(day)
    rows = settled.order_by().alias(**PROFILE_ALIASES).values(**group).annotate(**counted)
    # the SELECT lists the group's columns, then the aggregates in their order
    width = len(group)
    positions = [layout.INDEX[name] for name in counted]
    unit_at = list(group).index("g_unit") if prefix_len else None
    educated = [layout.INDEX[c] for c in layout.EDUCATION]
    total, other = layout.INDEX["total"], layout.INDEX["edu_other"]
    for row in _rows(rows):
        unit = row[unit_at] if unit_at is not None else ""
        vector = layout.zeros()
        for position, value in zip(positions, row[width:], strict=True):
            vector[position] = value
        vector[other] = vector[total] - sum(vector[i] for i in educated)
        counts.add((unit, row[0], row[1] or "", row[2] or ""), vector)
    if party:
        # Party membership is encrypted; its blind index (`Profile.party_member_tag`, a
        # keyed hash of the person and the value) tells a member by recomputing the tag
        # a member would have — a keyed hash per person instead of a decryption.
        flags = (
            settled.order_by()
            .annotate(**group)
            .exclude(profile__party_member_tag="")
            .values_list(*group.keys(), "pk", "profile__party_member_tag")
        )
        member = member_tagger()
        column = layout.INDEX["party"]
        members: dict[GroupKey, int] = defaultdict(int)
        for values in _rows(flags):
            if values[-1] == member(values[-2]):
                # (category, rank, position[, unit prefix], pk, tag): `_group_values`' order
                unit = values[3] if prefix_len else ""
                members[(unit, values[0], values[1] or "", values[2] or "")] += 1
        for key, n in members.items():
            vector = layout.zeros()
            vector[column] = n
            counts.add(key, vector)


def count_not_approved(people: QuerySet, *, prefix_len: int = 0, counts: Counts) -> None:
    """Files in scope that are counted nowhere because nothing of them is approved."""
    qs = people.filter(status__in=COUNTED_STATUSES, profile__isnull=True).order_by()
    if prefix_len:
        for row in qs.values(g_unit=Substr("unit__path", 1, prefix_len)).annotate(n=Count("pk")):
            counts.not_approved[row["g_unit"]] += row["n"]
    else:
        counts.not_approved[""] += qs.count()


def _snapshot_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def count_changed(visible: QuerySet, moment: dt.datetime, day: dt.date, *,
                  scope: Scope, prefix_len: int = 0, counts: Counts,
                  party: bool = True) -> int:
    """Add the people whose file or row changed after `moment`, as they were at it;
    `visible` is the reader's `visible_to` (not cut to a unit: their unit then may be
    another one), `scope` the units counted. The number of people looked at."""
    from hoso.records.projection import project

    revised = set(
        Revision.objects.filter(created_at__gt=moment).values_list("person_id", flat=True)
    )
    before: dict[int, dict] = {}
    rows = (
        ChangeLog.objects.filter(object_type="records.person", action="update", at__gt=moment)
        .order_by("seq").values_list("object_id", "before")
    )
    for object_id, snapshot in rows.iterator(chunk_size=2000):
        before.setdefault(int(object_id), snapshot or {})
    candidates = sorted(revised | before.keys())
    if not candidates:
        return 0
    # who they were at the moment: their row then, if it changed since, else now
    people: dict[int, dict] = {}
    fields = ("pk", "unit_id", "status", "category", "sex", "birth_date")
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        for values in visible.filter(pk__in=chunk).order_by().values(*fields):
            pid = values["pk"]
            then = dict(values)
            if pid in before:
                snap = before[pid]
                for name in ("unit_id", "status", "category", "sex"):
                    if name in snap:
                        then[name] = snap[name]
                if "birth_date" in snap:
                    then["birth_date"] = _snapshot_date(snap["birth_date"])
            if then["status"] in COUNTED_STATUSES:
                people[pid] = then
    if not people:
        return 0
    unit_paths = dict(
        OrgUnit.objects.filter(pk__in={p["unit_id"] for p in people.values()})
        .values_list("pk", "path")
    )
    in_scope = {}
    for pid, then in people.items():
        path = unit_paths.get(then["unit_id"], "")
        if scope.contains(path):
            then["path"] = path
            in_scope[pid] = then
    # their newest revision approved at or before the moment
    newest: dict[int, tuple[int, int]] = {}
    ids = sorted(in_scope)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for pid, number, rid in (
            Revision.objects.filter(person_id__in=chunk, created_at__lte=moment)
            .values_list("person_id", "number", "pk")
        ):
            if pid not in newest or number > newest[pid][0]:
                newest[pid] = (number, rid)
    for pid in ids:
        # a file first approved after the moment (one never approved at all is counted
        # by `count_not_approved`)
        if pid not in newest and pid in revised:
            prefix = in_scope[pid]["path"][:prefix_len] if prefix_len else ""
            counts.not_approved[prefix] += 1
    revision_ids = sorted(rid for _n, rid in newest.values())
    minorities = frozenset(minority_codes())
    for start in range(0, len(revision_ids), CHUNK):
        for revision in Revision.objects.filter(pk__in=revision_ids[start:start + CHUNK]):
            then = in_scope[revision.person_id]
            projected = project(revision.document)
            values = {**projected.profile}
            values["party"] = projected.profile.get("party_member") if party else "0"
            values["sex"] = projected.person.get("sex", then["sex"])
            values["birth_date"] = projected.person.get("birth_date", then["birth_date"])
            prefix = then["path"][:prefix_len] if prefix_len else ""
            key = (prefix, then["category"], values.get("rank_code") or "",
                   values.get("job_position") or "")
            counts.add(key, classify(values, day, minorities))
    return len(ids)


@dataclass(frozen=True)
class Scope:
    """The units counted: the sub-trees of `subtrees` and the units `exact` alone (by
    path); everything when both are None."""

    subtrees: tuple[str, ...] | None = None
    exact: tuple[str, ...] = ()

    @property
    def everywhere(self) -> bool:
        return self.subtrees is None and not self.exact

    def q(self) -> Q:
        """People whose unit is in scope. A unit's sub-tree as `unit IN (its units)`:
        the units are few and the people are then read by their (unit, status) index,
        where a filter on the unit's path makes SQLite walk every working person
        (bench/annual_report.py: a department 1.7 → 0.8 s at 100k). A province's whole
        tree by its path: there the scan is the cheaper plan (4.5 → 2.7 s)."""
        q = Q(pk__in=[])
        units = Q(pk__in=[])
        for path in self.subtrees or ():
            if path.count(".") == 1:  # a root: the province
                q |= Q(unit__path__startswith=path)
            else:
                units |= Q(path__startswith=path)
        if self.exact:
            units |= Q(path__in=list(self.exact))
        if units != Q(pk__in=[]):
            q |= Q(unit__in=OrgUnit.objects.filter(units).values("pk"))
        return q

    def contains(self, path: str) -> bool:
        if self.everywhere:
            return True
        return path in self.exact or any(path.startswith(p) for p in self.subtrees or ())


def count(*, visible: QuerySet, scope: Scope, moment: dt.datetime, prefix_len: int = 0,
          party: bool = True) -> Counts:
    """The headcount as of `moment` of the people of `visible` (a `visible_to`
    queryset) whose unit lies in `scope`, grouped by category, rank and job position —
    and by the path prefix of length `prefix_len` (the reporting unit), when given."""
    day = timezone.localdate(moment)
    counts = Counts()
    people = visible if scope.everywhere else visible.filter(scope.q())
    count_settled(people, moment, day, prefix_len=prefix_len, counts=counts, party=party)
    count_not_approved(people, prefix_len=prefix_len, counts=counts)
    count_changed(visible, moment, day, scope=scope, prefix_len=prefix_len, counts=counts,
                  party=party)
    return counts


def reporting_units(root: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """The agencies that report to the province: the units right under its root that
    exist on `day` (each reports its whole sub-tree, "bao gồm cả cơ quan, đơn vị trực
    thuộc": Quảng Nam Đ11.1), in the tree's order."""
    return list(OrgUnit.objects.filter(parent=root).active_on(day).order_by("path"))

