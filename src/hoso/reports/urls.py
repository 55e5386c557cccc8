"""Pages of the reports app (namespace `reports`)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("people/<int:pk>/cv.pdf", views.person_cv, name="person_cv"),
    path("people/<int:pk>/cv-draft.pdf", views.person_cv_draft, name="person_cv_draft"),
]
