"""Reads of accounts, roles and grants, always through the permission path."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import AccessGrant, RoleAssignment, User
from .permissions import unit_filter
from .roles import Action


def account_list(*, user, action: str = Action.ACCOUNT_VIEW) -> QuerySet[User]:
    return User.objects.visible_to(user, action).select_related("unit").order_by("username")


def role_list(*, user) -> QuerySet[RoleAssignment]:
    """Roles on units the user may see accounts of, and the user's own."""
    return (
        RoleAssignment.objects.filter(unit_filter(user, Action.ACCOUNT_VIEW) | Q(user=user))
        .select_related("user", "unit")
        .order_by("-created_at")
    )


def grant_list(*, user) -> QuerySet[AccessGrant]:
    return (
        AccessGrant.objects.filter(
            unit_filter(user, Action.GRANT_VIEW)
            | unit_filter(user, Action.GRANT_VIEW, field="persons__unit")
            | Q(grantee=user)
        )
        .select_related("grantee", "unit")
        .order_by("-created_at")
        .distinct()
    )
