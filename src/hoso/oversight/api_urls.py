"""API routes of the oversight app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
