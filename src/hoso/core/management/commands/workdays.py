"""`hoso workdays`: the working-day calendar on the command line (DESIGN principle 5).

  hoso workdays add 2027-02-01 5            → the 5th working day after 01/02/2027
  hoso workdays between 2027-02-01 2027-02-26 → working days after the first date up
                                               to and including the second
  hoso workdays holidays 2027               → the year's days off, with their names
  hoso workdays check 2027-02-10            → whether a day is a working day

`add` and `between` print the bare result (YYYY-MM-DD, or a number) so that scripts can
use it. Each takes --province CODE for that province's own days off (its policy file).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hoso.core import calendar as cal
from hoso.core.errors import DomainError


def _day(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
    raise CommandError(_("“%(text)s” is not a date: write it as YYYY-MM-DD (e.g. 2027-02-01) "
                         "or dd/mm/yyyy.") % {"text": text})


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(_("“%(text)s” is not a whole number (%(what)s).")
                           % {"text": text, "what": what}) from None


class Command(BaseCommand):
    help = "Working days: add, between, holidays, check (Vietnamese public holidays included)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the N-th working day after DATE")
        add.add_argument("date")
        add.add_argument("n")
        between = sub.add_parser("between", help="working days in (START, END]")
        between.add_argument("start")
        between.add_argument("end")
        holidays = sub.add_parser("holidays", help="the days off of YEAR with their names")
        holidays.add_argument("year")
        check = sub.add_parser("check", help="whether DATE is a working day")
        check.add_argument("date")
        for p in (add, between, holidays, check):
            p.add_argument("--province", default=None,
                           help="province code (default: settings.PROVINCE)")

    def handle(self, *args, action, province=None, **options):
        try:
            if action == "add":
                result = cal.add_working_days(_day(options["date"]),
                                              _int(options["n"], _("number of working days")),
                                              province=province)
                self.stdout.write(result.isoformat())
            elif action == "between":
                self.stdout.write(str(cal.working_days_between(
                    _day(options["start"]), _day(options["end"]), province=province)))
            elif action == "holidays":
                year = _int(options["year"], _("year"))
                for day, name in cal.holidays_in(year, province=province).items():
                    self.stdout.write(f"{day:%d/%m/%Y}  {date_format(day, 'l'):<8}  {name}")
                for day in cal.make_up_days_in(year, province=province):
                    self.stdout.write(f"{day:%d/%m/%Y}  {date_format(day, 'l'):<8}  "
                                      + _("working day (make-up)"))
            else:
                day = _day(options["date"])
                if cal.is_working_day(day, province=province):
                    self.stdout.write(_("%(date)s is a working day.")
                                      % {"date": day.strftime("%d/%m/%Y")})
                else:
                    self.stdout.write(_("%(date)s is a day off.")
                                      % {"date": day.strftime("%d/%m/%Y")})
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        except OverflowError:
            raise CommandError(_("The result falls outside the calendar.")) from None
