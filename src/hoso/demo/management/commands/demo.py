"""`hoso demo`: a demo province to try hoso with, and the TOTP codes of its logins.

    hoso demo [--people N] [--seed S]   load the Lâm Đồng tree, the role logins, N people
    hoso demo totp USERNAME             print the current second-factor code of a demo login

Running it again on a database that has the demo adds nothing (or only the people
still missing up to N) and prints the logins again.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.core.context import acting_as
from hoso.demo.generator import (
    DEMO_PASSWORD,
    ROOT_CODE,
    create_change_requests,
    create_people,
    create_revisions,
    current_totp,
    demo_exists,
    ensure_accounts,
    load_tree,
)
from hoso.org.loader import LoadError, failure_summary
from hoso.org.models import OrgUnit
from hoso.records.models import Person


def _n(value: int) -> str:
    """1.234.567: the Vietnamese way of grouping digits."""
    return f"{value:,}".replace(",", ".")


def _unit_label(unit: OrgUnit) -> str:
    """“Phòng Tổ chức cán bộ, Sở Y tế”: a division is named with the unit it belongs to."""
    def label(u: OrgUnit) -> str:
        return u.name if len(u.name) <= 40 or not u.short_name else u.short_name

    if unit.parent_id and unit.kind == "division":
        return f"{label(unit)}, {label(unit.parent)}"
    return label(unit)


class Command(BaseCommand):
    help = (
        "Create a demo province (the Lâm Đồng tree, one login per role, N people) in the "
        "configured database; `hoso demo totp USERNAME` prints a demo login's current code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=3000,
            help="how many people the demo holds in all (default 3000)",
        )
        parser.add_argument("--seed", default="1", help="seed of the generated data")
        sub = parser.add_subparsers(dest="action")
        totp = sub.add_parser("totp", help="print the current TOTP code of a demo login")
        totp.add_argument("username")

    def handle(self, *args, action=None, **options):
        if action == "totp":
            self._totp(options["username"])
            return
        self._demo(people=options["people"], seed=options["seed"])

    def _totp(self, username: str) -> None:
        try:
            code, remaining = current_totp(username)
        except LookupError as exc:
            raise CommandError(
                _("“%(username)s” is not a demo login with a second factor.")
                % {"username": username}
            ) from exc
        self.stdout.write(
            _("%(code)s (valid for %(seconds)d more seconds)")
            % {"code": code, "seconds": remaining}
        )

    def _demo(self, *, people: int, seed: str) -> None:
        if people < 0:
            raise CommandError(_("The number of people cannot be negative."))
        if OrgUnit.objects.exists() and not OrgUnit.objects.filter(code=ROOT_CODE).exists():
            raise CommandError(
                _(
                    "This database holds another organisation tree; the demo runs only on an "
                    "empty database or on its own."
                )
            )
        existed = demo_exists()
        start = time.monotonic()
        with acting_as(label="system:demo", reason=_("Demo data")):
            try:
                tree = load_tree()
            except LoadError as exc:  # the shipped file is checked by the tests
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(failure_summary(exc)) from exc
            logins = ensure_accounts(seed=seed)
            missing = max(0, people - Person.objects.count())
            if missing:
                self.stdout.write(
                    _("Generating %(count)s people…") % {"count": _n(missing)}
                )
                create_people(count=missing, seed=seed, progress=self._progress)
            files = create_revisions(seed=seed, progress=self._files_progress)
            requests = create_change_requests(seed=seed)
        if existed and not tree.created and not missing and not files and not requests:
            self.stdout.write(
                _("The demo province is already in this database; nothing was added.")
            )
        else:
            self.stdout.write(
                _(
                    "Demo province ready in %(seconds).1f s: %(units)s units, %(people)s people."
                )
                % {
                    "seconds": time.monotonic() - start,
                    "units": _n(OrgUnit.objects.count()),
                    "people": _n(Person.objects.count()),
                }
            )
        self._print_logins(logins)

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(
            _("  %(done)s / %(total)s people") % {"done": _n(done), "total": _n(total)}
        )

    def _files_progress(self, done: int, total: int) -> None:
        self.stdout.write(
            _("  %(done)s / %(total)s approved files") % {"done": _n(done), "total": _n(total)}
        )

    def _print_logins(self, logins) -> None:
        header = (_("Role"), _("User name"), _("Password"), _("Unit"), _("TOTP key"))
        rows = [
            (
                str(login.account.role.label),
                login.user.username,
                DEMO_PASSWORD,
                _unit_label(login.unit),
                login.totp_secret or "—",
            )
            for login in logins
        ]
        widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
        line = "+".join("-" * (w + 2) for w in widths)
        self.stdout.write("")
        self.stdout.write(_("Demo logins:"))
        self.stdout.write(line)
        for r in (header, *rows):
            self.stdout.write("|".join(f" {v.ljust(w)} " for v, w in zip(r, widths, strict=True)))
            if r is header:
                self.stdout.write(line)
        self.stdout.write(line)
        self.stdout.write(
            _(
                "Logins with a TOTP key ask for a six-digit code: add the key to an "
                "authenticator app, or run `hoso demo totp USERNAME` for the current code."
            )
        )
