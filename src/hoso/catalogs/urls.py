"""Pages of the catalogs app (namespace `catalogs`)."""

from django.urls import path

from . import views

app_name = "catalogs"

urlpatterns = [
    path("", views.list_list, name="list_list"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/upload/", views.list_upload, name="list_upload"),
    path("entries/<int:pk>/edit/", views.entry_update, name="entry_update"),
    path("entries/<int:pk>/end/", views.entry_end, name="entry_end"),
]
