"""API routes of the annual app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
