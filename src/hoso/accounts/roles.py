"""Roles and what each may do: the one table every permission decision reads.

Sources: Vĩnh Phúc Đ6, Đ14.1 (units manage accounts and grant, restrict, widen and
revoke access within their scope); Lai Châu 2.4; Lâm Đồng Đ4, Đ11–Đ13; Cần Thơ Đ10.2.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator (Department of Home Affairs)")
    PROVINCE_APPROVER = "province_approver", _("Province approver")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    HR_OFFICER = "hr_officer", _("HR officer")
    HR_HEAD = "hr_head", _("Head of HR")
    UNIT_HEAD = "unit_head", _("Head of unit")
    CHAIRMAN = "chairman", _("Chairman of a district or commune People's Committee")
    STAFF = "staff", _("Staff member")
    AUDITOR = "auditor", _("Auditor")


class Action:
    PERSON_VIEW = "person.view"
    PERSON_CHANGE = "person.change"
    PERSON_APPROVE = "person.approve"
    PERSON_EXPORT = "person.export"
    ORG_VIEW = "org.view"
    ORG_CHANGE = "org.change"
    ORG_CHANGE_ROOT = "org.change_root"
    ACCOUNT_VIEW = "account.view"
    ACCOUNT_MANAGE = "account.manage"
    ROLE_GRANT = "role.grant"
    GRANT_VIEW = "grant.view"
    GRANT_MANAGE = "grant.manage"
    AUDIT_VIEW = "audit.view"
    PROVINCE_APPROVE = "province.approve"
    ADMIN_SITE = "admin.site"


ALL_ACTIONS = frozenset(v for k, v in vars(Action).items() if k.isupper())

# Actions that only make sense for the whole province: they need a role held on the
# province's root unit with its sub-tree.
PROVINCE_ACTIONS = frozenset(
    {Action.ORG_CHANGE_ROOT, Action.PROVINCE_APPROVE, Action.ADMIN_SITE}
)

_UNIT_READ = {Action.PERSON_VIEW, Action.ORG_VIEW}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: ALL_ACTIONS,
    Role.PROVINCE_APPROVER: frozenset(
        _UNIT_READ | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.PROVINCE_APPROVE}
    ),
    Role.UNIT_ADMIN: frozenset(
        _UNIT_READ
        | {
            Action.PERSON_CHANGE, Action.ORG_CHANGE, Action.ACCOUNT_VIEW, Action.ACCOUNT_MANAGE,
            Action.ROLE_GRANT, Action.GRANT_VIEW, Action.GRANT_MANAGE,
        }
    ),
    Role.HR_OFFICER: frozenset(
        _UNIT_READ | {Action.PERSON_CHANGE, Action.PERSON_EXPORT, Action.ACCOUNT_VIEW}
    ),
    Role.HR_HEAD: frozenset(
        _UNIT_READ
        | {Action.PERSON_CHANGE, Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.ACCOUNT_VIEW}
    ),
    Role.UNIT_HEAD: frozenset(
        _UNIT_READ | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.GRANT_VIEW}
    ),
    Role.CHAIRMAN: frozenset(
        _UNIT_READ | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.GRANT_VIEW}
    ),
    # A staff member sees and edits their own file only: that comes with the account
    # (SELF_ACTIONS), not from a scope.
    Role.STAFF: frozenset(),
    # Security checks of accounts (Lâm Đồng Đ13): accounts, roles, the audit trail; no
    # personal files.
    Role.AUDITOR: frozenset(
        {Action.ORG_VIEW, Action.ACCOUNT_VIEW, Action.GRANT_VIEW, Action.AUDIT_VIEW}
    ),
}

# What everyone may do with their own file and account (Vĩnh Phúc Đ4.4, Đ9.3: a person
# always has their own data). Approving is never among them: nobody approves their own.
SELF_ACTIONS = frozenset({Action.PERSON_VIEW, Action.PERSON_CHANGE, Action.PERSON_EXPORT})

# Who may grant which role (besides the province administrator, who grants all).
# Province-wide roles are granted by Sở Nội vụ only (Vĩnh Phúc Đ6.1, Đ14.4).
GRANTABLE_BY_UNIT_ADMIN = frozenset(
    {
        Role.UNIT_ADMIN, Role.HR_OFFICER, Role.HR_HEAD, Role.UNIT_HEAD, Role.CHAIRMAN,
        Role.STAFF,
    }
)
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_APPROVER, Role.AUDITOR})

# Administrators and approvers must log in with a second factor.
REQUIRES_2FA = frozenset(
    {
        Role.PROVINCE_ADMIN, Role.PROVINCE_APPROVER, Role.UNIT_ADMIN, Role.HR_HEAD,
        Role.UNIT_HEAD, Role.CHAIRMAN,
    }
)
