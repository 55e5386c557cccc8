"""Matrix entries for the shell (namespace `web`) and Django's admin, whose every page
is behind one gate (`ProvinceAdminSite.has_permission`, tested in tests/web/test_admin.py)."""

from .spec import ALL_ACTORS, Route

ROUTES: list[Route] = [
    Route("web:home", allowed=ALL_ACTORS),
    Route("admin:index", allowed=frozenset({"province_admin"})),
]
