"""The one permission path (DESIGN principle 1).

Every read of personal data goes through `Person.objects.visible_to(user, action)`,
every list of units through `OrgUnit.objects.visible_to`, every list of accounts
through `User.objects.visible_to`; each builds its filter here. Every single-object
decision is `can(user, action, obj)`. Nothing else decides who sees what.

A user's scopes are computed once per request from their active role assignments
(valid today, not revoked) and their written-consent grants, and cached on the
user object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.errors import PermissionDenied

from .roles import PROVINCE_ACTIONS, ROLE_ACTIONS, SELF_ACTIONS, Action

NOTHING = Q(pk__in=[])


class SystemActor:
    """The operator at the command line (`hoso org load`, `hoso demo`, imports): trusted
    with everything, and audited as "system:<command>" through the acting context."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    person_id = None
    unit_id = None
    must_change_password = False

    def is_locked(self, now=None) -> bool:
        return False

    def is_verified(self) -> bool:
        return True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def as_user(actor):
    """The User to record as creator or revoker (None for the system)."""
    return None if actor is SYSTEM else actor


@dataclass(frozen=True)
class Scope:
    unit_id: int
    path: str
    subtree: bool
    valid_to: dt.date | None = None

    def covers(self, unit) -> bool:
        if unit is None:
            return False
        return unit.path.startswith(self.path) if self.subtree else unit.pk == self.unit_id


@dataclass(frozen=True)
class GrantScope:
    """What one written-consent grant covers (a unit scope and/or listed people) and the
    sections of the file it opens (keys of `records.sections.SECTIONS`)."""

    unit: Scope | None
    person_ids: frozenset[int]
    sections: frozenset[str]

    def covers(self, person) -> bool:
        return person.pk in self.person_ids or (
            self.unit is not None and self.unit.covers(person.unit)
        )


@dataclass(frozen=True)
class DelegatedScope:
    """A role the user holds for someone else (ủy quyền, `accounts.Delegation`), on a
    unit, for the delegation's period."""

    role: str
    scope: Scope
    delegation_id: int
    delegator_id: int


@dataclass
class Scopes:
    by_action: dict[str, list[Scope]]
    grant_units: list[Scope]
    grant_person_ids: frozenset[int]
    roles: frozenset[str]
    # (unit id, path) of the user's own file, to tell whether a scope already holds it
    own_unit: tuple[int, str] | None = None
    grants: tuple[GrantScope, ...] = ()
    # The units on which the user holds each role themselves (review steps name a role).
    by_role: dict[str, list[Scope]] = field(default_factory=dict)
    # Roles held by delegation, in force today.
    delegated: tuple[DelegatedScope, ...] = ()


# What a delegation passes on of the delegated role: reading the files under review and
# approving them (Quảng Nam Đ5.2: "kiểm tra, rà soát, phê duyệt"). Never administering
# accounts, roles or grants, changing files, or exporting them.
DELEGATED_ACTIONS = frozenset(
    {
        Action.PERSON_VIEW, Action.PERSON_VIEW_RESTRICTED, Action.PERSON_VIEW_SECRET,
        Action.PERSON_APPROVE, Action.ORG_VIEW,
    }
)


def _today() -> dt.date:
    return timezone.localdate()


def scopes_of(user) -> Scopes:
    cached = getattr(user, "_hoso_scopes", None)
    today = _today()
    if cached is not None and cached[0] == today:
        return cached[1]
    from .models import AccessGrant, RoleAssignment

    by_action: dict[str, list[Scope]] = {}
    by_role: dict[str, list[Scope]] = {}
    delegated: list[DelegatedScope] = []
    roles = set()
    grant_units: list[Scope] = []
    grant_persons: set[int] = set()
    grants: list[GrantScope] = []
    if user is not None and user.is_authenticated and user.is_active and not user.is_locked():
        for ra in RoleAssignment.objects.active_on(today).filter(user=user).select_related("unit"):
            if not ra.unit.is_active_on(today):
                continue
            roles.add(ra.role)
            scope = Scope(ra.unit_id, ra.unit.path, ra.include_subtree, ra.valid_to)
            by_role.setdefault(ra.role, []).append(scope)
            for action in ROLE_ACTIONS.get(ra.role, ()):
                by_action.setdefault(action, []).append(scope)
        # The delegation hook: a role delegated to the user adds the delegated role's
        # review actions (DELEGATED_ACTIONS) on the delegation's unit, so that every
        # check — `can`, `visible_to`, the matrix — sees it through this one path.
        delegated = _delegated_scopes(user, today)
        for d in delegated:
            for action in ROLE_ACTIONS.get(d.role, frozenset()) & DELEGATED_ACTIONS:
                by_action.setdefault(action, []).append(d.scope)
        for grant in (
            AccessGrant.objects.active_on(today)
            .filter(grantee=user)
            .select_related("unit")
            .prefetch_related("persons")
        ):
            unit_scope = None
            if grant.unit_id:
                unit_scope = Scope(
                    grant.unit_id, grant.unit.path, grant.include_subtree, grant.valid_to
                )
                grant_units.append(unit_scope)
            person_ids = frozenset(p.pk for p in grant.persons.all())
            grant_persons.update(person_ids)
            grants.append(GrantScope(unit_scope, person_ids, frozenset(grant.sections or ())))
    own_unit = None
    person_id = getattr(user, "person_id", None)
    if person_id and roles:
        from hoso.records.models import Person

        own_unit = Person.objects.filter(pk=person_id).values_list("unit_id", "unit__path").first()
    result = Scopes(
        by_action, grant_units, frozenset(grant_persons), frozenset(roles), own_unit,
        tuple(grants), by_role, tuple(delegated),
    )
    if user is not None:
        user._hoso_scopes = (today, result)
    return result


def _delegated_scopes(user, today: dt.date) -> list[DelegatedScope]:
    """The delegations in force today that name `user` as the delegate. One lapses with
    the delegator's own role: it counts only while the delegator, an active account,
    still holds the role on a unit covering the delegation's (and it reaches no further
    than that role did: with the sub-tree only if the delegator's role had it)."""
    from .models import Delegation, RoleAssignment

    out: list[DelegatedScope] = []
    for d in (
        Delegation.objects.active_on(today).filter(delegate=user)
        .select_related("unit", "delegator")
    ):
        if not d.unit.is_active_on(today) or not d.delegator.is_active:
            continue
        held = [
            Scope(ra.unit_id, ra.unit.path, ra.include_subtree, ra.valid_to)
            for ra in RoleAssignment.objects.active_on(today)
            .filter(user_id=d.delegator_id, role=d.role).select_related("unit")
            if ra.unit.is_active_on(today)
        ]
        holder = next((sc for sc in held if sc.covers(d.unit)), None)
        if holder is None:
            continue
        ends = min(v for v in (d.valid_to, holder.valid_to) if v is not None)
        scope = Scope(d.unit_id, d.unit.path, holder.subtree, ends)
        out.append(DelegatedScope(d.role, scope, d.pk, d.delegator_id))
    return out


@dataclass(frozen=True)
class Authority:
    """Why a user may act as the holder of a role on a unit: their own role assignment
    (`delegation_id` None), or a delegation from `delegator_id`."""

    scope: Scope
    delegation_id: int | None = None
    delegator_id: int | None = None


def role_authority(user, role: str, unit) -> Authority | None:
    """How `user` may act now as the holder of `role` on `unit` (a review step names a
    role held on a unit covering the person's): by their own role, else by a delegation
    in force; None when neither. Their own role comes first: a holder who is also a
    delegate acts in their own name."""
    if user is SYSTEM:
        return Authority(Scope(unit.pk, unit.path, True))
    if user is None or not user.is_authenticated or not user.is_active or user.is_locked():
        return None
    s = scopes_of(user)
    for sc in s.by_role.get(role, []):
        if sc.covers(unit):
            return Authority(sc)
    for d in s.delegated:
        if d.role == role and d.scope.covers(unit):
            return Authority(d.scope, d.delegation_id, d.delegator_id)
    return None


def role_filter(user, *, role_field: str = "role", unit_field: str = "unit",
                delegable_field: str | None = None) -> Q:
    """Objects naming a role and a unit (review steps) that `user` may act on: a role
    they hold on a covering unit, or one delegated to them and in force (with
    `delegable_field`, only objects that let themselves be delegated). The queryset
    form of `role_authority`."""
    if user is None or not user.is_authenticated:
        return NOTHING
    if user is SYSTEM:
        return Q()
    s = scopes_of(user)
    q = NOTHING
    for role, scopes in s.by_role.items():
        q |= Q(**{role_field: role}) & _scope_q(scopes, unit_field)
    for d in s.delegated:
        part = Q(**{role_field: d.role}) & _scope_q([d.scope], unit_field)
        if delegable_field:
            part &= Q(**{delegable_field: True})
        q |= part
    return q


def forget_scopes(user) -> None:
    """Drop the cached scopes (after a grant or revocation in the same request)."""
    if hasattr(user, "_hoso_scopes"):
        del user._hoso_scopes


def has_role(user, *roles: str) -> bool:
    if user is SYSTEM:
        return True
    return bool(scopes_of(user).roles & set(roles))


def _scope_q(scopes: list[Scope], field: str) -> Q:
    """A filter matching objects whose `field` (an OrgUnit key) lies in the scopes."""
    q = NOTHING
    exact = [s.unit_id for s in scopes if not s.subtree]
    if exact:
        q |= Q(**{f"{field}__in": exact})
    for s in _outermost([s for s in scopes if s.subtree]):
        # A join on the unit's path rather than `unit IN (sub-query)`: with the join the
        # planner can walk the list's sort index and stop at the first page (bench/
        # visible_to.py: 238 ms → under 1 ms for a province's first page at 100k on
        # SQLite); with IN it fetches the whole scope and sorts it.
        lookup = "path__startswith" if field == "pk" else f"{field}__path__startswith"
        q |= Q(**{lookup: s.path})
    return q


def _outermost(scopes: list[Scope]) -> list[Scope]:
    """Drop sub-tree scopes already inside another one: fewer ORs, same rows."""
    out: list[Scope] = []
    for s in sorted(scopes, key=lambda s: len(s.path)):
        if not any(s.path.startswith(o.path) for o in out):
            out.append(s)
    return out


def is_province_wide(user, action: str) -> bool:
    """True when the user holds `action` on the province's root with its sub-tree."""
    scopes = scopes_of(user).by_action.get(action, [])
    return any(s.subtree and s.path.count(".") == 1 for s in scopes)


def unit_filter(user, action: str, field: str = "unit") -> Q:
    """Units (or objects keyed by a unit) on which the user may do `action`."""
    if user is None or not user.is_authenticated:
        return NOTHING
    if user is SYSTEM:
        return Q()
    if action in PROVINCE_ACTIONS:
        return Q() if is_province_wide(user, action) else NOTHING
    q = _scope_q(scopes_of(user).by_action.get(action, []), field)
    if action == Action.ORG_VIEW and field == "pk" and getattr(user, "unit_id", None):
        q |= Q(pk=user.unit_id)  # everyone sees the unit they belong to
    return q


def person_filter(user, action: str) -> Q:
    if user is None or not user.is_authenticated:
        return NOTHING
    if user is SYSTEM:
        return Q()
    s = scopes_of(user)
    q = _scope_q(s.by_action.get(action, []), "unit")
    if action == Action.PERSON_VIEW:
        q |= _scope_q(s.grant_units, "unit")
        if s.grant_person_ids:
            q |= Q(pk__in=sorted(s.grant_person_ids))
    person_id = getattr(user, "person_id", None)
    if person_id:
        if action in SELF_ACTIONS and not _holds_own_file(s, action):
            q |= Q(pk=person_id)
        elif action == Action.PERSON_APPROVE:
            q &= ~Q(pk=person_id)  # nobody approves their own data
    return q


def person_scope_paths(user, action: str) -> list[str] | None:
    """Unit paths whose sub-trees hold everyone `person_filter(user, action)` lets
    through: for an index that can narrow by sub-tree before the filter runs (the
    search's word index on PostgreSQL). A superset, never the decision itself. None
    when there is no such list (the system; people listed one by one in a grant)."""
    if user is None or not user.is_authenticated:
        return []
    if user is SYSTEM:
        return None
    s = scopes_of(user)
    scopes = list(s.by_action.get(action, []))
    if action == Action.PERSON_VIEW:
        if s.grant_person_ids:
            return None
        scopes += s.grant_units
    # A unit-only scope is narrowed by its unit's sub-tree: a superset of its people.
    paths = [sc.path for sc in scopes]
    if getattr(user, "person_id", None) and action in SELF_ACTIONS and not _holds_own_file(
        s, action
    ):
        if s.own_unit is None:
            return None
        paths.append(s.own_unit[1])
    return [sc.path for sc in _outermost([Scope(0, p, True) for p in paths])]


def _holds_own_file(s: Scopes, action: str) -> bool:
    """True when a scope for `action` already covers the user's own file. The OR of the
    own file is then left out: it adds nothing, and it keeps the database from using its
    indexes (bench/visible_to.py, 2.5M people on PostgreSQL: 600 ms → 3 ms to count a
    department's staff)."""
    if s.own_unit is None:
        return False
    unit_id, path = s.own_unit
    return any(
        path.startswith(sc.path) if sc.subtree else sc.unit_id == unit_id
        for sc in s.by_action.get(action, [])
    )


def account_filter(user, action: str) -> Q:
    if user is None or not user.is_authenticated:
        return NOTHING
    if user is SYSTEM:
        return Q()
    return _scope_q(scopes_of(user).by_action.get(action, []), "unit")


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` on `obj` (an OrgUnit, Person, User, grant or role), now?"""
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person

    from .models import AccessGrant, RoleAssignment, User

    if user is SYSTEM:
        return True
    if user is None or not user.is_authenticated or not user.is_active or user.is_locked():
        return False
    s = scopes_of(user)
    if action in PROVINCE_ACTIONS or obj is None:
        return is_province_wide(user, action)
    scopes = s.by_action.get(action, [])
    if isinstance(obj, OrgUnit):
        if action == Action.ORG_VIEW and obj.pk == user.unit_id:
            return True
        return any(sc.covers(obj) for sc in scopes)
    if isinstance(obj, Person):
        own = obj.pk == getattr(user, "person_id", None)
        if own:
            return action in SELF_ACTIONS
        if any(sc.covers(obj.unit) for sc in scopes):
            return True
        if action == Action.PERSON_VIEW:
            return obj.pk in s.grant_person_ids or any(sc.covers(obj.unit) for sc in s.grant_units)
        return False
    if isinstance(obj, User):
        return any(sc.covers(obj.unit) for sc in scopes)
    if isinstance(obj, RoleAssignment | AccessGrant):
        unit = obj.unit
        return unit is not None and any(sc.covers(unit) for sc in scopes)
    raise TypeError(f"no permission rule for {type(obj).__name__}")


# The access levels of the profile's fields (records.schema `Field.access`) and the
# action that opens each in every section of a file (the rule is in roles.py).
ACCESS_LEVELS = ("public", "restricted", "secret")
LEVEL_ACTIONS = {
    "public": Action.PERSON_VIEW,
    "restricted": Action.PERSON_VIEW_RESTRICTED,
    "secret": Action.PERSON_VIEW_SECRET,
}
# What a written-consent grant opens in the sections it names: never the secret level.
GRANT_LEVELS = frozenset({"public", "restricted"})


@dataclass(frozen=True)
class FileAccess:
    """Which fields of one person's file a user may read.

    `levels`: the access levels open in every section (from the user's roles in scope,
    or all of them for the person's own file); `sections`: sections whose public and
    restricted fields written-consent grants open (Vĩnh Phúc Đ4.4, Cần Thơ Đ3.4).
    """

    levels: frozenset[str]
    sections: frozenset[str] = frozenset()

    def sees(self, access: str, section: str | None) -> bool:
        if access in self.levels:
            return True
        return access in GRANT_LEVELS and section is not None and section in self.sections

    @property
    def everything(self) -> bool:
        return self.levels >= frozenset(ACCESS_LEVELS)


NO_ACCESS = FileAccess(frozenset())
FULL_ACCESS = FileAccess(frozenset(ACCESS_LEVELS))


def file_access(user, person) -> FileAccess:
    """The one decision on which fields of `person`'s file `user` may read (selectors
    apply it with `records.selectors.visible_document`)."""
    if user is SYSTEM:
        return FULL_ACCESS
    if user is None or not user.is_authenticated or not user.is_active or user.is_locked():
        return NO_ACCESS
    if person.pk == getattr(user, "person_id", None):
        return FULL_ACCESS  # a person always has all of their own data (Vĩnh Phúc Đ4.4)
    s = scopes_of(user)
    levels = frozenset(
        level
        for level, action in LEVEL_ACTIONS.items()
        if any(sc.covers(person.unit) for sc in s.by_action.get(action, []))
    )
    sections: set[str] = set()
    for grant in s.grants:
        if grant.covers(person):
            sections |= grant.sections
    return FileAccess(levels, frozenset(sections))


def require(user, action: str, obj=None) -> None:
    """Raise the domain's PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def covering_scope(user, action: str, unit, *, subtree: bool) -> Scope | None:
    """The user's scope for `action` that covers `unit` (and its sub-tree, if asked)."""
    if user is SYSTEM:
        return Scope(unit.pk, "", True)
    for sc in scopes_of(user).by_action.get(action, []):
        if sc.covers(unit) and (not subtree or sc.subtree):
            return sc
    return None
