"""Code lists (danh mục): versioned, with their sources."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_lists(sender, using="default", **kwargs):
    """Every database holds the shipped lists, test databases included: after each
    `migrate` (and each flush) the lists whose file changed are loaded again."""
    from hoso.core.context import acting_as

    from .loader import load_shipped, table_exists

    if not table_exists(using):
        return
    with acting_as(label="system:catalogs-migrate"):
        load_shipped(using=using)


class CatalogsConfig(AppConfig):
    name = "hoso.catalogs"
    label = "catalogs"
    verbose_name = _("Code lists")

    def ready(self) -> None:
        post_migrate.connect(
            load_shipped_lists, sender=self, dispatch_uid="hoso.catalogs.load_shipped"
        )
