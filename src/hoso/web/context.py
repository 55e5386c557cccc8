"""Navigation entries, shown by what the user may do (never a second permission rule)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.accounts.permissions import has_role, scopes_of
from hoso.accounts.roles import Action, Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {"nav": []}
    by_action = scopes_of(user).by_action
    items = [(_("Home"), reverse("web:home"))]
    if getattr(user, "person_id", None):
        items.append((_("My file"), reverse("people:person_detail", args=[user.person_id])))
    if Action.PERSON_VIEW in by_action or scopes_of(user).grant_units or scopes_of(user).grant_person_ids:
        items.append((_("People"), reverse("people:person_list")))
    if Action.ORG_VIEW in by_action:
        items.append((_("Organisation"), reverse("org:unit_list")))
    if Action.ACCOUNT_VIEW in by_action:
        items.append((_("Accounts"), reverse("accounts:account_list")))
    if Action.GRANT_VIEW in by_action:
        items.append((_("Consent grants"), reverse("accounts:grant_list")))
    if Action.AUDIT_VIEW in by_action:
        items.append((_("Audit"), reverse("audit:log_list")))
    if has_role(user, Role.PROVINCE_ADMIN):
        items.append((_("System administration"), reverse("admin:index")))
    items.append((_("My account"), reverse("accounts:my_account")))
    return {"nav": items}
