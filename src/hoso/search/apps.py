from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hoso.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from .engine import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="hoso.search.sql")
        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="hoso.search.index")


def _ensure_index(sender, using="default", **kwargs):
    """After every `migrate`: put back the word index's SQLite triggers if a migration
    rebuilt `records_person` (see `index.ensure`)."""
    from django.db import connections

    from .index import ensure

    ensure(connections[using])
