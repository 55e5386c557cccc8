"""What every viewset of the API shares.

- The acting user: a token is read by DRF inside the view, after the middleware that
  names the actor of every audit row has run; `ApiViewSet` names the token's user as
  the actor for the rest of the request, so changes and access rows made through the
  API carry who made them.
- Gates: some endpoints (creating, the accounts list) are offered only to those who
  hold their action on some unit (`gates`), as the web pages are; each object is still
  decided by the selector, the service or `can`/`require`.
- Objects: `get_queryset` starts from a selector (and so from `visible_to`); an object
  outside it is a 404.
- JSON only: DRF's browsable pages would show its English interface; people read the
  API on its Swagger page (`api:docs`), which is documented in Vietnamese.
"""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer

from hoso.accounts.selectors import acts_anywhere
from hoso.core.context import acting_as


class HoldsAction(BasePermission):
    """Lets through users who hold `action` on at least one unit."""

    def __init__(self, action: str):
        self.action = action

    def has_permission(self, request, view) -> bool:
        return acts_anywhere(request.user, self.action)


class ApiViewSet(viewsets.GenericViewSet):
    # {viewset action: permission action} — e.g. {"create": "org.change"}
    gates: dict[str, str] = {}
    renderer_classes = (JSONRenderer,)
    lookup_value_regex = r"\d+"
    _acting = None

    def get_permissions(self):
        permissions = super().get_permissions()
        if self.action in self.gates:
            permissions.append(HoldsAction(self.gates[self.action]))
        return permissions

    def perform_authentication(self, request):
        super().perform_authentication(request)
        self._acting = acting_as(request.user)
        self._acting.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        acting, self._acting = self._acting, None
        if acting is not None:
            acting.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def user(self):
        return self.request.user

    def no_store(self, response):
        """For answers that carry a one-time password: never kept by a cache."""
        response["Cache-Control"] = "no-store"
        return response
