"""The authorization matrix's vocabulary: one `Route` per URL name and method.

Every URL name the project serves must appear in the `ROUTES` list of some
`routes_<app>.py` module (test_matrix.py fails otherwise). A module whose URLs take a
new kind of object adds its builder to a `TARGETS` dict: kind → builder(world)
returning (in-scope object, out-of-scope object); routes name it as their `target`.
For each route the matrix requests it as every actor of `tests.conftest.ACTOR_ROLES`
plus an anonymous visitor, once on an in-scope target and once on an out-of-scope one,
and checks the outcome against `allowed` (in scope) and `allowed_out` (out of scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ACTORS = frozenset(
    {
        "province_admin", "province_approver", "auditor", "unit_admin", "hr_officer",
        "hr_head", "unit_head", "chairman", "staff", "expired", "revoked",
    }
)
LOGGED_IN = ALL_ACTORS  # every account, whatever its roles
PROVINCE = frozenset({"province_admin", "province_approver", "auditor"})


@dataclass(frozen=True)
class Route:
    name: str  # "web:unit_detail", "api:orgunit-list", …
    method: str = "GET"
    # Which kind of object fills the URL's <pk>: "unit", "person", "account", "role",
    # "grant", "change" (an audit change row), or None when the URL takes no object.
    target: str | None = None
    # Actors allowed on an in-scope target ("anonymous" for public pages).
    allowed: frozenset[str] = frozenset()
    # Actors allowed on an out-of-scope target; default: those of `allowed` that hold a
    # province-wide role. Ignored when target is None.
    allowed_out: frozenset[str] | None = None
    # POST/PATCH body, built from the world and the target object.
    data: Callable | None = None
    # Statuses that mean the request was let through.
    ok: tuple[int, ...] = (200, 201, 204, 302)
    api: bool = False
    # Query string appended to the URL (e.g. "?q=x").
    query: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.method} {self.name}"

    def out_allowed(self) -> frozenset[str]:
        if self.allowed_out is not None:
            return self.allowed_out
        return self.allowed & PROVINCE
