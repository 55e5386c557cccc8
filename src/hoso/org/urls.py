"""Pages of the org app (namespace `org`)."""

from django.urls import path  # noqa: F401

app_name = "org"

urlpatterns: list = []
