"""API routes of the search app, included in `/api/v1/` (namespace `api`)."""

from rest_framework.routers import SimpleRouter

from .api import SavedSearchViewSet, SearchViewSet

router = SimpleRouter()
router.register("search/persons", SearchViewSet, basename="search-persons")
router.register("search/saved", SavedSearchViewSet, basename="savedsearch")

urlpatterns = router.urls
