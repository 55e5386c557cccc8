"""`hoso workflow route`: give the province's review steps to requests in review that
have none (those submitted before the review existed; migration workflow 0002)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.workflow.services import route_unrouted


class Command(BaseCommand):
    help = "Change requests: `hoso workflow route` routes requests in review without steps."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("route", help="give the review steps to requests in review without any")

    def handle(self, *args, action, **options):
        with acting_as(label="system:workflow-route"):
            routed, failed = route_unrouted(actor=SYSTEM)
        for pk, message in failed:
            self.stderr.write(_("Request no. %(n)d: %(message)s") % {"n": pk, "message": message})
        self.stdout.write(_("%(n)d requests routed, %(f)d could not be.")
                          % {"n": routed, "f": len(failed)})
