"""`hoso hr`: the HR lists' operator tools.

    hoso hr retirement --born 1965-03-15 --sex male   the retirement date, YYYY-MM-DD
    hoso hr check                                     check every stale file now

`retirement` prints the retirement moment alone (Nghị định 135/2020/NĐ-CP, Điều 3.1:
the last day of the month in which the retirement age is reached), for scripts.
`check` does what the background task does (`hr.tasks.check_all_files`): keeps the
result of checking each file for the list of files with problems; run it after
changing the forms or the code lists, or nightly.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.core.context import acting_as
from hoso.hr.retirement import retirement_date


class Command(BaseCommand):
    help = (
        "HR lists: `hoso hr retirement --born YYYY-MM-DD --sex male|female` prints the "
        "retirement date; `hoso hr check` checks every file whose check is stale."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ret = sub.add_parser("retirement", help="print the retirement date (YYYY-MM-DD)")
        ret.add_argument("--born", required=True, help="date of birth, YYYY-MM-DD")
        ret.add_argument("--sex", required=True, choices=["male", "female"])
        sub.add_parser("check", help="check every file whose kept check is stale")

    def handle(self, *args, action, **options):
        if action == "retirement":
            return self.retirement(options["born"], options["sex"])
        return self.check_all()

    def retirement(self, born: str, sex: str) -> None:
        try:
            day = dt.date.fromisoformat(born)
        except ValueError:
            raise CommandError(
                _("--born must be a real date written YYYY-MM-DD (e.g. 1965-03-15), not "
                  "“%(value)s”.") % {"value": born}
            ) from None
        self.stdout.write(retirement_date(day, sex).isoformat())

    def check_all(self) -> None:
        from hoso.hr.services import check_files

        def progress(done: int, total: int) -> None:
            if done % 5000 < 500 or done == total:
                self.stdout.write(_("%(done)d/%(total)d files checked.")
                                  % {"done": done, "total": total})

        with acting_as(label="system:hr-check"):
            done = check_files(progress=progress)
        if not done:
            self.stdout.write(_("Every file's check is up to date."))
