from django.urls import include, path

from hoso.web.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", include("hoso.api.urls")),
    path("", include("hoso.web.urls")),
]
