"""Saved searches: a user's own named searches, to run again with one click."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel


class SavedSearch(AuditedModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    # The search page's query string ("q=dung+1985&unit=12&status=active"): what was
    # typed may be a name, so the change rows keep its hash only (`audit_snapshot`).
    query = models.TextField(_("search"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    audit_exclude = ("query", "name")

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedsearch_owner_name")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_snapshot(self) -> dict:
        data = super().audit_snapshot()
        data["query_sha256"] = hashlib.sha256(self.query.encode("utf-8")).hexdigest()
        data["name_sha256"] = hashlib.sha256(self.name.encode("utf-8")).hexdigest()
        return data
