"""Scanned evidence documents (bản số hóa) behind changes to a personnel file.

Vĩnh Phúc Đ7.3 and Lai Châu 2.2: every change a person makes to their file comes with
the digitised copy of the decision or certificate that proves it (appointment,
transfer, rank, salary, allowances, rewards, discipline, evaluation, degrees and
certificates …). An evidence row is immutable and never deleted (DESIGN principle 2):
a wrong upload is detached from the change request that cites it, and the row and the
file stay, so whatever a past approval relied on can always be shown again. The model
refuses updates and deletes; on PostgreSQL a trigger refuses them too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel

# The access level of every evidence document (the levels of records.schema fields):
# a decision or certificate says more than the file's public fields (grounds,
# salaries, discipline), so it is shown to those who may read the file's restricted
# fields, or to a written-consent grant naming the document's section.
EVIDENCE_ACCESS = "restricted"


class ImmutableError(Exception):
    pass


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "person.view") -> EvidenceQuerySet:
        """Evidence of the people whose file the user may `action` (the one permission
        path; the download view narrows further by section)."""
        from hoso.accounts.permissions import person_filter
        from hoso.records.models import Person

        return self.filter(person__in=Person.objects.filter(person_filter(user, action)))

    def update(self, **kwargs):
        raise ImmutableError("evidence documents are immutable")

    def delete(self):
        raise ImmutableError("evidence documents are never deleted")


class EvidenceDocument(AuditedModel):
    person = models.ForeignKey(
        "records.Person", verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="evidence",
    )
    # A code of the `evidence_kinds` catalog (decision on appointment, on salary …).
    kind = models.CharField(_("kind of document"), max_length=40)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    # The file section (records.sections.SECTIONS) the document supports, if any: a
    # reader who may not see that section may not download it either.
    section = models.CharField(_("section of the file"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("pages"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # The name in the "evidence" storage: the hash, never the person's or file's name.
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["person", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("evidence documents are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("evidence documents are never deleted")

    @property
    def extension(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1]

    @property
    def download_name(self) -> str:
        """The file name offered on download: neutral, never the person's name."""
        return f"minh-chung-{self.pk}.{self.extension}"
