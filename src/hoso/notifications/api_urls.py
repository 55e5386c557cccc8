"""API routes of the notifications app, included in `/api/v1/` (namespace `api`)."""

urlpatterns: list = []
