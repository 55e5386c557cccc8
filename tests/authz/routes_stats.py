"""Matrix entries for the statistics (`stats`): its pages, the export of one table and
the API.

Statistics are for whoever reads a unit's staff through a role (Vĩnh Phúc Đ9.2,
Đ10.1: units use the aggregated data of their own people; Đ9.1: Sở Nội vụ the
province's): Sở Nội vụ, the province approver, and in their units the unit
administrator, the HR officer, the head of HR, the head of unit and the chairman. Not
the auditor (accounts, not files), not a staff member (their own file only), not an
expired or revoked role. No route takes an object: the unit is a filter, refused when
outside the user's scope (tests/stats/test_visibility.py).
"""

from .spec import Route

STATS_READERS = frozenset({
    "province_admin", "province_approver", "unit_admin", "hr_officer", "hr_head",
    "unit_head", "chairman",
})


def _age(obj):
    return {"key": "age"}


ROUTES: list[Route] = [
    Route("stats:overview", allowed=STATS_READERS),
    Route("stats:detail", allowed=STATS_READERS, extra={"kwargs": _age}),
    Route("stats:export", allowed=STATS_READERS, query="?format=csv", extra={"kwargs": _age}),
    Route("api:stats-list", allowed=STATS_READERS, api=True),
    Route("api:stats-detail", allowed=STATS_READERS, api=True, extra={"kwargs": _age}),
]
