"""Pages of the oversight app (namespace `oversight`)."""

from django.urls import path  # noqa: F401

app_name = "oversight"

urlpatterns: list = []
