"""Django's admin, for the province administrator only, with a verified second factor.

It is a window on the data, not a second way to write it. A write that has a service
goes through the service (the actions below) or is not offered: moving a unit must
rewrite its sub-tree's paths (`org.services.unit_update`), a role is granted within
the granter's scope (`accounts.services.role_grant`), a person's file changes by change
request. So every model here is read-only, nothing is ever deleted (DESIGN principle
2), the audit rows least of all, and the few writes offered are actions that call
the services. The decrypted identification number is never shown.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hoso.accounts import selectors as account_selectors
from hoso.accounts import services as account_services
from hoso.accounts.models import AccessGrant, RoleAssignment, User
from hoso.accounts.permissions import can
from hoso.accounts.roles import Action
from hoso.audit import selectors as audit_selectors
from hoso.audit.models import AccessLog, ChangeLog
from hoso.core.errors import DomainError
from hoso.org import selectors as org_selectors
from hoso.org.models import OrgUnit
from hoso.records import selectors as record_selectors
from hoso.records.models import Person


class ProvinceAdminSite(admin.AdminSite):
    site_header = _("hoso — system administration")
    site_title = _("hoso")
    index_title = _("Data of the province")
    site_url = "/"

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and getattr(user, "is_verified", lambda: False)()
            and can(user, Action.ADMIN_SITE)
        )

    def login(self, request, extra_context=None):
        """One login page for the whole application (lockout, second factor). Someone
        logged in who may not use the admin is refused here: sending them to the login
        page would send them back to the admin, and round again."""
        if request.user.is_authenticated:
            raise PermissionDenied
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


    def logout(self, request, extra_context=None):
        """The application's logout, which leaves its access row."""
        from hoso.accounts.views import LogoutView

        return LogoutView.as_view()(request)

    def password_change(self, request, extra_context=None):
        """The application's page, whose service keeps the password policy and dates."""
        return HttpResponseRedirect(reverse("accounts:password_change"))


admin_site = ProvinceAdminSite(name="admin")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing for whoever passes the site's gate; adding, changing, deleting for no one.
    Actions declare `allowed_permissions = ("manage",)` and call a service. Rows come
    from the app's selector (`selector(user=…)`), as on every page: the one permission
    path holds here too."""

    selector = None

    def get_queryset(self, request):
        qs = type(self).selector(user=request.user)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_manage_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, request, queryset, call, done: str) -> None:
        """Call a service once per selected object; report successes and refusals."""
        ok = 0
        for obj in queryset:
            try:
                call(obj)
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
            else:
                ok += 1
        if ok:
            self.message_user(request, done % {"count": ok}, messages.SUCCESS)


@admin.register(OrgUnit, site=admin_site)
class OrgUnitAdmin(ReadOnlyAdmin):
    selector = org_selectors.unit_list
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    ordering = ("path",)

    def view_on_site(self, obj):
        return reverse("org:unit_detail", args=[obj.pk])


@admin.register(User, site=admin_site)
class UserAdmin(ReadOnlyAdmin):
    selector = account_selectors.account_list
    list_display = ("username", "full_name", "unit", "is_active", "must_change_password",
                    "locked_until", "last_login")
    list_filter = ("is_active", "must_change_password")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("unit",)
    fields = ("username", "full_name", "email", "unit", "person", "is_active",
              "must_change_password", "password_changed_at", "locked_until", "last_login",
              "date_joined")
    actions = ("lock", "unlock")

    def view_on_site(self, obj):
        return reverse("accounts:account_detail", args=[obj.pk])

    @admin.action(description=_("Lock the selected accounts"), permissions=("manage",))
    def lock(self, request, queryset):
        self.run_service(
            request, queryset,
            lambda u: account_services.account_set_active(actor=request.user, user=u, active=False),
            _("Accounts locked: %(count)d."),
        )

    @admin.action(description=_("Unlock the selected accounts"), permissions=("manage",))
    def unlock(self, request, queryset):
        self.run_service(
            request, queryset,
            lambda u: account_services.account_set_active(actor=request.user, user=u, active=True),
            _("Accounts unlocked: %(count)d."),
        )


@admin.register(RoleAssignment, site=admin_site)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    selector = account_selectors.role_list
    list_display = ("user", "role", "unit", "include_subtree", "focal", "valid_from",
                    "valid_to", "revoked_at")
    list_filter = ("role", "focal", "include_subtree")
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    list_select_related = ("user", "unit")
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected roles"), permissions=("manage",))
    def revoke(self, request, queryset):
        self.run_service(
            request, queryset,
            lambda ra: account_services.role_revoke(actor=request.user, assignment=ra),
            _("Roles revoked: %(count)d."),
        )


@admin.register(AccessGrant, site=admin_site)
class AccessGrantAdmin(ReadOnlyAdmin):
    selector = account_selectors.grant_list
    list_display = ("document_number", "document_date", "grantee", "unit", "include_subtree",
                    "valid_from", "valid_to", "revoked_at")
    search_fields = ("document_number", "grantee__username", "signer_name")
    list_select_related = ("grantee", "unit")
    actions = ("revoke",)

    def view_on_site(self, obj):
        return reverse("accounts:grant_detail", args=[obj.pk])

    @admin.action(description=_("Revoke the selected written consents"), permissions=("manage",))
    def revoke(self, request, queryset):
        self.run_service(
            request, queryset,
            lambda g: account_services.grant_revoke(actor=request.user, grant=g),
            _("Written consents revoked: %(count)d."),
        )


@admin.register(Person, site=admin_site)
class PersonAdmin(ReadOnlyAdmin):
    """Files without their identification number; every view of them leaves access rows,
    as the people pages do."""

    selector = record_selectors.person_list

    list_display = ("full_name", "unit", "category", "status")
    list_filter = ("category", "status")
    search_fields = ("full_name",)
    list_select_related = ("unit",)
    exclude = ("id_number", "id_number_hash")

    def view_on_site(self, obj):
        return reverse("people:person_detail", args=[obj.pk])

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            record_selectors.log_list_access(
                user=request.user, people=cl.result_list, detail={"via": "admin"}
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from hoso.audit.services import log_access

        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None and obj.pk != getattr(request.user, "person_id", None):
            log_access(action="view", obj=obj, person_id=obj.pk, detail={"via": "admin"})
        return response


class AuditAdmin(ReadOnlyAdmin):
    """The audit trail, to read: rows are immutable in the model and the database."""

    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("=object_id", "=request_id", "actor_label")
    date_hierarchy = "at"
    ordering = ("-seq",)

    def get_actions(self, request):
        return {}


@admin.register(ChangeLog, site=admin_site)
class ChangeLogAdmin(AuditAdmin):
    selector = audit_selectors.change_log_list
    list_filter = ("action", "object_type")


@admin.register(AccessLog, site=admin_site)
class AccessLogAdmin(AuditAdmin):
    selector = audit_selectors.access_log_list
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id", "outcome")
