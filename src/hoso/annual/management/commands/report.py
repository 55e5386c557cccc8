"""`hoso report annual --year 2025 [--unit CODE] [--xlsx OUT] [--pdf OUT]`: the annual
report from the command line, as the system (audited as "system:report").

Without `--unit`, the province's report (Vĩnh Phúc Đ16.7): the units' submitted
figures, the others counted now and flagged. With `--unit` (its QĐ 20 code), that
unit's report (its whole sub-tree; Vĩnh Phúc Đ14.4, Lâm Đồng Đ13.9). The PDF is the
signed report when one exists, else the unsigned draft; the workbook shows the signed
report's frozen figures, else the figures counted now.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.core.errors import DomainError


class Command(BaseCommand):
    help = "Reports: `hoso report annual` makes the annual headcount report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        annual = sub.add_parser("annual", help="the annual report (headcount as of 31/12)")
        annual.add_argument("--year", type=int, required=True, help="the reporting year")
        annual.add_argument("--unit", default="", help="QĐ 20 code of a unit (default: the "
                            "province's compiled report)")
        annual.add_argument("--province", default="", help="QĐ 20 code of the province's "
                            "root, when the database holds several")
        annual.add_argument("--xlsx", help="write the workbook here")
        annual.add_argument("--pdf", help="write the PDF here")

    def handle(self, *args, report: str, **options):
        if report == "annual":
            self._annual(**options)

    def _annual(self, *, year: int, unit: str, province: str, xlsx: str | None,
                pdf: str | None, **options):
        from hoso.annual import exports, selectors
        from hoso.annual.models import Kind
        from hoso.org.models import OrgUnit

        if not xlsx and not pdf:
            raise CommandError(_("Say where to write the report: --xlsx FILE and/or --pdf FILE."))
        started = time.monotonic()
        with acting_as(label="system:report"):
            try:
                if unit:
                    target = OrgUnit.objects.filter(code=unit).first()
                    if target is None:
                        raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
                    view = selectors.unit_report_view(user=SYSTEM, pk=target.pk, year=year)
                else:
                    roots = selectors.roots()
                    if len(roots) > 1 and not province:
                        raise CommandError(_(
                            "The database holds several provinces: name one with --province "
                            "(%(codes)s).") % {"codes": ", ".join(r.code for r in roots)})
                    view = selectors.province_report_view(user=SYSTEM, year=year,
                                                          code=province)
                kind = Kind.PROVINCE if not unit else Kind.UNIT
                figures, report = view.figures, view.report
                outputs = []
                if xlsx:
                    data = exports.workbook(kind=kind, unit=view.unit, figures=figures,
                                            report=report)
                    outputs.append((Path(xlsx), data, _("workbook")))
                if pdf:
                    if report is not None:
                        data, what = report.pdf_bytes, _("signed PDF")
                    else:
                        data = exports.draft_pdf(kind=kind, unit=view.unit, figures=figures)
                        what = _("draft PDF (not signed)")
                    outputs.append((Path(pdf), data, what))
            except DomainError as exc:
                raise CommandError(str(exc.message)) from None
        for path, data, what in outputs:
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
                ) from None
            self.stdout.write(_("%(what)s written to %(path)s.") % {"what": what, "path": path})
        total = figures.total[0]
        self.stdout.write(_(
            "%(unit)s, %(year)d, figures as of %(date)s: %(total)s people (%(seconds).1f s).")
            % {"unit": view.unit.name, "year": figures.year,
               "date": dt.date.fromisoformat(figures.as_of).strftime("%d/%m/%Y"),
               "total": f"{total:,}".replace(",", "."), "seconds": time.monotonic() - started})
        if figures.preview:
            self.stdout.write(_("The year is not over: the figures are provisional."))
