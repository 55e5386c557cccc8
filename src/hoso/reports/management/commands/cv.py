"""`hoso cv ID_NUMBER --out FILE.pdf [--draft]`: print a person's CV from the command
line, as the system (audited as "system:cv"), from the approved file (or the draft).
The person is found by their identification number's keyed hash (the number itself is
encrypted at rest)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.core.errors import DomainError
from hoso.records.selectors import person_find
from hoso.records.validators import validate_id_number


class Command(BaseCommand):
    help = "Print a person's CV (sơ yếu lý lịch) as PDF, from their approved file."

    def add_arguments(self, parser):
        parser.add_argument("id_number", help="the 12-digit personal identification number")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument(
            "--draft", action="store_true", help="print the person's draft (watermarked)"
        )

    def handle(self, *args, id_number: str, out: str, draft: bool, **options):
        from django.core.exceptions import ValidationError

        from hoso.reports.selectors import cv_pdf

        id_number = id_number.strip()
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with acting_as(label="system:cv"):
            person = person_find(user=SYSTEM, id_number=id_number).first()
            if person is None:
                raise CommandError(_("No file has this identification number."))
            try:
                printed, pdf = cv_pdf(user=SYSTEM, pk=person.pk, draft=draft)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from None
        path = Path(out)
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        if printed.revision is not None:
            self.stdout.write(
                _("CV of revision %(number)d written to %(path)s.")
                % {"number": printed.revision.number, "path": path}
            )
        else:
            self.stdout.write(_("Draft CV written to %(path)s.") % {"path": path})
