"""The facet counts of a search: how many of the people found fall under each value
of each filter (category, status, sex, age band, unit, rank or title, qualification,
political theory, ethnicity, Party membership), with the filters that select it.

Counted by the selectors from the rows `visible_to` let through (`selectors.search`);
this module names, labels and orders them, the same way for the in-memory and the SQL
path (ties by value, so both cut the same top ten).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoso.records.models import Sex, StaffCategory, Status

TOP = 10  # values shown for the facets with many values (units, ranks, ethnicities)
AGE_BANDS = ((None, 29), (30, 39), (40, 49), (50, 59), (60, None))


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    params: dict  # the filters that select this value
    url: str = ""  # set by the page: the search narrowed to this value
    selected: bool = False


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]
    note: str = ""


def _label(list_key: str, code: str) -> str:
    from hoso.catalogs.selectors import code_label

    try:
        return code_label(list_key, code)
    except LookupError:
        return code


def _rank_value(code: str) -> FacetValue:
    from hoso.catalogs.selectors import entry_for

    title = entry_for("titles", code) is not None and entry_for("ranks", code) is None
    return FacetValue(
        code, f"{_rank_label(code)} ({code})", 0, {"title" if title else "rank": code}
    )


def _rank_label(code: str) -> str:
    from hoso.catalogs.selectors import rank_info

    info = rank_info(code)
    return info.name if info else code


def _age_label(low, high) -> str:
    if low is None:
        return _("Under %(n)d") % {"n": high + 1}
    if high is None:
        return _("%(n)d and over") % {"n": low}
    return f"{low}–{high}"


def band(born: dt.date, bounds) -> int | None:
    for index, (newest, oldest) in enumerate(bounds):
        if (newest is None or born <= newest) and (oldest is None or born > oldest):
            return index
    return None


def age_bounds(today: dt.date):
    """Per band: (latest birth date, earliest birth date exclusive)."""
    return [
        (years_ago(today, low) if low is not None else None,
         years_ago(today, high + 1) if high is not None else None)
        for low, high in AGE_BANDS
    ]


CHOICE_FACETS = (
    ("category", gettext_lazy("Staff category"), StaffCategory),
    ("status", gettext_lazy("Status"), Status),
    ("sex", gettext_lazy("Sex"), Sex),
)
CODE_FACETS = (
    # key, label, column in the read, code list (None: ranks and titles), filter
    ("rank", gettext_lazy("Rank or professional title"), "profile__rank_code", None, "rank"),
    ("education", gettext_lazy("Professional qualification"), "profile__education_level",
     "education_levels", "education"),
    ("political_theory", gettext_lazy("Political theory"), "profile__political_theory",
     "political_theory_levels", "political_theory"),
    ("ethnicity", gettext_lazy("Ethnicity"), "profile__ethnicity", "ethnicities", "ethnicity"),
)


def choice_facets(counts: dict[str, Counter]) -> list[Facet]:
    facets = []
    for key, label, choices in CHOICE_FACETS:
        values = [
            FacetValue(value, str(text), counts[key][value], {key: value})
            for value, text in choices.choices
            if counts[key][value]
        ]
        facets.append(Facet(key, str(label), values))
    return facets


def age_facet(counts: Counter) -> Facet:
    values = []
    for index, (low, high) in enumerate(AGE_BANDS):
        if counts[index]:
            params = {k: v for k, v in (("age_min", low), ("age_max", high)) if v is not None}
            values.append(FacetValue(str(index), _age_label(low, high), counts[index], params))
    return Facet("age", _("Age"), values)


def _top(counts: Counter, n: int = TOP) -> list:
    """The `n` most frequent values, ties by value: the same in both paths."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]


def unit_facet(counts: Counter, names: dict[int, str] | None = None) -> Facet:
    """The units with most results; `names` when the caller read them already."""
    from hoso.org.models import OrgUnit

    top = _top(counts)
    if names is None:
        names = dict(
            OrgUnit.objects.filter(pk__in=[pk for pk, _ in top]).values_list("pk", "name")
        )
    values = [
        FacetValue(str(pk), names.get(pk, str(pk)), n, {"unit": pk}) for pk, n in top
    ]
    note = _("The %(n)d units with most results.") % {"n": TOP} if len(counts) > TOP else ""
    return Facet("unit", _("Unit"), values, note)


def code_facets(counts: dict[str, Counter]) -> list[Facet]:
    facets = []
    for key, label, _column, list_key, param in CODE_FACETS:
        values = []
        for code, n in _top(Counter({k: v for k, v in counts[key].items() if k})):
            if not code:
                continue
            if list_key is None:
                value = _rank_value(code)
                value.count = n
            else:
                value = FacetValue(code, _label(list_key, code), n, {param: code})
            values.append(value)
        facets.append(Facet(key, str(label), values))
    return facets


def party_facet(counts: Counter | None) -> Facet | None:
    if counts is None:
        return None
    values = [
        FacetValue(v, str(label), counts[v], {"party": v})
        for v, label in (("yes", _("Party member")), ("no", _("Not a Party member")))
        if counts[v]
    ]
    return Facet(
        "party", _("Party membership"), values,
        _("Counted among the people whose restricted details you may read."),
    )
