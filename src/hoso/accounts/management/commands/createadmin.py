"""`hoso createadmin --username U --unit CODE`: the province's first administrator.

The first day of a province (docs/operators.md): after `hoso org load`, the operator
creates the Sở Nội vụ administrator, who then creates everyone else through the pages
(Vĩnh Phúc Đ6.1, Đ7.2: Sở Nội vụ manages the accounts; Lâm Đồng Đ14.2). The account
belongs to the unit named by CODE (normally Sở Nội vụ) and holds the province
administrator role on the root of that unit's tree, with its whole sub-tree. The
one-time password is printed once and never stored; the first login must change it
and set up the second factor (the role requires 2FA).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.accounts.roles import Role
from hoso.accounts.services import account_create, role_grant
from hoso.core.context import acting_as
from hoso.core.errors import DomainError
from hoso.org.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Create the province administrator (Sở Nội vụ): an account in the unit CODE with "
        "the province administrator role on the province, and a one-time password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--unit", required=True, metavar="CODE",
            help="electronic identifier code of the administrator's unit (Sở Nội vụ)",
        )
        parser.add_argument("--full-name", default="", help="the administrator's full name")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, unit, full_name, email, **options):
        code = unit.strip().upper()
        unit_obj = OrgUnit.objects.filter(code=code).first()
        if unit_obj is None:
            raise CommandError(
                _(
                    "No unit has the code %(code)s. Load the organisation tree first "
                    "(`hoso org load FILE`)."
                )
                % {"code": code}
            )
        if not unit_obj.is_active_on(timezone.localdate()):
            raise CommandError(
                _("The unit %(code)s (%(name)s) is not in force today.")
                % {"code": code, "name": unit_obj.name}
            )
        root = unit_obj.ancestors().first() or unit_obj
        with acting_as(label="system:createadmin"):
            try:
                with transaction.atomic():
                    issued = account_create(
                        actor=SYSTEM,
                        full_name=full_name.strip() or _("Province administrator"),
                        unit=unit_obj,
                        username=username.strip(),
                        email=email.strip(),
                    )
                    role_grant(
                        actor=SYSTEM, user=issued.user, role=Role.PROVINCE_ADMIN, unit=root,
                        include_subtree=True,
                    )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "Province administrator “%(username)s” created in %(unit)s, with the role on "
                "%(root)s."
            )
            % {"username": issued.user.username, "unit": unit_obj.name, "root": root.name}
        )
        self.stdout.write(_("One-time password (shown only now): %(password)s") % {
            "password": issued.password
        })
        self.stdout.write(
            _("The first login must change this password and set up two-factor login.")
        )
