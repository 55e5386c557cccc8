"""Code lists (danh mục) and their entries, each entry with its period of validity.

A code list is shipped as a data file citing its legal source (`catalogs/data/*.yaml`)
or, for the administrative units, read from the `vietnam-provinces` package; the
province administrator may add, end and relabel entries or load a new version
(Vĩnh Phúc Đ19.3: the field lists follow the national database). Nothing is deleted:
an entry that stops applying gets a `valid_to`, so a file that used the code when it
was valid stays valid (a commune of the three-level structure, a grade of an old
evaluation decree).

Salary scales are code lists too: each entry of `salary_groups` is a group of a
table of Decree 204/2004/NĐ-CP with the coefficient of every step in
`attrs["coefficients"]`; the base salary (lương cơ sở) is the dated list
`base_salaries` (`attrs["amount"]`, VND a month).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel


class CodeList(AuditedModel):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    # Shipped lists hold an English name translated through the catalogs' .po file;
    # a list a province adds may be named in Vietnamese directly.
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"), help_text=_("The legal text and article."))
    version = models.CharField(_("version"), max_length=80)
    notes = models.TextField(_("notes"), blank=True)
    shipped = models.BooleanField(_("shipped with hoso"), default=False)
    # sha256 of what was loaded last (file bytes, plus the package version for the
    # administrative units): an unchanged file is not read again at start-up.
    digest = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped by every change of the list or its entries; in-process caches compare it.
    revision = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = ("revision",)

    class Meta:
        verbose_name = _("code list")
        verbose_name_plural = _("code lists")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext(self.name) if self.name else self.key


class CodeEntryQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> CodeEntryQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class CodeEntry(AuditedModel):
    code_list = models.ForeignKey(
        CodeList, verbose_name=_("code list"), on_delete=models.PROTECT, related_name="entries"
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=255)
    # The code of the entry this one belongs to in another list (a commune's province)
    # or in the same list (a rank's sector), without a key: lists are loaded whole.
    parent_code = models.CharField(_("parent code"), max_length=40, blank=True)
    attrs = models.JSONField(_("attributes"), default=dict, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = CodeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("code list entry")
        verbose_name_plural = _("code list entries")
        ordering = ["code_list", "position", "code", "valid_from"]
        indexes = [models.Index(fields=["code_list", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="codeentry_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )
