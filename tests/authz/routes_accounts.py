"""Matrix entries for the pages of the accounts app (namespace `accounts`): the login
flow, "my account", accounts, roles and written-consent grants.

In the world, account targets live in `in_unit` / `out_unit`; the in-scope role is an
HR officer's on `in_unit`, the in-scope grant covers `in_unit` (tests/authz/test_matrix.py).
"""

import datetime as dt

from django.utils import timezone

from ..factories import PASSWORD
from .spec import ALL_ACTORS, Route

ANON = frozenset({"anonymous"})
# account.view: the province roles that read accounts, and the unit roles on in_unit
ACCOUNT_VIEWERS = frozenset({"province_admin", "auditor", "unit_admin", "hr_officer", "hr_head"})
# account.manage, role.grant and grant.manage: the same two roles
MANAGERS = frozenset({"province_admin", "unit_admin"})
# grant.view on in_unit
GRANT_VIEWERS = frozenset({"province_admin", "auditor", "unit_admin", "unit_head"})


def _today():
    return timezone.localdate()


def _login(world, obj):
    return {"username": "staff", "password": PASSWORD}


def _password(world, obj):
    return {
        "old_password": PASSWORD,
        "new_password1": "Mat-khau-moi-2026",
        "new_password2": "Mat-khau-moi-2026",
    }


def _new_account(world, obj):
    return {"full_name": "Trần Văn Mới", "unit": world.in_unit.pk, "staff_role": "on"}


def _bulk(world, obj):
    # world.people["in"] has no account yet
    return {"unit": world.in_unit.pk}


def _role(world, obj):
    return {
        "role": "hr_head", "unit": obj.unit_id, "include_subtree": "on",
        "valid_from": _today().isoformat(),
    }


def _role_update(world, obj):
    return {"include_subtree": "", "valid_to": (_today() + dt.timedelta(days=90)).isoformat()}


def _grant(world, obj):
    return {
        "document_number": "15/SNV-TCBC", "document_date": _today().isoformat(),
        "signer_name": "Lê Văn Ký", "signer_title": "Giám đốc", "grantee": "staff",
        "unit": world.in_unit.pk, "include_subtree": "on", "people": "",
        "sections": ["personal", "training"], "purpose": "Thanh tra công vụ",
        "valid_from": "", "valid_to": (_today() + dt.timedelta(days=30)).isoformat(),
    }


ROUTES: list[Route] = [
    # the login flow: open to all, each step for any logged-in account
    Route("accounts:login", allowed=ALL_ACTORS | ANON),
    Route("accounts:login", method="POST", allowed=ALL_ACTORS | ANON, data=_login, ok=(302,)),
    Route("accounts:logout", method="POST", allowed=ALL_ACTORS | ANON),
    Route("accounts:password_change", allowed=ALL_ACTORS),
    Route("accounts:password_change", method="POST", allowed=ALL_ACTORS, data=_password,
          ok=(302,)),
    Route("accounts:otp_setup", allowed=ALL_ACTORS),
    # a wrong code comes back with the form (the right one depends on the clock)
    Route("accounts:otp_setup", method="POST", allowed=ALL_ACTORS,
          data=lambda w, o: {"token": "000000"}, ok=(200,)),
    # already verified in the matrix: sent on
    Route("accounts:otp_verify", allowed=ALL_ACTORS, ok=(302,)),
    Route("accounts:otp_verify", method="POST", allowed=ALL_ACTORS,
          data=lambda w, o: {"token": "000000"}, ok=(302,)),
    Route("accounts:my_account", allowed=ALL_ACTORS),
    # accounts
    Route("accounts:account_list", allowed=ACCOUNT_VIEWERS),
    Route("accounts:account_detail", target="account", allowed=ACCOUNT_VIEWERS),
    Route("accounts:account_create", allowed=MANAGERS),
    # success shows the one-time password: 201, a form error would be 200
    Route("accounts:account_create", method="POST", allowed=MANAGERS, data=_new_account,
          ok=(201,)),
    Route("accounts:account_bulk_create", allowed=MANAGERS),
    Route("accounts:account_bulk_create", method="POST", allowed=MANAGERS, data=_bulk,
          ok=(201,)),
    Route("accounts:account_reset_password", method="POST", target="account",
          allowed=MANAGERS, ok=(200,)),
    Route("accounts:account_set_active", method="POST", target="account", allowed=MANAGERS,
          data=lambda w, o: {"active": "0"}, ok=(302,)),
    Route("accounts:account_reset_otp", method="POST", target="account", allowed=MANAGERS,
          ok=(302,)),
    # roles
    Route("accounts:role_grant", target="account", allowed=MANAGERS),
    Route("accounts:role_grant", method="POST", target="account", allowed=MANAGERS,
          data=_role, ok=(302,)),
    Route("accounts:role_update", target="role", allowed=MANAGERS),
    Route("accounts:role_update", method="POST", target="role", allowed=MANAGERS,
          data=_role_update, ok=(302,)),
    Route("accounts:role_revoke", method="POST", target="role", allowed=MANAGERS, ok=(302,)),
    # written-consent grants: everyone sees the list (at least the grants given to them)
    Route("accounts:grant_list", allowed=ALL_ACTORS),
    Route("accounts:grant_detail", target="grant", allowed=GRANT_VIEWERS),
    Route("accounts:grant_create", allowed=MANAGERS),
    Route("accounts:grant_create", method="POST", allowed=MANAGERS, data=_grant, ok=(302,)),
    Route("accounts:grant_revoke", method="POST", target="grant", allowed=MANAGERS, ok=(302,)),
]


# --- delegations (ủy quyền) ------------------------------------------------------------
# The "delegation" target: an HR officer's role on in_unit (out_unit) delegated to an
# account that is no actor of the matrix. Those who see it: the account viewers of its
# unit (and the delegator and the delegate, who are not actors here); who may revoke it:
# whoever grants roles on its unit (and the delegator).

# Holders of a review role (who delegate their own) and those who grant roles.
DELEGATORS = frozenset({"province_admin", "province_approver", "unit_admin", "hr_officer",
                        "hr_head", "unit_head", "chairman"})


def delegation_targets(world):
    from hoso.accounts.models import Delegation
    from hoso.accounts.roles import Role

    from ..factories import RoleFactory, UserFactory

    out = []
    for key, unit in (("in", world.in_unit), ("out", world.out_unit)):
        holder = UserFactory(username=f"holder_{key}", unit=unit)
        RoleFactory(user=holder, role=Role.HR_OFFICER, unit=unit)
        delegate = UserFactory(username=f"delegate_{key}", unit=unit)
        out.append(Delegation.objects.create(
            delegator=holder, delegate=delegate, role=Role.HR_OFFICER, unit=unit,
            decision_number=f"9/UQ-{key}", decision_date=_today(),
            valid_to=_today() + dt.timedelta(days=10),
        ))
    return tuple(out)


TARGETS = {"delegation": delegation_targets}


def _delegation(world, obj):
    return {
        "delegator": "unit_head", "delegate": "staff", "role": "unit_head",
        "unit": world.in_unit.pk, "decision_number": "12/QĐ-SNV",
        "decision_date": _today().isoformat(),
        "valid_to": (_today() + dt.timedelta(days=30)).isoformat(),
    }


ROUTES += [
    Route("accounts:delegation_list", allowed=ALL_ACTORS),
    Route("accounts:delegation_create", allowed=DELEGATORS),
    # a holder who names a role or unit not theirs gets the form back with the reason (200)
    Route("accounts:delegation_create", method="POST", allowed=DELEGATORS, data=_delegation,
          ok=(200, 302)),
    Route("accounts:delegation_detail", target="delegation", allowed=ACCOUNT_VIEWERS),
    Route("accounts:delegation_revoke", method="POST", target="delegation", allowed=MANAGERS,
          ok=(302,)),
]
ROUTES += [
    Route("api:delegation-list", allowed=ALL_ACTORS, api=True),
    Route("api:delegation-list", method="POST", api=True, data=_delegation, ok=(201,),
          allowed=frozenset({"province_admin", "unit_admin", "unit_head"})),
    Route("api:delegation-detail", target="delegation", allowed=ACCOUNT_VIEWERS, api=True),
    Route("api:delegation-revoke", method="POST", target="delegation", allowed=MANAGERS,
          api=True, ok=(200,)),
]
