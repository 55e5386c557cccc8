"""Pages of the hr app (namespace `hr`)."""

from django.urls import path  # noqa: F401

app_name = "hr"

urlpatterns: list = []
