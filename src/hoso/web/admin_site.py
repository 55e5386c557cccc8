"""Django's admin, for the province administrator only (with a verified second factor)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hoso.accounts.permissions import can
from hoso.accounts.roles import Action


class ProvinceAdminSite(admin.AdminSite):
    site_header = _("hoso — system administration")
    site_title = _("hoso")

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_active and user.is_authenticated and user.is_verified()
            and can(user, Action.ADMIN_SITE)
        )


admin_site = ProvinceAdminSite(name="admin")
