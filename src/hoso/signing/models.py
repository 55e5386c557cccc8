"""Stored signatures: what was signed, the hash it covers, the CMS, who and when.

Like the audit rows and the revisions they sign (DESIGN principle 2), a signature is
never updated or deleted: the model refuses it, and database triggers refuse it to
anyone who goes around the model (migration 0002). `hoso audit verify` checks every
row again (`integrity.py`): the CMS is intact over the stored hash, and the hash is
still that of the subject's current canonical JSON.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel


class SignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("signatures are immutable")

    def delete(self):
        raise TypeError("signatures are immutable")

    def for_subject(self, obj) -> SignatureQuerySet:
        return self.filter(subject_type=obj._meta.label_lower, subject_id=str(obj.pk))


class Purpose(models.TextChoices):
    REVISION = "revision", _("Approval of a revision")
    REVIEW = "review", _("Review decision")
    BATCH = "batch", _("Batch of data")
    PROVINCE_APPROVAL = "province_approval", _("Monthly approval of the province's data")
    EXCHANGE = "exchange", _("National-database exchange package")
    PERSON = "person", _("The person's own file")
    OTHER = "other", _("Other data")


class Signature(AuditedModel):
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    # What was signed: a model object ("records.revision", its id) or, for a batch or a
    # package, only a reference; the canonical JSON's SHA-256 in any case.
    subject_type = models.CharField(_("subject type"), max_length=60, blank=True)
    subject_id = models.CharField(_("subject"), max_length=40, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    batch_id = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    content_hash = models.CharField(_("hash of the signed data"), max_length=64, db_index=True)
    cms = models.BinaryField(_("signature (CMS)"))
    backend = models.CharField(_("signing device"), max_length=10)
    cert_fingerprint = models.CharField(_("certificate fingerprint"), max_length=64,
                                        db_index=True)
    cert_serial = models.CharField(_("certificate serial number"), max_length=64)
    cert_subject = models.CharField(_("certificate subject"), max_length=500)
    cert_issuer = models.CharField(_("certificate issuer"), max_length=500)
    signer_name = models.CharField(_("signer"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), db_index=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_label = models.CharField(max_length=100)
    on_behalf_of = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("on behalf of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    request_id = models.CharField(max_length=64, blank=True)

    objects = SignatureQuerySet.as_manager()

    audit_exclude = ("cms",)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.signer_name} ({self.signed_at:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("signatures are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("signatures are immutable")
