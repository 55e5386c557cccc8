"""API routes of the stats app, included in `/api/v1/` (namespace `api`)."""

from django.urls import path

from .api import StatisticsViewSet

urlpatterns: list = [
    path("stats/", StatisticsViewSet.as_view({"get": "overview"}), name="stats-list"),
    path("stats/<slug:key>/", StatisticsViewSet.as_view({"get": "statistic"}),
         name="stats-detail"),
]
