"""Matrix entries for the HR lists (hr app): retirements, salary raises, files with
problems — the pages, their exports and the API.

Every logged-in account may open a list: it shows only the people `visible_to` lets
through (a staff member at most their own file; the auditor nobody). Exports are for
those who hold `person.export` on some unit (the file-keeping and approving roles), as
the pages offer them.
"""

from .spec import ALL_ACTORS, Route

EXPORTERS = frozenset(
    {"province_admin", "province_approver", "hr_officer", "hr_head", "unit_head", "chairman"}
)

ROUTES: list[Route] = [
    Route("hr:index", allowed=ALL_ACTORS),
    Route("hr:retirement", allowed=ALL_ACTORS, query="?months=24&overdue=on"),
    Route("hr:retirement_export", allowed=EXPORTERS, query="?format=csv"),
    Route("hr:raises", allowed=ALL_ACTORS, query="?months=12"),
    Route("hr:raises_export", allowed=EXPORTERS, query="?format=xlsx"),
    Route("hr:problems", allowed=ALL_ACTORS),
    Route("hr:problems_export", allowed=EXPORTERS, query="?format=csv"),
    Route("api:hr-retirement", allowed=ALL_ACTORS, api=True),
    Route("api:hr-raises", allowed=ALL_ACTORS, api=True),
    Route("api:hr-problems", allowed=ALL_ACTORS, api=True),
]
