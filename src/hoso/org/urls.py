"""Pages of the org app (namespace `org`)."""

from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("new/", views.unit_create, name="unit_create"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_update, name="unit_update"),
]
