"""`hoso org load FILE`: load or update the province's organisation tree from a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.org.loader import LoadError, failure_summary, load_units, summary


class Command(BaseCommand):
    help = (
        "Organisation tree tools: `hoso org load FILE` loads a CSV or YAML list of units "
        "(code, name, short_name, kind, parent_code, valid_from, valid_to), all or nothing."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or update units from a .csv, .yaml or .yml file")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--check", action="store_true", help="check the file and report; write nothing"
        )

    def handle(self, *args, action, **options):
        if action == "load":
            self._load(options["file"], check=options["check"])

    def _load(self, path: Path, *, check: bool) -> None:
        reason = _("Organisation tree loaded from %(file)s") % {"file": path.name}
        with acting_as(label="system:org-load", reason=reason):
            try:
                result = load_units(actor=SYSTEM, path=path, dry_run=check)
            except LoadError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(failure_summary(exc)) from exc
        self.stdout.write(summary(result))
