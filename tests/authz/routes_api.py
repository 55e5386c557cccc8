"""Matrix entries for the REST API (namespace `api`)."""

from .spec import ALL_ACTORS, Route

ROUTES: list[Route] = [
    Route("api:schema", allowed=ALL_ACTORS, api=True),
    Route("api:docs", allowed=ALL_ACTORS, api=True),
]
