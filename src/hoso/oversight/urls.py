"""Pages of the oversight app (namespace `oversight`)."""

from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("batch/", views.batch_current, name="batch_current"),
    path("batch/prepare/", views.batch_prepare, name="batch_prepare"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/sign/", views.batch_sign, name="batch_sign"),
    path("batches/<int:pk>/package.zip", views.batch_package, name="batch_package"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
]
