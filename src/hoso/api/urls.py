"""`/api/v1/`: each domain's viewsets (in its app's `api.py`) on one router, the token
endpoint, and the OpenAPI schema with its Swagger page (served from local assets)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from hoso.accounts.api import (
    AccountViewSet,
    DelegationViewSet,
    GrantViewSet,
    RoleAssignmentViewSet,
)
from hoso.catalogs.api import CodeListViewSet
from hoso.documents.api import EvidenceViewSet
from hoso.org.api import OrgUnitViewSet
from hoso.records.api import PersonViewSet, ProfileSchemaViewSet
from hoso.reports.api import PersonCvViewSet
from hoso.signing.api import SignatureViewSet
from hoso.workflow.api import ChangeRequestViewSet

from .tokens import ObtainTokenView

app_name = "api"

router = SimpleRouter()
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("accounts", AccountViewSet, basename="account")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
router.register("grants", GrantViewSet, basename="grant")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("persons", PersonViewSet, basename="person")
router.register("catalogs", CodeListViewSet, basename="catalog")
router.register("change-requests", ChangeRequestViewSet, basename="changerequest")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("profile-schema", ProfileSchemaViewSet, basename="profile-schema")
router.register("signatures", SignatureViewSet, basename="signature")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # The printed CV, as on the pages (reports app): /persons/{id}/cv.pdf, no slash.
    path("persons/<int:pk>/cv.pdf", PersonCvViewSet.as_view({"get": "cv"}),
         name="person-cv-pdf"),
    path("persons/<int:pk>/cv-draft.pdf", PersonCvViewSet.as_view({"get": "cv_draft"}),
         name="person-cv-draft-pdf"),
    *router.urls,
    # Apps that keep their own API routes (each module's `urlpatterns`).
    *(path("", include(f"hoso.{app}.api_urls")) for app in (
        "notifications", "oversight", "search", "stats", "annual", "hr",
    )),
]
