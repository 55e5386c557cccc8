"""`hoso policy`: check and read the province policy files (DESIGN principle 4).

  hoso policy check                 → every file in settings.POLICY_DIR
  hoso policy check FILE [FILE...]  → the files named
  hoso policy show [CODE]           → a readable summary (default: settings.PROVINCE)

`check` prints one line per file and exits with an error when any file is wrong,
naming file, line and field (docs/policies.md explains every key).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoso.accounts.roles import Role
from hoso.core._toml import ConfigFileError
from hoso.core.policy import APPROVER_UNITS, get_policy, load_policy
from hoso.org.models import UnitKind
from hoso.records.models import StaffCategory

# How each approver unit and clock reads in the summary.
_UNIT_TEXT = {
    "unit": gettext_noop("the person's own unit"),
    "agency": gettext_noop("the person's agency"),
    "parent_district": gettext_noop("the district (or commune) People's Committee above"),
    "association": gettext_noop("the person's association"),
}
_CLOCK_TEXT = {
    "submitted": gettext_noop("from the submission"),
    "previous_step": gettext_noop("from the previous step's decision"),
    "window": gettext_noop("by the end of the unit approval window"),
}
_DEADLINE_TEXT = {
    "account_creation": gettext_noop("Account creation after the decision"),
    "self_entry": gettext_noop("Self-entry after getting the account"),
    "update": gettext_noop("Update after a change"),
    "move_within_unit": gettext_noop("Move within the unit"),
    "move_within_province": gettext_noop("Move to another unit of the province"),
    "status_change": gettext_noop("Status change (retirement, resignation, death …)"),
    "national_transfer": gettext_noop("Transfer through the national database"),
}
assert set(_UNIT_TEXT) == set(APPROVER_UNITS)


def _labels(choices, values) -> str:
    """The Vietnamese labels of choice values, in the choices' order."""
    return "; ".join(str(label) for value, label in choices.choices if value in values)


class Command(BaseCommand):
    help = "Province policy files: `check [FILE...]` validates, `show [CODE]` summarises."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate policy files")
        check.add_argument("files", nargs="*")
        show = sub.add_parser("show", help="summarise a province's rules")
        show.add_argument("code", nargs="?", default=None)

    def handle(self, *args, action, **options):
        if action == "check":
            self.check_files(options["files"])
        else:
            try:
                policy = get_policy(options["code"])
            except ConfigFileError as exc:
                raise CommandError(str(exc.message)) from None
            self.show(policy)

    def check_files(self, files):
        paths = [Path(f) for f in files] or sorted(Path(settings.POLICY_DIR).glob("*.toml"))
        if not paths:
            raise CommandError(_("No policy file in %(dir)s.") % {"dir": settings.POLICY_DIR})
        failed = 0
        for path in paths:
            try:
                policy = load_policy(path)
            except ConfigFileError as exc:
                failed += 1
                self.stderr.write(str(exc.message))
            else:
                self.stdout.write(_("%(file)s: correct (%(name)s, %(chains)d review chains).")
                                  % {"file": path, "name": policy.name,
                                     "chains": len(policy.chains)})
        if failed:
            raise CommandError(_("%(n)d of %(total)d policy files have errors.")
                               % {"n": failed, "total": len(paths)})

    def show(self, policy):
        w = self.stdout.write
        w(f"{policy.name} ({policy.code})")
        w(_("Regulation: %(document)s") % {"document": policy.document})
        w(_("File: %(path)s") % {"path": policy.path})
        w("")
        for title, window, missing in (
            (_("Unit approval window"), policy.unit_window,
             _("none: each step has its own deadline")),
            (_("Province approval window"), policy.province_window,
             _("none set: Sở Nội vụ signs each batch when the units have approved")),
        ):
            text = f"{window.describe()} ({window.source})" if window else missing
            w(f"{title}: {text}")
        w("")
        w(_("Deadlines:"))
        for key, label in _DEADLINE_TEXT.items():
            deadline = policy.deadlines.get(key)
            text = (f"{deadline.describe()} ({deadline.source})" if deadline
                    else _("none in the regulation"))
            w(f"  - {_(label)}: {text}")
        if policy.backup:
            w(_("Backups: every %(every)d month(s), kept at least %(keep)d month(s) (%(src)s).")
              % {"every": policy.backup.every_months, "keep": policy.backup.keep_months,
                 "src": policy.backup.source})
        for chain in policy.chains:
            w("")
            under = (_(" (when below: %(kinds)s)") % {"kinds": _labels(UnitKind, chain.under)}
                     if chain.under else "")
            w(_("Review chain “%(key)s” (%(source)s)") % {"key": chain.key,
                                                          "source": chain.source})
            w(_("  staff: %(cats)s") % {"cats": _labels(StaffCategory, chain.categories)})
            w(_("  unit kinds: %(kinds)s%(under)s")
              % {"kinds": _labels(UnitKind, chain.unit_kinds), "under": under})
            for number, step in enumerate(chain.steps, 1):
                due = (_("%(deadline)s %(clock)s") % {"deadline": step.deadline.describe(),
                                                      "clock": _(_CLOCK_TEXT[step.clock])}
                       if step.deadline else _(_CLOCK_TEXT[step.clock]))
                flags = [_("signs") if step.signs else "",
                         _("may be delegated") if step.delegable else ""]
                where = _(_UNIT_TEXT[step.approver_unit])
                w(f"  {number}. {_(step.label)} — {Role(step.role).label} @ {where}; {due}"
                  + "".join(f"; {f}" for f in flags if f) + f" ({step.source})")
        if policy.calendar:
            w("")
            w(_("Province days off and working days:"))
            for adj in policy.calendar.days_off:
                w(f"  {adj.day:%d/%m/%Y}  " + _("off") + f"  {_(adj.name)} ({adj.source})")
            for adj in policy.calendar.working_days:
                w(f"  {adj.day:%d/%m/%Y}  " + _("working") + f"  {_(adj.name)} ({adj.source})")
