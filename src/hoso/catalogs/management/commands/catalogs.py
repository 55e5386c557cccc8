"""`hoso catalogs load [FILE …] [--check]`, `hoso catalogs list`: the code lists."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM
from hoso.catalogs import loader, selectors
from hoso.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Code lists: `hoso catalogs load [FILE …] [--check]` loads lists from YAML or CSV "
        "files (the shipped ones without FILE), all or nothing; `hoso catalogs list` "
        "prints every list with its version and source."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or update code lists from files")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument(
            "--check", action="store_true", help="check the files and report; write nothing"
        )
        sub.add_parser("list", help="print the code lists")

    def handle(self, *args, action, **options):
        if action == "load":
            self._load(options["files"], check=options["check"])
        else:
            self._list()

    def _load(self, files: list[Path], *, check: bool) -> None:
        paths = files or loader.shipped_paths()
        names = ", ".join(p.name for p in paths)
        reason = _("Code lists loaded from %(files)s") % {"files": names}
        with acting_as(label="system:catalogs-load", reason=reason):
            try:
                result = loader.load_paths(actor=SYSTEM, paths=paths, dry_run=check)
            except loader.LoadError as exc:
                lines = (exc.lines() if isinstance(exc, loader.CatalogLoadError)
                         else [str(p) for p in exc.problems])
                for line in lines:
                    self.stderr.write(line)
                raise CommandError(loader.failure_summary(exc)) from exc
        for line in loader.summary(result):
            self.stdout.write(line)

    def _list(self) -> None:
        for cl in selectors.code_list_all():
            self.stdout.write(
                _("%(key)s — %(name)s: %(count)d entries; version %(version)s; source: "
                  "%(source)s")
                % {
                    "key": cl.key, "name": cl.display_name, "count": cl.entry_count,
                    "version": cl.version, "source": cl.source,
                }
            )
