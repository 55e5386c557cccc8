"""Pages of the hr app (namespace `hr`, mounted at /hr/): the lists HR officers use
every week, and their exports (`?format=xlsx` or `csv`, with the list's filters)."""

from django.urls import path

from . import views

app_name = "hr"

urlpatterns = [
    path("", views.index, name="index"),
    path("retirement/", views.retirement, name="retirement"),
    path("retirement/export/", views.retirement_export, name="retirement_export"),
    path("raises/", views.raises, name="raises"),
    path("raises/export/", views.raises_export, name="raises_export"),
    path("problems/", views.problems, name="problems"),
    path("problems/export/", views.problems_export, name="problems_export"),
]
