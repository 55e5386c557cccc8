"""Pages of the records app (namespace `people`)."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/revisions/", views.revision_list, name="revision_list"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision_detail"),
    path("<int:pk>/as-of/", views.revision_as_of, name="revision_as_of"),
    path("<int:pk>/diff/", views.revision_diff, name="revision_diff"),
]
