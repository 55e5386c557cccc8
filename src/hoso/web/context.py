"""What every page's shell shows: the navigation and who is logged in.

Entries are offered by what the user may do, read from the permission path's scopes
(never a second permission rule); each page still checks its own objects.
"""

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from hoso.accounts.permissions import can, has_role, scopes_of
from hoso.accounts.roles import Action, Role
from hoso.accounts.selectors import reviews_anywhere
from hoso.notifications.selectors import may_see_overdue
from hoso.oversight.compliance import may_read as compliance_may_read
from hoso.stats.selectors import may_view as stats_may_view


def reads_people(user) -> bool:
    """Whether the user may read anyone's file but their own (a role or a consent)."""
    s = scopes_of(user)
    return Action.PERSON_VIEW in s.by_action or bool(s.grant_units or s.grant_person_ids)


def nav_items(user) -> list[tuple[str, str]]:
    """The menu's entries; their labels carry the context "menu" so that another app's
    translation of the same English word cannot change them."""
    scopes = scopes_of(user)
    by_action = scopes.by_action
    items = [(pgettext_lazy("menu", "Home"), reverse("web:home"))]
    if getattr(user, "person_id", None):
        items.append(
            (
                pgettext_lazy("menu", "My file"),
                reverse("workflow:my_file"),
            )
        )
    reviews = reviews_anywhere(user)
    if reviews:
        items.append((pgettext_lazy("menu", "Review"), reverse("workflow:review_queue")))
    if may_see_overdue(user):
        items.append((pgettext_lazy("menu", "Overdue"), reverse("notifications:overdue")))
    if reads_people(user):
        items.append((pgettext_lazy("menu", "People"), reverse("people:person_list")))
        items.append((pgettext_lazy("menu", "Search"), reverse("search:search")))
    if stats_may_view(user):
        items.append((pgettext_lazy("menu", "Statistics"), reverse("stats:overview")))
        items.append((pgettext_lazy("menu", "HR lists"), reverse("hr:index")))
    if Action.PERSON_EXPORT in by_action:
        items.append((pgettext_lazy("menu", "Annual report"), reverse("annual:index")))
    if can(user, Action.PROVINCE_APPROVE):
        items.append(
            (pgettext_lazy("menu", "Province approval"), reverse("oversight:batch_current"))
        )
    if compliance_may_read(user):
        items.append((pgettext_lazy("menu", "Compliance"), reverse("oversight:compliance")))
    if Action.ORG_VIEW in by_action:
        items.append((pgettext_lazy("menu", "Organisation"), reverse("org:unit_list")))
    if Action.ACCOUNT_VIEW in by_action:
        items.append((pgettext_lazy("menu", "Accounts"), reverse("accounts:account_list")))
    if Action.GRANT_VIEW in by_action:
        items.append((pgettext_lazy("menu", "Consent grants"), reverse("accounts:grant_list")))
    if reviews or Action.ROLE_GRANT in by_action:
        items.append((pgettext_lazy("menu", "Delegations"), reverse("accounts:delegation_list")))
    if Action.AUDIT_VIEW in by_action:
        items.append((pgettext_lazy("menu", "Audit"), reverse("audit:log_list")))
    if can(user, Action.CATALOG_MANAGE):
        items.append((pgettext_lazy("menu", "Code lists"), reverse("catalogs:list_list")))
    if has_role(user, Role.PROVINCE_ADMIN):
        items.append((pgettext_lazy("menu", "System administration"), reverse("admin:index")))
    items.append((pgettext_lazy("menu", "Verify signatures"), reverse("signing:verify")))
    items.append((pgettext_lazy("menu", "My account"), reverse("accounts:my_account")))
    return items


def _current(path: str, url: str, urls: list[str]) -> bool:
    """The entry whose address is the longest prefix of the page's path."""
    if url == "/":
        return path == "/"
    best = max((u for u in urls if u != "/" and path.startswith(u)), key=len, default=None)
    return best == url


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {"nav": [], "user_roles": []}
    verified = getattr(user, "is_verified", lambda: True)()
    from hoso.accounts.twofactor import needs_2fa

    if not verified and needs_2fa(user):
        return {"nav": [], "user_roles": []}  # second factor still to come
    items = nav_items(user)
    urls = [url for _label, url in items]
    path = request.path
    roles = sorted(scopes_of(user).roles, key=lambda r: Role.values.index(r))
    return {
        "nav": [
            {"label": label, "url": url, "current": _current(path, url, urls)}
            for label, url in items
        ],
        "user_roles": [Role(r).label for r in roles],
    }
