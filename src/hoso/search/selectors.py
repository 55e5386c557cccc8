"""Search of people: results, counts and facets, only ever from `visible_to`.

Everyone searches through the system's own functions (Quảng Nam Đ7.2); units search
their own people, Sở Nội vụ the province's (Vĩnh Phúc Đ9.1, Đ9.2, Lâm Đồng Đ9.3).
Every result, every count and every facet count below starts from
`Person.objects.visible_to(user, action)`: `person.view` to search, `person.export`
to export. Filtering by Party membership (restricted: Cần Thơ Đ3.3) narrows the
search to the people whose restricted fields the user may read
(`person.view_restricted`), and its facet counts only them.

Each search of other people's data leaves one access row (DESIGN principle 7): which
filters (codes, never a typed name or number), what kind of text was typed, how many
results, and the ids of the people the page showed. Each export leaves one row per
person exported (`audit.services.log_access_many`, action "export").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField as BoolField
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import person_filter, person_scope_paths
from hoso.accounts.roles import Action
from hoso.audit.services import log_access, log_access_many
from hoso.core.errors import DomainError
from hoso.records.models import Person, Profile, party_member_tag

from . import engine
from .facets import (
    AGE_BANDS,
    CHOICE_FACETS,
    CODE_FACETS,
    Facet,
    age_bounds,
    age_facet,
    band,
    choice_facets,
    code_facets,
    party_facet,
    unit_facet,
    years_ago,
)
from .query import ParsedQuery, parse
from .vocabulary import vocabulary

PAGE_SIZE = 20
# Up to this many matches the ranking and the facets are computed in Python from one
# read of a few columns; beyond, in SQL, which takes a pass over the matches per facet
# (bench/search.py: 9,000 matches read once cost a tenth of the seven SQL passes).
IN_MEMORY = 50_000
EXPORT_MAX = 100_000
FILTER_KEYS = (
    "unit", "category", "status", "sex", "rank", "title", "job_position", "ethnicity",
    "education", "political_theory", "party", "age_min", "age_max", "changed_since",
)


# --- filters -------------------------------------------------------------------------


def _age_range(today: dt.date, age_min: int | None, age_max: int | None) -> Q:
    """People aged `age_min` to `age_max` (whole years, both included) on `today`."""
    q = Q()
    if age_min is not None:
        q &= Q(birth_date__lte=years_ago(today, age_min))
    if age_max is not None:
        q &= Q(birth_date__gt=years_ago(today, age_max + 1))
    return q


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs, filters: dict, *, today: dt.date):
    """`qs` narrowed by the validated filters (forms.SearchForm, api.SearchParams)."""
    f = {k: v for k, v in filters.items() if v not in (None, "", [])}
    if "unit" in f:
        qs = qs.filter(unit__path__startswith=f["unit"].path)
    for key, column in (
        ("category", "category"), ("status", "status"), ("sex", "sex"),
        ("rank", "profile__rank_code"), ("title", "profile__rank_code"),
        ("job_position", "profile__job_position"), ("ethnicity", "profile__ethnicity"),
        ("education", "profile__education_level"),
        ("political_theory", "profile__political_theory"),
    ):
        if key in f:
            qs = qs.filter(**{column: f[key]})
    if "age_min" in f or "age_max" in f:
        qs = qs.filter(_age_range(today, f.get("age_min"), f.get("age_max")))
    if "changed_since" in f:
        qs = qs.filter(profile__revision__created_at__gte=_start_of(f["changed_since"]))
    return qs


def apply_query(qs, parsed: ParsedQuery):
    """The non-name parts of the text: birth year, birth date, identification number."""
    if parsed.id_number:
        qs = qs.with_id_number(parsed.id_number)
    if parsed.birth_date:
        qs = qs.filter(birth_date=parsed.birth_date)
    elif parsed.birth_year:
        qs = qs.filter(
            birth_date__gte=dt.date(parsed.birth_year, 1, 1),
            birth_date__lte=dt.date(parsed.birth_year, 12, 31),
        )
    return qs


def logged_filters(filters: dict, parsed: ParsedQuery) -> dict:
    """The filters for the access row: codes and numbers, never a name or a number
    typed (`query` says only which kinds of text there were)."""
    out = {}
    for key in FILTER_KEYS:
        value = filters.get(key)
        if value in (None, "", []):
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return {"filters": out, "query": parsed.kinds()}


# --- the search ----------------------------------------------------------------------


COLUMNS = (
    "pk", "name_key", "birth_date", "sex", "category", "status", "unit_id", "unit__name",
    *(column for _k, _l, column, _list, _p in CODE_FACETS),
    "profile__party_member_tag", "search_restricted",
)


@dataclass
class Outcome:
    """What a run of the search found, before it is paged or exported."""

    total: int
    ordered_ids: list[int] | None  # the in-memory path
    ordered_qs: object | None  # the SQL path (ranked queryset)
    facets: list[Facet]
    strategy: str


@dataclass
class SearchResult:
    query: ParsedQuery
    total: int
    page: Page
    facets: list[Facet]
    typos: bool = False  # some word was matched through its near words (a typo)
    strategy: str = "memory"
    notices: list[str] = field(default_factory=list)


class _Counted:
    """A ranked queryset whose count is already known (the paginator's `count()`)."""

    def __init__(self, qs, total: int):
        self.qs, self.total = qs, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item):
        return list(self.qs.values_list("pk", flat=True)[item])


def _party_value(party: str) -> str:
    return {"yes": "1", "no": "0"}.get(party, "")


def _restricted_flag(user):
    """A column telling, per row, whether the user may read its restricted fields."""
    restricted = person_filter(user, Action.PERSON_VIEW_RESTRICTED)
    if not restricted:  # Q(): the system reads everything
        return Value(True, output_field=BoolField())
    return Case(When(restricted, then=Value(True)), default=Value(False),
                output_field=BoolField())


def _collect(user, qs, parsed: ParsedQuery, filters: dict, *, today, limit, with_facets):
    """Rank and count the people of `qs` (already narrowed to the matches)."""
    party = _party_value(filters.get("party") or "")
    rows_qs = qs.annotate(search_restricted=_restricted_flag(user)).values_list(*COLUMNS)
    rows = list(rows_qs if party or limit is None else rows_qs[: limit + 1])
    if party:
        # The blind index is salted per person: recompute each candidate's tag.
        rows = [r for r in rows if r[-2] == party_member_tag(r[0], party)]
    if party or limit is None or len(rows) <= limit:
        return _in_memory(rows, parsed, today=today, with_facets=with_facets)
    return _in_sql(qs, parsed, today=today, with_facets=with_facets)


def _in_memory(rows, parsed: ParsedQuery, *, today, with_facets) -> Outcome:
    key = parsed.key
    if parsed.words:
        ordered = sorted(rows, key=lambda r: engine.sort_key(r[1], r[0], parsed.words, key))
    else:  # no words: by name (the key, byte order) then id, as engine.sort_key would
        ordered = sorted(rows, key=itemgetter(1, 0))
    facets = []
    if with_facets:
        bounds = age_bounds(today)
        counts: dict[str, Counter] = {k: Counter() for k in
                                      ("category", "status", "sex", "rank", "education",
                                       "political_theory", "ethnicity")}
        ages: Counter = Counter()
        units: Counter = Counter()
        unit_names: dict[int, str] = {}
        party: Counter | None = None
        for r in rows:
            counts["category"][r[4]] += 1
            counts["status"][r[5]] += 1
            counts["sex"][r[3]] += 1
            units[r[6]] += 1
            unit_names[r[6]] = r[7]
            age = band(r[2], bounds)
            if age is not None:
                ages[age] += 1
            for offset, (name, *_rest) in enumerate(CODE_FACETS):
                counts[name][r[8 + offset] or ""] += 1
            if r[-1] and r[-2]:  # restricted fields readable, and a projection
                party = party if party is not None else Counter()
                if r[-2] == party_member_tag(r[0], "1"):
                    party["yes"] += 1
                elif r[-2] == party_member_tag(r[0], "0"):
                    party["no"] += 1
        facets = [
            *choice_facets(counts), age_facet(ages), unit_facet(units, unit_names),
            *code_facets(counts),
        ]
        party_counts = party_facet(party)
        if party_counts is not None:
            facets.append(party_counts)
    return Outcome(len(rows), [r[0] for r in ordered], None, facets, "memory")


def _in_sql(qs, parsed: ParsedQuery, *, today, with_facets) -> Outcome:
    plain = qs.order_by()
    bounds = age_bounds(today)
    aggregates = {"total": Count("pk")}
    for key, _text, choices in CHOICE_FACETS:
        for value in choices.values:
            aggregates[f"{key}__{value}"] = Count("pk", filter=Q(**{key: value}))
    for index, (newest, oldest) in enumerate(bounds):
        q = Q()
        if newest is not None:
            q &= Q(birth_date__lte=newest)
        if oldest is not None:
            q &= Q(birth_date__gt=oldest)
        aggregates[f"age__{index}"] = Count("pk", filter=q)
    totals = plain.aggregate(**aggregates) if with_facets else plain.aggregate(
        total=Count("pk")
    )
    facets = []
    if with_facets:
        counts: dict[str, Counter] = {}
        for key, _text, choices in CHOICE_FACETS:
            counts[key] = Counter({v: totals[f"{key}__{v}"] for v in choices.values})
        ages = Counter({i: totals[f"age__{i}"] for i in range(len(AGE_BANDS))})
        # Every group (units: a few thousand at most), cut to the top in Python.
        units = Counter(dict(plain.values_list("unit_id").annotate(n=Count("pk")).order_by()))
        for key, _text, column, _list, _param in CODE_FACETS:
            counts[key] = Counter(dict(
                plain.values_list(column).annotate(n=Count("pk")).order_by()
            ))
        facets = [
            *choice_facets(counts), age_facet(ages), unit_facet(units),
            *code_facets(counts),
            Facet("party", _("Party membership"), [],
                  _("Counted when the search finds at most %(n)s people: narrow it.")
                  % {"n": f"{IN_MEMORY:,}".replace(",", ".")}),
        ]
    ranked = engine.annotate_rank(qs, parsed.words, parsed.key)
    return Outcome(totals["total"], None, ranked, facets, "sql")


def _matching(user, parsed: ParsedQuery, filters: dict, *, action: str, today):
    """The people matching everything but the name's words, from `visible_to`."""
    qs = Person.objects.visible_to(user, action)
    if filters.get("party"):
        qs = qs.filter(person_filter(user, Action.PERSON_VIEW_RESTRICTED))
    return apply_query(apply_filters(qs, filters, today=today), parsed)


def execute(
    *,
    user,
    parsed: ParsedQuery,
    filters: dict,
    action: str = Action.PERSON_VIEW,
    limit: int | None = IN_MEMORY,
    with_facets: bool = True,
) -> tuple[Outcome, bool]:
    """Run the search; (outcome, found through typos)."""
    today = timezone.localdate()
    qs = _matching(user, parsed, filters, action=action, today=today)
    if not parsed.words:
        return _collect(user, qs, parsed, filters, today=today, limit=limit,
                        with_facets=with_facets), False
    vocab = vocabulary()
    # The sub-trees the index may narrow to before `visible_to` and the unit filter
    # apply theirs (the same people; engine._Words).
    narrow = {"within": person_scope_paths(user, action),
              "inside": filters["unit"].path if filters.get("unit") else None}
    first = engine.plan(parsed.words, vocab, typos_everywhere=False)
    outcome = _collect(user, qs.filter(engine.words_condition(first, **narrow)), parsed,
                       filters, today=today, limit=limit, with_facets=with_facets)
    if outcome.total:
        # A word no name begins with was matched through its near words.
        return outcome, any(m.near for m in first)
    second = engine.plan(parsed.words, vocab, typos_everywhere=True)
    if all(not m.near for m in second) or second == first:
        return outcome, False
    outcome = _collect(user, qs.filter(engine.words_condition(second, **narrow)), parsed,
                       filters, today=today, limit=limit, with_facets=with_facets)
    return outcome, bool(outcome.total)


def notices_for(parsed: ParsedQuery) -> list[str]:
    notices = []
    for token in parsed.ignored:
        notices.append(
            _("“%(text)s” was left out: a birth year has 4 digits, a date of birth is "
              "dd/mm/yyyy and an identification number 12 digits.") % {"text": token}
        )
    return notices


def _page_people(user, ids: list[int]) -> list[Person]:
    """The page's people, in rank order. Their ids come from the search's query, which
    started from `visible_to`; the number stays encrypted (no page of results shows
    it, and decrypting twenty of them would cost more than the whole search)."""
    found = (
        Person.objects.visible_to(user, Action.PERSON_VIEW)
        .select_related("unit").defer("id_number").in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


def search(
    *,
    user,
    q: str = "",
    filters: dict | None = None,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
    limit: int | None = IN_MEMORY,
    api: bool = False,
) -> SearchResult:
    """One search: a page of ranked results with the facet counts, and its access
    row. `filters` are validated (forms.SearchForm / api.SearchParams)."""
    filters = filters or {}
    parsed = parse(q)
    outcome, typos = execute(user=user, parsed=parsed, filters=filters, limit=limit)
    source = outcome.ordered_ids if outcome.ordered_ids is not None else _Counted(
        outcome.ordered_qs, outcome.total
    )
    paginator = Paginator(source, page_size)
    page_obj = paginator.get_page(page)
    ids = list(page_obj.object_list)
    page_obj.object_list = _page_people(user, ids)
    own = getattr(user, "person_id", None)
    log_access(
        action="search",
        detail={
            **logged_filters(filters, parsed),
            "results": outcome.total,
            "page": page_obj.number,
            "shown": [pk for pk in ids if pk != own],
            "typos": typos,
            "api": api,
        },
    )
    return SearchResult(parsed, outcome.total, page_obj, outcome.facets, typos,
                        outcome.strategy, notices_for(parsed))


# --- exports -------------------------------------------------------------------------


def export_people(*, user, q: str = "", filters: dict | None = None, what: str,
                  fmt: str) -> list[Person]:
    """Every person of a search the user may export (`person.export`), ranked as the
    search ranks them, with their profile; one access row per person exported."""
    filters = filters or {}
    parsed = parse(q)
    outcome, _typos = execute(
        user=user, parsed=parsed, filters=filters, action=Action.PERSON_EXPORT,
        limit=IN_MEMORY, with_facets=False,
    )
    if outcome.total > EXPORT_MAX:
        raise DomainError(
            _("The search finds %(n)s people; an export holds at most %(max)s. Narrow the "
              "search (a unit, a category, a status) and export again.")
            % {"n": f"{outcome.total:,}".replace(",", "."),
               "max": f"{EXPORT_MAX:,}".replace(",", ".")},
            field="q",
        )
    if outcome.ordered_ids is not None:
        ids = outcome.ordered_ids
    else:
        ids = list(outcome.ordered_qs.values_list("pk", flat=True))
    people = (
        Person.objects.visible_to(user, Action.PERSON_EXPORT)
        .select_related("unit", "profile", "profile__revision")
        .defer("id_number", "profile__religion", "profile__party_member")
        .in_bulk(ids)
    )
    ordered = [people[pk] for pk in ids if pk in people]
    own = getattr(user, "person_id", None)
    log_access_many(
        action="export",
        person_ids=[p.pk for p in ordered if p.pk != own],
        detail={**logged_filters(filters, parsed), "what": what, "format": fmt,
                "rows": len(ordered)},
    )
    return ordered


def profile_of(person: Person) -> Profile | None:
    try:
        return person.profile
    except Profile.DoesNotExist:
        return None


# --- saved searches ------------------------------------------------------------------


def saved_search_list(*, user):
    """The user's own saved searches (nobody sees another's)."""
    from .models import SavedSearch

    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("name")
