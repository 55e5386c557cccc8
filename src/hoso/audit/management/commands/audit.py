from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.audit.verify import verify_all


class Command(BaseCommand):
    help = "Audit trail tools: `hoso audit verify` checks both hash chains."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the change and access chains")

    def handle(self, *args, action, **options):
        broken = False
        for report in verify_all():
            if report.ok:
                self.stdout.write(
                    _("%(chain)s: intact, %(rows)d rows.")
                    % {"chain": report.chain_name, "rows": report.rows}
                )
            else:
                broken = True
                self.stdout.write(
                    _("%(chain)s: BROKEN at row %(seq)d: %(problem)s.")
                    % {
                        "chain": report.chain_name,
                        "seq": report.broken_seq,
                        "problem": report.problem_text,
                    }
                )
        if broken:
            raise CommandError(_("The audit trail has been tampered with."))
