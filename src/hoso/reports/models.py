"""Signed copies of the printed CV (bản sao điện tử có ký số).

An exported document signed by the competent person and by the agency has the legal
value of the paper original (Vĩnh Phúc Đ9.4, Quảng Nam Đ6.4, Cần Thơ 641/QĐ-UBND
Đ7.5, Lâm Đồng Đ9.4). A `SignedExport` is one such copy: printed from one approved
revision (Cần Thơ Đ7.6, Lâm Đồng Đ9.5), signed first by the competent person who
asked for it, then by the agency. Each signature is also a `signing.Signature` row
(subject: this copy), which `hoso audit verify` checks again.

The PDF holds the file's restricted and secret fields, so it is kept encrypted at rest
(DESIGN principle 8; `hoso keys rotate` re-encrypts it). The copy shows what its first
signer could read (`access_levels`, `access_sections`: `permissions.file_access` at
the time); only those who may read as much may open it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel
from hoso.core.crypto import fernet


class SignedExport(AuditedModel):
    class Status(models.TextChoices):
        AWAITING_AGENCY = "awaiting_agency", _("Awaiting the agency's signature")
        COMPLETE = "complete", _("Signed by the competent person and the agency")

    person = models.ForeignKey(
        "records.Person", verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="signed_exports",
    )
    revision = models.ForeignKey(
        "records.Revision", verbose_name=_("revision"), on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("staff category"), max_length=12)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by the competent person"),
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now, db_index=True)
    agency = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agency's signature applied by"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    access_levels = models.JSONField(default=list)
    access_sections = models.JSONField(default=list)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    # A Fernet token of the PDF's bytes (core.crypto keys).
    pdf_sealed = models.TextField()

    audit_exclude = ("pdf_sealed",)

    class Meta:
        verbose_name = _("signed copy of a CV")
        verbose_name_plural = _("signed copies of CVs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id}#{self.revision_id} ({self.status})"

    @property
    def complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def pdf(self) -> bytes:
        return fernet().decrypt(self.pdf_sealed.encode("ascii"))

    def seal(self, data: bytes) -> None:
        import hashlib

        self.pdf_sealed = fernet().encrypt(data).decode("ascii")
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)

    @property
    def download_name(self) -> str:
        number = self.revision.number if self.revision_id else 0
        suffix = "" if self.complete else "-cho-ky-co-quan"
        return f"so-yeu-ly-lich-{self.person_id}-r{number}-ky-so-{self.pk}{suffix}.pdf"
