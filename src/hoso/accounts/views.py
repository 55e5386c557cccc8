"""Pages of the accounts app: the login flow, "my account", accounts, roles and
written-consent grants.

Thin: each view parses its input, calls one selector or service, and renders. Who may
do what is decided by the permission path (`selectors` go through `visible_to`, the
services call `require`/`covering_scope`); a view only turns the outcome into a page:
an object the user may not see is a 404, an action they may not take a 403, a rule a
service refuses a Vietnamese error on the form with nothing changed.

Pages that show a one-time password (a new account, a reset) render it in the answer
to the POST and never store it; they are marked not to be cached.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hoso.audit.services import log_access
from hoso.core.context import reason as audit_reason
from hoso.core.errors import DomainError
from hoso.core.errors import PermissionDenied as DomainPermissionDenied
from hoso.org.selectors import unit_list
from hoso.records.sections import SECTIONS

from . import selectors, services, twofactor
from .forms import (
    AccountCreateForm,
    AccountFilterForm,
    BulkCreateForm,
    GrantCreateForm,
    GrantFilterForm,
    LoginForm,
    PasswordChangeForm,
    ReasonForm,
    RoleGrantForm,
    RoleUpdateForm,
    SetActiveForm,
    TokenForm,
)
from .models import AccessGrant, RoleAssignment, User
from .permissions import can
from .roles import Action

PAGE_SIZE = 50

STATUS_LABELS = {
    "active": gettext_lazy("In force"),
    "pending": gettext_lazy("Not yet in force"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


def validity_status(obj, today: dt.date | None = None) -> str:
    """The state of a role or a grant: "active", "pending", "expired" or "revoked". Only
    an active one grants anything (the permission path reads no other)."""
    today = today or timezone.localdate()
    if obj.revoked_at is not None:
        return "revoked"
    if obj.valid_from > today:
        return "pending"
    if obj.valid_to is not None and obj.valid_to < today:
        return "expired"
    return "active"


def _with_status(objs) -> list:
    today = timezone.localdate()
    objs = list(objs)
    for obj in objs:
        obj.status = validity_status(obj, today)
        obj.status_label = STATUS_LABELS[obj.status]
    return objs


def _next_url(request, default: str = "web:home") -> str:
    """Where to go after a login step: `next` when it is ours, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _require_anywhere(user, action: str) -> None:
    if not selectors.acts_anywhere(user, action):
        raise HttpForbidden


def _forbidden_on_denial(func, *args, **kwargs):
    """Run a service; its PermissionDenied is a 403 (the page offered nothing else)."""
    try:
        return func(*args, **kwargs)
    except DomainPermissionDenied:
        raise HttpForbidden from None


# --- login flow ----------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Password login; the lockout and its audit rows are the backend's
    (`backends.LockoutModelBackend`), the next steps the middleware's."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            log_access(action="logout", obj=request.user)
        return super().post(request, *args, **kwargs)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """A new password: forced at the first login and after an administrator's reset."""
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            user.refresh_from_db()
            update_session_auth_hash(request, user)
            messages.success(request, _("Your new password is set."))
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "next": _next_url(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Set up (or replace) the authenticator app: a QR code and the secret, confirmed by
    a code. An account that already has one must prove it first, so a stolen password
    cannot replace it."""
    user = request.user
    if twofactor.confirmed_device(user) is not None and not user.is_verified():
        return redirect(reverse("accounts:otp_verify") + "?" + request.GET.urlencode())
    device = twofactor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.retry_after(device)
        if wait:
            form.add_error("token", _wait_error(wait))
        elif twofactor.confirm_setup(request, device, form.cleaned_data["token"]):
            messages.success(request, _("Two-factor authentication is on for your account."))
            return HttpResponseRedirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": twofactor.requires_2fa(user),
            "next": _next_url(request),
        },
    )


WRONG_CODE = gettext_lazy("The code is wrong or has expired. Enter the code the app shows now.")


def _wait_error(wait: int) -> str:
    """django-otp makes each wrong code double the wait before the next try."""
    return _(
        "Too many wrong codes: wait %(seconds)d seconds, then enter the code the app shows."
    ) % {"seconds": wait}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect(reverse("accounts:otp_setup") + "?" + request.GET.urlencode())
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.retry_after(device)
        if wait:
            form.add_error("token", _wait_error(wait))
        elif twofactor.verify(request, form.cleaned_data["token"]):
            return HttpResponseRedirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def my_account(request):
    user = request.user
    return render(
        request,
        "accounts/my_account.html",
        {
            "account": user,
            "roles": _with_status(selectors.my_roles(user=user)),
            "grants": _with_status(selectors.grants_received(user=user, account=user)),
            "otp": twofactor.state_of(user),
        },
    )


# --- accounts ------------------------------------------------------------------------


def _visible_account(user, pk: int) -> User:
    try:
        return selectors.account_get(user=user, pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


@login_required
def account_list(request):
    user = request.user
    _require_anywhere(user, Action.ACCOUNT_VIEW)
    form = AccountFilterForm(
        request.GET or None, units=unit_list(user=user, action=Action.ACCOUNT_VIEW)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.account_search(
        user=user, text=filters.get("q", ""), unit=filters.get("unit"),
        state=filters.get("state", ""),
    )
    if form.is_bound and form.errors:
        accounts = accounts.none()
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/account_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_manage": selectors.acts_anywhere(user, Action.ACCOUNT_MANAGE),
        },
    )


@login_required
def account_detail(request, pk: int):
    user = request.user
    account = _visible_account(user, pk)
    roles = _with_status(selectors.account_roles(account=account))
    for ra in roles:
        ra.can_change = ra.status in ("active", "pending") and can(user, Action.ROLE_GRANT, ra)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "roles": roles,
            "grants": _with_status(selectors.grants_received(user=user, account=account)),
            "otp": twofactor.state_of(account),
            "can_manage": can(user, Action.ACCOUNT_MANAGE, account) and account.pk != user.pk,
            "can_grant": selectors.acts_anywhere(user, Action.ROLE_GRANT),
            "can_see_person": account.person is not None
            and can(user, Action.PERSON_VIEW, account.person),
            "now": timezone.now(),
        },
    )


def _issued_page(request, issued: list, *, title: str, status: int = 201):
    """The one-time passwords, in this answer only (201: the accounts were created)."""
    return render(
        request, "accounts/issued.html", {"issued": issued, "title": title}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    user = request.user
    _require_anywhere(user, Action.ACCOUNT_MANAGE)
    form = AccountCreateForm(
        request.POST or None,
        units=unit_list(user=user, action=Action.ACCOUNT_MANAGE),
        find_person=lambda n: selectors.person_by_id_number(user=user, id_number=n),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.account_open(
                actor=user, full_name=data["full_name"], unit=data["unit"],
                person=data["person"], username=data["username"] or None, email=data["email"],
                staff_role=data["staff_role"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _issued_page(request, [issued], title=_("Account created"))
    return render(request, "accounts/account_form.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_bulk_create(request):
    """Accounts for everyone of a unit (and its sub-units) who has none; the names and
    one-time passwords are shown once, to be handed to each person."""
    user = request.user
    _require_anywhere(user, Action.ACCOUNT_MANAGE)
    form = BulkCreateForm(
        request.POST or None, units=unit_list(user=user, action=Action.ACCOUNT_MANAGE)
    )
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.accounts_bulk_create(
                actor=user, unit=form.cleaned_data["unit"],
                include_subtree=form.cleaned_data["include_subtree"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            if issued:
                return _issued_page(request, issued, title=_("Accounts created"))
            form.add_error(None, _("Everyone of this unit already has an account."))
    return render(
        request,
        "accounts/bulk_form.html",
        {"form": form, "waiting": selectors.people_without_account_count(user=user)},
    )


@never_cache
@login_required
@require_POST
def account_reset_password(request, pk: int):
    """Cần Thơ Đ10.2: a new one-time password; the person sets their own at next login."""
    user = request.user
    account = _visible_account(user, pk)
    try:
        issued = _forbidden_on_denial(services.password_reset_by_admin, actor=user, user=account)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:account_detail", pk=account.pk)
    return _issued_page(request, [issued], title=_("Password reset"), status=200)


@login_required
@require_POST
def account_set_active(request, pk: int):
    """Lock or unlock an account (a locked one cannot log in)."""
    user = request.user
    account = _visible_account(user, pk)
    form = SetActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to lock or unlock the account."))
        return redirect("accounts:account_detail", pk=account.pk)
    active = form.cleaned_data["active"]
    try:
        _forbidden_on_denial(services.account_set_active, actor=user, user=account, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = (
            _("The account %(name)s is unlocked.") if active
            else _("The account %(name)s is locked.")
        )
        messages.success(request, text % {"name": account.username})
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_reset_otp(request, pk: int):
    """A lost phone: the account sets up a new second factor at its next log-in."""
    user = request.user
    account = _visible_account(user, pk)
    try:
        _forbidden_on_denial(services.second_factor_reset, actor=user, user=account)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The second factor of %(name)s is removed: a new one is set up at the next log-in.")
            % {"name": account.username},
        )
    return redirect("accounts:account_detail", pk=account.pk)


# --- roles ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request, pk: int):
    user = request.user
    account = _visible_account(user, pk)
    _require_anywhere(user, Action.ROLE_GRANT)
    units = unit_list(user=user, action=Action.ROLE_GRANT)
    form = RoleGrantForm(
        request.POST or None,
        roles=services.roles_grantable_by(user),
        units=units,
        initial={"unit": account.unit_id if account.unit_id else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                actor=user, user=account, role=data["role"], unit=data["unit"],
                include_subtree=data["include_subtree"], valid_from=data["valid_from"],
                valid_to=data["valid_to"], focal=data["focal"], decision=data["decision"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The role is granted."))
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "accounts/role_form.html", {"form": form, "account": account})


def _visible_role(user, pk: int) -> RoleAssignment:
    try:
        ra = selectors.role_get(user=user, pk=pk)
    except RoleAssignment.DoesNotExist:
        raise Http404 from None
    if not can(user, Action.ROLE_GRANT, ra):
        raise HttpForbidden
    return ra


@login_required
@require_http_methods(["GET", "POST"])
def role_update(request, pk: int):
    """Restrict or widen a role: with or without sub-units, and its end date."""
    user = request.user
    ra = _visible_role(user, pk)
    form = RoleUpdateForm(
        request.POST or None,
        initial={"include_subtree": ra.include_subtree, "valid_to": ra.valid_to},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(
                actor=user, assignment=ra, include_subtree=form.cleaned_data["include_subtree"],
                valid_to=form.cleaned_data["valid_to"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The role is changed."))
            return redirect("accounts:account_detail", pk=ra.user_id)
    ra.status = validity_status(ra)
    ra.status_label = STATUS_LABELS[ra.status]
    return render(request, "accounts/role_update.html", {"form": form, "role": ra})


@login_required
@require_POST
def role_revoke(request, pk: int):
    ra = _visible_role(request.user, pk)
    _revoke(request, services.role_revoke, _("The role is revoked."), assignment=ra)
    return redirect("accounts:account_detail", pk=ra.user_id)


def _revoke(request, service, done: str, **target) -> None:
    """Revoke `target` through `service` with the reason the form gives, and say how it
    went (a refusal the permission path decides is a 403)."""
    form = ReasonForm(request.POST)
    text = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        with audit_reason(text):
            _forbidden_on_denial(service, actor=request.user, **target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


# --- written-consent grants ----------------------------------------------------------


@login_required
def grant_list(request):
    """The grants the user may see: those on their units, and those given to them."""
    user = request.user
    form = GrantFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    grants = selectors.grant_search(user=user, status=status)
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_status(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/grant_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": selectors.acts_anywhere(user, Action.GRANT_MANAGE),
        },
    )


def _visible_grant(user, pk: int) -> AccessGrant:
    try:
        return selectors.grant_get(user=user, pk=pk)
    except AccessGrant.DoesNotExist:
        raise Http404 from None


@login_required
def grant_detail(request, pk: int):
    user = request.user
    grant = _with_status([_visible_grant(user, pk)])[0]
    people, hidden = selectors.grant_people(user=user, grant=grant)
    return render(
        request,
        "accounts/grant_detail.html",
        {
            "grant": grant,
            "people": people,
            "hidden_people": hidden,
            "sections": [SECTIONS.get(key, key) for key in grant.sections],
            "can_revoke": grant.status in ("active", "pending")
            and (
                can(user, Action.GRANT_MANAGE, grant)
                if grant.unit_id
                else selectors.acts_anywhere(user, Action.GRANT_MANAGE)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request):
    user = request.user
    _require_anywhere(user, Action.GRANT_MANAGE)
    form = GrantCreateForm(
        request.POST or None,
        units=unit_list(user=user, action=Action.GRANT_MANAGE),
        find_grantee=lambda name: selectors.account_by_username(username=name),
        find_person=lambda n: selectors.person_by_id_number(user=user, id_number=n),
        initial={"sections": list(SECTIONS)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_create(
                actor=user, grantee=data["grantee"], document_number=data["document_number"],
                document_date=data["document_date"], signer_name=data["signer_name"],
                signer_title=data["signer_title"], purpose=data["purpose"], unit=data["unit"],
                include_subtree=data["include_subtree"], persons=data["people"],
                sections=data["sections"], valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The written consent is recorded."))
            return redirect("accounts:grant_detail", pk=grant.pk)
    return render(request, "accounts/grant_form.html", {"form": form})


@login_required
@require_POST
def grant_revoke(request, pk: int):
    grant = _visible_grant(request.user, pk)
    _revoke(request, services.grant_revoke, _("The written consent is revoked."), grant=grant)
    return redirect("accounts:grant_detail", pk=grant.pk)


# --- delegations (ủy quyền) ----------------------------------------------------------


@login_required
def delegation_list(request):
    """The delegations the user gave or received, and those on the units whose
    accounts they may see."""
    user = request.user
    delegations = selectors.delegation_list(user=user)
    page = Paginator(delegations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_status(page.object_list)
    return render(request, "accounts/delegation_list.html", {
        "page": page,
        "can_create": bool(selectors.delegable_roles(user=user))
        or selectors.acts_anywhere(user, Action.ROLE_GRANT),
    })


def _visible_delegation(user, pk: int):
    from .models import Delegation

    try:
        return selectors.delegation_get(user=user, pk=pk)
    except Delegation.DoesNotExist:
        raise Http404 from None


@login_required
def delegation_detail(request, pk: int):
    user = request.user
    delegation = _with_status([_visible_delegation(user, pk)])[0]
    decisions = delegation.decisions.select_related("change_request").order_by("-decided_at")
    return render(request, "accounts/delegation_detail.html", {
        "delegation": delegation,
        "decisions": decisions[:50],
        "can_revoke": delegation.status in ("active", "pending")
        and services.may_manage_delegation(user, delegation=delegation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request):
    from .forms import DelegationCreateForm

    user = request.user
    own = selectors.delegable_roles(user=user)
    for_others = selectors.acts_anywhere(user, Action.ROLE_GRANT)
    if not own and not for_others:
        raise HttpForbidden
    roles = sorted(services.DELEGABLE_ROLES) if for_others else sorted({ra.role for ra in own})
    form = DelegationCreateForm(
        request.POST or None, units=unit_list(user=user), roles=roles,
        find_account=lambda name: selectors.account_by_username(username=name),
        for_others=for_others,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation = services.delegation_create(
                actor=user, delegator=data.get("delegator") or user, delegate=data["delegate"],
                role=data["role"], unit=data["unit"], decision_number=data["decision_number"],
                decision_date=data["decision_date"], valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The delegation is recorded."))
            return redirect("accounts:delegation_detail", pk=delegation.pk)
    return render(request, "accounts/delegation_form.html", {"form": form})


@login_required
@require_POST
def delegation_revoke(request, pk: int):
    delegation = _visible_delegation(request.user, pk)
    _revoke(request, services.delegation_revoke, _("The delegation is revoked."),
            delegation=delegation)
    return redirect("accounts:delegation_detail", pk=delegation.pk)
