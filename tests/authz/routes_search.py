"""Matrix entries for the search (`search`): the page, its exports and the saved
searches, and their API routes.

Searching and exporting are open to every signed-in user: what they find is only ever
what `visible_to` lets them see (`person.view` to search, `person.export` to export),
so a staff member finds their own file and an auditor nobody — tests/search checks the
results; here, that the routes answer. A saved search is its owner's alone: the
in-scope target belongs to the HR officer, the out-of-scope one to a user who is none
of the actors.
"""

from ..factories import UserFactory
from .spec import ALL_ACTORS, Route

OWNER = frozenset({"hr_officer"})
NOBODY = frozenset()


def saved_search_targets(world):
    from hoso.search.models import SavedSearch

    stranger = UserFactory(username="saver", unit=world.root)
    return (
        SavedSearch.objects.create(owner=world.actors["hr_officer"], name="Của tôi", query="q=a"),
        SavedSearch.objects.create(owner=stranger, name="Của người khác", query="q=b"),
    )


def _new_saved(world, obj):
    return {"name": "Tìm Dũng", "query": "q=dung"}


TARGETS = {"savedsearch": saved_search_targets}

ROUTES: list[Route] = [
    Route("search:search", allowed=ALL_ACTORS, query="?q=dung"),
    Route("search:export", allowed=ALL_ACTORS, query="?q=dung&fmt=csv"),
    Route("search:summary_list", allowed=ALL_ACTORS, query="?q=dung&fmt=csv"),
    Route("search:saved_create", method="POST", allowed=ALL_ACTORS, data=_new_saved),
    Route("search:saved_delete", method="POST", target="savedsearch", allowed=OWNER,
          allowed_out=NOBODY),
    # API
    Route("api:search-persons-list", allowed=ALL_ACTORS, api=True, query="?q=dung"),
    Route("api:search-persons-export", allowed=ALL_ACTORS, api=True,
          query="?q=dung&fmt=csv&what=summary"),
    Route("api:savedsearch-list", allowed=ALL_ACTORS, api=True),
    Route("api:savedsearch-list", method="POST", allowed=ALL_ACTORS, api=True,
          data=_new_saved),
    Route("api:savedsearch-detail", method="DELETE", target="savedsearch", allowed=OWNER,
          allowed_out=NOBODY, api=True),
]
