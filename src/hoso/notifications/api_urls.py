"""API routes of the notifications app, included in `/api/v1/` (namespace `api`)."""

from rest_framework.routers import SimpleRouter

from .api import NotificationViewSet, OverdueViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("overdue", OverdueViewSet, basename="overdue")

urlpatterns = router.urls
