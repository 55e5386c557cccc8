"""The authorization matrix (DESIGN principle 1): every route × every role, in scope,
out of scope, expired and revoked. A route missing from the matrix fails the test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from hoso.accounts.roles import Role
from hoso.audit.models import ChangeLog
from hoso.core.context import acting_as

from ..conftest import build_world
from ..factories import GrantFactory, PersonFactory, RoleFactory, UserFactory
from .spec import Route


def _collect_routes() -> tuple[list[Route], dict]:
    """Every `ROUTES` list of the modules tests/authz/routes_*.py, one per app, and the
    target builders they add (`TARGETS`: kind → builder(world) → (in-scope object,
    out-of-scope object)) for the kinds of object their URLs take."""
    import importlib
    import pathlib

    routes: list[Route] = []
    builders: dict = {}
    for path in sorted(pathlib.Path(__file__).parent.glob("routes_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        routes += module.ROUTES
        for kind, builder in getattr(module, "TARGETS", {}).items():
            assert kind not in builders, f"target kind {kind!r} defined twice"
            builders[kind] = builder
    return routes, builders


ROUTES, TARGET_BUILDERS = _collect_routes()
# Django's admin pages are all gated by one `AdminSite.has_permission`; the matrix
# checks its index and tests/web/test_admin.py the gate itself.
EXEMPT_PREFIXES = ("admin:",)
DENIED = {401, 403, 404, 405}


def _names(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_route_is_in_the_matrix():
    served = {n for n in _names(get_resolver()) if not n.startswith(EXEMPT_PREFIXES)}
    covered = {r.name for r in ROUTES}
    keys = [r.key for r in ROUTES]
    assert len(keys) == len(set(keys)), "a route is listed twice in the matrix"
    missing = sorted(served - covered)
    assert not missing, f"routes missing from the authorization matrix: {missing}"
    assert "admin:index" in covered
    stale = sorted(covered - served - {"admin:index"})
    assert not stale, f"matrix names routes that no longer exist: {stale}"


def _targets(world, kind=None):
    """In-scope and out-of-scope objects of each kind, made for the matrix."""
    if kind in TARGET_BUILDERS:
        return {kind: tuple(TARGET_BUILDERS[kind](world))}
    if kind in ("codelist", "codeentry"):  # code lists have no scope: two of each, shipped
        from hoso.catalogs.models import CodeEntry, CodeList

        lists = tuple(CodeList.objects.get(key=k) for k in ("ethnicities", "religions"))
        entries = tuple(CodeEntry.objects.filter(code_list=cl).first() for cl in lists)
        return {"codelist": lists, "codeentry": entries}
    if kind == "revision":  # an approved file (revision 1) of the in- and out-of-scope person
        from ..records.documents import first_revision

        return {"revision": (first_revision(world.people["in"]),
                             first_revision(world.people["out"]))}
    if kind == "draft":  # an open draft (change request) of the in- and out-of-scope person
        from hoso.accounts.permissions import SYSTEM
        from hoso.workflow.services import draft_start

        return {"draft": tuple(draft_start(actor=SYSTEM, person=world.people[k])
                               for k in ("in", "out"))}
    if kind == "signedexport":  # a signed copy of the in- and out-of-scope person's CV
        from .routes_reports import signed_export_targets

        return {"signedexport": signed_export_targets(world)}
    if kind == "evidence":  # a scanned decision in the in- and out-of-scope person's file
        from .routes_documents import evidence_targets

        return {"evidence": evidence_targets(world)}
    in_acc = UserFactory(username="target_in", unit=world.in_unit,
                         person=PersonFactory(unit=world.in_unit, full_name="Đích Trong"))
    out_acc = UserFactory(username="target_out", unit=world.out_unit,
                          person=PersonFactory(unit=world.out_unit, full_name="Đích Ngoài"))
    reader = UserFactory(username="reader", unit=world.root)
    return {
        "unit": (world.in_child, world.out_unit),
        "person": (world.people["in"], world.people["out"]),
        "account": (in_acc, out_acc),
        "role": (
            RoleFactory(user=in_acc, role=Role.HR_OFFICER, unit=world.in_unit),
            RoleFactory(user=out_acc, role=Role.HR_OFFICER, unit=world.out_unit),
        ),
        "grant": (
            GrantFactory(grantee=reader, unit=world.in_unit),
            GrantFactory(grantee=reader, unit=world.out_unit),
        ),
        # the change rows that created the in-scope and the out-of-scope person
        "change": tuple(
            ChangeLog.objects.filter(object_type="records.person", object_id=str(p.pk)).first()
            for p in (world.people["in"], world.people["out"])
        ),
    }


_HANDLER: ClientHandler | None = None


def _client() -> Client:
    """A test client on one request handler shared by the whole matrix: building a
    handler loads the middleware (WhiteNoise scans the static files), thousands of
    times otherwise."""
    global _HANDLER
    client = Client()
    if _HANDLER is None:
        _HANDLER = client.handler
    client.handler = _HANDLER
    return client


def _client_for(actor_key, world, api: bool) -> Client:
    client = _client()
    if actor_key == "anonymous":
        return client
    user = world.actors[actor_key]
    if api:
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        return client
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _request(client: Client, route: Route, world, obj):
    kwargs = {"pk": obj.pk} if obj is not None else {}
    if "kwargs" in route.extra:  # URLs with more than a pk (a revision's person and number)
        kwargs = route.extra["kwargs"](obj)
    url = reverse(route.name, kwargs=kwargs) + route.query
    data = route.data(world, obj) if route.data else {}
    method = route.method.lower()
    if method == "get":
        return client.get(url)
    if route.api and not route.extra.get("multipart"):  # uploads are multipart
        return getattr(client, method)(url, data, content_type="application/json")
    return getattr(client, method)(url, data)


def _outcome(route: Route, response, actor_key) -> bool:
    """True when the request was let through."""
    status = response.status_code
    if status in DENIED:
        return False
    if status == 302 and not route.api:
        location = response.headers.get("Location", "")
        if "/login/" in location and route.name not in ("accounts:login", "accounts:logout"):
            return False  # sent to log in: not let through
    assert status in route.ok, f"{route.key} as {actor_key}: unexpected status {status}"
    return True


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_matrix(route: Route, db):
    with acting_as(label="system:matrix"):
        world = build_world()
        targets = _targets(world, route.target) if route.target else None
    actors = ["anonymous", *world.actors]
    cases = [("in", route.allowed)]
    if route.target:
        cases.append(("out", route.out_allowed()))
    failures = []
    for where, allowed in cases:
        obj = None
        if route.target:
            obj = targets[route.target][0 if where == "in" else 1]
        for actor_key in actors:
            with transaction.atomic():
                client = _client_for(actor_key, world, route.api)
                response = _request(client, route, world, obj)
                let_through = _outcome(route, response, actor_key)
                transaction.set_rollback(True)
            expected = actor_key in allowed
            if let_through != expected:
                failures.append(
                    f"{actor_key} on {where}-scope target: "
                    f"{'allowed' if let_through else 'denied'} ({response.status_code}), "
                    f"expected {'allowed' if expected else 'denied'}"
                )
    assert not failures, f"{route.key}:\n  " + "\n  ".join(failures)


def test_expired_actor_fixture_is_really_expired(world):
    ra = world.actors["expired"].role_assignments.get()
    assert ra.valid_to < timezone.localdate() <= ra.valid_to + dt.timedelta(days=1)
