"""API routes of the oversight app, included in `/api/v1/` (namespace `api`)."""

from rest_framework.routers import SimpleRouter

from .api import ComplianceViewSet, ProvinceBatchViewSet

router = SimpleRouter()
router.register("oversight/province-batches", ProvinceBatchViewSet,
                basename="oversight-batch")
router.register("oversight/compliance", ComplianceViewSet, basename="oversight-compliance")

urlpatterns: list = router.urls
