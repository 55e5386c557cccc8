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
    # Access levels of the profile's fields (the rule: above ROLE_ACTIONS).
    PERSON_VIEW_RESTRICTED = "person.view_restricted"
    PERSON_VIEW_SECRET = "person.view_secret"
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
    # Code lists (danh mục) are the province's: Sở Nội vụ keeps them (Vĩnh Phúc Đ19.3).
    CATALOG_MANAGE = "catalog.manage"


ALL_ACTIONS = frozenset(v for k, v in vars(Action).items() if k.isupper())

# Actions that only make sense for the whole province: they need a role held on the
# province's root unit with its sub-tree.
PROVINCE_ACTIONS = frozenset(
    {Action.ORG_CHANGE_ROOT, Action.PROVINCE_APPROVE, Action.ADMIN_SITE, Action.CATALOG_MANAGE}
)

_UNIT_READ = {Action.PERSON_VIEW, Action.ORG_VIEW}

# Access levels of the profile's fields. Cần Thơ Đ3.3, Quảng Nam Đ2.3 and Lâm Đồng Đ6.2
# keep the data "theo chế độ hạn chế tiếp cận" and leave the levels to the Party's and
# the State's rules on personnel work; Vĩnh Phúc Đ4.4 and Cần Thơ Đ3.4 open others' data
# only by role in the managing chain or by written consent. So:
# - public fields: everyone who may view the file (person.view);
# - restricted fields (health, family, Party membership, discipline …): those who
#   keep or approve the file in the unit's chain — the HR officer who checks a
#   declaration, the head of HR, the head of unit or chairman who signs (Cần Thơ
#   Đ5.1.c–đ, Quảng Nam Đ5.1–5.2, Lâm Đồng Đ7.3), the province approver who signs the
#   province's data (Vĩnh Phúc Đ8.2), and Sở Nội vụ; a written-consent grant opens the
#   restricted fields of the sections it names (records.sections);
# - secret fields (the self-history statements, whatever the schema marks secret):
#   the same chain inside the unit and Sở Nội vụ, but neither the province approver
#   (who signs the monthly data as a whole, not each statement) nor any consent grant.
# The unit administrator (accounts and grants, Vĩnh Phúc Đ14.1) and the auditor (Lâm
# Đồng Đ13) need neither. The person always sees all of their own file (SELF_ACTIONS).
_RESTRICTED = {Action.PERSON_VIEW_RESTRICTED}
_SECRET = {Action.PERSON_VIEW_RESTRICTED, Action.PERSON_VIEW_SECRET}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: ALL_ACTIONS,
    Role.PROVINCE_APPROVER: frozenset(
        _UNIT_READ
        | _RESTRICTED
        | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.PROVINCE_APPROVE}
    ),
    Role.UNIT_ADMIN: frozenset(
        _UNIT_READ
        | {
            Action.PERSON_CHANGE, Action.ORG_CHANGE, Action.ACCOUNT_VIEW, Action.ACCOUNT_MANAGE,
            Action.ROLE_GRANT, Action.GRANT_VIEW, Action.GRANT_MANAGE,
        }
    ),
    Role.HR_OFFICER: frozenset(
        _UNIT_READ | _SECRET | {Action.PERSON_CHANGE, Action.PERSON_EXPORT, Action.ACCOUNT_VIEW}
    ),
    Role.HR_HEAD: frozenset(
        _UNIT_READ
        | _SECRET
        | {Action.PERSON_CHANGE, Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.ACCOUNT_VIEW}
    ),
    Role.UNIT_HEAD: frozenset(
        _UNIT_READ | _SECRET | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.GRANT_VIEW}
    ),
    Role.CHAIRMAN: frozenset(
        _UNIT_READ | _SECRET | {Action.PERSON_APPROVE, Action.PERSON_EXPORT, Action.GRANT_VIEW}
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
SELF_ACTIONS = frozenset(
    {
        Action.PERSON_VIEW, Action.PERSON_VIEW_RESTRICTED, Action.PERSON_VIEW_SECRET,
        Action.PERSON_CHANGE, Action.PERSON_EXPORT,
    }
)

# Who may grant which role (besides the province administrator, who grants all).
# Province-wide roles are granted by Sở Nội vụ only (Vĩnh Phúc Đ6.1, Đ14.4).
GRANTABLE_BY_UNIT_ADMIN = frozenset(
    {
        Role.UNIT_ADMIN, Role.HR_OFFICER, Role.HR_HEAD, Role.UNIT_HEAD, Role.CHAIRMAN,
        Role.STAFF,
    }
)
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_APPROVER, Role.AUDITOR})

# The roles of the review chains (core.policy's steps): who decides a review step, and
# what a holder may delegate (ủy quyền: Quảng Nam Đ5.2, Lâm Đồng Đ7.3).
REVIEW_ROLES = frozenset(
    {Role.HR_OFFICER, Role.HR_HEAD, Role.UNIT_HEAD, Role.CHAIRMAN, Role.PROVINCE_APPROVER}
)

# Administrators and approvers must log in with a second factor.
REQUIRES_2FA = frozenset(
    {
        Role.PROVINCE_ADMIN, Role.PROVINCE_APPROVER, Role.UNIT_ADMIN, Role.HR_HEAD,
        Role.UNIT_HEAD, Role.CHAIRMAN,
    }
)
