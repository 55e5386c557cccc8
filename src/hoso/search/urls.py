"""Pages of the search app (namespace `search`)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export_results, name="export"),
    path("summary-list/", views.export_summary, name="summary_list"),
    path("saved/", views.saved_create, name="saved_create"),
    path("saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
]
