"""`hoso keys rotate`: re-encrypt every encrypted column under the newest key.

DESIGN principle 8; the procedure (add the key, rotate, retire the old one) is in
docs/operators.md. `hoso keys status` counts the values not yet under the newest key.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.core.context import acting_as
from hoso.core.crypto import rotate_model, rotations


class Command(BaseCommand):
    help = "Encryption keys: `hoso keys rotate` re-encrypts every encrypted column."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="re-encrypt under the newest key")
        rotate.add_argument("--batch-size", type=int, default=1000)
        sub.add_parser("status", help="count the values not yet under the newest key")

    def handle(self, *args, action, batch_size=1000, **options):
        if batch_size < 1:
            raise CommandError(_("The batch size must be at least 1."))
        dry_run = action == "status"
        pending = 0

        def progress(report, total):
            if not dry_run:
                self.stdout.write(
                    _("%(label)s: %(done)d/%(total)d rows read, %(rotated)d re-encrypted.")
                    % {"label": report.label, "done": report.rows, "total": total,
                       "rotated": report.rotated}
                )

        with acting_as(label="system:keys-rotate"):
            for model, fields in rotations():
                report = rotate_model(
                    model, fields, batch_size=batch_size, dry_run=dry_run, progress=progress
                )
                pending += report.rotated
                if dry_run:
                    self.stdout.write(
                        _("%(label)s: %(old)d values under an older key, %(current)d under "
                          "the newest.")
                        % {"label": report.label, "old": report.rotated,
                           "current": report.current}
                    )
                else:
                    self.stdout.write(
                        _("%(label)s: done; %(rotated)d re-encrypted, %(current)d were "
                          "already under the newest key.")
                        % {"label": report.label, "rotated": report.rotated,
                           "current": report.current}
                    )
        if dry_run and pending:
            raise CommandError(
                _("%(n)d values still need the older keys: run `hoso keys rotate`.")
                % {"n": pending}
            )
