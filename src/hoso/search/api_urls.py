"""API routes of the search app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
