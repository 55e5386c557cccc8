"""Pages of the audit app (namespace `audit`)."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log_list, name="log_list"),
    path("changes/<int:pk>/", views.log_detail, name="log_detail"),
    path("verify/", views.verify, name="verify"),
]
