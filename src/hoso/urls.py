"""Top-level routes. Pages live with their domain app, each in its own namespace;
`web` holds the shell (home, layout, static assets)."""

from django.urls import include, path

from hoso.web.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", include("hoso.api.urls")),
    path("accounts/", include("hoso.accounts.urls")),
    path("org/", include("hoso.org.urls")),
    path("people/", include("hoso.records.urls")),
    path("audit/", include("hoso.audit.urls")),
    path("catalogs/", include("hoso.catalogs.urls")),
    path("documents/", include("hoso.documents.urls")),
    path("changes/", include("hoso.workflow.urls")),
    path("signing/", include("hoso.signing.urls")),
    path("reports/", include("hoso.reports.urls")),
    path("notifications/", include("hoso.notifications.urls")),
    path("oversight/", include("hoso.oversight.urls")),
    path("search/", include("hoso.search.urls")),
    path("stats/", include("hoso.stats.urls")),
    path("annual-report/", include("hoso.annual.urls")),
    path("hr/", include("hoso.hr.urls")),
    path("", include("hoso.web.urls")),
]
