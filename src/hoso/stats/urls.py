"""Pages of the stats app (namespace `stats`)."""

from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:key>/", views.detail, name="detail"),
    path("<slug:key>/export/", views.export, name="export"),
]
