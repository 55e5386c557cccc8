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


# --- pages ---------------------------------------------------------------------------


def acts_anywhere(user, action: str) -> bool:
    """Whether the user holds `action` on at least one unit (to offer a page at all;
    each object on it is still checked with `can` or a `visible_to` queryset)."""
    from .permissions import scopes_of

    if user is None or not user.is_authenticated:
        return False
    return bool(scopes_of(user).by_action.get(action))


def reviews_anywhere(user) -> bool:
    """Whether the user decides review steps somewhere: a review role in force (the
    chains' roles, `roles.REVIEW_ROLES`) or a delegation of one (to offer the queue)."""
    from .permissions import scopes_of
    from .roles import REVIEW_ROLES

    if user is None or not user.is_authenticated:
        return False
    scopes = scopes_of(user)
    return bool(scopes.delegated) or bool(REVIEW_ROLES & set(scopes.by_role))


def account_search(
    *, user, text: str = "", unit=None, state: str = "", action: str = Action.ACCOUNT_VIEW
) -> QuerySet[User]:
    """The accounts list's filters over `account_list`, each row with its active roles
    and whether it has a second factor (two extra queries per page, not per row)."""
    from django.db.models import Exists, OuterRef, Prefetch
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = account_list(user=user, action=action).annotate(
        has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    text = text.strip()
    if text:
        qs = qs.filter(Q(username__icontains=text) | Q(full_name__icontains=text))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "disabled":
        qs = qs.filter(is_active=False)
    elif state == "locked":
        qs = qs.filter(locked_until__gt=timezone.now())
    elif state == "must_change":
        qs = qs.filter(must_change_password=True)
    return qs.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.active_on().select_related("unit").order_by("role"),
            to_attr="active_roles",
        )
    )


def account_get(*, user, pk: int, action: str = Action.ACCOUNT_VIEW) -> User:
    """One account the user may see (User.DoesNotExist otherwise)."""
    return account_list(user=user, action=action).select_related("person").get(pk=pk)


def account_roles(*, account: User) -> QuerySet[RoleAssignment]:
    """Every role an account has held, newest first (the caller may see the account)."""
    return (
        RoleAssignment.objects.filter(user=account)
        .select_related("unit", "created_by", "revoked_by")
        .order_by("revoked_at", "-valid_from", "pk")
    )


def my_roles(*, user) -> QuerySet[RoleAssignment]:
    return account_roles(account=user)


def role_get(*, user, pk: int) -> RoleAssignment:
    return role_list(user=user).get(pk=pk)


def grant_search(*, user, status: str = "") -> QuerySet[AccessGrant]:
    """`grant_list` by state: "active" (in force today), "expired", "revoked"."""
    from django.utils import timezone

    qs = grant_list(user=user)
    today = timezone.localdate()
    if status == "active":
        qs = qs.filter(pk__in=AccessGrant.objects.active_on(today).values("pk"))
    elif status == "expired":
        qs = qs.filter(revoked_at__isnull=True, valid_to__lt=today)
    elif status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif status == "pending":
        qs = qs.filter(revoked_at__isnull=True, valid_from__gt=today)
    return qs


def grant_get(*, user, pk: int) -> AccessGrant:
    return grant_list(user=user).select_related("created_by", "revoked_by").get(pk=pk)


def grants_received(*, user, account: User) -> QuerySet[AccessGrant]:
    """The grants an account holds, as far as `user` may see grants."""
    return grant_list(user=user).filter(grantee=account)


def grant_people(*, user, grant: AccessGrant) -> tuple[list, int]:
    """The people a grant names that `user` may see, and how many others it names."""
    from hoso.records.models import Person

    named = grant.persons.all()
    visible = list(
        Person.objects.visible_to(user, Action.PERSON_VIEW)
        .filter(pk__in=named.values("pk"))
        .select_related("unit")
        .order_by("full_name", "pk")
    )
    return visible, named.count() - len(visible)


def person_by_id_number(*, user, id_number: str):
    """The file with this identification number, if the user may see it (else None).
    A hit is a search of someone's data: it leaves an access row."""
    from hoso.audit.services import log_access
    from hoso.records.selectors import person_find

    person = person_find(user=user, id_number=id_number).first()
    if person is not None and person.pk != getattr(user, "person_id", None):
        log_access(action="search", obj=person, person_id=person.pk, detail={"by": "id_number"})
    return person


def account_by_username(*, username: str) -> User | None:
    """An active account by its exact name: the grantee of a written consent may work
    anywhere (an inspection team, another agency), so this is not scoped."""
    return User.objects.filter(username=username.strip(), is_active=True).first()


def people_without_account_count(*, user) -> int:
    """People the user may give accounts to who have none yet (for bulk creation)."""
    from hoso.records.models import Person

    return (
        Person.objects.visible_to(user, Action.PERSON_VIEW)
        .filter(unit_filter(user, Action.ACCOUNT_MANAGE), account__isnull=True)
        .count()
    )


def grant_list_with_people(*, user) -> QuerySet[AccessGrant]:
    """`grant_list` with, per grant, the people it names whom the user may see
    (`visible_persons`, through `visible_to`) and how many it names in all
    (`persons_named`): one query per page, not one per grant."""
    from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
    from django.db.models.functions import Coalesce

    from hoso.records.models import Person

    # A sub-query, not Count("persons"): grant_list's own filters join the same table.
    links = AccessGrant.persons.through.objects.filter(accessgrant_id=OuterRef("pk"))
    named = links.values("accessgrant_id").annotate(n=Count("*")).values("n")
    return grant_list(user=user).annotate(
        persons_named=Coalesce(Subquery(named, output_field=IntegerField()), 0)
    ).prefetch_related(
        Prefetch(
            "persons",
            queryset=Person.objects.visible_to(user, Action.PERSON_VIEW).order_by(
                "full_name", "pk"
            ),
            to_attr="visible_persons",
        )
    )


# --- delegations (ủy quyền) ----------------------------------------------------------


def delegation_list(*, user) -> QuerySet:
    """Delegations the user may see: those they gave or received, and those on the units
    whose accounts they may see (the unit administrator, Sở Nội vụ)."""
    from .models import Delegation

    return (
        Delegation.objects.filter(
            unit_filter(user, Action.ACCOUNT_VIEW) | Q(delegator=user) | Q(delegate=user)
        )
        .select_related("delegator", "delegate", "unit")
        .order_by("-created_at", "-pk")
    )


def delegation_get(*, user, pk: int):
    """One delegation the user may see (Delegation.DoesNotExist otherwise)."""
    return delegation_list(user=user).select_related("created_by", "revoked_by").get(pk=pk)


def lapsed_delegation(*, user, role: str, unit):
    """The newest delegation of `role` to `user` on a unit covering `unit` that is no
    longer in force (ended or revoked), or None: to tell a reviewer why they may no
    longer decide, and to audit the attempt as such."""
    from django.utils import timezone

    from .models import Delegation

    today = timezone.localdate()
    for d in (
        Delegation.objects.filter(delegate=user, role=role).select_related("unit")
        .order_by("-valid_to", "-pk")
    ):
        if not d.unit.contains(unit):
            continue
        if d.revoked_at is not None or d.valid_to < today:
            return d
    return None


def delegable_roles(*, user) -> list[RoleAssignment]:
    """The roles in force that `user` holds and may delegate (the review roles)."""
    from .roles import REVIEW_ROLES

    return list(
        RoleAssignment.objects.active_on().filter(user=user, role__in=sorted(REVIEW_ROLES))
        .select_related("unit").order_by("role", "unit__path")
    )
