"""The shell's own pages (namespace `web`); the login flow lives in `accounts`."""

from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
]
