"""API routes of the accounts app kept here (`/api/v1/delegations/`), included in
`/api/v1/` (namespace `api`); the older ones are registered in `hoso/api/urls.py`."""

from rest_framework.routers import SimpleRouter

from .api import DelegationViewSet

router = SimpleRouter()
router.register("delegations", DelegationViewSet, basename="delegation")

urlpatterns = router.urls
