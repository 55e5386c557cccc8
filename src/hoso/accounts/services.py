"""Writes to accounts, roles and consent grants. Each is one audited transaction.

Administrators act within their own scope only (Vĩnh Phúc Đ14.1: grant, restrict,
widen and revoke access by the level of management); the password reset by an
administrator is Cần Thơ Đ10.2.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError, PermissionDenied
from hoso.org.models import OrgUnit, UnitKind

from .models import AccessGrant, Delegation, RoleAssignment, User
from .passwords import generate_initial_password
from .permissions import as_user, can, covering_scope, forget_scopes, has_role, require
from .roles import GRANTABLE_BY_UNIT_ADMIN, PROVINCE_ROLES, REVIEW_ROLES, Action, Role


@dataclass
class IssuedAccount:
    """A new account and its one-time initial password (shown once, never stored)."""

    user: User
    password: str


def ascii_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def username_for(full_name: str) -> str:
    """“Nguyễn Văn Dũng” → “dungnv”, the usual Vietnamese account name; unique."""
    parts = ascii_fold(full_name).lower().split()
    base = (parts[-1] + "".join(p[0] for p in parts[:-1])) if parts else "user"
    base = "".join(c for c in base if c.isalnum())[:20] or "user"
    taken = set(
        User.objects.filter(username__startswith=base).values_list("username", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


@transaction.atomic
def account_create(
    *,
    actor,
    full_name: str,
    unit: OrgUnit,
    person=None,
    username: str | None = None,
    email: str = "",
    password: str | None = None,
) -> IssuedAccount:
    require(actor, Action.ACCOUNT_MANAGE, unit)
    if person is not None:
        if User.objects.filter(person=person).exists():
            raise DomainError(_("This person already has an account."), field="person")
        if not can(actor, Action.ACCOUNT_MANAGE, person.unit):
            raise PermissionDenied(_("This person is outside your scope."))
    if username and User.objects.filter(username=username).exists():
        raise DomainError(_("The user name “%s” is taken.") % username, field="username")
    initial = password or generate_initial_password()
    user = User(
        username=username or username_for(full_name),
        full_name=full_name,
        unit=unit,
        person=person,
        email=email,
        must_change_password=True,
    )
    user.full_clean(exclude=["password"])
    user.set_password(initial)
    user.save()
    return IssuedAccount(user, initial)


@transaction.atomic
def accounts_bulk_create(
    *, actor, unit: OrgUnit, include_subtree: bool = False
) -> list[IssuedAccount]:
    """Accounts for every person of a unit who has none, each with the staff role."""
    from hoso.records.models import Person

    require(actor, Action.ACCOUNT_MANAGE, unit)
    people = Person.objects.visible_to(actor, Action.PERSON_VIEW).filter(account__isnull=True)
    people = (
        people.filter(unit__path__startswith=unit.path)
        if include_subtree
        else people.filter(unit=unit)
    )
    issued = []
    for person in people.select_related("unit").order_by("unit__path", "full_name"):
        if not can(actor, Action.ACCOUNT_MANAGE, person.unit):
            continue
        acc = account_create(
            actor=actor, full_name=person.full_name, unit=person.unit, person=person
        )
        RoleAssignment.objects.create(
            user=acc.user, role=Role.STAFF, unit=person.unit, include_subtree=False,
            created_by=as_user(actor),
        )
        issued.append(acc)
    return issued


@transaction.atomic
def password_reset_by_admin(*, actor, user: User) -> IssuedAccount:
    """Cần Thơ Đ10.2: the administrator resets; the person must change it at next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, Action.ACCOUNT_MANAGE, user)
    if user.pk == actor.pk:
        raise DomainError(_("Change your own password on the “My account” page."))
    initial = generate_initial_password()
    user.set_password(initial)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.failed_logins = 0
    user.locked_until = None
    user.save()
    return IssuedAccount(user, initial)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(
            _("The new password must differ from the current one."), field="new_password"
        )
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password") from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save()


@transaction.atomic
def account_set_active(*, actor, user: User, active: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, Action.ACCOUNT_MANAGE, user)
    if user.pk == actor.pk:
        raise DomainError(_("You cannot lock or unlock your own account."))
    user.is_active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    user.save()
    return user


# --- roles ---------------------------------------------------------------------------


def _check_role_grant(
    actor, *, user: User, role: str, unit: OrgUnit, include_subtree: bool,
    valid_from: dt.date, valid_to: dt.date | None,
) -> None:
    scope = covering_scope(actor, Action.ROLE_GRANT, unit, subtree=include_subtree)
    if scope is None:
        raise PermissionDenied(
            _("You can only grant roles on units within your own scope.")
            if not include_subtree
            else _("You can only grant roles with sub-units on sub-trees within your own scope.")
        )
    is_province_admin = has_role(actor, Role.PROVINCE_ADMIN)
    if role in PROVINCE_ROLES:
        if not is_province_admin:
            raise PermissionDenied(_("Only the province administrator grants province-wide roles."))
        if unit.parent_id is not None or not include_subtree:
            raise DomainError(
                _("A province-wide role is held on the province itself, with all its sub-units."),
                field="unit",
            )
    elif not is_province_admin and role not in GRANTABLE_BY_UNIT_ADMIN:
        raise PermissionDenied(_("You may not grant this role."))
    if role == Role.CHAIRMAN and unit.kind not in (UnitKind.DISTRICT, UnitKind.COMMUNE):
        raise DomainError(
            _("The chairman role is held on a district or commune People's Committee."),
            field="unit",
        )
    if not can(actor, Action.ACCOUNT_VIEW, user) and not is_province_admin:
        raise PermissionDenied(_("This account is outside your scope."))
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date must not be before the start date."), field="valid_to")
    if valid_to is not None and valid_to < timezone.localdate():
        raise DomainError(_("The end date is already past."), field="valid_to")
    if scope.valid_to is not None and (valid_to is None or valid_to > scope.valid_to):
        raise DomainError(
            _("You cannot grant beyond your own role's end date (%(date)s).")
            % {"date": scope.valid_to.strftime("%d/%m/%Y")},
            field="valid_to",
        )
    if user.pk == actor.pk and actor.pk is not None and not is_province_admin:
        raise PermissionDenied(_("You cannot grant roles to yourself."))


@transaction.atomic
def role_grant(
    *,
    actor,
    user: User,
    role: str,
    unit: OrgUnit,
    include_subtree: bool = True,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    focal: bool = False,
    decision: str = "",
) -> RoleAssignment:
    valid_from = valid_from or timezone.localdate()
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    _check_role_grant(
        actor, user=user, role=role, unit=unit, include_subtree=include_subtree,
        valid_from=valid_from, valid_to=valid_to,
    )
    if focal:
        if role != Role.UNIT_ADMIN:
            raise DomainError(_("Only a unit administrator can be the focal administrator."))
        OrgUnit.objects.select_for_update().get(pk=unit.pk)
        focal_admins = RoleAssignment.objects.active_on().filter(
            unit=unit, role=Role.UNIT_ADMIN, focal=True
        )
        if focal_admins.exists():
            raise DomainError(
                _("The unit already has a focal administrator; revoke that role first."),
                field="focal",
            )
    ra = RoleAssignment(
        user=user, role=role, unit=unit, include_subtree=include_subtree,
        valid_from=valid_from, valid_to=valid_to, focal=focal, decision=decision,
        created_by=as_user(actor),
    )
    ra.full_clean()
    ra.save()
    forget_scopes(user)
    return ra


@transaction.atomic
def role_update(
    *, actor, assignment: RoleAssignment, include_subtree: bool, valid_to: dt.date | None
) -> RoleAssignment:
    """Restrict or widen a role: its sub-tree flag and end date, within the actor's scope."""
    ra = (
        RoleAssignment.objects.select_for_update()
        .select_related("unit", "user")
        .get(pk=assignment.pk)
    )
    if ra.revoked_at is not None:
        raise DomainError(_("This role has been revoked."))
    _check_role_grant(
        actor, user=ra.user, role=ra.role, unit=ra.unit, include_subtree=include_subtree,
        valid_from=ra.valid_from, valid_to=valid_to,
    )
    ra.include_subtree, ra.valid_to = include_subtree, valid_to
    ra.save()
    forget_scopes(ra.user)
    return ra


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    ra = (
        RoleAssignment.objects.select_for_update()
        .select_related("unit", "user")
        .get(pk=assignment.pk)
    )
    if covering_scope(actor, Action.ROLE_GRANT, ra.unit, subtree=ra.include_subtree) is None:
        raise PermissionDenied(_("You can only revoke roles within your own scope."))
    if ra.role in PROVINCE_ROLES and not has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDenied(_("Only the province administrator revokes province-wide roles."))
    if ra.revoked_at is None:
        ra.revoked_at, ra.revoked_by = timezone.now(), as_user(actor)
        ra.save()
    forget_scopes(ra.user)
    return ra


# --- written-consent grants ----------------------------------------------------------


@transaction.atomic
def grant_create(
    *,
    actor,
    grantee: User,
    document_number: str,
    document_date: dt.date,
    signer_name: str,
    valid_to: dt.date,
    valid_from: dt.date | None = None,
    signer_title: str = "",
    purpose: str = "",
    unit: OrgUnit | None = None,
    include_subtree: bool = False,
    persons: Iterable = (),
    sections: list[str] | None = None,
) -> AccessGrant:
    from hoso.records.sections import SECTION_KEYS

    persons = list(persons)
    valid_from = valid_from or timezone.localdate()
    if unit is None and not persons:
        raise DomainError(_("Name the unit or the people the consent covers."), field="unit")
    if (
        unit is not None
        and covering_scope(actor, Action.GRANT_MANAGE, unit, subtree=include_subtree) is None
    ):
        raise PermissionDenied(_("You can only grant access within your own scope."))
    for p in persons:
        if not can(actor, Action.GRANT_MANAGE, p.unit):
            raise PermissionDenied(_("Some of these people are outside your scope."))
    sections = list(sections or SECTION_KEYS)
    unknown = [s for s in sections if s not in SECTION_KEYS]
    if unknown:
        raise DomainError(_("Unknown sections: %s.") % ", ".join(unknown), field="sections")
    if valid_to < valid_from:
        raise DomainError(_("The end date must not be before the start date."), field="valid_to")
    if valid_to < timezone.localdate():
        raise DomainError(_("This consent has already expired."), field="valid_to")
    if document_date > timezone.localdate():
        raise DomainError(_("The document date cannot be in the future."), field="document_date")
    grant = AccessGrant(
        grantee=grantee, document_number=document_number, document_date=document_date,
        signer_name=signer_name, signer_title=signer_title, purpose=purpose, unit=unit,
        include_subtree=include_subtree, sections=sections, valid_from=valid_from,
        valid_to=valid_to, created_by=as_user(actor),
    )
    grant.full_clean()
    grant.save()
    if persons:
        grant.persons.set(persons)
    forget_scopes(grantee)
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: AccessGrant) -> AccessGrant:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the unit's join.
    grant = (
        AccessGrant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=grant.pk)
    )
    allowed = (
        grant.unit is not None
        and covering_scope(actor, Action.GRANT_MANAGE, grant.unit, subtree=grant.include_subtree)
    ) or (
        grant.unit is None
        and all(
            can(actor, Action.GRANT_MANAGE, p.unit) for p in grant.persons.select_related("unit")
        )
    )
    if not allowed:
        raise PermissionDenied(_("You can only revoke grants within your own scope."))
    if grant.revoked_at is None:
        grant.revoked_at, grant.revoked_by = timezone.now(), as_user(actor)
        grant.save()
    forget_scopes(grant.grantee)
    return grant


# --- pages' helpers ------------------------------------------------------------------


def roles_grantable_by(actor) -> list[str]:
    """The roles `actor` may offer on a form: every role for the province administrator,
    `GRANTABLE_BY_UNIT_ADMIN` for the others (Vĩnh Phúc Đ14.1). `role_grant` still checks."""
    if has_role(actor, Role.PROVINCE_ADMIN):
        return list(Role.values)
    return [r for r in Role.values if r in GRANTABLE_BY_UNIT_ADMIN]


@transaction.atomic
def account_open(
    *,
    actor,
    full_name: str,
    unit: OrgUnit,
    person=None,
    username: str | None = None,
    email: str = "",
    staff_role: bool = True,
) -> IssuedAccount:
    """A personal account as a unit opens it: the account and, by default, the staff
    role on its unit (as `accounts_bulk_create` does), in one transaction."""
    issued = account_create(
        actor=actor, full_name=full_name, unit=unit, person=person, username=username,
        email=email,
    )
    if staff_role:
        role_grant(
            actor=actor, user=issued.user, role=Role.STAFF, unit=unit, include_subtree=False
        )
    return issued


@transaction.atomic
def second_factor_reset(*, actor, user: User) -> int:
    """A lost phone: the administrator removes the account's authenticator devices, as
    for a forgotten password (Cần Thơ Đ10.2); at its next log-in the account sets up a
    new one (roles that require it are made to). The device table is not audited by the
    mixin, so the change is logged on the account."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hoso.audit.services import log_change

    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, Action.ACCOUNT_MANAGE, user)
    if user.pk == actor.pk:
        raise DomainError(
            _("To move your own second factor to another phone, use the “My account” page.")
        )
    devices = TOTPDevice.objects.filter(user=user)
    count = devices.count()
    if not count:
        raise DomainError(_("This account has no second factor."))
    devices.delete()
    log_change(
        action="update", obj=user, before={"second_factor": True}, after={"second_factor": False}
    )
    return count


# --- delegations (ủy quyền) ----------------------------------------------------------

DELEGABLE_ROLES = REVIEW_ROLES


def _may_manage_delegation(actor, *, delegator: User, unit: OrgUnit) -> bool:
    """The delegator themselves, or whoever grants roles on the unit (its unit
    administrator, Sở Nội vụ)."""
    if actor is not None and getattr(actor, "pk", None) == delegator.pk:
        return True
    return covering_scope(actor, Action.ROLE_GRANT, unit, subtree=False) is not None


def may_manage_delegation(actor, *, delegation: Delegation) -> bool:
    """Whether `actor` may revoke `delegation` (for the pages)."""
    return _may_manage_delegation(actor, delegator=delegation.delegator, unit=delegation.unit)


@transaction.atomic
def delegation_create(
    *,
    actor,
    delegator: User,
    delegate: User,
    role: str,
    unit: OrgUnit,
    decision_number: str,
    decision_date: dt.date,
    valid_to: dt.date,
    valid_from: dt.date | None = None,
) -> Delegation:
    """Record a delegation (ủy quyền: Quảng Nam Đ5.2, Lâm Đồng Đ7.3, Lai Châu 2.3): the
    holder of `role` on a unit covering `unit` lets `delegate` act in that role on
    `unit` from `valid_from` (today) to `valid_to`, by decision `decision_number`.
    Made by the holder, or by whoever grants roles on the unit."""
    from .permissions import role_authority

    today = timezone.localdate()
    valid_from = valid_from or today
    if role not in DELEGABLE_ROLES:
        raise DomainError(
            _("Only the roles of the review chain can be delegated (HR officer, head of HR, "
              "head of unit, chairman, province approver)."), field="role",
        )
    if not _may_manage_delegation(actor, delegator=delegator, unit=unit):
        raise PermissionDenied(
            _("Only the holder of the role, or the administrator who grants roles on this "
              "unit, may delegate it.")
        )
    holder = role_authority(delegator, role, unit)
    if holder is None or holder.delegation_id is not None:
        raise DomainError(
            _("%(name)s does not hold the role “%(role)s” on %(unit)s, so cannot delegate "
              "it there.") % {"name": delegator.full_name or delegator.username,
                              "role": Role(role).label, "unit": unit.name},
            field="role",
        )
    if delegate.pk == delegator.pk:
        raise DomainError(_("A role is delegated to someone else, not to its holder."),
                          field="delegate")
    if not delegate.is_active:
        raise DomainError(_("This account is locked: it cannot receive a delegation."),
                          field="delegate")
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise DomainError(_("Enter the number of the delegation decision."),
                          field="decision_number")
    if decision_date > today:
        raise DomainError(_("The decision date cannot be in the future."),
                          field="decision_date")
    if valid_to < valid_from:
        raise DomainError(_("The end date must not be before the start date."), field="valid_to")
    if valid_to < today:
        raise DomainError(_("The end date is already past."), field="valid_to")
    if holder.scope.valid_to is not None and valid_to > holder.scope.valid_to:
        raise DomainError(
            _("A delegation cannot last beyond the delegator's own role (until %(date)s).")
            % {"date": holder.scope.valid_to.strftime("%d/%m/%Y")},
            field="valid_to",
        )
    delegation = Delegation(
        delegator=delegator, delegate=delegate, role=role, unit=unit,
        decision_number=decision_number, decision_date=decision_date,
        valid_from=valid_from, valid_to=valid_to, created_by=as_user(actor),
    )
    delegation.full_clean()
    delegation.save()
    forget_scopes(delegate)
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation: Delegation) -> Delegation:
    """End a delegation now (kept, with who revoked it and when). By the delegator, or
    whoever grants roles on its unit."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("unit", "delegator", "delegate").get(pk=delegation.pk)
    )
    if not _may_manage_delegation(actor, delegator=delegation.delegator, unit=delegation.unit):
        raise PermissionDenied(
            _("Only the delegator, or the administrator who grants roles on this unit, may "
              "revoke this delegation.")
        )
    if delegation.revoked_at is None:
        delegation.revoked_at, delegation.revoked_by = timezone.now(), as_user(actor)
        delegation.save()
    forget_scopes(delegation.delegate)
    return delegation
