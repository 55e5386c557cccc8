"""API routes of the stats app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
