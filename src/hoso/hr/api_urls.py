"""API routes of the hr app, included in `/api/v1/` (namespace `api`)."""

from django.urls import path

from .api import ProblemViewSet, RaiseViewSet, RetirementViewSet

urlpatterns = [
    path("hr/retirement/", RetirementViewSet.as_view({"get": "list"}), name="hr-retirement"),
    path("hr/raises/", RaiseViewSet.as_view({"get": "list"}), name="hr-raises"),
    path("hr/problems/", ProblemViewSet.as_view({"get": "list"}), name="hr-problems"),
]
