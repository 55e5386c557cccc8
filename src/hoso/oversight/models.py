"""The province's monthly batch: what Sở Nội vụ signs before the data goes to the
national database.

Vĩnh Phúc Đ8.2, Đ12.4 (Sở Nội vụ signs the province's data before it is synchronised
with the national database), Cần Thơ 641/QĐ-UBND Đ5.3 and Lâm Đồng Đ7.4 (within the
last 5 days of each month), Lai Châu 2.3 (the last 5 working days), Quảng Nam Đ5.3
(the Director of Sở Nội vụ, or whom they authorise). A `ProvinceBatch` gathers every
approved revision (`records.Revision`) that no earlier batch holds; its items are added
while it is open, in bulk (`services.batch_prepare`), and it is signed as one act: one
detached CMS signature over the canonical JSON manifest of the batch
(`manifest.manifest_of`). A signed batch is what the national exchange sends.

A revision is in at most one batch (the items' one-to-one key). Items never change; a
batch changes only while open, and neither is ever deleted: the models refuse it, and
database triggers refuse it to anyone who goes around them (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Open: being prepared")
    SIGNED = "signed", _("Signed")


class ProvinceBatchQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("province batches change only through their model")

    def delete(self):
        raise TypeError("province batches are never deleted")

    def signed(self) -> ProvinceBatchQuerySet:
        return self.filter(status=BatchStatus.SIGNED)


class ProvinceBatch(AuditedModel):
    # The province's root unit (UBND tỉnh), and its QĐ 20 code as it was when the batch
    # was opened: the manifest names it, and a later rename must not change a signed one.
    province_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    province_unit_code = models.CharField(_("province's electronic identifier code"),
                                          max_length=13)
    # The policy in force (settings.PROVINCE) when the batch was opened.
    policy = models.CharField(_("province policy"), max_length=30)
    # The month whose window the batch is (to be) signed in; an open batch left unsigned
    # past its window moves on to the next one.
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN,
        db_index=True,
    )
    item_count = models.PositiveIntegerField(_("items"), default=0)
    # Bumped whenever items are added: the signing form carries the version the approver
    # saw, so that nobody signs a batch that grew while they were reading it.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    prepared_at = models.DateTimeField(_("last prepared at"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last prepared by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    manifest_hash = models.CharField(_("hash of the signed manifest"), max_length=64,
                                     blank=True)
    signature = models.OneToOneField(
        "signing.Signature", verbose_name=_("signature"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, db_index=True)

    objects = ProvinceBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("province batch")
        verbose_name_plural = _("province batches")
        ordering = ["-year", "-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_unit"], condition=Q(status="open"),
                name="province_batch_one_open",
            ),
            models.UniqueConstraint(
                fields=["province_unit", "year", "month"], condition=Q(status="signed"),
                name="province_batch_one_signed_per_month",
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="province_batch_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.province_unit_code} {self.period} ({self.status})"

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._stored_status = obj.__dict__.get("status")
        return obj

    def save(self, *args, **kwargs):
        if not self._state.adding and getattr(self, "_stored_status", None) == BatchStatus.SIGNED:
            raise TypeError("a signed province batch is immutable")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        raise TypeError("province batches are never deleted")

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def period_display(self) -> str:
        return f"{self.month:02d}/{self.year:04d}"

    @property
    def is_signed(self) -> bool:
        return self.status == BatchStatus.SIGNED

    @property
    def package_name(self) -> str:
        return f"phe-duyet-du-lieu-{self.province_unit_code}-{self.period}-dot-{self.pk}.zip"


class ProvinceBatchItemQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("batch items are immutable")

    def delete(self):
        raise TypeError("batch items are immutable")


class ProvinceBatchItem(models.Model):
    """One approved revision in a batch, with what the manifest says of it frozen as it
    was when it was added (the person's keyed ID hash and the unit's code may change
    later; a signed manifest must not).

    Not an AuditedModel: items are written in bulk, tens of thousands at once; the
    batch's own change row records each addition (how many, and the new version)."""

    # Indexes: the revision's unique key, and (batch, id) and (batch, unit) below — the
    # page's order and the counts' GROUP BY. The foreign keys' own indexes would only
    # slow the bulk insert of a month's items.
    batch = models.ForeignKey(
        ProvinceBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="items",
        db_index=False,
    )
    revision = models.OneToOneField(
        "records.Revision", verbose_name=_("revision"), on_delete=models.PROTECT,
        related_name="province_batch_item",
    )
    person = models.ForeignKey(
        "records.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    # The person's unit when the revision entered the batch (the unit that approved it).
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    unit_code = models.CharField(_("unit's electronic identifier code"), max_length=13)
    id_number_hash = models.CharField(_("keyed hash of the ID number"), max_length=64)

    objects = ProvinceBatchItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("province batch item")
        verbose_name_plural = _("province batch items")
        ordering = ["batch_id", "pk"]
        indexes = [
            models.Index(fields=["batch", "id"], name="batchitem_batch_id"),
            models.Index(fields=["batch", "unit"], name="batchitem_batch_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.revision_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("batch items are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("batch items are immutable")
