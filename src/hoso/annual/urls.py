"""Pages of the annual app (namespace `annual`)."""

from django.urls import path  # noqa: F401

app_name = "annual"

urlpatterns: list = []
