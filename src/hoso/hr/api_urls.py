"""API routes of the hr app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
