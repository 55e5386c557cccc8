"""Pages of the documents app (namespace `documents`)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.evidence_download, name="evidence_download"),
]
