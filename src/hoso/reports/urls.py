"""Pages of the reports app (namespace `reports`)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("people/<int:pk>/cv.pdf", views.person_cv, name="person_cv"),
    path("people/<int:pk>/cv-draft.pdf", views.person_cv_draft, name="person_cv_draft"),
    path("people/<int:pk>/signed-copies/", views.signed_cv_list, name="signed_cv_list"),
    path("people/<int:pk>/signed-copies/new/", views.signed_cv_new, name="signed_cv_new"),
    path("signed-copies/<int:pk>/agency/", views.signed_cv_agency, name="signed_cv_agency"),
    path("signed-copies/<int:pk>/download.pdf", views.signed_cv_download,
         name="signed_cv_download"),
]
