"""`hoso records reproject`: rewrite the indexed columns from the newest revisions.

The revisions never change; their projection into indexed columns (DESIGN principle 2)
may need rewriting after a code list changed what a column derives from (a rank's
salary group). `hoso audit verify` reports such a person; this repairs them all.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.records.models import Person
from hoso.records.services import projection_rewrite


class Command(BaseCommand):
    help = "Personnel files: `hoso records reproject` rewrites the indexed columns."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("reproject", help="rewrite the indexed columns from the newest revisions")

    def handle(self, *args, action, **options):
        people = Person.objects.filter(revisions__number=1).order_by("pk")
        total, done, changed = people.count(), 0, 0
        with acting_as(label="system:records-reproject"):
            for person in people.iterator(chunk_size=1000):
                changed += projection_rewrite(actor=SYSTEM, person=person)
                done += 1
                if done % 1000 == 0:
                    self.stdout.write(_("%(done)d/%(total)d files checked.")
                                      % {"done": done, "total": total})
        self.stdout.write(_("%(done)d files checked, %(changed)d rewritten.")
                          % {"done": done, "changed": changed})
