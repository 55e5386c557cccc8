"""Pages of the workflow app (namespace `workflow`): self-service and corrections, and
the review of change requests."""

from django.urls import path

from . import review_views, views

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
    path("<int:pk>/withdraw/", review_views.change_withdraw, name="change_withdraw"),
    # the review
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/approve/", review_views.review_approve_many, name="review_approve_many"),
    path("<int:pk>/review/", review_views.review, name="review"),
    path("<int:pk>/review/approve/", review_views.review_approve, name="review_approve"),
    path("<int:pk>/review/return/", review_views.review_return, name="review_return"),
    path("<int:pk>/review/reject/", review_views.review_reject, name="review_reject"),
]
