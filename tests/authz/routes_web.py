"""Matrix entries for the web pages (namespace `web`, and Django's admin)."""

from .spec import ALL_ACTORS, Route

ANON = frozenset({"anonymous"})

ROUTES: list[Route] = [
    Route("web:login", allowed=ALL_ACTORS | ANON),
    Route("web:logout", method="POST", allowed=ALL_ACTORS | ANON),
    Route("web:home", allowed=ALL_ACTORS),
    Route("admin:index", allowed=frozenset({"province_admin"})),
]
