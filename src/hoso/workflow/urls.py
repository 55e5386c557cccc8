"""Pages of the workflow app (namespace `workflow`): self-service and corrections."""

from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("", views.my_file, name="my_file"),
    path("person/<int:pk>/", views.person_file, name="person_file"),
    path("person/<int:pk>/start/", views.draft_start, name="draft_start"),
    path("<int:pk>/", views.change_detail, name="change_detail"),
    # The first section, or the one named.
    path("<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("<int:pk>/edit/<slug:section>/", views.section_edit, name="section_edit"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/detach/", views.evidence_detach, name="evidence_detach"),
    path("<int:pk>/submit/", views.change_submit, name="change_submit"),
]
